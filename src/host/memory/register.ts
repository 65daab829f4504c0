import * as vscode from 'vscode';
import { registerCommands } from '../shared/command';
import type { Workbench } from '../shared/workbench';
import { compareMemoryCaptures } from './commands/compareMemoryCaptures';
import { openMemoryCapture } from './commands/openMemoryCapture';
import { profileMemory } from './commands/profileMemory';
import { profileMemoryActiveFile } from './commands/profileMemoryActiveFile';
import { profileMemoryLaunchConfiguration } from './commands/profileMemoryLaunchConfiguration';
import { switchEditorHeat } from './commands/switchEditorHeat';
import { toggleMemoryHeat } from './commands/toggleMemoryHeat';
import type { MemoryDeps } from './deps';
import { MemoryFeature } from './memoryFeature';
import { registerProgramTaskType } from '../shared/programTask';
import { createMemrayTask, MEMRAY_TASK_TYPE, type MemrayTaskDefinition } from './memrayTask';

export const MEMORY_COMMANDS = [profileMemory, profileMemoryActiveFile, profileMemoryLaunchConfiguration, openMemoryCapture, compareMemoryCaptures, toggleMemoryHeat, switchEditorHeat];

/** Memory investigation: the memray task, the memory editor, memory heat and capture comparison. */
export function registerMemory(workbench: Workbench): vscode.Disposable[] {
  const memory = new MemoryFeature(workbench);
  const deps: MemoryDeps = { ...workbench, memory };
  return [memory, registerProgramTaskType<MemrayTaskDefinition>(MEMRAY_TASK_TYPE, (def, scope) => createMemrayTask(deps, def, scope)), ...registerCommands(MEMORY_COMMANDS, deps)];
}
