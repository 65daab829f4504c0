import * as vscode from 'vscode';
import type { Command } from './command';

/** Shows or hides the per-line heat of the focused profile in the editors. Returns the new state. */
export const toggleProfileHeat: Command = {
  id: 'incidentWorkbench.toggleProfileHeat',
  async run(services, on?: unknown): Promise<boolean> {
    const heat = services.profiling.heat;
    const next = typeof on === 'boolean' ? on : !heat.enabled;
    await heat.setEnabled(next);
    if (next && !heat.current) void vscode.window.showInformationMessage('Profile heat is on; open a profile (Incident Workbench: Open Profile…) to see hot lines in the editor.');
    else vscode.window.setStatusBarMessage(next ? '$(flame) Profile heat on' : 'Profile heat off', 3000);
    return next;
  },
};
