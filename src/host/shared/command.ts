import * as vscode from 'vscode';
import type { Workbench } from './workbench';

/**
 * A contributed command id. Each command file declares its own; test/unit/manifest.test.ts checks that the
 * ids found under src/host/ and the commands in package.json are the same set.
 */
export type CommandId = `incidentWorkbench.${string}`;

/** One command, one file: `run` gets its feature's deps first, then whatever VS Code or a caller passes. */
export interface Command<Deps = Workbench> {
  id: CommandId;
  run(deps: Deps, ...args: unknown[]): unknown;
}

export function registerCommands<Deps>(commands: readonly Command<Deps>[], deps: Deps): vscode.Disposable[] {
  return commands.map((c) => vscode.commands.registerCommand(c.id, (...args: unknown[]) => c.run(deps, ...args)));
}
