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
import type { ErrorsDeps } from './deps';
import { ErrorsFeature } from './errorsFeature';

export const ERRORS_COMMANDS = [loadLogs, reloadLogs, filterErrorClusters, clearErrorClustersFilter, openErrorFrame, showErrorClusterDetails, addErrorClusterToIncident, copyErrorFingerprint, setLogStoreHeaders];

/** Error clusters from production logs: the Errors view, code lenses, the cluster details panel. */
export function registerErrors(workbench: Workbench): vscode.Disposable[] {
  const errors = new ErrorsFeature(workbench.workspaceState, workbench.log);
  const deps: ErrorsDeps = { ...workbench, errors };
  return [errors, vscode.window.registerWebviewPanelSerializer(ERROR_DETAILS_VIEW_TYPE, ClusterDetailsPanel.serializer(deps)), ...registerCommands(ERRORS_COMMANDS, deps)];
}
