import * as vscode from 'vscode';
import type { ClusterSummary } from '../../../core/errors/analyzer';
import { clusterTitle } from '../../../core/errors/report';
import { ClusterDetailsPanel } from '../clusterDetailsPanel';
import type { ErrorsDeps } from '../deps';
import type { ErrorsNode } from '../errorsTree';
import type { Command } from '../../shared/command';

/** The cluster a command is about: a tree node, an id or fingerprint, or a pick among the loaded ones. */
export async function clusterFrom(deps: ErrorsDeps, arg: ErrorsNode | string | undefined): Promise<ClusterSummary | undefined> {
  const state = deps.errors.state;
  if (typeof arg === 'string') return state.cluster(arg);
  if (arg && typeof arg === 'object' && 'cluster' in arg) return arg.cluster;
  const clusters = state.report?.clusters ?? [];
  if (clusters.length === 0) {
    const choice = await vscode.window.showInformationMessage('No error clusters loaded.', 'Load Logs…');
    if (choice) await vscode.commands.executeCommand('incidentWorkbench.loadLogs');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    clusters.map((c) => ({ label: clusterTitle(c), description: `${c.count} events · ${c.category}`, detail: c.id, cluster: c })),
    { placeHolder: 'Which error cluster?', matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.cluster;
}

/** Opens the cluster's details (histogram, breakdowns, samples) and selects it in the Errors view. */
export const showErrorClusterDetails: Command<ErrorsDeps> = {
  id: 'incidentWorkbench.showErrorClusterDetails',
  async run(deps, arg?: unknown): Promise<string | undefined> {
    const cluster = await clusterFrom(deps, arg as ErrorsNode | string | undefined);
    if (!cluster) return undefined;
    ClusterDetailsPanel.show(deps, cluster.fingerprint);
    await deps.errors.reveal(cluster.fingerprint).catch(() => false);
    return cluster.id;
  },
};
