import * as vscode from 'vscode';
import type { Command } from '../../shared/command';
import type { ProfileDeps } from '../deps';
import { LAST_TARGET_KEY, profilePythonProcess, type ProfileArgs } from './profilePythonProcess';

/** Profiles the last target again (file, launch configuration, test or process) with the same options. */
export const rerunLastProfile: Command<ProfileDeps> = {
  id: 'incidentWorkbench.rerunLastProfile',
  async run(deps): Promise<unknown> {
    const last = deps.workspaceState.get<ProfileArgs>(LAST_TARGET_KEY);
    if (!last || (last.pid === undefined && !last.program)) {
      const choice = await vscode.window.showInformationMessage('Nothing was profiled in this workspace yet.', 'Profile Active File', 'Profile Launch Configuration…');
      if (choice === 'Profile Active File') return vscode.commands.executeCommand('incidentWorkbench.profileActiveFile');
      if (choice) return vscode.commands.executeCommand('incidentWorkbench.profileLaunchConfiguration');
      return undefined;
    }
    return profilePythonProcess.run(deps, last);
  },
};
