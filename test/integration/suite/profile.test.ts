// Issue 3: profiling with real py-spy in a real extension host — the py-spy task by PID and by launch,
// evidence in the active incident, the flamegraph custom editor, click-to-source, source heat, diff.
import { waitFor as waitForDefault } from './wait';
import * as assert from 'assert';
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

const waitFor = <T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20000): Promise<T> => waitForDefault(what, probe, timeoutMs);

const FIXTURES = path.resolve(__dirname, '../../fixtures/profile');
const WORKLOAD = path.join(FIXTURES, 'workload.py');
const HOT_LINE = fs.readFileSync(WORKLOAD, 'utf8').split('\n').findIndex((l) => l.includes('total += i * i % 7')) + 1;

interface RunResult {
  ok: boolean;
  output?: vscode.Uri;
  samples?: number;
  cancelled: boolean;
  processExited: boolean;
  incidentId?: string;
  problem?: { kind: string; message: string; nextStep: string };
}

const run = <T>(command: string, ...args: unknown[]) => vscode.commands.executeCommand(command, ...args) as Thenable<T>;

function startWorkload(seconds: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [WORKLOAD, '--seconds', String(seconds)], { stdio: ['ignore', 'pipe', 'ignore'] });
    child.once('error', reject);
    child.stdout!.once('data', () => resolve(child));
  });
}

function flamegraphTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === 'incidentWorkbench.flamegraph');
}

