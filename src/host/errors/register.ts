import * as vscode from 'vscode';
import { ERROR_DETAILS_VIEW_TYPE } from '../../protocol/errorDetails';
import { registerCommands } from '../shared/command';
import type { Workbench } from '../shared/workbench';
import { ClusterDetailsPanel } from './clusterDetailsPanel';
import { addErrorClusterToIncident } from './commands/addErrorClusterToIncident';
import { clearErrorClustersFilter } from './commands/clearErrorClustersFilter';
import { copyErrorFingerprint } from './commands/copyErrorFingerprint';
import { filterErrorClusters } from './commands/filterErrorClusters';
import { loadLogs } from './commands/loadLogs';
import { openErrorFrame } from './commands/openErrorFrame';
import { reloadLogs } from './commands/reloadLogs';
import { setLogStoreHeaders } from './commands/setLogStoreHeaders';
import { showErrorClusterDetails } from './commands/showErrorClusterDetails';
import { filterErrorClustersByRelease } from './commands/filterErrorClustersByRelease';
import { ignoreErrorCluster } from './commands/ignoreErrorCluster';
import { linkErrorClusterToIncident } from './commands/linkErrorClusterToIncident';
import { reopenErrorCluster } from './commands/reopenErrorCluster';
import { resolveErrorCluster } from './commands/resolveErrorCluster';
import type { ErrorsDeps } from './deps';
import { ErrorsFeature } from './errorsFeature';

export const ERRORS_COMMANDS = [
  loadLogs,
  reloadLogs,
  filterErrorClusters,
  clearErrorClustersFilter,
  openErrorFrame,
  showErrorClusterDetails,
  addErrorClusterToIncident,
  copyErrorFingerprint,
  filterErrorClustersByRelease,
  resolveErrorCluster,
  ignoreErrorCluster,
  reopenErrorCluster,
  linkErrorClusterToIncident,
  setLogStoreHeaders,
];

/** Error clusters from production logs: the Errors view, code lenses, the cluster details panel. */
export function registerErrors(workbench: Workbench): vscode.Disposable[] {
  const errors = new ErrorsFeature(workbench.workspaceState, workbench.log, workbench.repository, workbench.extensionUri);
  const deps: ErrorsDeps = { ...workbench, errors };
  const disposables = [errors, vscode.window.registerWebviewPanelSerializer(ERROR_DETAILS_VIEW_TYPE, ClusterDetailsPanel.serializer(deps)), ...registerCommands(ERRORS_COMMANDS, deps)];
  if (workbench.extensionMode === vscode.ExtensionMode.Test) {
    // What the Errors view shows for each cluster (status, triage, badge), for the integration tests.
    disposables.push(
      vscode.commands.registerCommand('incidentWorkbench._errorClusters', async () =>
        Promise.all(
          errors.state.visibleClusters().map(async (c) => {
            const node = { kind: 'cluster' as const, cluster: c, ...(errors.state.report ? { releases: errors.state.report.releases } : {}) };
            const item = await errors.tree.getTreeItem(node);
            const decoration = item.resourceUri ? errors.tree.provideFileDecoration(item.resourceUri) : undefined;
            return { id: c.id, exceptionType: c.exceptionType, status: c.status, triage: c.triage, badge: decoration?.badge, node };
          }),
        ),
      ),
    );
  }
  return disposables;
}
