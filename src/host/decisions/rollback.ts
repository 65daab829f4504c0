import * as vscode from 'vscode';
import { decideRollback, parseMetricsWindow, parseThresholds, resolvePrometheus, type MetricsWindow, type PrometheusAccess, type RollbackReport } from '../../core/rollback';
import { prometheusAccess } from './prometheusConsent';
import type { RollbackSnapshot } from '../../protocol/rollback';
import { toRollbackSnapshot } from '../../presenters/rollback';
import { targetIncident } from '../shared/sessionStep';
import type { Workbench } from '../shared/workbench';
import { evidenceStamp } from '../../core/incident/writer';
import { decisionSettings, readText } from './settings';
import { errorMessage } from '../../core/util/errors';
import { reportError } from '../shared/reportError';

export interface Judgement {
  baselineUri: vscode.Uri;
  currentUri: vscode.Uri;
  thresholdsUri?: vscode.Uri;
  baseline?: MetricsWindow;
  current?: MetricsWindow;
  report?: RollbackReport;
  notes: string[];
  error?: string;
}

async function parseWindow(uri: vscode.Uri, label: string, notes: string[]): Promise<MetricsWindow> {
  const parsed = parseMetricsWindow(await readText(uri), label);
  const name = vscode.workspace.asRelativePath(uri);
  if (!parsed.window) throw new Error(`${name}: ${parsed.problems[0]}`);
  notes.push(...parsed.problems.map((p) => `${name}: ${p}`));
  return parsed.window;
}

async function resolveWindow(window: MetricsWindow, prometheusUrl: string | undefined, access: PrometheusAccess, notes: string[], signal?: AbortSignal): Promise<MetricsWindow> {
  if (signal?.aborted) throw new Error('cancelled');
  const resolved = await resolvePrometheus(window, prometheusUrl, { ...access, ...(signal ? { signal } : {}) });
  notes.push(...resolved.notes);
  return resolved.window;
}

/**
 * Reads both windows and decides, with the thresholds from settings. Prometheus is queried only in a
 * trusted workspace, and an address a metrics file names only with the user's consent (asked once per address).
 */
export async function judge(deps: Workbench, baselineUri: vscode.Uri, currentUri: vscode.Uri, signal?: AbortSignal, thresholdsUri?: vscode.Uri): Promise<Judgement> {
  const settings = decisionSettings(baselineUri);
  const notes: string[] = [];
  const j: Judgement = { baselineUri, currentUri, notes, ...(thresholdsUri ? { thresholdsUri } : {}) };
  try {
    const baseline = await parseWindow(baselineUri, 'baseline', notes);
    const current = await parseWindow(currentUri, 'current', notes);
    const access = await prometheusAccess(deps, [{ uri: baselineUri, window: baseline }, { uri: currentUri, window: current }], settings.prometheusUrl);
    if (access.disabled) notes.push(access.disabled);
    j.baseline = await resolveWindow(baseline, settings.prometheusUrl, access, notes, signal);
    j.current = await resolveWindow(current, settings.prometheusUrl, access, notes, signal);
    let { thresholds, problems } = settings.thresholds();
    notes.push(...problems.map((p) => `incidentWorkbench.rollback.thresholds: ${p} (default used)`));
    if (thresholdsUri) {
      // A thresholds file (as for iwb rollback --thresholds) goes over the settings.
      const name = vscode.workspace.asRelativePath(thresholdsUri);
      let value: unknown;
      try {
        value = JSON.parse(await readText(thresholdsUri));
      } catch (e) {
        throw new Error(`${name}: ${errorMessage(e)}`);
      }
      ({ thresholds, problems } = parseThresholds(value, thresholds));
      if (problems.length) throw new Error(`${name}: ${problems.join('; ')}`);
    }
    j.report = decideRollback(j.baseline, j.current, thresholds);
  } catch (e) {
    j.error = errorMessage(e);
  }
  return j;
}

export function rollbackAvailability(deps: Workbench, incidentId?: string): RollbackSnapshot['rollback'] {
  const command = decisionSettings().rollbackCommand;
  if (!vscode.workspace.isTrusted) return { available: false, reason: 'Rolling back runs a program, which needs a trusted workspace.' };
  if (!command.length) return { available: false, reason: 'No rollback command is configured (incidentWorkbench.rollback.command).' };
  const id = incidentId ?? deps.activeIncident?.id;
  return { available: true, command: command.join(' '), ...(id ? { incidentId: id } : {}) };
}

