import type * as vscode from 'vscode';
import type { IncidentDiagnostics } from './diagnostics/incidentDiagnostics';
import type { IncidentRepository } from './store/incidentRepository';
import type { IncidentsNode, IncidentsTreeProvider } from './views/incidentsTree';

/** What commands and views share; built once in `activate`, passed explicitly rather than imported. */
export interface Services {
  context: vscode.ExtensionContext;
  repository: IncidentRepository;
  incidentsTree: IncidentsTreeProvider;
  incidentsView: vscode.TreeView<IncidentsNode>;
  diagnostics: IncidentDiagnostics;
  log: vscode.LogOutputChannel;
}
