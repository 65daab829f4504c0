// Issue 13 in a real extension host: stack dumps of a real deadlocked process with real py-spy (the
// py-spy-dump task, the incident's evidence, the stack view, a frame opening its line), dumps people
// already have, and the flame graph page's data for a cProfile file and a GPU torch trace.
import { waitFor } from './wait';
import * as assert from 'assert';
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

const STACKS = path.resolve(__dirname, '../../fixtures/stacks');
const PROFILES = path.resolve(__dirname, '../../fixtures/profile');
const STUCK = path.join(STACKS, 'stuck.py');
const STUCK_LINES = fs.readFileSync(STUCK, 'utf8').split('\n');
const lineOf = (text: string) => STUCK_LINES.findIndex((l) => l.includes(text)) + 1;

const run = <T>(command: string, ...args: unknown[]) => vscode.commands.executeCommand(command, ...args) as Thenable<T>;

interface DumpResult {
  ok: boolean;
  output?: vscode.Uri;
  dumps: number;
  cancelled: boolean;
  incidentId?: string;
  stuck?: boolean;
  findings?: { kind: string; threadIds: number[]; file: string; line: number; message: string }[];
  problem?: { message: string; nextStep: string };
}

function stacksTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === 'incidentWorkbench.stacks');
}

describe('Stack dumps and other profilers (issue 13)', function () {
  this.timeout(90000);
  let stuck: ChildProcess | undefined;
  const root = () => vscode.workspace.workspaceFolders![0]!.uri;

  before(async () => {
    await vscode.extensions.getExtension('incident-workbench.incident-workbench')!.activate();
    stuck = spawn('python3', [STUCK], { stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise((resolve, reject) => {
      stuck!.once('error', reject);
      stuck!.stdout!.once('data', resolve);
    });
  });
  after(() => stuck?.kill('SIGKILL'));

  it('dumps a deadlocked process three times into the active incident and opens the stack view; the deadlock line opens', async () => {
    const incident = await run<{ id: string }>('incidentWorkbench.newIncident', { title: 'Stuck checkout', severity: 'HIGH' });
    await run('incidentWorkbench.setActiveIncident', incident.id);
    try {
      const r = await run<DumpResult>('incidentWorkbench.dumpPythonStacks', { pid: stuck!.pid, dumps: 3, interval: 0.3 });
      assert.ok(r.ok, JSON.stringify(r.problem));
      assert.equal(r.dumps, 3);
      assert.equal(r.incidentId, incident.id);
      assert.equal(r.stuck, true);
      const rel = path.relative(path.join(root().fsPath, '.incidents', incident.id), r.output!.fsPath);
      assert.match(rel, /^evidence\/stacks\/.+-pid\d+\.pyspy-dump\.jsonl$/);
      const json = JSON.parse(fs.readFileSync(path.join(root().fsPath, '.incidents', incident.id, 'incident.json'), 'utf8'));
      const ev = json.evidence.find((e: { kind: string }) => e.kind === 'stacks');
      assert.equal(ev.path, rel);
      assert.match(ev.note, /py-spy dump ×3 of PID \d+/);
      // The file holds one py-spy JSON array per dump.
      assert.equal(fs.readFileSync(r.output!.fsPath, 'utf8').trim().split('\n').length, 3);
      const deadlock = r.findings!.find((f) => f.kind === 'deadlock')!;
      assert.ok(deadlock, JSON.stringify(r.findings));
      assert.ok([lineOf('        with audit_lock:'), lineOf('        with accounts_lock:')].includes(deadlock.line));
      // The stack view opened on the file, and shows the same analysis.
      await waitFor('the stack view', () => stacksTabs().find((t) => (t.input as vscode.TabInputCustom).uri.fsPath === r.output!.fsPath));
      const report = await waitFor('the stack view\'s document', async () => run<{ dumps: number; findings: { kind: string }[] } | undefined>('incidentWorkbench._stacksReport', r.output));
      assert.equal(report.dumps, 3);
      assert.equal(report.findings[0]!.kind, 'deadlock');
      // What a click on the finding's link does: the file at the line.
      const editor = await run<vscode.TextEditor | undefined>('incidentWorkbench._openStackFrame', deadlock.file, deadlock.line);
      assert.ok(editor);
      assert.equal(editor.document.uri.fsPath, STUCK);
      assert.equal(editor.selection.active.line + 1, deadlock.line);
    } finally {
      await run('incidentWorkbench.setActiveIncident', null);
    }
  });

  it('reads a log with faulthandler blocks through Open Stack Dump…; /app maps to the workspace copy', async () => {
    const config = vscode.workspace.getConfiguration('incidentWorkbench');
    await config.update('pathMappings', { '/app': STACKS }, vscode.ConfigurationTarget.Workspace);
    try {
      const log = vscode.Uri.joinPath(root(), 'service-faulthandler.log');
      await vscode.workspace.fs.writeFile(log, fs.readFileSync(path.join(STACKS, 'service-faulthandler.log')));
      const opened = await run<vscode.Uri>('incidentWorkbench.openStackDump', log);
      assert.equal(opened.fsPath, log.fsPath);
      const report = await waitFor('the dump read', async () => run<{ dumps: number; findings: { kind: string; file: string }[] } | undefined>('incidentWorkbench._stacksReport', log));
      assert.equal(report.dumps, 3);
      assert.ok(report.findings.some((f) => f.kind === 'deadlock'), JSON.stringify(report.findings));
      const editor = await run<vscode.TextEditor | undefined>('incidentWorkbench._openStackFrame', '/app/stuck.py', lineOf('return jobs.get()'));
      assert.equal(editor?.document.uri.fsPath, STUCK);
    } finally {
      await config.update('pathMappings', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('a missing py-spy is reported with the install command; no dump file is written', async () => {
    const config = vscode.workspace.getConfiguration('incidentWorkbench');
    await config.update('pySpyPath', '/nonexistent/py-spy', vscode.ConfigurationTarget.Workspace);
    try {
      const r = await run<DumpResult>('incidentWorkbench.dumpPythonStacks', { pid: stuck!.pid, dumps: 1, open: false });
      assert.equal(r.ok, false);
      assert.match(r.problem!.message, /does not run/);
      assert.match(r.problem!.nextStep, /pip install py-spy/);
    } finally {
      await config.update('pySpyPath', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('the flame graph page gets cProfile\'s exact table and its approximation note, and a GPU trace\'s op table with CPU threads apart', async () => {
    const prof = await run<{ note?: string; calls?: { name: string[]; tt: Float64Array; totalTime: number }; data?: { threads: { device?: boolean }[] }; error?: string }>('incidentWorkbench._profileSnapshot', vscode.Uri.file(path.join(PROFILES, 'workload.prof')));
    assert.equal(prof.error, undefined);
    assert.match(prof.note!, /approximated from the call graph/);
    const hot = prof.calls!.name.indexOf('hot_loop');
    assert.ok(hot >= 0);
    assert.ok(prof.calls!.tt[hot]! / prof.calls!.totalTime > 0.5);
    const gpu = await run<{ ops?: { deviceIdlePct: number; kernels: unknown[]; streams: { stream: number }[] }; data?: { threads: { name: string; device?: boolean }[] } }>('incidentWorkbench._profileSnapshot', vscode.Uri.file(path.join(PROFILES, 'torch', 'hta-alexnet-a100.pt.trace.json.gz')));
    assert.equal(gpu.ops!.deviceIdlePct, 99.69);
    assert.equal(gpu.ops!.kernels.length, 16);
    assert.deepEqual(gpu.ops!.streams.map((s) => s.stream), [7, 20]);
    assert.ok(gpu.data!.threads.some((t) => t.device) && gpu.data!.threads.some((t) => !t.device));
  });
});
