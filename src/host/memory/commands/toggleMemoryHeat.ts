import * as vscode from 'vscode';
import type { Command } from '../../shared/command';
import type { MemoryDeps } from '../deps';

/** Shows or hides bytes per line of the focused memory view in the editors. Returns the new state. */
export const toggleMemoryHeat: Command<MemoryDeps> = {
  id: 'incidentWorkbench.toggleMemoryHeat',
  async run(deps, on?: unknown): Promise<boolean> {
    const heat = deps.memory.heat;
    const next = typeof on === 'boolean' ? on : !(heat.enabled && heat.shown);
    await heat.setEnabled(next);
    if (next && !heat.current) void vscode.window.showInformationMessage('Memory heat is on; open a memory capture (Incident Workbench: Open Memory Capture…) to see the lines that allocate.');
    else vscode.window.setStatusBarMessage(next ? '$(symbol-numeric) Memory heat on' : 'Memory heat off', 3000);
    return next;
  },
};
