import * as vscode from 'vscode';
import { INCIDENT_OVERVIEW_VIEW_TYPE } from '../protocol/incidentOverview';
import { COMMANDS } from './commands/index';
import { IncidentDiagnostics } from './diagnostics/incidentDiagnostics';
import type { Services } from './services';
import { IncidentRepository } from './store/incidentRepository';
import { ErrorsTreeProvider } from './views/errorsTree';
import { IncidentsTreeProvider } from './views/incidentsTree';
import { IncidentOverviewPanel } from './webviews/incidentOverviewPanel';

/** Milliseconds `activate` took, for the activation benchmark (bench/activation). */
export let activationMs = 0;

/** Only registrations: nothing is read from disk until a view or command asks for it. */
export function activate(context: vscode.ExtensionContext): { activationMs: number } {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Incident Workbench', { log: true });
  const repository = new IncidentRepository();
  const incidentsTree = new IncidentsTreeProvider(repository);
  const incidentsView = vscode.window.createTreeView('incidentWorkbench.incidents', { treeDataProvider: incidentsTree, showCollapseAll: true });
  const diagnostics = new IncidentDiagnostics(repository);
  const services: Services = { context, repository, incidentsTree, incidentsView, diagnostics, log };

  context.subscriptions.push(
    log,
    repository,
    incidentsTree,
    incidentsView,
    diagnostics,
    vscode.window.registerTreeDataProvider('incidentWorkbench.errors', new ErrorsTreeProvider()),
    vscode.window.registerWebviewPanelSerializer(INCIDENT_OVERVIEW_VIEW_TYPE, IncidentOverviewPanel.serializer(services)),
    ...COMMANDS.map((c) => vscode.commands.registerCommand(c.id, (...args: unknown[]) => c.run(services, ...args))),
  );
  activationMs = performance.now() - started;
  return { activationMs };
}

export function deactivate(): void {}
