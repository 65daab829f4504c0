import * as vscode from 'vscode';
import { incidentDir, INCIDENTS_FOLDER } from '../../core/store/layout';
import type { Command } from './command';
import { incidentIdFrom } from './pickIncident';

export const openIncidentFolder: Command = {
  id: 'incidentWorkbench.openIncidentFolder',
  async run(services, arg?: unknown): Promise<vscode.Uri | undefined> {
    const id = await incidentIdFrom(services, arg, 'Which incident folder?');
    if (!id) return undefined;
    const uri = services.repository.uri(incidentDir(id));
    const store = services.repository.store();
    if (!uri || !store || !(await store.ids()).includes(id)) {
      void vscode.window.showErrorMessage(`There is no folder ${INCIDENTS_FOLDER}/${id} in this workspace.`);
      return undefined;
    }
    // Reveal in the Explorer: the folder is where evidence files are dropped and reviewed.
    await vscode.commands.executeCommand('revealInExplorer', uri);
    return uri;
  },
};
