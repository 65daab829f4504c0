import * as vscode from 'vscode';
import { addClusterToIncident, type ClusterEvidence } from '../evidence';
import type { ErrorsNode } from '../errorsTree';
import type { Command } from '../../shared/command';
import type { ErrorsDeps } from '../deps';
import { incidentIdFrom } from '../../shared/pickIncident';
import { clusterFrom } from './showErrorClusterDetails';
import { errorMessage } from '../../../core/util/errors';
import { reportError } from '../../shared/reportError';

/**
 * Add Cluster to Incident: the cluster (tree node, id or pick) becomes evidence of the active incident, or of
 * the incident given as second argument, or of one picked from the list.
 */
export const addErrorClusterToIncident: Command<ErrorsDeps> = {
  id: 'incidentWorkbench.addErrorClusterToIncident',
  async run(deps, arg?: unknown, incidentArg?: unknown): Promise<ClusterEvidence | undefined> {
    const cluster = await clusterFrom(deps, arg as ErrorsNode | string | undefined);
    if (!cluster) return undefined;
    const active = deps.activeIncident.id;
    const id = typeof incidentArg === 'string' ? incidentArg : (active ?? (await incidentIdFrom(deps, undefined, `Add the ${cluster.exceptionType || 'error'} cluster to which incident?`)));
    if (!id) return undefined;
    try {
      const result = await addClusterToIncident(deps.writer, id, cluster, { sources: deps.errors.state.sources.map((s) => deps.errors.state.label(s)) });
      void vscode.window.showInformationMessage(`Added cluster ${cluster.id} (${cluster.count} events) to ${id} as ${result.path}.`);
      return result;
    } catch (e) {
      void reportError(deps.log, `Could not add the cluster to ${id}: ${errorMessage(e)}`, { notify: true, cause: e });
      return undefined;
    }
  },
};