export function judgementSnapshot(deps: Workbench, j: Judgement, lastRun?: RollbackSnapshot['lastRun']): RollbackSnapshot {
  const files = { baselineFile: vscode.workspace.asRelativePath(j.baselineUri), currentFile: vscode.workspace.asRelativePath(j.currentUri) };
  return toRollbackSnapshot({ ...files, notes: j.notes, ...(j.report ? { report: j.report } : {}), ...(j.error ? { error: j.error } : {}) }, rollbackAvailability(deps), lastRun);
}

/** Keeps the snapshot file readable: long sample lists are cut, with the count kept. */
function compactWindow(w: MetricsWindow | undefined): unknown {
  if (!w) return undefined;
  const metrics: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(w.metrics)) {
    metrics[k] = v.kind === 'samples' && v.samples.length > 5000 ? { ...v, samples: v.samples.slice(0, 5000), truncatedFrom: v.samples.length } : v;
  }
  return { ...w, metrics };
}

export interface RollbackRunResult {
  status: 'untrusted' | 'unconfigured' | 'no-incident' | 'not-judged' | 'cancelled' | 'ran' | 'failed';
  message?: string;
  decision?: string;
  incidentId?: string;
  evidencePath?: string;
  exitCode?: number | null;
}

/**
 * The "Roll Back…" flow: trusted workspace and a configured command first; then the evidence snapshot
 * (metrics, decision, the logs/traces the current metrics file lists) is written into the incident and
 * recorded on its timeline; only then the user is asked; the command runs as a VS Code task (argument array,
 * no shell) and its exit code is recorded too.
 */
/** Roll Back in Restricted Mode: says why, with the button that fixes it. */
export async function trustFirst(log: vscode.LogOutputChannel): Promise<void> {
  const choice = await reportError(log, 'Roll Back runs a program; trust this workspace first (Manage Workspace Trust).', { notify: true, actions: ['Manage Workspace Trust'] });
  if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
}

