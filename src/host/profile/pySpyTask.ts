import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { explainPySpyFailure, parseRecordOutput, recordArgs, stripAnsi, taskRecordOptions, type PySpyProblem, type PySpyTaskFields } from '../../core/profile/pySpy';
import { joinPath } from '../../core/store/fileSystem';
import { incidentDir } from '../../core/store/layout';
import { evidencePath, evidenceStamp } from '../../core/incident/writer';
import type { ProfileDeps } from './deps';
import { pySpyEnvironment, processCwd } from '../shared/processList';
import { findPySpy, offerInstall, pySpyVersion } from '../shared/pySpyLocator';
import { errorMessage } from '../../core/util/errors';
import { reportError } from '../shared/reportError';
import { endedRecording, startedRecording } from './recording';
import { ProgramTerminal, programTask } from '../shared/programTask';

export const PY_SPY_TASK_TYPE = 'py-spy';

/** The `py-spy` task definition (package.json taskDefinitions holds its JSON schema for tasks.json). */
export interface PySpyTaskDefinition extends vscode.TaskDefinition, PySpyTaskFields {
  type: typeof PY_SPY_TASK_TYPE;
}

export interface ProfileRunResult {
  definition: PySpyTaskDefinition;
  ok: boolean;
  /** The profile written (also when sampling was cancelled or the process exited). */
  output?: vscode.Uri;
  samples?: number;
  cancelled: boolean;
  processExited: boolean;
  incidentId?: string;
  problem?: PySpyProblem | { kind: 'error'; message: string; nextStep: string };
}

const runs = new vscode.EventEmitter<ProfileRunResult>();
/** Fires when any py-spy task ends (palette, tasks.json, tests). */
export const onDidFinishProfileRun = runs.event;

export function label(def: PySpyTaskFields): string {
  if (def.pid !== undefined) return `pid${def.pid}`;
  const args = def.args ?? [];
  const m = args.indexOf('-m');
  if (m >= 0 && args[m + 1] === 'pytest') {
    const node = args.slice(m + 2).find((a) => a.includes('::'));
    if (node) return node.split('::').pop()!.replace(/[^\w.-]+/g, '-');
  }
  if (m >= 0 && args[m + 1]) return args[m + 1]!.replace(/[^\w.-]+/g, '-');
  const script = args.find((a) => a.endsWith('.py')) ?? def.program ?? 'launch';
  return path.basename(script).replace(/\.py$/, '').replace(/[^\w.-]+/g, '-') || 'launch';
}

/** Where a run writes: the task's `output`, else the active incident's evidence/profiles/, else profiles/. */
export function outputLocation(deps: ProfileDeps, def: PySpyTaskDefinition): { uri: vscode.Uri; incidentId?: string } | undefined {
  const folder = deps.repository.folder;
  if (!folder) return undefined;
  if (def.output) {
    const uri = path.isAbsolute(def.output) ? vscode.Uri.file(def.output) : vscode.Uri.joinPath(folder.uri, def.output);
    return { uri };
  }
  const name = `${evidenceStamp()}-${label(def)}.speedscope.json`;
  const incidentId = deps.activeIncident?.id;
  // The writer's naming rule (evidence/profiles/<safe name>), so every feature's evidence looks alike.
  if (incidentId) return { uri: vscode.Uri.joinPath(folder.uri, joinPath(incidentDir(incidentId), evidencePath('profile', name))), incidentId };
  return { uri: vscode.Uri.joinPath(folder.uri, 'profiles', name) };
}

export function createPySpyTask(deps: ProfileDeps, def: PySpyTaskDefinition, scope: vscode.TaskScope | vscode.WorkspaceFolder = vscode.TaskScope.Workspace): vscode.Task {
  const name = def.pid !== undefined ? `Profile PID ${def.pid}` : `Profile ${label(def)}`;
  return programTask(def, scope, { name, source: 'py-spy', detail: 'py-spy record' }, (resolved) => new PySpyTerminal(deps, resolved));
}

/** Runs py-spy record in the task's terminal, with a cancellable progress notification. */
class PySpyTerminal extends ProgramTerminal<ProfileRunResult> {
  private child: ChildProcess | undefined;
  private cancelled = false;

