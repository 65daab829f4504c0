import * as vscode from 'vscode';
import { incidentFile } from '../../../core/store/layout';
import type { IncidentsNode } from '../incidentsTree';
import type { Command } from '../../shared/command';
import type { IncidentDeps } from '../deps';
import { incidentIdFrom } from '../../shared/pickIncident';
import { errorMessage } from '../../../core/util/errors';
import { reportError } from '../../shared/reportError';

/** Opens incident.json, at a problem's position when given one (a tree problem node or line/column args). */
export const openIncidentFile: Command<IncidentDeps> = {
  id: 'incidentWorkbench.openIncidentFile',
  async run(deps, arg?: unknown, line?: unknown, column?: unknown): Promise<vscode.TextEditor | undefined> {
    const id = await incidentIdFrom(deps, arg, 'Open which incident?');
    if (!id) return undefined;
    const uri = deps.repository.uri(incidentFile(id));
    if (!uri) return undefined;
    let position: vscode.Position | undefined;
    const node = arg as IncidentsNode | undefined;
    if (node && typeof node === 'object' && node.kind === 'problem') position = new vscode.Position(node.problem.line - 1, node.problem.column - 1);
    else if (typeof line === 'number') position = new vscode.Position(Math.max(0, line - 1), typeof column === 'number' ? Math.max(0, column - 1) : 0);
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      return await vscode.window.showTextDocument(document, position ? { selection: new vscode.Range(position, position) } : {});
    } catch (e) {
      void reportError(deps.log, `Cannot open ${vscode.workspace.asRelativePath(uri)}: ${errorMessage(e)}`, { notify: true, cause: e });
      return undefined;
    }
  },
};