export async function runRollback(deps: Workbench, j: Judgement, options: { incident?: unknown; confirm?: boolean; extraEvidence?: vscode.Uri[] } = {}): Promise<RollbackRunResult> {
  if (!vscode.workspace.isTrusted) {
    void trustFirst(deps.log);
    return { status: 'untrusted' };
  }
  const settings = decisionSettings(j.currentUri);
  const argv = settings.rollbackCommand;
  if (!argv.length) {
    const choice = await reportError(deps.log, 'No rollback command is configured. Set incidentWorkbench.rollback.command, e.g. ["kubectl", "rollout", "undo", "deployment/checkout"].', { notify: true, actions: ['Open Settings'] });
    if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', 'incidentWorkbench.rollback.command');
    return { status: 'unconfigured' };
  }
  if (!j.report) return { status: 'not-judged', message: j.error ?? 'no decision' };
  const id = await targetIncident(deps, options.incident, 'Preserve the rollback evidence in which incident?');
  if (!id) {
    void reportError(deps.log, 'Pick or create an incident first: the evidence is preserved there before anything is rolled back.', { notify: true });
    return { status: 'no-incident' };
  }
  // Nothing is copied and nothing runs before the user says so; then the evidence is preserved first.
  let confirmed = options.confirm === true;
  if (!confirmed) {
    const warning = j.report.decision === 'ROLLBACK' ? '' : ` The judgement is ${j.report.decision}, not ROLLBACK.`;
    const choice = await vscode.window.showWarningMessage(
      `Run "${argv.join(' ')}" now?${warning}`,
      { modal: true, detail: `The decision, the metrics and the files they list are saved to ${id} first (redacted).\n\n${j.report.reasoning}` },
      'Roll Back',
    );
    confirmed = choice === 'Roll Back';
  }
  if (!confirmed) {
    await deps.writer.event(id, 'rollback', `Rollback not run (cancelled by the user); decision was ${j.report.decision}.`).catch(() => undefined);
    return { status: 'cancelled', incidentId: id, decision: j.report.decision };
  }
  const when = evidenceStamp();
  const workspace = deps.repository.folder?.uri;
  const copied: { source: string; path: string }[] = [];
  const listed = (j.current?.evidence ?? []).map((p) => vscode.Uri.joinPath(j.currentUri, '..', p));
  for (const source of [...listed, ...(options.extraEvidence ?? [])]) {
    const relative = vscode.workspace.asRelativePath(source, false);
    try {
      // A metrics file names the files to keep; it must not reach outside the workspace (../../.ssh/...).
      if (!workspace || source.scheme !== workspace.scheme || !source.path.startsWith(`${workspace.path}/`)) throw new Error('outside the workspace');
      const stat = await vscode.workspace.fs.stat(source);
      if (stat.size > 50 * 1024 * 1024) throw new Error('over 50 MB');
      const written = await deps.writer.addEvidence(id, { name: `rollback-${when}-${source.path.split('/').pop() ?? 'file'}`, content: source, kind: 'rollback', note: `Listed by ${vscode.workspace.asRelativePath(j.currentUri)} before rollback` });
      copied.push({ source: relative, path: written.path });
    } catch (e) {
      j.notes.push(`evidence ${relative} not copied: ${errorMessage(e)}`);
    }
  }
  const snapshot = {
    kind: 'rollback-evidence',
    at: new Date().toISOString(),
    decision: j.report.decision,
    reasoning: j.report.reasoning,
    command: argv,
    baselineFile: vscode.workspace.asRelativePath(j.baselineUri),
    currentFile: vscode.workspace.asRelativePath(j.currentUri),
    report: j.report,
    baseline: compactWindow(j.baseline),
    current: compactWindow(j.current),
    copiedEvidence: copied,
    notes: j.notes,
  };
  let evidencePath: string;
  try {
    ({ path: evidencePath } = await deps.writer.addEvidence(id, { name: `rollback-${when}.json`, content: `${JSON.stringify(snapshot, null, 2)}\n`, kind: 'rollback', note: `Before rollback: decision ${j.report.decision} (score ${j.report.score}/100)` }));
  } catch (e) {
    const message = `The evidence could not be written, so nothing was rolled back: ${errorMessage(e)}`;
    void reportError(deps.log, message, { notify: true, cause: e, subject: id });
    return { status: 'failed', message, incidentId: id };
  }
  await deps.writer.event(id, 'rollback', `Rollback started: ${argv.join(' ')} (decision ${j.report.decision}; evidence ${evidencePath})`);
  const exitCode = await runAsTask(argv, id);
  await deps.writer.event(id, 'rollback', `Rollback command finished with exit code ${exitCode ?? 'unknown'}: ${argv.join(' ')}`);
  if (exitCode !== 0) void reportError(deps.log, `The rollback command exited with code ${exitCode ?? 'unknown'}; see the terminal. The incident timeline records it.`, { notify: true, subject: id });
  else void vscode.window.showInformationMessage(`Rollback command finished. Evidence and timeline are in ${id}.`);
  return { status: exitCode === 0 ? 'ran' : 'failed', exitCode, incidentId: id, evidencePath, decision: j.report.decision };
}

export const ROLLBACK_TASK_TYPE = 'incidentWorkbench.rollback';

/** Runs argv as a VS Code task (ProcessExecution: no shell) and resolves with its exit code. */
async function runAsTask(argv: string[], incidentId: string): Promise<number | null> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const [command, ...args] = argv as [string, ...string[]];
  const task = new vscode.Task(
    { type: ROLLBACK_TASK_TYPE, command: argv, runId },
    folder ?? vscode.TaskScope.Workspace,
    `Roll back (${incidentId})`,
    'Incident Workbench',
    new vscode.ProcessExecution(command, args, folder ? { cwd: folder.uri.fsPath } : {}),
  );
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true };
  return new Promise<number | null>((resolve) => {
    const ended = vscode.tasks.onDidEndTaskProcess((e) => {
      if ((e.execution.task.definition as { runId?: string }).runId !== runId) return;
      ended.dispose();
      failed.dispose();
      resolve(e.exitCode ?? null);
    });
    // A command that cannot start ends the task without a process event.
    const failed = vscode.tasks.onDidEndTask((e) => {
      if ((e.execution.task.definition as { runId?: string }).runId !== runId) return;
      setTimeout(() => {
        ended.dispose();
        failed.dispose();
        resolve(null);
      }, 1000);
    });
    vscode.tasks.executeTask(task).then(undefined, () => {
      ended.dispose();
      failed.dispose();
      resolve(null);
    });
  });
}
