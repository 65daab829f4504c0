import * as vscode from 'vscode';
import { registerCommands } from '../shared/command';
import type { Workbench } from '../shared/workbench';
import { compareProfiles } from './commands/compareProfiles';
import { openProfile } from './commands/openProfile';
import { profilePythonProcess } from './commands/profilePythonProcess';
import { profileActiveFile } from './commands/profileActiveFile';
import { profileLaunchConfiguration } from './commands/profileLaunchConfiguration';
import { profilePytestTest } from './commands/profilePytestTest';
import { rerunLastProfile } from './commands/rerunLastProfile';
import { stopProfiling } from './commands/stopProfiling';
import { resetProfileHeatFilter } from './commands/resetProfileHeatFilter';
import { toggleProfileHeat } from './commands/toggleProfileHeat';
import type { ProfileDeps } from './deps';
import { Profiling } from './profiling';
import { registerProgramTaskType } from '../shared/programTask';
import { createPySpyTask, PY_SPY_TASK_TYPE, type PySpyTaskDefinition } from './pySpyTask';

export const PROFILE_COMMANDS = [profilePythonProcess, openProfile, compareProfiles, toggleProfileHeat, resetProfileHeatFilter, profileActiveFile, profileLaunchConfiguration, profilePytestTest, rerunLastProfile, stopProfiling];

/** CPU profiling: the py-spy task, the flame graph editor, source heat and profile comparison. */
export function registerProfile(workbench: Workbench): vscode.Disposable[] {
  const profiling = new Profiling(workbench);
  const deps: ProfileDeps = { ...workbench, profiling };
  return [profiling, registerProgramTaskType<PySpyTaskDefinition>(PY_SPY_TASK_TYPE, (def, scope) => createPySpyTask(deps, def, scope)), ...registerCommands(PROFILE_COMMANDS, deps)];
}
