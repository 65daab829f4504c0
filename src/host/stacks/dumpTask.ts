import * as vscode from 'vscode';
import { explainPySpyFailure, type PySpyProblem } from '../../core/profile/pySpy';
import { evidenceStamp } from '../../core/incident/writer';
import { joinPath } from '../../core/store/fileSystem';
import { incidentDir } from '../../core/store/layout';
import { analyzeStacks, somethingStuck, type Finding } from '../../core/stacks/analyze';
import { parseStackDumps } from '../../core/stacks/parse';
import { DEFAULT_DUMPS, DEFAULT_INTERVAL_MS, MAX_DUMPS } from '../../core/stacks/pySpyDump';
import { errorMessage } from '../../core/util/errors';
import { runPySpyDumps } from '../../node/pySpyDump';
import { STACKS_VIEW_TYPE } from '../../protocol/stacks';
import { pySpyEnvironment } from '../shared/processList';
import { findPySpy, offerInstall, pySpyVersion } from '../shared/pySpyLocator';
import { reportError } from '../shared/reportError';
import type { StacksDeps } from './deps';
import { loadSources } from './sources';
import { ProgramTerminal, programTask } from '../shared/programTask';

export const PY_SPY_DUMP_TASK_TYPE = 'py-spy-dump';

/** The `py-spy-dump` task (package.json taskDefinitions has its JSON schema for tasks.json). */
export interface PySpyDumpTaskDefinition extends vscode.TaskDefinition {
  type: typeof PY_SPY_DUMP_TASK_TYPE;
  pid: number;
  /** How many dumps (default 3). */
  dumps?: number;
  /** Seconds between dumps (default 1). */
  interval?: number;
  locals?: boolean;
  native?: boolean;
  /** Open the dumps in the stack view when done (default true). */
  open?: boolean;
  runId?: string;
}

export interface StackDumpResult {
  definition: PySpyDumpTaskDefinition;
  ok: boolean;
  /** The file holding the dumps (one JSON array per line). */
  output?: vscode.Uri;
  dumps: number;
  cancelled: boolean;
  incidentId?: string;
  stuck?: boolean;
  findings?: Finding[];
  problem?: PySpyProblem | { kind: 'error'; message: string; nextStep: string };
}

const runs = new vscode.EventEmitter<StackDumpResult>();
/** Fires when any py-spy-dump task ends (palette, tasks.json, tests). */
export const onDidFinishStackDump = runs.event;

export function createDumpTask(deps: StacksDeps, def: PySpyDumpTaskDefinition, scope: vscode.TaskScope | vscode.WorkspaceFolder = vscode.TaskScope.Workspace): vscode.Task {
  return programTask(def, scope, { name: `Dump stacks of PID ${def.pid}`, source: 'py-spy', detail: 'py-spy dump, several times' }, (resolved) => new DumpTerminal(deps, resolved));
}

/** Takes the dumps in the task's terminal, with a cancellable progress notification; Cancel keeps what was taken. */
class DumpTerminal extends ProgramTerminal<StackDumpResult> {
  private readonly abort = new AbortController();

  constructor(
    private readonly deps: StacksDeps,
    private readonly def: PySpyDumpTaskDefinition,
  ) {
    super(deps.log, 'py-spy-dump', runs);
  }

  protected internalError(message: string): StackDumpResult {
    return { definition: this.def, ok: false, dumps: 0, cancelled: false, problem: { kind: 'error', message, nextStep: 'See the Incident Workbench log.' } };
  }

  stop(): void {
    this.abort.abort();
  }

