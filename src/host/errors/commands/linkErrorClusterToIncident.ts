import * as vscode from 'vscode';
import { linkCluster } from '../../../core/triage/triage';
import { errorMessage } from '../../../core/util/errors';
import type { Command } from '../../shared/command';
import { incidentIdFrom } from '../../shared/pickIncident';
import { reportError } from '../../shared/reportError';
import type { ErrorsDeps } from '../deps';
import { triageTarget } from '../triageTarget';

/**
 * Link to Incident: records in `.incidents/triage.json` that the cluster belongs to an incident (the active
 * one, the one given, or one picked), so everyone who loads the logs sees it.
 */
export const linkErrorClusterToIncident: Command<ErrorsDeps> = {
  id: 'incidentWorkbench.linkErrorClusterToIncident',
  async run(deps, arg?: unknown, incidentArg?: unknown): Promise<string | undefined> {
    const cluster = await triageTarget(deps, arg);
    if (!cluster) return undefined;
    const id = typeof incidentArg === 'string' ? incidentArg : (deps.activeIncident.id ?? (await incidentIdFrom(deps, undefined, `Link the ${cluster.exceptionType || 'error'} cluster to which incident?`)));
    if (!id) return undefined;
    try {
      await deps.writer.changeTriage((t, actor) => linkCluster(t, cluster, id, actor));
      await deps.errors.state.applyTriageFile();
      void vscode.window.setStatusBarMessage(`Linked cluster ${cluster.id} to ${id} in .incidents/triage.json`, 4000);
      return id;
    } catch (e) {
      void reportError(deps.log, `Could not record the triage: ${errorMessage(e)}`, { notify: true, cause: e });
      return undefined;
    }
  },
};
