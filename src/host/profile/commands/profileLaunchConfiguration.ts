import type { Command } from '../../shared/command';
import { launchConfigurationRun } from '../../shared/pythonTargets';
import type { ProfileDeps } from '../deps';
import type { ProfileRunResult } from '../pySpyTask';
import { profilePythonProcess } from './profilePythonProcess';

/**
 * Runs a launch.json Python configuration (what the user already debugs with: program or module, args,
 * env, envFile, cwd) under py-spy until it exits or is stopped. `name` picks a configuration without asking.
 */
export const profileLaunchConfiguration: Command<ProfileDeps> = {
  id: 'incidentWorkbench.profileLaunchConfiguration',
  async run(deps, name?: unknown): Promise<ProfileRunResult | undefined> {
    const run = await launchConfigurationRun(deps, name, 'py-spy');
    if (!run) return undefined;
    return profilePythonProcess.run(deps, { program: run.python, args: run.args, ...(run.cwd ? { cwd: run.cwd } : {}), ...(run.env ? { env: run.env } : {}), duration: 0 });
  },
};
