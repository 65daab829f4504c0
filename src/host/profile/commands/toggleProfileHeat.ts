import * as vscode from 'vscode';
import type { Command } from '../../shared/command';
import type { ProfileDeps } from '../deps';

/** Shows or hides the per-line heat of the focused profile in the editors. Returns the new state. */
export const toggleProfileHeat: Command<ProfileDeps> = {
  id: 'incidentWorkbench.toggleProfileHeat',
  async run(deps, on?: unknown): Promise<boolean> {
    const heat = deps.profiling.heat;
    const next = typeof on === 'boolean' ? on : !heat.enabled;
    await heat.setEnabled(next);
    if (next && !heat.current) void vscode.window.showInformationMessage('Profile heat is on; open a profile (Incident Workbench: Open Profile…) to see hot lines in the editor.');
    else vscode.window.setStatusBarMessage(next ? '$(flame) Profile heat on' : 'Profile heat off', 3000);
    return next;
  },
};
