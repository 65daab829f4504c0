import * as vscode from 'vscode';
import { FLAMEGRAPH_VIEW_TYPE } from '../../../protocol/flamegraph';
import type { ProfileDeps } from '../deps';
import type { Command } from '../../shared/command';

/** A profile file from a command argument: a Uri, a workspace-relative path, or a tree node with a resourceUri. */
export function profileUriFrom(deps: ProfileDeps, arg: unknown): vscode.Uri | undefined {
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

export const PROFILE_FILTERS = { 'Profiles (py-spy, cProfile, pyinstrument, scalene, austin, speedscope, torch)': ['json', 'raw', 'txt', 'collapsed', 'folded', 'pyspy', 'trace', 'prof', 'pstats', 'pyisession', 'austin', 'gz'], 'All files': ['*'] };

export const openProfile: Command<ProfileDeps> = {
  id: 'incidentWorkbench.openProfile',
  async run(deps, arg?: unknown): Promise<vscode.Uri | undefined> {
    let uri = profileUriFrom(deps, arg);
    if (!uri) {
      const picked = await vscode.window.showOpenDialog({ title: 'Open Profile', canSelectMany: false, filters: PROFILE_FILTERS, ...(deps.repository.folder ? { defaultUri: deps.repository.folder.uri } : {}) });
      uri = picked?.[0];
    }
    if (!uri) return undefined;
    await vscode.commands.executeCommand('vscode.openWith', uri, FLAMEGRAPH_VIEW_TYPE, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    return uri;
  },
};
