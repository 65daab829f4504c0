import * as vscode from 'vscode';
import { addClusterToIncident, type ClusterEvidence } from '../errors/evidence';
import { resolveReporter } from '../identity';
import type { ErrorsNode } from '../views/errorsTree';
import type { Command } from './command';
import { incidentIdFrom } from './pickIncident';
import { clusterFrom } from './showErrorClusterDetails';

/**
 * Add Cluster to Incident: the cluster (tree node, id or pick) becomes evidence of the active incident, or of
 * the incident given as second argument, or of one picked from the list.
 */
export const addErrorClusterToIncident: Command = {
  id: 'incidentWorkbench.addErrorClusterToIncident',
  async run(services, arg?: unknown, incidentArg?: unknown): Promise<ClusterEvidence | undefined> {
    const cluster = await clusterFrom(services, arg as ErrorsNode | string | undefined);
    if (!cluster) return undefined;
    const active = (services as unknown as { activeIncident?: { id?: string } }).activeIncident?.id;
    const id = typeof incidentArg === 'string' ? incidentArg : (active ?? (await incidentIdFrom(services, undefined, `Add the ${cluster.exceptionType || 'error'} cluster to which incident?`)));
    if (!id) return undefined;
    try {
      const result = await addClusterToIncident(services.repository, id, cluster, {
        sources: services.errors.model.sources.map((s) => services.errors.model.label(s)),
        actor: await resolveReporter(services.repository.folder),
      });
      void vscode.window.showInformationMessage(`Added cluster ${cluster.id} (${cluster.count} events) to ${id} as ${result.path}.`);
      return result;
    } catch (e) {
      void vscode.window.showErrorMessage(`Could not add the cluster to ${id}: ${(e as Error).message}`);
      return undefined;
    }
  },
};
