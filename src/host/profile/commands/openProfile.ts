import * as vscode from 'vscode';
import { FLAMEGRAPH_VIEW_TYPE } from '../../protocol/flamegraph';
import type { Services } from '../services';
import type { Command } from './command';

/** A profile file from a command argument: a Uri, a workspace-relative path, or a tree node with a resourceUri. */
export function profileUriFrom(services: Services, arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return services.repository.uri(arg) ?? vscode.Uri.file(arg);
  if (arg && typeof arg === 'object') {
    const o = arg as { resourceUri?: unknown; uri?: unknown; kind?: unknown; entry?: { id?: unknown }; item?: { path?: unknown } };
    if (o.resourceUri instanceof vscode.Uri) return o.resourceUri;
    if (o.uri instanceof vscode.Uri) return o.uri;
    // An evidence item of the Incidents tree: its path is relative to the incident folder.
    if (o.kind === 'evidence' && typeof o.entry?.id === 'string' && typeof o.item?.path === 'string') {
      const store = services.repository.store();
      return store ? services.repository.uri(`${store.root}/${o.entry.id}/${o.item.path}`) : undefined;
    }
  }
  return undefined;
}

export const PROFILE_FILTERS = { 'Profiles (speedscope, py-spy raw, Chrome trace)': ['json', 'raw', 'txt', 'collapsed', 'folded', 'pyspy', 'trace'], 'All files': ['*'] };

export const openProfile: Command = {
  id: 'incidentWorkbench.openProfile',
  async run(services, arg?: unknown): Promise<vscode.Uri | undefined> {
    let uri = profileUriFrom(services, arg);
    if (!uri) {
      const picked = await vscode.window.showOpenDialog({ title: 'Open Profile', canSelectMany: false, filters: PROFILE_FILTERS, ...(services.repository.folder ? { defaultUri: services.repository.folder.uri } : {}) });
      uri = picked?.[0];
    }
    if (!uri) return undefined;
    await vscode.commands.executeCommand('vscode.openWith', uri, FLAMEGRAPH_VIEW_TYPE, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    return uri;
  },
};