  constructor(
    private readonly deps: ProfileDeps,
    private readonly def: PySpyTaskDefinition,
  ) {
    super(deps.log, 'py-spy', runs);
  }

  protected internalError(message: string): ProfileRunResult {
    return { definition: this.def, ok: false, cancelled: false, processExited: false, problem: { kind: 'error', message, nextStep: 'See the Incident Workbench log.' } };
  }

  get what(): string {
    return this.def.pid !== undefined ? `PID ${this.def.pid}` : label(this.def);
  }

  /** Also what closing the terminal does: sampling stops; py-spy still writes what it has. */
  stop(): void {
    if (this.child && this.child.exitCode === null && !this.cancelled) {
      this.cancelled = true;
      this.line('\x1b[33mStopping: py-spy writes what it sampled so far…\x1b[0m');
      this.child.kill('SIGINT');
    }
  }

  protected override finish(result: ProfileRunResult, code: number): void {
    endedRecording(this);
    super.finish(result, code);
  }

  protected async run(): Promise<void> {
    const def = this.def;
    const fail = (message: string, nextStep: string) => {
      this.line(`\x1b[31m${message}\x1b[0m\r\n${nextStep}`);
      this.finish({ definition: def, ok: false, cancelled: false, processExited: false, problem: { kind: 'error', message, nextStep } }, 1);
    };
    if (!vscode.workspace.isTrusted) return fail('Profiling runs py-spy, a program; this workspace is not trusted.', 'Trust the workspace (Manage Workspace Trust), then run the task again.');
    if ((def.pid === undefined) === (def.program === undefined)) return fail('A py-spy task needs either "pid" or "program".', 'Add "pid": <number> or "program": "python3" with "args" to the task.');
    const located = await findPySpy(this.deps.repository.folder?.uri);
    if (!located) {
      fail('py-spy was not found.', 'Install it: python -m pip install py-spy (or set incidentWorkbench.pySpyPath).');
      void offerInstall(this.deps.repository.folder?.uri);
      return;
    }
    const version = await pySpyVersion(located.path);
    if (version.error) {
      fail(`py-spy from ${located.source === 'setting' ? 'incidentWorkbench.pySpyPath' : located.source} does not run: ${version.error}`, 'Fix incidentWorkbench.pySpyPath or install py-spy: python -m pip install py-spy');
      if (located.source === 'setting') void offerInstall(this.deps.repository.folder?.uri, `incidentWorkbench.pySpyPath points at ${located.path}, which does not run (${version.error}).`);
      return;
    }
    const where = outputLocation(this.deps, def);
    if (!where) return fail('Open a folder first: profiles are written into the workspace.', 'File > Open Folder…');
    await fs.mkdir(path.dirname(where.uri.fsPath), { recursive: true });
    const record = taskRecordOptions(def, where.uri.fsPath);
    const { durationSeconds: duration, rate } = record;
    const args = recordArgs(record);
    const cwd = def.cwd ?? this.deps.repository.folder?.uri.fsPath;
    const targetCwd = def.pid !== undefined ? await processCwd(def.pid) : cwd;
    this.line(`\x1b[1m${version.version}\x1b[0m (${located.source}: ${located.path})`);
    this.line(`$ ${[located.path, ...args].map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);
    this.line(`Press Ctrl+C here, or Cancel on the notification, to stop early and keep what was sampled.\r\n`);
    // py-spy passes its environment on to the program it launches (launch.json `env`).
    const child = spawn(located.path, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: def.env ? { ...process.env, ...def.env } : process.env });
    this.child = child;
    startedRecording(this);
    let output = '';
    const onData = (d: Buffer) => {
      const text = d.toString('utf8');
      output += text;
      this.write.fire(text.replace(/\r?\n/g, '\r\n'));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    const started = Date.now();
    const exited = new Promise<number | null>((resolve) => {
      child.on('error', (e) => {
        output += `\n${e.message}`;
        resolve(-1);
      });
      child.on('close', (code) => resolve(code));
    });
    const what = def.pid !== undefined ? `PID ${def.pid}` : label(def);
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Profiling ${what} with py-spy`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => this.stop());
        let lastPct = 0;
        const timer = setInterval(() => {
          const secs = (Date.now() - started) / 1000;
          // py-spy prints no running count when it is not on a terminal; the rate makes the estimate exact
          // to within the samples it could not take (reported as Errors at the end).
          const msg = `${secs.toFixed(0)} s${duration > 0 ? ` of ${duration} s` : ''} · ≈${Math.round(secs * rate)} samples${duration > 0 ? '' : ' · Cancel to stop'}`;
          const pctNow = duration > 0 ? Math.min(100, (secs / duration) * 100) : 0;
          progress.report({ message: msg, increment: pctNow - lastPct });
          lastPct = pctNow;
          this.write.fire(`\r\x1b[2K\x1b[36m${msg}\x1b[0m`);
        }, 1000);
        await exited;
        clearInterval(timer);
        this.write.fire('\r\x1b[2K');
      },
    );
    const code = await exited;
    const outcome = parseRecordOutput(output);
    const stat = await fs.stat(where.uri.fsPath).catch(() => undefined);
    const written = !!stat && stat.size > 0;
    if (!written) {
      const problem = explainPySpyFailure(output, pySpyEnvironment(located.path, def.pid)) ?? {
        kind: 'unknown' as const,
        message: `py-spy exited with code ${code} and wrote no profile: ${stripAnsi(output).trim().split('\n').find((l) => /error/i.test(l)) ?? 'see the terminal'}`,
        nextStep: 'See the py-spy output in the terminal.',
      };
      this.line(`\r\n\x1b[31m${problem.message}\x1b[0m\r\nNext step: ${problem.nextStep}`);
      this.finish({ definition: def, ok: false, cancelled: this.cancelled, processExited: outcome.processExited, problem }, 1);
      void showProblem(this.deps.log, problem);
      return;
    }
    const samples = outcome.samples;
    this.line(`\r\nWrote ${vscode.workspace.asRelativePath(where.uri)}${samples !== undefined ? ` (${samples} samples)` : ''}${this.cancelled ? ' — stopped early' : ''}${outcome.processExited ? ' — the process exited while sampled' : ''}.`);
    let incidentId = where.incidentId;
    if (incidentId) {
      const note = `py-spy ${def.pid !== undefined ? `PID ${def.pid}` : `launch of ${[def.program, ...(def.args ?? [])].join(' ')}`}, ${rate} Hz, ${samples ?? '?'} samples${targetCwd ? `, cwd ${targetCwd}` : ''}${this.cancelled ? ', stopped early' : ''}`;
      try {
        await this.deps.writer.recordEvidence(incidentId, where.uri, 'profile', note);
        this.line(`Added to ${incidentId}'s evidence.`);
      } catch (e) {
        incidentId = undefined;
        this.line(`\x1b[33mThe profile is kept, but it could not be added to the incident: ${errorMessage(e)}\x1b[0m`);
        void reportError(this.deps.log, `The profile was written, but not added to the incident's evidence: ${errorMessage(e)}`, { notify: true, severity: 'warning', cause: e });
      }
    }
    if (targetCwd) this.deps.profiling.rememberCwd(where.uri, targetCwd);
    const result: ProfileRunResult = { definition: def, ok: true, output: where.uri, ...(samples !== undefined ? { samples } : {}), cancelled: this.cancelled, processExited: outcome.processExited, ...(incidentId ? { incidentId } : {}) };
    this.finish(result, 0);
    if (def.open !== false) {
      await vscode.commands.executeCommand('vscode.openWith', where.uri, 'incidentWorkbench.flamegraph', { viewColumn: vscode.ViewColumn.Beside, preview: false });
    }
  }
}

async function showProblem(log: vscode.LogOutputChannel, problem: { message: string; nextStep: string }): Promise<void> {
  const command = /(sudo [^—]+?)(?: —|$)|(sudo sysctl \S+)|(docker run --cap-add SYS_PTRACE)/.exec(problem.nextStep);
  const copy = command ? 'Copy Command' : undefined;
  const choice = await reportError(log, `${problem.message} Next step: ${problem.nextStep}`, { notify: true, actions: copy ? [copy] : [] });
  if (choice === 'Copy Command' && command) await vscode.env.clipboard.writeText((command[1] ?? command[2] ?? command[3])!.trim());
}
