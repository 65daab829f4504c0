import type * as vscode from 'vscode';
import type { Workbench } from '../shared/workbench';
import type { IncidentDiagnostics } from './incidentDiagnostics';
import type { IncidentsNode, IncidentsTreeProvider } from './incidentsTree';

/** What the incident commands and the overview panel use: the shared workbench plus the Incidents view. */
export interface IncidentDeps extends Workbench {
  readonly incidentsTree: IncidentsTreeProvider;
  readonly incidentsView: vscode.TreeView<IncidentsNode>;
  readonly diagnostics: IncidentDiagnostics;
}
