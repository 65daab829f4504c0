import * as vscode from 'vscode';
import type { Workbench } from './workbench';
import { reportError } from './reportError';

/**
 * The incident a command is about: from a tree node, an id string (scripts, tests, other commands), or else
 * a QuickPick. Undefined when the user cancels or there is nothing to pick.
 */
export async function incidentIdFrom(deps: Workbench, arg: unknown, placeHolder: string): Promise<string | undefined> {
  if (typeof arg === 'string') return arg;
  // A node of the Incidents view carries the incident's entry; the shape is enough, the tree is another feature's.
  const entryId = arg && typeof arg === 'object' && 'entry' in arg ? (arg as { entry?: { id?: unknown } }).entry?.id : undefined;
  if (typeof entryId === 'string') return entryId;
  if (!deps.repository.folder) {
    void reportError(deps.log, 'Open a folder first: incidents are kept in its .incidents/ folder.', { notify: true });
    return undefined;
  }
  const entries = await deps.repository.list();
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
