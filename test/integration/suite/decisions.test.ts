// Decisions (A/B tests, rollback, model errors) in a real extension host: the demo's A/B file in its custom
// editor, the rollback gate against a real Prometheus (Debian's package, backfilled with promtool) and a
// real, harmless rollback command run as a task, and the model robustness test against the demo's real
// predict script.
import { waitFor } from './wait';
import * as assert from 'assert';
import * as vscode from 'vscode';
import { readFileSync } from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';

const EXTENSION_ID = 'incident-workbench.incident-workbench';
const REPO = path.resolve(__dirname, '../../../..');

function root(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri;
}

async function copyIn(repoPath: string, workspacePath: string): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(root(), ...workspacePath.split('/'));
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
  await vscode.workspace.fs.writeFile(uri, readFileSync(path.join(REPO, repoPath)));
  return uri;
}

async function write(workspacePath: string, text: string): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(root(), ...workspacePath.split('/'));
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  return uri;
}

async function readJson<T = Record<string, unknown>>(...segments: string[]): Promise<T> {
  return JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(root(), ...segments))).toString('utf8')) as T;
}

const config = () => vscode.workspace.getConfiguration('incidentWorkbench');

interface Incident {
  id: string;
  evidence?: { kind: string; path: string; note?: string }[];
  events?: { kind: string; text: string }[];
}

