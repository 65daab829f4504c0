import type * as vscode from 'vscode';
import type { IncidentDiagnostics } from './diagnostics/incidentDiagnostics';
import type { ErrorsFeature } from './errors/errorsFeature';
import type { LoggingLinter } from './logging/loggingLinter';
import type { ActiveIncident } from './incident/activeIncident';
import type { Profiling } from './profile/profiling';
import type { IncidentRepository } from './store/incidentRepository';
import type { ActionItemsTreeProvider } from './views/actionItemsTree';
import type { TraceWaterfallProvider } from './traces/waterfallEditor';
import type { IncidentsNode, IncidentsTreeProvider } from './views/incidentsTree';

/** What commands and views share; built once in `activate`, passed explicitly rather than imported. */
export interface Services {
  context: vscode.ExtensionContext;
  repository: IncidentRepository;
  incidentsTree: IncidentsTreeProvider;
  incidentsView: vscode.TreeView<IncidentsNode>;
  diagnostics: IncidentDiagnostics;
  log: vscode.LogOutputChannel;
  /** Error clusters from production logs: model, Errors view, code lenses (src/host/errors/). */
  errors: ErrorsFeature;
  /** Logging linter: diagnostics as you type, workspace scan, Logging health summary (src/host/logging/). */
  logging: LoggingLinter;
  /** The incident being worked on (status bar): `activeIncident.id`, `set(id)`, `onDidChange`. Other features attach evidence there. */
  activeIncident: ActiveIncident;
  actionItemsTree: ActionItemsTreeProvider;
  /** Trace waterfall custom editor (src/host/traces/): `traces.active` is the focused waterfall. */
  traces: TraceWaterfallProvider;
  /** Profiling: path resolution, source heat, the flamegraph editor (src/host/profile/). */
  profiling: Profiling;
}
