import * as vscode from 'vscode';
import { registerChanges } from './changes/register';
import { registerDecisions } from './decisions/register';
import { registerErrors } from './errors/register';
import { registerIncident } from './incident/register';
import { registerLogging } from './logging/register';
import { registerMemory } from './memory/register';
import { registerPatterns } from './patterns/register';
import { registerPostmortem } from './postmortem/register';
import { registerProfile } from './profile/register';
import { registerStacks } from './stacks/register';
import { ActiveIncident } from './shared/activeIncident';
import { EditorHeat } from './shared/editorHeat';
import { IncidentRepository } from './shared/incidentRepository';
import { HostIncidentWriter } from './shared/incidentWriter';
import type { Workbench } from './shared/workbench';
import { registerTraceSearch } from './traceSearch/register';
import { registerTraces } from './traces/register';

/** What activation cost, for bench/activation and the integration tests. */
export interface ActivationTiming {
  /** Evaluating the bundle: from the esbuild banner to its footer. */
  loadMs: number;
  /** The body of `activate`. */
  activationMs: number;
}

/**
 * Only registrations: nothing is read from disk until a view or command asks for it. Each feature folder
 * registers its own views, editors and commands with what it needs; features never import each other.
 */
export function activate(context: vscode.ExtensionContext): ActivationTiming {
  const started = performance.now();
  const marks = globalThis as { __iwbLoadStart?: number; __iwbLoadEnd?: number };
  const log = vscode.window.createOutputChannel('Incident Workbench', { log: true });
  const repository = new IncidentRepository();
  const activeIncident = new ActiveIncident(context.workspaceState, repository);
  const workbench: Workbench = { extensionUri: context.extensionUri, workspaceState: context.workspaceState, extensionMode: context.extensionMode, log, repository, activeIncident, writer: new HostIncidentWriter(repository, log), secrets: context.secrets, storageUri: context.globalStorageUri, heat: new EditorHeat(context.workspaceState) };
  const logging = registerLogging(workbench);
  context.subscriptions.push(
    log,
    repository,
    activeIncident,
    workbench.heat,
    ...registerIncident(workbench, [logging.health]),
    ...registerPostmortem(workbench),
    ...registerErrors(workbench),
    ...registerPatterns(workbench),
    ...logging.disposables,
    ...registerTraces(workbench),
    ...registerTraceSearch(workbench),
    ...registerProfile(workbench),
    ...registerMemory(workbench),
    ...registerStacks(workbench),
    ...registerDecisions(workbench),
    ...registerChanges(workbench),
  );
  return { loadMs: marks.__iwbLoadStart === undefined || marks.__iwbLoadEnd === undefined ? 0 : marks.__iwbLoadEnd - marks.__iwbLoadStart, activationMs: performance.now() - started };
}

export function deactivate(): void {}