describe('Decisions: A/B tests, rollback, model errors', function () {
  this.timeout(120000);

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });

  after(async () => {
    for (const key of ['rollback.command', 'prometheusUrl', 'model.predictCommand']) await config().update(key, undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens the demo "5 % better with 50 samples" in the A/B editor and says it is not a result', async () => {
    const uri = await copyIn('demo/experiments/checkout-button.abtest.json', 'experiments/checkout-button.abtest.json');
    const result = (await vscode.commands.executeCommand('incidentWorkbench.analyzeAbTest', uri)) as { report: { verdict: { kind: string; headline: string }; test: { significant: boolean } } };
    assert.strictEqual(result.report.verdict.kind, 'not-enough-data');
    assert.match(result.report.verdict.headline, /^Not a result/);
    assert.strictEqual(result.report.test.significant, false);
    const tab = await waitFor('the A/B custom editor', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputCustom && input.viewType === 'incidentWorkbench.abtest' ? input : undefined;
    });
    assert.strictEqual(tab.uri.toString(), uri.toString());
  });

  it('CSV opens in a panel; bad input is a verdict, not an exception', async () => {
    const csv = await copyIn('demo/experiments/signup-by-user.csv', 'experiments/signup-by-user.csv');
    const r = (await vscode.commands.executeCommand('incidentWorkbench.analyzeAbTest', csv)) as { report: { novelty: { detected: boolean } } };
    assert.strictEqual(r.report.novelty.detected, true);
    const bad = await write('experiments/bad.abtest.json', JSON.stringify({ variants: [{ name: 'control', sampleSize: 10, successes: 20 }] }));
    const b = (await vscode.commands.executeCommand('incidentWorkbench.analyzeAbTest', bad)) as { report: { verdict: { kind: string }; validation: { issues: { type: string }[] } } };
    assert.strictEqual(b.report.verdict.kind, 'invalid');
    assert.deepStrictEqual(b.report.validation.issues.map((i) => i.type).sort(), ['one-variant', 'successes-exceed-sample-size']);
  });

  it('judges the demo deploy against Prometheus and rolls back with a real command, evidence first', async () => {
    const prom = (await import(pathToFileURL(path.join(REPO, 'test', 'support', 'prometheus.mjs')).href)) as {
      startPrometheus(o: { series: unknown[] }): Promise<{ url: string; stop(): Promise<void> }>;
    };
    const end = Math.floor(Date.now() / 60000) * 60 - 600;
    const start = end - 1800;
    const steps = Array.from({ length: 121 }, (_, i) => start + i * 15);
    const server = await prom.startPrometheus({
      series: [
        { name: 'checkout_cpu_percent', labels: { version: 'old' }, samples: steps.map((t, i) => [t, 40 + (i % 7) / 7]) },
        { name: 'checkout_cpu_percent', labels: { version: 'new' }, samples: steps.map((t, i) => [t, 40.2 + (i % 5) / 5]) },
      ],
    });
    try {
      // A metrics file that names its own Prometheus is asked about once per address; "deny" queries nothing.
      type Consent = { asked: string[]; remembered: string[] };
      const consent = (args: { answer?: string; forget?: boolean }) => vscode.commands.executeCommand('incidentWorkbench._prometheusConsent', args) as Thenable<Consent>;
      const cpuOf = (r: { report: { metrics: { metric: string; status: string; test: string }[] } }) => r.report.metrics.find((m) => m.metric === 'cpu')!;
      await consent({ answer: 'deny', forget: true });
      const named = (file: string, version: string) => {
        const doc = JSON.parse(readFileSync(path.join(REPO, 'demo', 'deploy', file), 'utf8')) as Record<string, unknown> & { metrics: Record<string, unknown> };
        doc.prometheusUrl = `${server.url}/`;
        doc.window = { start, end, step: '15s' };
        doc.metrics.cpu = { prometheus: `checkout_cpu_percent{version="${version}"}` };
        return JSON.stringify(doc);
      };
      const namedBaseline = await write('deploy-named/baseline.json', named('baseline.json', 'old'));
      const namedCurrent = await write('deploy-named/current.json', named('current.json', 'new'));
      type Judged = { report: { metrics: { metric: string; status: string; test: string }[] } };
      const denied = (await vscode.commands.executeCommand('incidentWorkbench.judgeRollback', { baseline: namedBaseline, current: namedCurrent, show: false })) as Judged;
      assert.strictEqual(cpuOf(denied).status, 'nodata', 'not queried without consent');
      assert.deepStrictEqual(await consent({}), { asked: [server.url], remembered: [] }, 'asked once for the address both files name');
      await consent({ answer: 'allow' });
      const allowed = (await vscode.commands.executeCommand('incidentWorkbench.judgeRollback', { baseline: namedBaseline, current: namedCurrent, show: false })) as Judged;
      assert.match(cpuOf(allowed).test, /Mann-Whitney/, 'queried after consent');
      assert.deepStrictEqual((await consent({ answer: 'deny' })).remembered, [server.url]);
      const again = (await vscode.commands.executeCommand('incidentWorkbench.judgeRollback', { baseline: namedBaseline, current: namedCurrent, show: false })) as Judged;
      assert.match(cpuOf(again).test, /Mann-Whitney/, 'consent is remembered for the workspace');
      assert.deepStrictEqual((await consent({})).asked, [server.url, server.url], 'and not asked again');
      assert.deepStrictEqual(await consent({ answer: 'dialog', forget: true }), { asked: [], remembered: [] });

      await config().update('prometheusUrl', server.url, vscode.ConfigurationTarget.Workspace);
      // The demo windows, with CPU read from Prometheus instead of the file.
      const withProm = (file: string, version: string) => {
        const doc = JSON.parse(readFileSync(path.join(REPO, 'demo', 'deploy', file), 'utf8')) as { window: unknown; metrics: Record<string, unknown> };
        doc.window = { start, end, step: '15s' };
        doc.metrics.cpu = { prometheus: `checkout_cpu_percent{version="${version}"}` };
        return JSON.stringify(doc);
      };
      const baseline = await write('deploy/baseline.json', withProm('baseline.json', 'old'));
      const current = await write('deploy/current.json', withProm('current.json', 'new'));
      await copyIn('demo/deploy/logs/checkout-v1.5.0.log', 'deploy/logs/checkout-v1.5.0.log');

      const judged = (await vscode.commands.executeCommand('incidentWorkbench.judgeRollback', { baseline, current })) as {
        decision: string;
        report: { metrics: { metric: string; status: string; test: string; current: number }[] };
      };
      assert.strictEqual(judged.decision, 'ROLLBACK');
      const cpu = judged.report.metrics.find((m) => m.metric === 'cpu')!;
      assert.match(cpu.test, /Mann-Whitney/, 'CPU samples came from the Prometheus range query');
      assert.ok(cpu.current > 40 && cpu.current < 41.5);

      const incident = (await vscode.commands.executeCommand('incidentWorkbench.newIncident', { title: 'Checkout errors after v1.5.0', severity: 'HIGH' })) as { id: string };
      // Harmless and local: writes a marker file in the workspace folder (the task's cwd).
      await config().update('rollback.command', ['python3', '-c', "open('rolled-back.txt', 'w').write('rolled back')"], vscode.ConfigurationTarget.Workspace);
      const result = (await vscode.commands.executeCommand('incidentWorkbench.rollBack', { baseline, current, incident: incident.id, confirm: true })) as {
        status: string;
        exitCode: number;
        evidencePath: string;
        incidentId: string;
      };
      assert.strictEqual(result.status, 'ran');
      assert.strictEqual(result.exitCode, 0);
      assert.strictEqual(Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(root(), 'rolled-back.txt'))).toString(), 'rolled back');

      const onDisk = await readJson<Incident>('.incidents', incident.id, 'incident.json');
      const ev = onDisk.evidence!.find((e) => e.path === result.evidencePath)!;
      assert.strictEqual(ev.kind, 'rollback');
      const snapshot = await readJson<{ decision: string; copiedEvidence: { path: string }[]; current: { metrics: { cpu: { kind: string } } } }>('.incidents', incident.id, ...ev.path.split('/'));
      assert.strictEqual(snapshot.decision, 'ROLLBACK');
      assert.strictEqual(snapshot.current.metrics.cpu.kind, 'samples');
      assert.strictEqual(snapshot.copiedEvidence.length, 1);
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(root(), '.incidents', incident.id, ...snapshot.copiedEvidence[0]!.path.split('/')));
      // Timeline: evidence recorded before the command started, then its exit code.
      const kinds = onDisk.events!.map((e) => e.kind);
      const evidenceAt = onDisk.events!.findIndex((e) => e.kind === 'evidence' && e.text.includes(ev.path));
      const startedAt = onDisk.events!.findIndex((e) => e.kind === 'rollback' && e.text.startsWith('Rollback started'));
      assert.ok(evidenceAt >= 0 && startedAt > evidenceAt, kinds.join(','));
      assert.ok(onDisk.events!.some((e) => e.kind === 'rollback' && /exit code 0/.test(e.text)));
    } finally {
      await server.stop();
    }
  });

  it('a failing rollback command is recorded with its exit code', async () => {
    const incident = (await vscode.commands.executeCommand('incidentWorkbench.newIncident', { title: 'Rollback that fails', severity: 'LOW' })) as { id: string };
    await config().update('rollback.command', ['python3', '-c', 'import sys; sys.exit(7)'], vscode.ConfigurationTarget.Workspace);
    await config().update('prometheusUrl', undefined, vscode.ConfigurationTarget.Workspace);
    const baseline = await copyIn('demo/deploy/baseline.json', 'deploy2/baseline.json');
    const current = await copyIn('demo/deploy/current-minor.json', 'deploy2/current.json');
    const result = (await vscode.commands.executeCommand('incidentWorkbench.rollBack', { baseline, current, incident: incident.id, confirm: true })) as { status: string; exitCode: number; decision: string };
    assert.strictEqual(result.decision, 'HOLD');
    assert.strictEqual(result.status, 'failed');
    assert.strictEqual(result.exitCode, 7);
    const onDisk = await readJson<Incident>('.incidents', incident.id, 'incident.json');
    assert.ok(onDisk.events!.some((e) => e.kind === 'rollback' && /exit code 7/.test(e.text)));
  });

  it('a thresholds file goes over the settings (2 % errors against a 1 % limit → ROLLBACK)', async () => {
    const baseline = await copyIn('demo/deploy/baseline.json', 'deploy3/baseline.json');
    const current = await copyIn('demo/deploy/current-minor.json', 'deploy3/current.json');
    const plain = (await vscode.commands.executeCommand('incidentWorkbench.judgeRollback', { baseline, current, show: false })) as { decision: string };
    assert.strictEqual(plain.decision, 'HOLD');
    const strict = await write('deploy3/strict.json', JSON.stringify({ errorRate: 0.01 }));
    const r = (await vscode.commands.executeCommand('incidentWorkbench.judgeRollback', { baseline, current, thresholds: strict, show: false })) as { decision: string; report: { thresholds: { errorRate: number } } };
    assert.strictEqual(r.decision, 'ROLLBACK');
    assert.strictEqual(r.report.thresholds.errorRate, 0.01);
    const bad = await write('deploy3/bad.json', JSON.stringify({ errorRate: 'high' }));
    const b = (await vscode.commands.executeCommand('incidentWorkbench.judgeRollback', { baseline, current, thresholds: bad, show: false })) as { decision?: string; error: string };
    assert.strictEqual(b.decision, undefined);
    assert.match(b.error, /bad\.json: threshold errorRate must be a non-negative number/);
  });

  it('finds the demo model high-confidence errors and its inconsistent predictions (real predict.py)', async () => {
    const file = await copyIn('demo/model/predictions.jsonl', 'model/predictions.jsonl');
    await config().update('model.predictCommand', ['python3', path.join(REPO, 'demo', 'model', 'predict.py')], vscode.ConfigurationTarget.Workspace);
    const r = (await vscode.commands.executeCommand('incidentWorkbench.analyzeModelPredictions', { file, robustness: true })) as {
      report: { total: number; highConfidenceErrorCount: number; highConfidenceErrors: { confidence: number }[] };
      robustness: { inconsistent: { variation: string }[]; tested: number };
    };
    assert.strictEqual(r.report.total, 78);
    assert.ok(r.report.highConfidenceErrorCount >= 3);
    assert.ok(r.report.highConfidenceErrors.every((e) => e.confidence > 0.9));
    assert.strictEqual(r.robustness.tested, 50);
    assert.ok(r.robustness.inconsistent.some((i) => i.variation === 'case_change'));
  });
});
