import * as vscode from 'vscode';
import type { Command } from '../../shared/command';
import { lastProfile } from '../../shared/lastProfile';
import type { ProfileDeps } from '../deps';

/** Profiles the last target again (file, launch configuration, test or process; py-spy or memray) with the same options. */
export const rerunLastProfile: Command<ProfileDeps> = {
  id: 'incidentWorkbench.rerunLastProfile',
  async run(deps): Promise<unknown> {
    const last = lastProfile(deps.workspaceState);
    if (!last) {
      const choice = await vscode.window.showInformationMessage('Nothing was profiled in this workspace yet.', 'Profile Active File', 'Profile Launch Configuration…');
      if (choice === 'Profile Active File') return vscode.commands.executeCommand('incidentWorkbench.profileActiveFile');
      if (choice) return vscode.commands.executeCommand('incidentWorkbench.profileLaunchConfiguration');
      return undefined;
    }
    // Through the command, not the feature's code: memray's command belongs to the memory feature.
    return vscode.commands.executeCommand(last.command, last.args);
  },
};
