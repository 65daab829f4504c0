import type { Command } from '../../shared/command';
import { activeFileRun } from '../../shared/pythonTargets';
import type { MemoryDeps } from '../deps';
import type { MemoryRunResult } from '../memrayTask';
import { profileMemory } from './profileMemory';

/**
 * "Profile Memory" in one step: the Python file in the editor (or the one clicked in the Explorer) runs
 * under `memray run` from the workspace folder (as `-m package.module` inside a package) until it exits or
 * is stopped; the memory view opens. `extra` adds program arguments (tests).
 */
export const profileMemoryActiveFile: Command<MemoryDeps> = {
  id: 'incidentWorkbench.profileMemoryActiveFile',
  async run(deps, target?: unknown, extra?: unknown): Promise<MemoryRunResult | undefined> {
    const run = await activeFileRun(deps, target, extra);
    if (!run) return undefined;
    // memray runs the command line with the Python it is installed in (the selected interpreter first).
    return profileMemory.run(deps, { program: run.args[0]!, args: run.args.slice(1), ...(run.cwd ? { cwd: run.cwd } : {}), duration: 0 });
  },
};
