import * as vscode from 'vscode';
import { incidentDir, INCIDENTS_FOLDER } from '../../../core/store/layout';
import type { Command } from '../../shared/command';
import type { IncidentDeps } from '../deps';
import { incidentIdFrom } from '../../shared/pickIncident';
import { reportError } from '../../shared/reportError';

export const openIncidentFolder: Command<IncidentDeps> = {
  id: 'incidentWorkbench.openIncidentFolder',
  async run(deps, arg?: unknown): Promise<vscode.Uri | undefined> {
    const id = await incidentIdFrom(deps, arg, 'Which incident folder?');
    if (!id) return undefined;
    const uri = deps.repository.uri(incidentDir(id));
    const store = deps.repository.store();
    if (!uri || !store || !(await store.ids()).includes(id)) {
      void reportError(deps.log, `There is no folder ${INCIDENTS_FOLDER}/${id} in this workspace.`, { notify: true });
      return undefined;
    }
    // Reveal in the Explorer: the folder is where evidence files are dropped and reviewed.
    await vscode.commands.executeCommand('revealInExplorer', uri);
    return uri;
  },
};
