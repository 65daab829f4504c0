// Issue 5 in a real extension host: an evidence bundle imported into an incident, the demo's real
// OpenTelemetry trace in the waterfall custom editor (slowest span, critical path, N+1, span logs,
// click-to-code), metrics from a real Prometheus (Debian's package, backfilled with promtool) for the
// trace's window, the anomaly analysis, and the forensics timeline appended to the post-mortem.
import { waitFor as waitForDefault } from './wait';
import * as assert from 'assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import * as vscode from 'vscode';

const waitFor = <T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20000): Promise<T> => waitForDefault(what, probe, timeoutMs);

const EXTENSION_ID = 'incident-workbench.incident-workbench';
const REPO = path.resolve(__dirname, '../../../..');
const DEMO_EVIDENCE = path.join(REPO, 'demo', '.incidents', 'INC-2026-001', 'evidence');

interface Snapshot {
  traceId?: string;
  error?: string;
  names?: string[];
  rows?: { spanId: string[]; name: number[]; flags: number[] };
  summary?: { spanCount: number; slowest?: { row: number; operation: string; percentage: number }; criticalSpans: number; nPlusOne: { parentOperation: string; count: number }[] };
  traces: { traceId: string }[];
  logs: { count: number; source?: string };
  metrics: { source?: string; series: { series: string; points: [number, number][] }[] };
}
interface State {
  snapshot: Snapshot;
  lastMessage?: { type: string; logs?: { message: string }[]; code?: { file: string; line?: number }; series?: string; peakTime?: string; errorCount?: number; text?: string; kind?: string };
  lastOpened?: string;
  lastLine?: number;
}

const root = () => vscode.workspace.workspaceFolders![0]!.uri;
const config = () => vscode.workspace.getConfiguration('incidentWorkbench');
const state = (intent?: unknown) => vscode.commands.executeCommand('incidentWorkbench._traceWaterfall', intent) as Thenable<State | undefined>;

function rowOf(s: Snapshot, name: string): number {
  return s.rows!.name.findIndex((n) => s.names![n] === name);
}

