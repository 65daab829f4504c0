import * as vscode from 'vscode';
import { MEMORY_VIEW_TYPE } from '../../../protocol/memory';
import type { Command } from '../../shared/command';
import type { MemoryDeps } from '../deps';

/** A capture file from a command argument: a Uri, a workspace-relative path, or a tree node with a resourceUri. */
export function captureUriFrom(deps: MemoryDeps, arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return deps.repository.uri(arg) ?? vscode.Uri.file(arg);
  if (arg && typeof arg === 'object') {
    const o = arg as { resourceUri?: unknown; uri?: unknown; kind?: unknown; entry?: { id?: unknown }; item?: { path?: unknown } };
    if (o.resourceUri instanceof vscode.Uri) return o.resourceUri;
    if (o.uri instanceof vscode.Uri) return o.uri;
    // An evidence item of the Incidents tree: its path is relative to the incident folder.
    if (o.kind === 'evidence' && typeof o.entry?.id === 'string' && typeof o.item?.path === 'string') {
      const store = deps.repository.store();
      return store ? deps.repository.uri(`${store.root}/${o.entry.id}/${o.item.path}`) : undefined;
    }
  }
  return undefined;
}

export const MEMORY_FILTERS = { 'Memory captures (memray, tracemalloc, memory_profiler, mprof)': ['bin', 'tracemalloc', 'pickle', 'snapshot', 'dat', 'txt'], 'All files': ['*'] };
/** Files worth offering in the pickers. */
export const MEMORY_GLOB = '{**/*.memray.bin,**/memray-*.bin,**/evidence/memory/**,**/*.tracemalloc,**/mprofile_*.dat,**/*.mprof.dat,**/*.memory_profiler.txt}';

export const openMemoryCapture: Command<MemoryDeps> = {
  id: 'incidentWorkbench.openMemoryCapture',
  async run(deps, arg?: unknown): Promise<vscode.Uri | undefined> {
    let uri = captureUriFrom(deps, arg);
    if (!uri) {
      const picked = await vscode.window.showOpenDialog({ title: 'Open Memory Capture', canSelectMany: false, filters: MEMORY_FILTERS, ...(deps.repository.folder ? { defaultUri: deps.repository.folder.uri } : {}) });
      uri = picked?.[0];
    }
    if (!uri) return undefined;
    await vscode.commands.executeCommand('vscode.openWith', uri, MEMORY_VIEW_TYPE, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    return uri;
  },
};
