import type { Command } from '../../shared/command';
import { activeFileRun } from '../../shared/pythonTargets';
import type { ProfileDeps } from '../deps';
import type { ProfileRunResult } from '../pySpyTask';
import { profilePythonProcess } from './profilePythonProcess';

/**
 * Profile with py-spy, in one step: the Python file in the editor (or the one clicked in the Explorer),
 * with the selected interpreter and the workspace folder as cwd, until it exits or the status bar item is
 * clicked; the flame graph opens. `args` adds program arguments (tests).
 */
export const profileActiveFile: Command<ProfileDeps> = {
  id: 'incidentWorkbench.profileActiveFile',
  async run(deps, target?: unknown, extra?: unknown): Promise<ProfileRunResult | undefined> {
    const run = await activeFileRun(deps, target, extra);
    if (!run) return undefined;
    return profilePythonProcess.run(deps, { program: run.python, args: run.args, ...(run.cwd ? { cwd: run.cwd } : {}), duration: 0 });
  },
};
