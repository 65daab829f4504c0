// Issue 12: memory investigation with real memray (and gdb for attaching) in a real extension host — the
// memray task by launch and by PID into the active incident or profiles/, Cancel keeping what was tracked, a
// process exiting while tracked, failures with a clear message and nothing half-written, the memory view's
// suspects and a click to the leaking line, memory heat in the editor (switchable with CPU heat), a diff.
import { waitFor as waitForDefault } from './wait';
import * as assert from 'assert';
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

const waitFor = <T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60000): Promise<T> => waitForDefault(what, probe, timeoutMs);

const FIXTURES = path.resolve(__dirname, '../../fixtures/memory');
const WORKLOAD = path.join(FIXTURES, 'workload.py');
const LEAK_LINE = fs.readFileSync(WORKLOAD, 'utf8').split('\n').findIndex((l) => l.trimEnd().endsWith('# LEAK')) + 1;
const PYTHON = process.env.IWB_PYTHON ?? 'python3';

interface RunResult {
  ok: boolean;
  output?: vscode.Uri;
  cancelled: boolean;
  processExited: boolean;
  incidentId?: string;
  problem?: { kind: string; message: string; nextStep: string };
}

interface Snapshot {
  mode: string;
  title: string;
  error?: string;
  suspects: { function: string; file: string; line: number; growthPerSecond?: number }[];
  available: Record<string, boolean>;
  timeline?: { t: number[] };
  diffRows?: Record<string, { function: string; line: number; deltaBytes: number }[]>;
}

const run = <T>(command: string, ...args: unknown[]) => vscode.commands.executeCommand(command, ...args) as Thenable<T>;

/** The workload, running long enough to attach to; resolves once it has started ("ready"). */
function startWorkload(seconds: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [WORKLOAD, '--seconds', String(seconds)], { stdio: ['ignore', 'pipe', 'ignore'] });
    child.once('error', reject);
    child.stdout!.once('data', () => resolve(child));
  });
}

function memoryTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === 'incidentWorkbench.memory');
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('Memory (issue 12)', function () {
  this.timeout(180000);
  const children: ChildProcess[] = [];
  const root = () => vscode.workspace.workspaceFolders![0]!.uri;
  let captured: vscode.Uri | undefined;

  before(async () => {
    await vscode.extensions.getExtension('incident-workbench.incident-workbench')!.activate();
    await vscode.workspace.getConfiguration('incidentWorkbench').update('memory.python', PYTHON === 'python3' ? undefined : PYTHON, vscode.ConfigurationTarget.Workspace);
  });
  after(() => {
    for (const c of children) c.kill();
  });

  it('runs a script under memray into the active incident: the capture, its evidence item and event', async () => {
    const incident = await run<{ id: string }>('incidentWorkbench.newIncident', { title: 'Memory evidence test', severity: 'HIGH' });
    await run('incidentWorkbench.setActiveIncident', incident.id);
    try {
      const r = await run<RunResult>('incidentWorkbench.profileMemory', { program: WORKLOAD, args: ['--iterations', '300'], open: false });
      assert.ok(r.ok, JSON.stringify(r.problem));
      assert.equal(r.incidentId, incident.id);
      assert.ok(r.processExited);
      const rel = path.relative(path.join(root().fsPath, '.incidents', incident.id), r.output!.fsPath);
      assert.match(rel, /^evidence\/memory\/.+-workload\.memray\.bin$/);
      const json = JSON.parse(fs.readFileSync(path.join(root().fsPath, '.incidents', incident.id, 'incident.json'), 'utf8'));
      const ev = json.evidence.find((e: { kind: string }) => e.kind === 'memory');
      assert.equal(ev.path, rel);
      assert.match(ev.note, /^memray \d+\.\d+\.\d+ run of .*workload\.py --iterations 300/);
      assert.deepEqual(ev.redaction, { ran: false, replaced: 0 });
      assert.ok(json.events.some((e: { kind: string; text: string }) => e.kind === 'evidence' && e.text.includes(rel)));
      captured = r.output;
    } finally {
      await run('incidentWorkbench.setActiveIncident', null);
    }
  });

  it('attaches to a running process by PID (gdb), for a duration; without an incident the capture goes to profiles/', async () => {
    const workload = await startWorkload(60);
    children.push(workload);
    const r = await run<RunResult>('incidentWorkbench.profileMemory', { pid: workload.pid, duration: 2, open: false });
    assert.ok(r.ok, JSON.stringify(r.problem));
    assert.equal(r.incidentId, undefined);
    assert.equal(r.processExited, false);
    assert.equal(path.relative(root().fsPath, path.dirname(r.output!.fsPath)), 'profiles');
    assert.match(path.basename(r.output!.fsPath), /-pid\d+\.memray\.bin$/);
    assert.ok(fs.statSync(r.output!.fsPath).size > 0);
  });

  it('Cancel (terminating the task) detaches and keeps what was tracked', async () => {
    const workload = await startWorkload(60);
    children.push(workload);
    const pending = run<RunResult>('incidentWorkbench.profileMemory', { pid: workload.pid, duration: 0, open: false });
    const execution = await waitFor('the memray task', () => vscode.tasks.taskExecutions.find((e) => e.task.definition.type === 'memray' && e.task.definition.pid === workload.pid));
    await new Promise((r) => setTimeout(r, 3000));
    execution.terminate();
    const r = await pending;
    assert.ok(r.ok, JSON.stringify(r.problem));
    assert.equal(r.cancelled, true);
    assert.ok(fs.statSync(r.output!.fsPath).size > 0);
  });

  it('a process that exits while tracked keeps what was tracked until then', async () => {
    // Long enough for gdb to attach on a loaded machine, shorter than the duration asked for.
    const workload = await startWorkload(12);
    children.push(workload);
    const r = await run<RunResult>('incidentWorkbench.profileMemory', { pid: workload.pid, duration: 90, open: false });
    assert.ok(r.ok, JSON.stringify(r.problem));
    assert.equal(r.processExited, true);
    assert.ok(fs.statSync(r.output!.fsPath).size > 0);
  });

  it('failures say what is wrong and what to do, and write nothing into .incidents/', async () => {
    const incident = await run<{ id: string }>('incidentWorkbench.newIncident', { title: 'Memory failures', severity: 'LOW' });
    await run('incidentWorkbench.setActiveIncident', incident.id);
    const incidents = path.join(root().fsPath, '.incidents');
    const before = filesUnder(incidents).sort();
    const config = vscode.workspace.getConfiguration('incidentWorkbench');
    try {
      // A process that is gone.
      const dead = spawn(PYTHON, ['-c', 'pass']);
      await new Promise((r) => dead.once('exit', r));
      const gone = await run<RunResult>('incidentWorkbench.profileMemory', { pid: dead.pid, duration: 1, open: false });
      assert.equal(gone.ok, false);
      assert.match(gone.problem!.kind, /no-process|exited/);
      assert.match(gone.problem!.message, new RegExp(`process ${dead.pid}`));
      // A program that is not Python: memray finds no interpreter in it.
      const sleeper = spawn('sleep', ['30']);
      children.push(sleeper);
      const wrong = await run<RunResult>('incidentWorkbench.profileMemory', { pid: sleeper.pid, duration: 1, open: false });
      assert.equal(wrong.ok, false);
      assert.equal(wrong.problem!.kind, 'wrong-python');
      assert.match(wrong.problem!.nextStep, /-m pip install memray/);
      // No memray: the install command.
      await config.update('memory.python', '/nonexistent/python3', vscode.ConfigurationTarget.Workspace);
      const missing = await run<RunResult>('incidentWorkbench.profileMemory', { program: WORKLOAD, open: false });
      assert.equal(missing.ok, false);
      assert.equal(missing.problem!.kind, 'no-memray');
      assert.match(missing.problem!.nextStep, /\/nonexistent\/python3 -m pip install memray/);
      assert.deepEqual(filesUnder(incidents).filter((f) => !f.endsWith('incident.json')).sort(), before.filter((f) => !f.endsWith('incident.json')));
      const json = JSON.parse(fs.readFileSync(path.join(incidents, incident.id, 'incident.json'), 'utf8'));
      assert.deepEqual(json.evidence ?? [], []);
    } finally {
      await config.update('memory.python', PYTHON === 'python3' ? undefined : PYTHON, vscode.ConfigurationTarget.Workspace);
      await run('incidentWorkbench.setActiveIncident', null);
    }
    assert.ok(vscode.extensions.getExtension('incident-workbench.incident-workbench')!.isActive);
  });

  it('opens the capture in the memory view: the leaking line is the top suspect, a click opens it, its memory heat shows', async () => {
    assert.ok(captured, 'the first test captured the workload');
    await run('incidentWorkbench.openMemoryCapture', captured);
    await waitFor('the memory editor', () => memoryTabs().length > 0 || undefined);
    const snapshot = await waitFor('the memory view to be drawn', async () => run<Snapshot | undefined>('incidentWorkbench._memorySnapshot'));
    assert.equal(snapshot.error, undefined);
    assert.ok(snapshot.timeline!.t.length > 10);
    assert.deepEqual(snapshot.available, { peak: true, leaks: true, temporary: true });
    const top = snapshot.suspects[0]!;
    assert.deepEqual([top.function, top.file, top.line], ['remember', WORKLOAD, LEAK_LINE]);
    assert.ok(top.growthPerSecond! > 0);
    // What a click on the suspect does (intent openSourceFor).
    const editor = await run<vscode.TextEditor | undefined>('incidentWorkbench._openMemorySource', top.file, top.line);
    assert.ok(editor, 'an editor opened');
    assert.equal(editor.document.uri.fsPath, WORKLOAD);
    assert.equal(editor.selection.active.line + 1, LEAK_LINE);
    // Memory heat: the leaking line has its lens (bytes leaked, share, allocations).
    const lens = await waitFor('the memory heat lens on the leaking line', async () => {
      const lenses = await run<vscode.CodeLens[]>('vscode.executeCodeLensProvider', vscode.Uri.file(WORKLOAD));
      return lenses.find((l) => l.range.start.line + 1 === LEAK_LINE && /leaked · [\d.]+% · [\d,]+ allocations/.test(l.command?.title ?? ''));
    });
    assert.ok(lens);
    // Switchable with CPU heat: the memory lenses go while CPU heat is shown, and come back.
    assert.equal(await run<string>('incidentWorkbench.switchEditorHeat', 'cpu'), 'cpu');
    const none = await run<vscode.CodeLens[]>('vscode.executeCodeLensProvider', vscode.Uri.file(WORKLOAD));
    assert.ok(!none.some((l) => /leaked ·/.test(l.command?.title ?? '')));
    assert.equal(await run<string>('incidentWorkbench.switchEditorHeat', 'memory'), 'memory');
    assert.deepEqual(await waitFor('heat lines again', async () => ((await run<number[]>('incidentWorkbench._memoryHeatLines', vscode.Uri.file(WORKLOAD))) ?? []).includes(LEAK_LINE) || undefined), true);
    assert.equal(await run<boolean>('incidentWorkbench.toggleMemoryHeat', false), false);
    assert.deepEqual(await run<number[]>('incidentWorkbench._memoryHeatLines', vscode.Uri.file(WORKLOAD)), []);
    await run('incidentWorkbench.toggleMemoryHeat', true);
  });

  it('compares two captures in bytes: the bounded cache removes the leak', async () => {
    const fixed = await run<RunResult>('incidentWorkbench.profileMemory', { program: WORKLOAD, args: ['--fixed'], open: false });
    assert.ok(fixed.ok, JSON.stringify(fixed.problem));
    const snapshot = await run<Snapshot>('incidentWorkbench.compareMemoryCaptures', captured, fixed.output);
    assert.equal(snapshot.error, undefined);
    assert.equal(snapshot.mode, 'diff');
    const leak = snapshot.diffRows!.leaks[0]!;
    assert.deepEqual([leak.function, leak.line], ['remember', LEAK_LINE]);
    assert.ok(leak.deltaBytes < 0);
  });

  it('opens tracemalloc, memory_profiler and mprof files made by the real tools, and bad files with a message instead of a crash', async () => {
    const dir = path.join(root().fsPath, 'captures');
    fs.mkdirSync(dir, { recursive: true });
    const tool = (args: string[], out?: string) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(PYTHON, args, { cwd: FIXTURES, stdio: ['ignore', out ? fs.openSync(out, 'w') : 'ignore', 'pipe'] });
        let err = '';
        child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
        child.once('error', reject);
        child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')}: ${err}`))));
      });
    await tool([path.join(FIXTURES, 'make_snapshot.py'), path.join(dir, 'workload.tracemalloc')]);
    await tool(['-m', 'memory_profiler', path.join(FIXTURES, 'profiled.py')], path.join(dir, 'profiled.memory_profiler.txt'));
    await tool(['-m', 'mprof', 'run', '--python', '-o', path.join(dir, 'profiled.mprof.dat'), path.join(FIXTURES, 'profiled.py')]);
    const expected: [string, Record<string, boolean>][] = [
      ['workload.tracemalloc', { peak: true, leaks: true, temporary: false }],
      ['profiled.memory_profiler.txt', { peak: true, leaks: true, temporary: true }],
      ['profiled.mprof.dat', { peak: true, leaks: true, temporary: true }],
    ];
    for (const [file, available] of expected) {
      await run('incidentWorkbench.openMemoryCapture', vscode.Uri.file(path.join(dir, file)));
      const s = await waitFor(`${file} in the memory view`, async () => {
        const x = await run<(Snapshot & { title: string }) | undefined>('incidentWorkbench._memorySnapshot');
        return x?.title.endsWith(file) ? x : undefined;
      });
      assert.equal(s.error, undefined, file);
      assert.deepEqual(s.available, available, file);
    }
    const bad = vscode.Uri.joinPath(root(), 'garbage.memray.bin');
    await vscode.workspace.fs.writeFile(bad, Buffer.from('<img src=x onerror=alert(1)>\u0000\u0001'));
    await run('incidentWorkbench.openMemoryCapture', bad);
    const refused = await waitFor('the bad file refused', async () => {
      const x = await run<Snapshot | undefined>('incidentWorkbench._memorySnapshot');
      return x?.title.endsWith('garbage.memray.bin') ? x : undefined;
    });
    assert.match(refused.error!, /garbage\.memray\.bin: binary data that is neither a memray capture nor a tracemalloc snapshot/);
    await run('incidentWorkbench.openMemoryCapture', vscode.Uri.file(path.join(FIXTURES, 'workload-memray-1.18.bin')));
    const old = await waitFor('the old capture refused with the memray it needs', async () => {
      const x = await run<Snapshot | undefined>('incidentWorkbench._memorySnapshot');
      return x?.error?.includes('memray 1.11 to 1.18') ? x : undefined;
    });
    assert.match(old.error!, /capture format 11/);
    assert.ok(vscode.extensions.getExtension('incident-workbench.incident-workbench')!.isActive);
  });
});
