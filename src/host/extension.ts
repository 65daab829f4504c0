import * as vscode from 'vscode';
import { ERROR_DETAILS_VIEW_TYPE } from '../protocol/errorDetails';
import { INCIDENT_OVERVIEW_VIEW_TYPE } from '../protocol/incidentOverview';
import { COMMANDS } from './commands/index';
import { AbTestEditorProvider } from './decisions/abtestView';
import { IncidentDiagnostics } from './diagnostics/incidentDiagnostics';
import { ClusterDetailsPanel } from './errors/clusterDetailsPanel';
import { ErrorsFeature } from './errors/errorsFeature';
import { ActiveIncident } from './incident/activeIncident';
import { PostmortemDiagnostics } from './postmortem/postmortemDiagnostics';
import { PostmortemEditorProvider } from './postmortem/postmortemEditor';
import { TraceWaterfallProvider } from './traces/waterfallEditor';
import { Profiling } from './profile/profiling';
import { PY_SPY_TASK_TYPE, PySpyTaskProvider } from './profile/pySpyTask';
import type { Services } from './services';
import { LoggingCodeActions } from './logging/codeActions';
import { LoggingHealth } from './logging/loggingHealth';
import { LoggingLinter } from './logging/loggingLinter';
import { IncidentRepository } from './store/incidentRepository';
import { ActionItemsTreeProvider } from './views/actionItemsTree';
import { IncidentsTreeProvider, type IncidentsNode } from './views/incidentsTree';
import { IncidentOverviewPanel } from './webviews/incidentOverviewPanel';

/** What activation cost, for bench/activation and the integration tests. */
export interface ActivationTiming {
  /** Evaluating the bundle: from the esbuild banner to its footer. */
  loadMs: number;
  /** The body of `activate`. */
  activationMs: number;
}

/** Only registrations: nothing is read from disk until a view or command asks for it. */
export function activate(context: vscode.ExtensionContext): ActivationTiming {
  const started = performance.now();
  const marks = globalThis as { __iwbLoadStart?: number; __iwbLoadEnd?: number };
  const log = vscode.window.createOutputChannel('Incident Workbench', { log: true });
  const repository = new IncidentRepository();
  const activeIncident = new ActiveIncident(context.workspaceState, repository);
  const incidentsTree = new IncidentsTreeProvider(repository, () => activeIncident.id, activeIncident.onDidChange);
  // Several items can be selected (two profiles for Compare Profiles): context-menu commands then get
  // (clickedNode, selectedNodes[]) and act on the clicked node unless they compare.
  const incidentsView = vscode.window.createTreeView('incidentWorkbench.incidents', { treeDataProvider: incidentsTree, showCollapseAll: true, canSelectMany: true });
  const diagnostics = new IncidentDiagnostics(repository);
  const actionItemsTree = new ActionItemsTreeProvider(repository);
  const actionItemsView = vscode.window.createTreeView('incidentWorkbench.actionItems', { treeDataProvider: actionItemsTree });
  actionItemsTree.attach(actionItemsView);
  const logging = new LoggingLinter(context.extensionUri, log);
  const loggingHealth = new LoggingHealth(logging);
  incidentsTree.setLoggingHealth(loggingHealth);
  const errors = new ErrorsFeature(context);
  const traces = new TraceWaterfallProvider(() => services);
  const profiling = new Profiling(context, log);
  const services: Services = { context, repository, incidentsTree, incidentsView, diagnostics, log, errors, logging, activeIncident, actionItemsTree, traces, profiling };

  context.subscriptions.push(
    log,
    repository,
    incidentsTree,
    incidentsView,
    diagnostics,
    activeIncident,
    actionItemsTree,
    actionItemsView,
    TraceWaterfallProvider.register(traces),
    new PostmortemDiagnostics(),
    PostmortemEditorProvider.register(services),
    errors,
    vscode.window.registerWebviewPanelSerializer(ERROR_DETAILS_VIEW_TYPE, ClusterDetailsPanel.serializer(services)),
    vscode.window.registerWebviewPanelSerializer(INCIDENT_OVERVIEW_VIEW_TYPE, IncidentOverviewPanel.serializer(services)),
    AbTestEditorProvider.register(services),
    logging,
    loggingHealth,
    vscode.languages.registerCodeActionsProvider({ language: 'python' }, new LoggingCodeActions(logging), { providedCodeActionKinds: LoggingCodeActions.kinds }),
    profiling,
    vscode.tasks.registerTaskProvider(PY_SPY_TASK_TYPE, new PySpyTaskProvider(services)),
    // For tests: the nodes the Incidents tree lists under a node (the roots without one), the same objects its
    // context-menu commands receive.
    vscode.commands.registerCommand('incidentWorkbench._incidentsTreeChildren', (node?: IncidentsNode) => incidentsTree.getChildren(node)),
    ...COMMANDS.map((c) => vscode.commands.registerCommand(c.id, (...args: unknown[]) => c.run(services, ...args))),
  );
  return { loadMs: marks.__iwbLoadStart === undefined || marks.__iwbLoadEnd === undefined ? 0 : marks.__iwbLoadEnd - marks.__iwbLoadStart, activationMs: performance.now() - started };
}

export function deactivate(): void {}
