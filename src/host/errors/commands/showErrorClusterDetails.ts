import * as vscode from 'vscode';
import type { ClusterSummary } from '../../core/errors/analyzer';
import { ClusterDetailsPanel } from '../errors/clusterDetailsPanel';
import type { Services } from '../services';
import { clusterTitle, type ErrorsNode } from '../views/errorsTree';
import type { Command } from './command';

/** The cluster a command is about: a tree node, an id or fingerprint, or a pick among the loaded ones. */
export async function clusterFrom(services: Services, arg: ErrorsNode | string | undefined): Promise<ClusterSummary | undefined> {
  const model = services.errors.model;
  if (typeof arg === 'string') return model.cluster(arg);
  if (arg && typeof arg === 'object' && 'cluster' in arg) return arg.cluster;
  const clusters = model.report?.clusters ?? [];
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
export const showErrorClusterDetails: Command = {
  id: 'incidentWorkbench.showErrorClusterDetails',
  async run(services, arg?: unknown): Promise<string | undefined> {
    const cluster = await clusterFrom(services, arg as ErrorsNode | string | undefined);
    if (!cluster) return undefined;
    ClusterDetailsPanel.show(services, cluster.fingerprint);
    await services.errors.reveal(cluster.fingerprint).catch(() => false);
    return cluster.id;
  },
};
