import * as vscode from 'vscode';
import type { Services } from '../services';
import type { IncidentsNode } from '../views/incidentsTree';

/**
 * The incident a command is about: from a tree node, an id string (scripts, tests, other commands), or else
 * a QuickPick. Undefined when the user cancels or there is nothing to pick.
 */
export async function incidentIdFrom(services: Services, arg: unknown, placeHolder: string): Promise<string | undefined> {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'entry' in arg) return (arg as Extract<IncidentsNode, { entry: unknown }>).entry.id;
  if (!services.repository.folder) {
    void vscode.window.showErrorMessage('Open a folder first: incidents are kept in its .incidents/ folder.');
    return undefined;
  }
  const entries = await services.repository.list();
  if (entries.length === 0) {
    const choice = await vscode.window.showInformationMessage('There are no incidents in this workspace yet.', 'New Incident');
    if (choice) await vscode.commands.executeCommand('incidentWorkbench.newIncident');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    entries.map((e) => ({
      label: e.id,
      description: e.value?.title ?? '',
      detail: e.state === 'valid' ? `${e.value?.severity} · ${e.value?.status}` : `$(warning) ${e.problems[0]?.message ?? e.state}`,
      id: e.id,
    })),
    { placeHolder, matchOnDescription: true },
  );
  return picked?.id;
}