describe('Traces: waterfall, critical path, logs and metrics (issue 5)', function () {
  this.timeout(120000);
  let incidentId: string;
  let bundle: string;

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    // The demo service's code, so /app/service/model.py in the spans resolves to service/model.py here.
    cpSync(path.join(REPO, 'demo', 'service'), path.join(root().fsPath, 'service'), { recursive: true });
    bundle = mkdtempSync(path.join(tmpdir(), 'iwb-bundle-'));
    cpSync(path.join(DEMO_EVIDENCE, 'traces', 'recommend.otlp.jsonl'), path.join(bundle, 'export-1.json'));
    cpSync(path.join(DEMO_EVIDENCE, 'logs', 'recommend-traced.jsonl'), path.join(bundle, 'app.jsonl'));
    writeFileSync(path.join(bundle, 'latency.csv'), 'timestamp,name,value,labels\n2026-11-29T02:50:00Z,latency_p95,0.2,job=recommend\n');
  });
  after(async () => {
    rmSync(bundle, { recursive: true, force: true });
    for (const key of ['prometheusUrl', 'traceMetricsQueries']) await config().update(key, undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('imports an evidence bundle: files sorted by content into evidence/traces|logs|metrics and recorded', async () => {
    const incident = (await vscode.commands.executeCommand('incidentWorkbench.newIncident', { title: 'Slow recommendations', severity: 'HIGH' })) as { id: string };
    incidentId = incident.id;
    const placed = (await vscode.commands.executeCommand('incidentWorkbench.importEvidenceBundle', incidentId, vscode.Uri.file(bundle))) as { path: string; kind: string }[];
    assert.deepStrictEqual(placed.map((p) => [p.kind, p.path]).sort(), [
      ['logs', 'evidence/logs/app.jsonl'],
      ['metrics', 'evidence/metrics/latency.csv'],
      ['trace', 'evidence/traces/export-1.json'],
    ]);
    const json = JSON.parse(readFileSync(path.join(root().fsPath, '.incidents', incidentId, 'incident.json'), 'utf8')) as { evidence: { kind: string; path: string }[]; events: { text: string }[] };
    assert.deepStrictEqual(json.evidence.map((e) => e.kind).sort(), ['logs', 'metrics', 'trace']);
    assert.ok(json.events.some((e) => e.text.includes('evidence/traces/export-1.json')));
  });

  it('opens the trace in the waterfall: slowest span, critical path, N+1 and the logs found next to it', async () => {
    const uri = vscode.Uri.joinPath(root(), '.incidents', incidentId, 'evidence', 'traces', 'export-1.json');
    await vscode.commands.executeCommand('incidentWorkbench.openTraceWaterfall', uri);
    const s = (await waitFor('the waterfall', async () => (await state())?.snapshot))!;
    assert.ok(!s.error, s.error);
    assert.strictEqual(s.traces.length, 8, 'the file holds 8 requests: the trace list');
    assert.strictEqual(s.summary!.slowest!.operation, 'pairwise_diversity');
    assert.ok(s.summary!.slowest!.percentage > 50, `share ${s.summary!.slowest!.percentage}`);
    assert.ok(s.summary!.criticalSpans > 1);
    assert.strictEqual(s.rows!.flags[s.summary!.slowest!.row]! & 2, 2, 'the slowest span is on the critical path');
    assert.deepStrictEqual(s.summary!.nPlusOne.map((p) => p.parentOperation), ['load_items']);
    assert.ok(s.logs.count >= 2, `logs joined by trace id: ${s.logs.count}`);
    assert.match(s.logs.source ?? '', /evidence\/logs\/app\.jsonl$/);
  });

  it('selecting a span shows its attributes and its own logs; its code location opens at the line', async () => {
    const s = (await state())!.snapshot;
    const row = rowOf(s, 'pairwise_diversity');
    const selected = (await state({ type: 'selectSpan', row }))!;
    assert.strictEqual(selected.lastMessage?.type, 'spanDetail');
    assert.deepStrictEqual(selected.lastMessage.logs!.map((l) => l.message), [selected.lastMessage.logs![0]!.message]);
    assert.match(selected.lastMessage.logs![0]!.message, /pairwise diversity over \d+ candidates/);
    assert.strictEqual(selected.lastMessage.code!.file, '/app/service/model.py');
    const opened = (await state({ type: 'openCode', row }))!;
    assert.ok(opened.lastOpened?.endsWith('/service/model.py'), opened.lastOpened);
    const expected = readFileSync(path.join(REPO, 'demo', 'service', 'model.py'), 'utf8').split('\n').findIndex((l) => l.startsWith('def pairwise_diversity')) + 1;
    assert.strictEqual(opened.lastLine! + 1, selected.lastMessage.code!.line);
    assert.strictEqual(opened.lastLine! + 1, expected, 'the editor is at the def line');
  });

  it('queries a real Prometheus for the trace window, analyses the anomaly, appends the timeline to the post-mortem', async () => {
    // The demo trace's minutes, shifted to 15 minutes ago so the backfilled blocks are within retention.
    const text = readFileSync(path.join(DEMO_EVIDENCE, 'traces', 'recommend.otlp.jsonl'), 'utf8');
    const first = Math.min(...[...text.matchAll(/"startTimeUnixNano":"(\d+)"/g)].map((m) => Number(m[1]!.slice(0, -6))));
    const shift = BigInt(Date.now() - 15 * 60_000 - first) * 1_000_000n;
    const shifted = text.replace(/"(start|end|)(Time|time)UnixNano":"(\d+)"/g, (_m, a: string, b: string, n: string) => `"${a}${b}UnixNano":"${BigInt(n) + shift}"`);
    const uri = vscode.Uri.joinPath(root(), '.incidents', incidentId, 'evidence', 'traces', 'recent.otlp.jsonl');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(shifted));
    const traceStart = Date.now() - 15 * 60_000;
    const prom = (await import(pathToFileURL(path.join(REPO, 'test', 'support', 'prometheus.mjs')).href)) as {
      startPrometheus(o: { series: unknown[] }): Promise<{ url: string; stop(): Promise<void> }>;
    };
    const t0 = Math.floor(traceStart / 1000);
    const steps = Array.from({ length: 121 }, (_, i) => t0 - 1800 + i * 15).filter((t) => t < Date.now() / 1000 - 300);
    const server = await prom.startPrometheus({
      series: [
        { name: 'recommend_latency_p95_seconds', labels: { job: 'recommend' }, samples: steps.map((t) => [t, Math.abs(t - t0) <= 60 ? 5.2 : 0.18 + (t % 4) / 100]) },
        { name: 'recommend_db_pool_in_use', labels: { job: 'recommend' }, samples: steps.map((t) => [t, Math.abs(t - t0) <= 60 ? 19 : 4]) },
      ],
    });
    try {
      await config().update('prometheusUrl', server.url, vscode.ConfigurationTarget.Workspace);
      await config().update('traceMetricsQueries', ['recommend_latency_p95_seconds', 'recommend_db_pool_in_use'], vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand('incidentWorkbench.openTraceWaterfall', uri);
      await waitFor('the shifted trace', async () => ((await state())?.snapshot.traceId ? true : undefined));
      const queried = (await state({ type: 'queryPrometheus' }))!;
      assert.match(queried.snapshot.metrics.source ?? '', /^Prometheus http:\/\/127\.0\.0\.1:\d+/);
      const names = queried.snapshot.metrics.series.map((x) => x.series).sort();
      assert.deepStrictEqual(names, ['recommend_db_pool_in_use{job="recommend"}', 'recommend_latency_p95_seconds{job="recommend"}']);
      const latency = queried.snapshot.metrics.series.findIndex((x) => x.series.startsWith('recommend_latency'));
      const analysed = (await state({ type: 'analyzeAnomaly', series: latency }))!;
      assert.strictEqual(analysed.lastMessage?.type, 'anomaly');
      assert.ok(Math.abs(Date.parse(analysed.lastMessage.peakTime!) - traceStart) <= 120_000, `peak ${analysed.lastMessage.peakTime} near the trace`);

      const appended = (await vscode.commands.executeCommand('incidentWorkbench.appendForensicsTimeline')) as string;
      assert.match(appended, /appended to \.incidents\/INC-\d{4}-\d{3}\/postmortem\.json/);
      const pm = JSON.parse(readFileSync(path.join(root().fsPath, '.incidents', incidentId, 'postmortem.json'), 'utf8')) as { timeline: { event: string; action?: string }[] };
      const actions = pm.timeline.map((e) => e.action);
      assert.ok(actions.includes('anomaly'), JSON.stringify(pm.timeline));
      assert.ok(actions.includes('trace'));
      assert.ok(pm.timeline.some((e) => /Slow request: trace [0-9a-f]{32} took .*pairwise_diversity/.test(e.event)));
      // Appending again adds nothing new.
      const again = (await vscode.commands.executeCommand('incidentWorkbench.appendForensicsTimeline')) as string;
      assert.match(again, /^0 timeline entries appended/);
    } finally {
      await server.stop();
    }
  });

  it('a file that is not a trace opens with a specific message, never a crash', async () => {
    const uri = vscode.Uri.joinPath(root(), 'not-a-trace.otlp.json');
    await vscode.workspace.fs.writeFile(uri, Buffer.from('{"hello": "<script>alert(1)</script>"}'));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('vscode.openWith', uri, 'incidentWorkbench.traceWaterfall');
    const s = await waitFor('the error snapshot', async () => (await state())?.snapshot.error);
    assert.match(s, /not a trace file: expected OTLP\/JSON/);
  });
});
