import * as vscode from 'vscode';
import { STACKS_VIEW_TYPE } from '../../../protocol/stacks';
import type { Command } from '../../shared/command';
import type { StacksDeps } from '../deps';

/** A dump file from an argument: a Uri, a workspace-relative path, or a tree/explorer node. */
function uriFrom(deps: StacksDeps, arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return deps.repository.uri(arg) ?? vscode.Uri.file(arg);
  if (arg && typeof arg === 'object') {
    const o = arg as { resourceUri?: unknown; kind?: unknown; entry?: { id?: unknown }; item?: { path?: unknown } };
    if (o.resourceUri instanceof vscode.Uri) return o.resourceUri;
    if (o.kind === 'evidence' && typeof o.entry?.id === 'string' && typeof o.item?.path === 'string') {
      const store = deps.repository.store();
      return store ? deps.repository.uri(`${store.root}/${o.entry.id}/${o.item.path}`) : undefined;
    }
  }
  return undefined;
}

/**
 * "Open Stack Dump…": a dump someone already has — py-spy dump output, a log with faulthandler blocks, a
 * sys._current_frames() dump — in the stack view.
 */
export const openStackDump: Command<StacksDeps> = {
  id: 'incidentWorkbench.openStackDump',
  async run(deps, arg?: unknown): Promise<vscode.Uri | undefined> {
    let uri = uriFrom(deps, arg);
    if (!uri) {
      const picked = await vscode.window.showOpenDialog({
        title: 'Open Stack Dump (py-spy dump, faulthandler output or a log holding it)',
        canSelectMany: false,
        filters: { 'Stack dumps and logs': ['jsonl', 'json', 'txt', 'log', 'out', 'err'], 'All files': ['*'] },
        ...(deps.repository.folder ? { defaultUri: deps.repository.folder.uri } : {}),
      });
      uri = picked?.[0];
    }
    if (!uri) return undefined;
    await vscode.commands.executeCommand('vscode.openWith', uri, STACKS_VIEW_TYPE, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    return uri;
  },
};