describe('Profiling (issue 3)', function () {
  this.timeout(90000);
  let workload: ChildProcess | undefined;
  const root = () => vscode.workspace.workspaceFolders![0]!.uri;

  before(async () => {
    await vscode.extensions.getExtension('incident-workbench.incident-workbench')!.activate();
  });
  after(() => workload?.kill());

  it('profiles a running process by PID into the active incident: file, evidence item and event', async () => {
    const incident = await run<{ id: string }>('incidentWorkbench.newIncident', { title: 'Profile evidence test', severity: 'HIGH' });
    await run('incidentWorkbench.setActiveIncident', incident.id);
    workload = await startWorkload(30);
    const r = await run<RunResult>('incidentWorkbench.profilePythonProcess', { pid: workload.pid, duration: 2, rate: 100, open: false });
    assert.ok(r.ok, JSON.stringify(r.problem));
    assert.equal(r.incidentId, incident.id);
    assert.ok((r.samples ?? 0) > 50, `samples ${r.samples}`);
    const rel = path.relative(path.join(root().fsPath, '.incidents', incident.id), r.output!.fsPath);
    assert.match(rel, /^evidence\/profiles\/.+-pid\d+\.speedscope\.json$/);
    const json = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(root(), '.incidents', incident.id, 'incident.json'))).toString());
    const ev = json.evidence.find((e: { kind: string }) => e.kind === 'profile');
    assert.equal(ev.path, rel);
    assert.match(ev.note, /py-spy PID \d+, 100 Hz/);
    assert.ok(json.events.some((e: { kind: string; text: string }) => e.kind === 'evidence' && e.text.includes(rel)));
    const summary = fs.readFileSync(r.output!.fsPath, 'utf8');
    assert.ok(summary.includes('"py-spy@'));
    await run('incidentWorkbench.setActiveIncident', null);
  });

  it('launches a script under py-spy; without an active incident the profile goes to profiles/', async () => {
    const r = await run<RunResult>('incidentWorkbench.profilePythonProcess', { program: 'python3', args: [WORKLOAD, '--seconds', '2'], duration: 10, open: false });
    assert.ok(r.ok, JSON.stringify(r.problem));
    assert.equal(r.incidentId, undefined);
    assert.equal(path.relative(root().fsPath, path.dirname(r.output!.fsPath)), 'profiles');
    assert.ok(r.processExited, 'the script ends before the 10 s duration');
  });

  it('Cancel (terminating the task) stops py-spy and keeps what was sampled', async () => {
    workload ??= await startWorkload(30);
    const pending = run<RunResult>('incidentWorkbench.profilePythonProcess', { pid: workload.pid, duration: 0, open: false });
    const execution = await waitFor('the py-spy task', () => vscode.tasks.taskExecutions.find((e) => e.task.definition.type === 'py-spy' && e.task.definition.pid === workload!.pid));
    await new Promise((r) => setTimeout(r, 2500));
    execution.terminate();
    const r = await pending;
    assert.ok(r.ok, JSON.stringify(r.problem));
    assert.equal(r.cancelled, true);
    assert.ok((r.samples ?? 0) > 20, `samples ${r.samples}`);
    assert.ok(fs.statSync(r.output!.fsPath).size > 0);
  });

  it('a missing py-spy is reported with the install command, and the extension stays up', async () => {
    const config = vscode.workspace.getConfiguration('incidentWorkbench');
    await config.update('pySpyPath', '/nonexistent/py-spy', vscode.ConfigurationTarget.Workspace);
    try {
      const r = await run<RunResult>('incidentWorkbench.profilePythonProcess', { pid: process.pid, duration: 1, open: false });
      assert.equal(r.ok, false);
      assert.match(r.problem!.message, /does not run/);
      assert.match(r.problem!.nextStep, /pip install py-spy/);
    } finally {
      await config.update('pySpyPath', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('opens a profile in the flamegraph editor; a frame opens the file at its line; the hot line has heat', async () => {
    workload ??= await startWorkload(30);
    const r = await run<RunResult>('incidentWorkbench.profilePythonProcess', { pid: workload.pid, duration: 2, open: true });
    assert.ok(r.ok);
    await waitFor('the flamegraph editor', () => flamegraphTabs().length > 0 || undefined);
    // The page asks for the source of a frame exactly as a click does (intent openSourceFor).
    const editor = await run<vscode.TextEditor | undefined>('incidentWorkbench._openProfileFrame', WORKLOAD, HOT_LINE);
    assert.ok(editor, 'an editor opened');
    assert.equal(editor.document.uri.fsPath, WORKLOAD);
    assert.equal(editor.selection.active.line + 1, HOT_LINE);
    const lenses = await waitFor('heat code lenses', async () => {
      const l = await run<vscode.CodeLens[]>('vscode.executeCodeLensProvider', vscode.Uri.file(WORKLOAD));
      return l.find((x) => x.range.start.line + 1 === HOT_LINE && /% self · .*% total/.test(x.command?.title ?? ''));
    });
    assert.ok(lenses);
    assert.equal(await run<boolean>('incidentWorkbench.toggleProfileHeat', false), false);
    const none = await run<vscode.CodeLens[]>('vscode.executeCodeLensProvider', vscode.Uri.file(WORKLOAD));
    assert.ok(!none.some((x) => /% self/.test(x.command?.title ?? '')));
    await run('incidentWorkbench.toggleProfileHeat', true);
  });

  it('frame files recorded elsewhere (a container, another host) resolve to the workspace: trailing segments, a unique file name, a path mapping', async () => {
    // Files created now: the workspace listing the resolver keeps must notice them.
    const deep = vscode.Uri.joinPath(root(), 'resolve_me', 'deep', 'handler_only_here.py');
    await vscode.workspace.fs.writeFile(deep, Buffer.from('def handle():\n    return 1\n\n\ndef other():\n    return 2\n'));
    const resolved = async (file: string) => (await run<vscode.Uri | undefined>('incidentWorkbench._resolveProfileFile', file))?.fsPath === deep.fsPath || undefined;
    const opened = async (file: string, line: number) => {
      const editor = await run<vscode.TextEditor | undefined>('incidentWorkbench._openProfileFrame', file, line);
      return editor && editor.document.uri.fsPath === deep.fsPath && editor.selection.active.line + 1 === line ? editor : undefined;
    };
    // `/app/...` does not exist here; its trailing segments do (once the file watcher has told the resolver).
    await waitFor('the trailing segments found in the workspace', () => resolved('/app/resolve_me/deep/handler_only_here.py'));
    assert.ok(await opened('/app/resolve_me/deep/handler_only_here.py', 5));
    // Only the file name matches, and only one workspace file has it.
    assert.ok(await resolved('/somewhere/else/handler_only_here.py'));
    // A second file of that name: the name alone no longer says which.
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(root(), 'resolve_me', 'handler_only_here.py'), Buffer.from('x = 1\n'));
    await waitFor('the name alone to be ambiguous', async () => (await run<vscode.Uri | undefined>('incidentWorkbench._resolveProfileFile', '/elsewhere/handler_only_here.py')) === undefined || undefined);
    const config = vscode.workspace.getConfiguration('incidentWorkbench');
    await config.update('pathMappings', { '/srv/app': '${workspaceFolder}/resolve_me' }, vscode.ConfigurationTarget.Workspace);
    try {
      assert.ok(await opened('/srv/app/deep/handler_only_here.py', 1));
    } finally {
      await config.update('pathMappings', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('opens every fixture format in the flamegraph editor, and bad files with a message instead of a crash', async () => {
    const bad = vscode.Uri.joinPath(root(), 'garbage.speedscope.json');
    await vscode.workspace.fs.writeFile(bad, Buffer.from('{"profiles": [ <script>alert(1)</script>'));
    for (const f of ['workload.speedscope.json', 'workload-threads.raw', 'workload.chrometrace.json']) {
      await run('incidentWorkbench.openProfile', vscode.Uri.file(path.join(FIXTURES, f)));
    }
    await run('incidentWorkbench.openProfile', bad);
    await waitFor('four flamegraph tabs', () => flamegraphTabs().length >= 4 || undefined);
    assert.ok(vscode.extensions.getExtension('incident-workbench.incident-workbench')!.isActive);
  });

  it('compares two profiles: the diff table has hot_loop falling', async () => {
    const snapshot = await run<{ mode: string; diffRows: { function: string; deltaPct: number }[]; error?: string }>(
      'incidentWorkbench.compareProfiles',
      vscode.Uri.file(path.join(FIXTURES, 'workload.speedscope.json')),
      vscode.Uri.file(path.join(FIXTURES, 'workload-fast.speedscope.json')),
    );
    assert.equal(snapshot.mode, 'diff');
    assert.equal(snapshot.error, undefined);
    const hot = snapshot.diffRows.find((r) => r.function === 'hot_loop')!;
    assert.ok(hot.deltaPct < -10, String(hot.deltaPct));
  });

  it('Profile Test from the Test Explorer (Testing API): a pytest item of a class runs as its node id under py-spy', async () => {
    const file = vscode.Uri.joinPath(root(), 'profile_tests', 'test_spin.py');
    await vscode.workspace.fs.writeFile(file, Buffer.from('import time\n\n\nclass TestSpin:\n    def test_spin(self):\n        total = 0\n        end = time.monotonic() + 1.5\n        while time.monotonic() < end:\n            total += 1\n        assert total > 0\n'));
    // Items as the Python extension's controller makes them: the file, its class, the test.
    const controller = vscode.tests.createTestController('iwb-profile-test-items', 'Profile test items');
    try {
      const fileItem = controller.createTestItem(file.fsPath, 'test_spin.py', file);
      const cls = controller.createTestItem(`${file.fsPath}::TestSpin`, 'TestSpin', file);
      const test = controller.createTestItem(`${file.fsPath}::TestSpin::test_spin`, 'test_spin', file);
      test.range = new vscode.Range(4, 4, 9, 25);
      cls.children.add(test);
      fileItem.children.add(cls);
      controller.items.add(fileItem);
      const r = await run<RunResult & { definition: { args: string[] } }>('incidentWorkbench.profilePytestTest', test);
      assert.ok(r.ok, JSON.stringify(r.problem));
      assert.deepEqual(r.definition.args.slice(0, 3), ['-m', 'pytest', 'profile_tests/test_spin.py::TestSpin::test_spin']);
      // The samples are the test's: its frame is in the profile.
      assert.ok(fs.readFileSync(r.output!.fsPath, 'utf8').includes('"TestSpin.test_spin"'), 'the test\'s frame (py-spy names it TestSpin.test_spin) is in the profile');
    } finally {
      controller.dispose();
    }
  });

  describe('Compare Profiles from two profile evidence items selected in the Incidents tree', () => {
    type Node = { kind: string; entry?: { id: string }; group?: string; stage?: string; item?: { path: string; at: string; kind: string } };
    const children = (node?: Node) => run<Node[]>('incidentWorkbench._incidentsTreeChildren', node);
    const diffTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.label.startsWith('Diff: '));
    /** Waits for the diff panel a call opened: its tab shows up a moment after the call returns. */
    const newDiffTab = async <T>(label: string, call: () => Thenable<T>): Promise<T> => {
      const count = () => diffTabs().filter((t) => t.label === label).length;
      const before = count();
      const result = await call();
      await waitFor(`a new tab "${label}"`, () => count() > before || undefined);
      return result;
    };
    const SLOW_TO_FAST = 'workload.speedscope.json → workload-fast.speedscope.json';
    let id: string;
    let slow: Node;
    let fast: Node;

    before(async () => {
      // The two real py-spy fixtures (test/fixtures/profile/NOTE.md) as the incident's profile evidence:
      // workload.speedscope.json recorded first, workload-fast.speedscope.json (hot_loop does a tenth of the work) later.
      ({ id } = await run<{ id: string }>('incidentWorkbench.newIncident', { title: 'Compare profile evidence', severity: 'MEDIUM' }));
      const profiles = vscode.Uri.joinPath(root(), '.incidents', id, 'evidence', 'profiles');
      for (const f of ['workload.speedscope.json', 'workload-fast.speedscope.json']) {
        await vscode.workspace.fs.copy(vscode.Uri.file(path.join(FIXTURES, f)), vscode.Uri.joinPath(profiles, f));
        const r = await run<{ status: string }>('incidentWorkbench.attachEvidence', id, { path: `evidence/profiles/${f}`, kind: 'profile', note: f });
        assert.equal(r.status, 'applied');
        await new Promise((resolve) => setTimeout(resolve, 20)); // distinct recorded times
      }
      // Down the real tree provider: group → incident → Evidence stage → evidence items.
      const groups = await children();
      const incidentNode = await waitFor('the incident in the tree', async () => {
        for (const g of groups.filter((n) => n.kind === 'group')) {
          const found = (await children(g)).find((n) => n.kind === 'incident' && n.entry?.id === id);
          if (found) return found;
        }
        return undefined;
      });
      const stage = (await children(incidentNode)).find((n) => n.kind === 'stage' && n.stage === 'evidence')!;
      const items = await children(stage);
      assert.deepEqual(items.map((n) => n.kind), ['evidence', 'evidence']);
      [slow, fast] = items as [Node, Node];
      assert.equal(slow.item!.path, 'evidence/profiles/workload.speedscope.json');
      assert.ok(Date.parse(slow.item!.at) < Date.parse(fast.item!.at), `${slow.item!.at} < ${fast.item!.at}`);
    });

    it('the older evidence item is "before", whichever was clicked or selected first', async () => {
      // As VS Code calls a context-menu command on a multi-selection: (clicked item, selected items).
      const snapshot = await newDiffTab(`Diff: ${SLOW_TO_FAST}`, () =>
        run<{ mode: string; title: string; description: string; diffRows: { function: string; deltaPct: number }[]; error?: string }>('incidentWorkbench.compareProfiles', fast, [fast, slow]),
      );
      assert.equal(snapshot.error, undefined);
      assert.equal(snapshot.mode, 'diff');
      assert.equal(snapshot.title, `Profile diff: ${SLOW_TO_FAST}`);
      assert.ok(snapshot.description.includes(`from .incidents/${id}/evidence/profiles/workload.speedscope.json to .incidents/${id}/evidence/profiles/workload-fast.speedscope.json`), snapshot.description);
      const hot = snapshot.diffRows.find((r) => r.function === 'hot_loop')!;
      assert.ok(hot.deltaPct < -10, String(hot.deltaPct));

      // The same selection right-clicked on the other item gives the same order.
      const again = await newDiffTab(`Diff: ${SLOW_TO_FAST}`, () => run<{ title: string }>('incidentWorkbench.compareProfiles', slow, [slow, fast]));
      assert.equal(again.title, snapshot.title);
    });

    it('without recorded times (Explorer files) the selection order decides', async () => {
      const a = vscode.Uri.file(path.join(FIXTURES, 'workload-fast.speedscope.json'));
      const b = vscode.Uri.file(path.join(FIXTURES, 'workload.speedscope.json'));
      const snapshot = await newDiffTab('Diff: workload-fast.speedscope.json → workload.speedscope.json', () => run<{ title: string }>('incidentWorkbench.compareProfiles', b, [a, b]));
      assert.equal(snapshot.title, 'Profile diff: workload-fast.speedscope.json → workload.speedscope.json');
    });

    it('one or three selected items: nothing is guessed, no diff opens', async () => {
      const tabsBefore = diffTabs().length;
      assert.equal(await run('incidentWorkbench.compareProfiles', slow, [slow]), undefined);
      assert.equal(await run('incidentWorkbench.compareProfiles', slow, [slow, fast, slow]), undefined);
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(diffTabs().length, tabsBefore);
    });

    it('single-item commands act on the clicked item of a multi-selection', async () => {
      const opened = await run<vscode.Uri>('incidentWorkbench.openProfile', fast, [slow, fast]);
      assert.equal(path.basename(opened.path), 'workload-fast.speedscope.json');
      const incidentNode = (await children((await children()).find((n) => n.kind === 'group' && n.group === 'open'))).find((n) => n.entry?.id === id)!;
      const editor = await run<vscode.TextEditor>('incidentWorkbench.openIncidentFile', incidentNode, [incidentNode, slow]);
      assert.equal(path.relative(root().fsPath, editor.document.uri.fsPath), path.join('.incidents', id, 'incident.json'));
      assert.equal(await run<string>('incidentWorkbench.showIncident', incidentNode, [slow, incidentNode]), id);
    });
  });
});
