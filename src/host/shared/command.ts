import type { Services } from '../services';

/**
 * A contributed command id. Each command file declares its own; test/unit/manifest.test.ts checks that the
 * ids found under src/host/commands/ and the commands in package.json are the same set.
 */
export type CommandId = `incidentWorkbench.${string}`;

export interface Command {
  id: CommandId;
  run(services: Services, ...args: unknown[]): unknown;
}