  protected async run(): Promise<void> {
    const def = this.def;
    const fail = (message: string, nextStep: string) => {
      this.line(`\x1b[31m${message}\x1b[0m\r\n${nextStep}`);
      this.finish({ definition: def, ok: false, dumps: 0, cancelled: false, problem: { kind: 'error', message, nextStep } }, 1);
    };
    if (!vscode.workspace.isTrusted) return fail('Dumping stacks runs py-spy, a program; this workspace is not trusted.', 'Trust the workspace (Manage Workspace Trust), then run the task again.');
    if (!Number.isInteger(def.pid) || def.pid <= 0) return fail('A py-spy-dump task needs "pid": the process to dump.', 'Add "pid": <number> to the task.');
    const folder = this.deps.repository.folder;
    if (!folder) return fail('Open a folder first: dumps are written into the workspace.', 'File > Open Folder…');
    const located = await findPySpy(folder.uri);
    if (!located) {
      fail('py-spy was not found.', 'Install it: python -m pip install py-spy (or set incidentWorkbench.pySpyPath).');
      void offerInstall(folder.uri);
      return;
    }
    const version = await pySpyVersion(located.path);
    if (version.error) return fail(`py-spy does not run: ${version.error}`, 'Fix incidentWorkbench.pySpyPath or install py-spy: python -m pip install py-spy');
    const count = Math.max(1, Math.min(MAX_DUMPS, Math.round(def.dumps ?? DEFAULT_DUMPS)));
    const intervalMs = Math.max(0, Math.min(60_000, Math.round((def.interval ?? DEFAULT_INTERVAL_MS / 1000) * 1000)));
    this.line(`\x1b[1m${version.version}\x1b[0m (${located.source}: ${located.path})`);
    this.line(`$ ${located.path} dump --pid ${def.pid} --json${def.locals ? ' --locals' : ''}${def.native ? ' --native' : ''}   × ${count}, ${intervalMs / 1000} s apart`);
    this.line('Press Ctrl+C here, or Cancel on the notification, to stop and keep the dumps taken so far.\r\n');
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Dumping the stacks of PID ${def.pid}`, cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => this.abort.abort());
        return runPySpyDumps({
          pySpy: located.path,
          pid: def.pid,
          dumps: count,
          intervalMs,
          locals: def.locals,
          native: def.native,
          signal: this.abort.signal,
          onDump: (i, json) => {
            const threads = (JSON.parse(json) as unknown[]).length;
            this.line(`dump ${i + 1}/${count}: ${threads} thread${threads === 1 ? '' : 's'}`);
            progress.report({ message: `${i + 1} of ${count}`, increment: 100 / count });
          },
        });
      },
    );
    const cancelled = result.cancelled || this.abort.signal.aborted;
    if (result.dumps.length === 0) {
      if (result.failure?.notFound) return fail(`py-spy was not found at ${located.path}.`, 'Install it: python -m pip install py-spy');
      const problem = (!cancelled && result.failure ? explainPySpyFailure(result.failure.output, { ...pySpyEnvironment(located.path, def.pid), action: 'dump' }) : undefined) ?? {
        kind: 'unknown' as const,
        message: cancelled ? 'Cancelled before the first dump.' : `py-spy could not dump PID ${def.pid}: ${result.failure?.message ?? 'no output'}`,
        nextStep: cancelled ? 'Run it again.' : 'See the py-spy output in the terminal.',
      };
      this.line(`\r\n\x1b[31m${problem.message}\x1b[0m\r\nNext step: ${problem.nextStep}`);
      this.finish({ definition: def, ok: false, dumps: 0, cancelled, problem }, 1);
      if (!cancelled) void reportError(this.deps.log, `${problem.message} Next step: ${problem.nextStep}`, { notify: true });
      return;
    }
    if (result.failure) this.line(`\x1b[33mStopped after ${result.dumps.length} dump(s): ${result.failure.message}\x1b[0m`);
    const content = `${result.dumps.join('\n')}\n`;
    const name = `${evidenceStamp()}-pid${def.pid}.pyspy-dump.jsonl`;
    const note = `py-spy dump ×${result.dumps.length} of PID ${def.pid}, ${intervalMs / 1000} s apart${def.locals ? ', with locals' : ''}${def.native ? ', native frames' : ''}${cancelled ? ', stopped early' : ''}`;
    let output: vscode.Uri;
    let incidentId = this.deps.activeIncident.id;
    if (incidentId) {
      try {
        const written = await this.deps.writer.addEvidence(incidentId, { name, content, kind: 'stacks', note });
        output = vscode.Uri.joinPath(folder.uri, joinPath(incidentDir(incidentId), written.path));
        this.line(`Added to ${incidentId}'s evidence: ${written.path}`);
      } catch (e) {
        incidentId = undefined;
        output = vscode.Uri.joinPath(folder.uri, 'stacks', name);
        await vscode.workspace.fs.writeFile(output, new TextEncoder().encode(content));
        void reportError(this.deps.log, `The dumps were written to ${vscode.workspace.asRelativePath(output)}, but not added to the incident's evidence: ${errorMessage(e)}`, { notify: true, severity: 'warning', cause: e });
      }
    } else {
      output = vscode.Uri.joinPath(folder.uri, 'stacks', name);
      await vscode.workspace.fs.writeFile(output, new TextEncoder().encode(content));
      this.line(`Wrote ${vscode.workspace.asRelativePath(output)} (no active incident).`);
    }
    const series = parseStackDumps(content);
    const files = series.dumps.flatMap((d) => d.threads.flatMap((t) => t.frames.map((f) => f.file)));
    const analysis = analyzeStacks(series, await loadSources(files));
    for (const f of analysis.findings) this.line(`\x1b[33m${f.kind}\x1b[0m ${f.message}`);
    this.finish({ definition: def, ok: true, output, dumps: result.dumps.length, cancelled, ...(incidentId ? { incidentId } : {}), stuck: somethingStuck(analysis), findings: analysis.findings }, 0);
    if (def.open !== false) await vscode.commands.executeCommand('vscode.openWith', output, STACKS_VIEW_TYPE, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  }
}
