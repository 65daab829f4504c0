import type { Command } from '../../shared/command';
import { launchConfigurationRun } from '../../shared/pythonTargets';
import type { MemoryDeps } from '../deps';
import type { MemoryRunResult } from '../memrayTask';
import { profileMemory } from './profileMemory';

/**
 * Runs a launch.json Python configuration (program or module, args, env, envFile, cwd) under `memray run`
 * until it exits or is stopped; the memory view opens. `name` picks a configuration without asking.
 */
export const profileMemoryLaunchConfiguration: Command<MemoryDeps> = {
  id: 'incidentWorkbench.profileMemoryLaunchConfiguration',
  async run(deps, name?: unknown): Promise<MemoryRunResult | undefined> {
    const run = await launchConfigurationRun(deps, name, 'memray');
    if (!run || run.args.length === 0) return undefined;
    return profileMemory.run(deps, { program: run.args[0]!, args: run.args.slice(1), ...(run.cwd ? { cwd: run.cwd } : {}), ...(run.env ? { env: run.env } : {}), duration: 0 });
  },
};
