import * as vscode from 'vscode';
import { INCIDENT_OVERVIEW_VIEW_TYPE } from '../../protocol/incidentOverview';
import { registerCommands } from '../shared/command';
import type { TreeSection } from '../shared/treeSection';
import type { Workbench } from '../shared/workbench';
import { addHypothesis } from './commands/addHypothesis';
import { addPreventionMeasure } from './commands/addPreventionMeasure';
import { addReproductionStep } from './commands/addReproductionStep';
import { attachEvidence } from './commands/attachEvidence';
import { changeSeverity } from './commands/changeSeverity';
import { changeStatus } from './commands/changeStatus';
import { closeIncident } from './commands/closeIncident';
import { newIncident } from './commands/newIncident';
import { openIncidentFile } from './commands/openIncidentFile';
import { openIncidentFolder } from './commands/openIncidentFolder';
import { recordFix } from './commands/recordFix';
import { recordHypothesisVerification } from './commands/recordHypothesisVerification';
import { recordReproductionAttempt } from './commands/recordReproductionAttempt';
import { refreshIncidents } from './commands/refreshIncidents';
import { setActiveIncident } from './commands/setActiveIncident';
import { setRootCause } from './commands/setRootCause';
import { showIncident } from './commands/showIncident';
import { validateIncidentFiles } from './commands/validateIncidentFiles';
import { verifyFix } from './commands/verifyFix';
import type { IncidentDeps } from './deps';
import { IncidentDiagnostics } from './incidentDiagnostics';
import { IncidentOverviewPanel } from './incidentOverviewPanel';
import { IncidentsTreeProvider, type IncidentsNode } from './incidentsTree';

export const INCIDENT_COMMANDS = [
  newIncident,
  openIncidentFolder,
  openIncidentFile,
  validateIncidentFiles,
  refreshIncidents,
  showIncident,
  addReproductionStep,
  recordReproductionAttempt,
  attachEvidence,
  addHypothesis,
  recordHypothesisVerification,
  setRootCause,
  recordFix,
  verifyFix,
  addPreventionMeasure,
  setActiveIncident,
  changeSeverity,
  changeStatus,
  closeIncident,
];

/** The Incidents view (the method's stages per incident), the overview panel, validation and the step commands. */
export function registerIncident(workbench: Workbench, sections: readonly TreeSection<unknown>[]): vscode.Disposable[] {
  const incidentsTree = new IncidentsTreeProvider(workbench.repository, () => workbench.activeIncident.id, workbench.activeIncident.onDidChange);
  for (const s of sections) incidentsTree.addSection(s);
  // Several items can be selected (two profiles for Compare Profiles): context-menu commands then get
  // (clickedNode, selectedNodes[]) and act on the clicked node unless they compare.
  const incidentsView = vscode.window.createTreeView('incidentWorkbench.incidents', { treeDataProvider: incidentsTree, showCollapseAll: true, canSelectMany: true });
  const diagnostics = new IncidentDiagnostics(workbench.repository);
  const deps: IncidentDeps = { ...workbench, incidentsTree, incidentsView, diagnostics };
  const disposables: vscode.Disposable[] = [
    incidentsTree,
    incidentsView,
    diagnostics,
    vscode.window.registerWebviewPanelSerializer(INCIDENT_OVERVIEW_VIEW_TYPE, IncidentOverviewPanel.serializer(deps)),
    ...registerCommands(INCIDENT_COMMANDS, deps),
  ];
  if (workbench.extensionMode === vscode.ExtensionMode.Test) {
    // The nodes the Incidents tree lists under a node (the roots without one): the same objects its
    // context-menu commands receive, so integration tests can run those commands as a click would.
    disposables.push(vscode.commands.registerCommand('incidentWorkbench._incidentsTreeChildren', (node?: IncidentsNode) => incidentsTree.getChildren(node)));
  }
  return disposables;
}
