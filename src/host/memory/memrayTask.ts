import { spawn } from 'node:child_process';
import { constants as fsConstants, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { evidenceStamp } from '../../core/incident/writer';
import { attachArgs, detachArgs, explainMemrayFailure, runArgs, DEFAULT_MEMORY_DURATION, type MemrayProblem, type MemrayTaskFields } from '../../core/memory/memray';
import { sniffMemoryFile } from '../../core/memory/sniff';
import { stripAnsi } from '../../core/profile/pySpy';
import { errorMessage } from '../../core/util/errors';
import { readFileHead } from '../../node/memoryReader';
import { MEMORY_VIEW_TYPE } from '../../protocol/memory';
import { attachEnvironment, processAlive, processCwd, processExecutable } from '../shared/processList';
import { reportError } from '../shared/reportError';
import type { MemoryDeps } from './deps';
import { memrayInstallHint } from './memoryReading';
import { ProgramTerminal, programTask } from '../shared/programTask';

export const MEMRAY_TASK_TYPE = 'memray';

/** The `memray` task definition (package.json taskDefinitions holds its JSON schema for tasks.json). */
export interface MemrayTaskDefinition extends vscode.TaskDefinition, MemrayTaskFields {
  type: typeof MEMRAY_TASK_TYPE;
}

export interface MemoryRunResult {
  definition: MemrayTaskDefinition;
  ok: boolean;
  /** The capture kept (also when tracking was stopped early or the process exited). */
  output?: vscode.Uri;
  cancelled: boolean;
  processExited: boolean;
  incidentId?: string;
  problem?: MemrayProblem | { kind: 'error'; message: string; nextStep: string };
}

const runs = new vscode.EventEmitter<MemoryRunResult>();
/** Fires when any memray task ends (palette, tasks.json, tests). */
export const onDidFinishMemoryRun = runs.event;

function label(def: MemrayTaskDefinition): string {
  if (def.pid !== undefined) return `pid${def.pid}`;
  // `-m package.module`: the module names the run.
  const script = (def.program === '-m' ? def.args?.[0] : def.program) ?? 'run';
  return path.basename(script).replace(/\.py$/, '').replace(/[^\w.-]+/g, '-') || 'run';
}

export function createMemrayTask(deps: MemoryDeps, def: MemrayTaskDefinition, scope: vscode.TaskScope | vscode.WorkspaceFolder = vscode.TaskScope.Workspace): vscode.Task {
  const name = def.pid !== undefined ? `Memory of PID ${def.pid}` : `Memory of ${label(def)}`;
  return programTask(def, scope, { name, source: 'memray', detail: def.pid !== undefined ? 'memray attach' : 'memray run' }, (resolved) => new MemrayTerminal(deps, resolved));
}

interface Ran {
  code: number | null;
  output: string;
}

/**
 * Tracks a process's memory with memray in the task's terminal: `memray attach` (through gdb or lldb)
 * until the duration is up, Cancel is pressed or the process exits, then `memray detach`; or `memray run`
 * of a script until it exits or is stopped (SIGINT: memray still writes what it tracked). The capture is
 * written to a temporary file first and put into the incident (or profiles/) only when it is one, so a
 * failed attach leaves nothing half-written in .incidents/.
 */
class MemrayTerminal extends ProgramTerminal<MemoryRunResult> {
  private cancelled = false;
  private stopWaiting: (() => void) | undefined;
  private runChild: ReturnType<typeof spawn> | undefined;

  constructor(
    private readonly deps: MemoryDeps,
    private readonly def: MemrayTaskDefinition,
  ) {
    super(deps.log, 'memray', runs);
  }

  protected internalError(message: string): MemoryRunResult {
    return { definition: this.def, ok: false, cancelled: false, processExited: false, problem: { kind: 'error', message, nextStep: 'See the Incident Workbench log.' } };
  }

  stop(): void {
    if (this.finished || this.cancelled) return;
    this.cancelled = true;
    this.line('\x1b[33mStopping: memray keeps what it tracked so far…\x1b[0m');
    this.stopWaiting?.();
    if (this.runChild && this.runChild.exitCode === null) this.runChild.kill('SIGINT');
  }

  /** Runs `python args` to the end, streaming its output into the terminal. */
  private exec(python: string, args: string[], cwd?: string): Promise<Ran> {
    this.line(`$ ${[python, ...args].map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);
    return new Promise((resolve) => {
      const child = spawn(python, args, { cwd, shell: false, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      const onData = (d: Buffer) => {
        const text = d.toString('utf8');
        output += text;
        this.write.fire(text.replace(/\r?\n/g, '\r\n'));
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('error', (e) => resolve({ code: -1, output: `${output}\n${e.message}` }));
      child.on('close', (code) => resolve({ code, output }));
    });
  }

  protected async run(): Promise<void> {
    const def = this.def;
    const fail = (message: string, nextStep: string, problem?: MemrayProblem) => {
      this.line(`\x1b[31m${message}\x1b[0m\r\nNext step: ${nextStep}`);
      this.finish({ definition: def, ok: false, cancelled: this.cancelled, processExited: problem?.kind === 'exited', problem: problem ?? { kind: 'error', message, nextStep } }, 1);
    };
    if (!vscode.workspace.isTrusted) return fail('Profiling memory runs memray, a program; this workspace is not trusted.', 'Trust the workspace (Manage Workspace Trust), then run the task again.');
    if ((def.pid === undefined) === (def.program === undefined)) return fail('A memray task needs either "pid" or "program".', 'Add "pid": <number>, or "program": "app.py" with "args", to the task.');
    const folder = this.deps.repository.folder;
    if (!folder) return fail('Open a folder first: captures are written into the workspace.', 'File > Open Folder…');
    const targetExe = def.pid !== undefined ? await processExecutable(def.pid) : undefined;
    const memray = await this.deps.memory.reading.memrayPython(folder.uri, targetExe);
    if (!memray) {
      const python = targetExe ?? (await this.deps.memory.reading.pythons(folder.uri))[0] ?? 'python3';
      const problem: MemrayProblem = { kind: 'no-memray', message: `memray was not found: no Python among ${(await this.deps.memory.reading.pythons(folder.uri)).join(', ')}${targetExe ? ` or the target's ${targetExe}` : ''} can import it.`, nextStep: `Install it: ${memrayInstallHint(python)} (or set incidentWorkbench.memory.python).` };
      fail(problem.message, problem.nextStep, problem);
      void offerInstall(python);
      return;
    }
    const runId = def.runId ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const temp = path.join(tmpdir(), `iwb-memray-${runId.replace(/[^\w.-]/g, '')}.bin`);
    const cwd = def.cwd ?? folder.uri.fsPath;
    const targetCwd = def.pid !== undefined ? await processCwd(def.pid) : cwd;
    this.line(`\x1b[1mmemray ${memray.memray}\x1b[0m (Python ${memray.pythonVersion}: ${memray.python})`);
    const duration = def.duration ?? (def.pid !== undefined ? DEFAULT_MEMORY_DURATION : 0);
    let processExited = false;
    let scriptCode: number | null = null;
    try {
      if (def.pid !== undefined) {
        const pid = def.pid;
        const attached = await this.exec(memray.python, attachArgs(pid, temp, def));
        if (attached.code !== 0) {
          const problem = explainMemrayFailure(attached.output, { ...attachEnvironment(pid), python: memray.python, ...(targetExe ? { targetExecutable: targetExe } : {}), targetAlive: processAlive(pid) }) ?? {
            kind: 'unknown' as const,
            message: `memray could not attach to process ${pid} (exit ${attached.code}): ${lastLine(attached.output)}`,
            nextStep: 'See the memray output in the terminal.',
          };
          void showProblem(this.deps.log, problem);
          return fail(problem.message, problem.nextStep, problem);
        }
        this.line(`Tracking PID ${pid}${duration > 0 ? ` for ${duration} s` : ' until stopped'}. Press Ctrl+C here, or Cancel on the notification, to stop early and keep what was tracked.\r\n`);
        processExited = await this.track(`PID ${pid}`, duration, () => !processAlive(pid));
        if (!processExited) {
          const detached = await this.exec(memray.python, detachArgs(pid));
          if (detached.code !== 0 && !processAlive(pid)) processExited = true;
          else if (detached.code !== 0) this.line(`\x1b[33mmemray detach failed (${lastLine(detached.output)}); the capture may end early.\x1b[0m`);
        }
      } else {
        const args = runArgs(temp, def.program!, def.args ?? [], def);
        this.line(`Running ${def.program} under memray${duration > 0 ? ` for at most ${duration} s` : ''}. Press Ctrl+C here, or Cancel on the notification, to stop it and keep what was tracked.\r\n`);
        this.line(`$ ${[memray.python, ...args].map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);
        const child = spawn(memray.python, args, { cwd, shell: false, stdio: ['ignore', 'pipe', 'pipe'], ...(def.env ? { env: { ...process.env, ...def.env } } : {}) });
        this.runChild = child;
        let output = '';
        const onData = (d: Buffer) => {
          output += d.toString('utf8');
          this.write.fire(d.toString('utf8').replace(/\r?\n/g, '\r\n'));
        };
        child.stdout!.on('data', onData);
        child.stderr!.on('data', onData);
        const exited = new Promise<number | null>((resolve) => {
          child.on('error', (e) => {
            output += `\n${e.message}`;
            resolve(-1);
          });
          child.on('close', (code) => resolve(code));
        });
        let ended = false;
        void exited.then(() => {
          ended = true;
          this.stopWaiting?.();
        });
        await this.track(def.program!, duration, () => ended);
        // The duration is up (Cancel has already sent SIGINT): memray writes what it tracked on SIGINT.
        if (!ended && !this.cancelled) child.kill('SIGINT');
        scriptCode = await exited;
        processExited = true;
        if (/No module named memray/.test(output)) {
          const problem = explainMemrayFailure(output, { ...attachEnvironment(), python: memray.python })!;
          return fail(problem.message, problem.nextStep, problem);
        }
      }
      const stat = await fs.stat(temp).catch(() => undefined);
      const head = stat && stat.size > 0 ? await readFileHead(temp, 4096) : new Uint8Array();
      if (!stat || stat.size === 0 || sniffMemoryFile(head).kind !== 'memray') {
        const message = def.pid !== undefined ? `memray wrote no capture for process ${def.pid}${processExited ? ' (the process exited)' : ''}.` : `memray wrote no capture for ${def.program}${scriptCode !== null && scriptCode !== 0 ? ` (it exited with code ${scriptCode})` : ''}.`;
        return fail(message, 'See the memray output in the terminal.', processExited ? { kind: 'exited', message, nextStep: 'Start the process again, then profile its memory.' } : undefined);
      }
      const note = `memray ${memray.memray} ${def.pid !== undefined ? `attach to PID ${def.pid}` : `run of ${[def.program, ...(def.args ?? [])].join(' ')}`}${duration > 0 ? `, ${duration} s` : ''}${targetCwd ? `, cwd ${targetCwd}` : ''}${this.cancelled ? ', stopped early' : ''}${processExited && def.pid !== undefined ? ', the process exited while tracked' : ''}`;
      const placed = await this.place(temp, note);
      if (!placed) return;
      if (targetCwd) await this.deps.memory.rememberCwd(placed.uri, targetCwd);
      this.line(`\r\nWrote ${vscode.workspace.asRelativePath(placed.uri)} (${(stat.size / 1024).toFixed(0)} KiB)${this.cancelled ? ' — stopped early' : ''}${placed.incidentId ? `; added to ${placed.incidentId}'s evidence` : ''}.`);
      this.finish({ definition: def, ok: true, output: placed.uri, cancelled: this.cancelled, processExited, ...(placed.incidentId ? { incidentId: placed.incidentId } : {}) }, 0);
      if (def.open !== false) await vscode.commands.executeCommand('vscode.openWith', placed.uri, MEMORY_VIEW_TYPE, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    } finally {
      await fs.rm(temp, { force: true }).catch(() => undefined);
    }
  }

  /** Waits with a cancellable progress notification until the duration is up, Cancel, or `gone()` says the target ended. */
  private async track(what: string, duration: number, gone: () => boolean): Promise<boolean> {
    const started = Date.now();
    let exited = false;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Profiling memory of ${what} with memray`, cancellable: true }, async (progress, token) => {
      token.onCancellationRequested(() => this.stop());
      let lastPct = 0;
      await new Promise<void>((resolve) => {
        this.stopWaiting = resolve;
        const timer = setInterval(() => {
          const secs = (Date.now() - started) / 1000;
          if (gone()) {
            exited = true;
            clearInterval(timer);
            resolve();
            return;
          }
          if (this.cancelled || (duration > 0 && secs >= duration)) {
            clearInterval(timer);
            resolve();
            return;
          }
          const msg = `${secs.toFixed(0)} s${duration > 0 ? ` of ${duration} s` : ' · Cancel to stop'}`;
          const pct = duration > 0 ? Math.min(100, (secs / duration) * 100) : 0;
          progress.report({ message: msg, increment: pct - lastPct });
          lastPct = pct;
          this.write.fire(`\r\x1b[2K\x1b[36m${msg}\x1b[0m`);
        }, 250);
      });
      this.stopWaiting = undefined;
      this.write.fire('\r\x1b[2K');
    });
    return exited;
  }

  /** Puts the finished capture where it belongs: the task's output, the active incident's evidence, or profiles/. */
  private async place(temp: string, note: string): Promise<{ uri: vscode.Uri; incidentId?: string } | undefined> {
    const folder = this.deps.repository.folder!;
    const name = `${evidenceStamp()}-${label(this.def)}.memray.bin`;
    const copyTo = async (uri: vscode.Uri) => {
      await fs.mkdir(path.dirname(uri.fsPath), { recursive: true });
      // A new name, never over an existing file.
      await fs.copyFile(temp, uri.fsPath, fsConstants.COPYFILE_EXCL);
      return uri;
    };
    if (this.def.output) {
      const uri = path.isAbsolute(this.def.output) ? vscode.Uri.file(this.def.output) : vscode.Uri.joinPath(folder.uri, this.def.output);
      try {
        return { uri: await copyTo(uri) };
      } catch (e) {
        this.failKeep(`The capture could not be written to ${this.def.output}: ${errorMessage(e)}`);
        return undefined;
      }
    }
    const incidentId = this.deps.activeIncident?.id;
    if (incidentId) {
      try {
        const written = await this.deps.writer.addEvidence(incidentId, { name, content: vscode.Uri.file(temp), kind: 'memory', note, allowBinary: true });
        const uri = this.deps.repository.uri(`.incidents/${incidentId}/${written.path}`) ?? vscode.Uri.joinPath(folder.uri, '.incidents', incidentId, written.path);
        return { uri, incidentId };
      } catch (e) {
        this.line(`\x1b[33mThe capture could not be added to ${incidentId}: ${errorMessage(e)}. It goes to profiles/ instead.\x1b[0m`);
        void reportError(this.deps.log, `The memory capture was not added to ${incidentId}'s evidence: ${errorMessage(e)}. It was kept in profiles/.`, { notify: true, severity: 'warning', cause: e });
      }
    }
    try {
      return { uri: await copyTo(vscode.Uri.joinPath(folder.uri, 'profiles', name)) };
    } catch (e) {
      this.failKeep(`The capture could not be written to profiles/: ${errorMessage(e)}`);
      return undefined;
    }
  }

  private failKeep(message: string): void {
    this.line(`\x1b[31m${message}\x1b[0m`);
    this.finish({ definition: this.def, ok: false, cancelled: this.cancelled, processExited: false, problem: { kind: 'error', message, nextStep: 'Check the folder, then profile again.' } }, 1);
  }
}

function lastLine(text: string): string {
  return stripAnsi(text).trim().split(/\r?\n/).filter(Boolean).slice(-1)[0] ?? 'no output';
}

async function showProblem(log: vscode.LogOutputChannel, problem: { message: string; nextStep: string }): Promise<void> {
  const command = /(sudo [^—]+?)(?: —|$|\.$)|(sudo apt-get install gdb)|(\S+ -m pip install memray)/.exec(problem.nextStep);
  const copy = command ? 'Copy Command' : undefined;
  const choice = await reportError(log, `${problem.message} Next step: ${problem.nextStep}`, { notify: true, actions: copy ? [copy] : [] });
  if (choice === 'Copy Command' && command) await vscode.env.clipboard.writeText((command[1] ?? command[2] ?? command[3])!.trim());
}

/** Offers to install memray for `python` in a terminal the user watches. */
async function offerInstall(python: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(`memray was not found for ${python}.`, { detail: `Install it with: ${memrayInstallHint(python)}` }, 'Install memray', 'Set Python…');
  if (choice === 'Install memray') {
    if (!vscode.workspace.isTrusted) return;
    const terminal = vscode.window.createTerminal({ name: 'Install memray', shellPath: python, shellArgs: ['-m', 'pip', 'install', 'memray'] });
    terminal.show();
  } else if (choice === 'Set Python…') await vscode.commands.executeCommand('workbench.action.openSettings', 'incidentWorkbench.memory.python');
}

