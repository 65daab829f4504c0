// Issue 15 in a real extension host against a real Jaeger (v2, built by install-deps), fed once with the
// demo service's traces by the OpenTelemetry SDK: search from the panel (slowest first, statistics of the
// result with what the slow ones share), auth headers kept in SecretStorage, compare the slowest with a
// fast one (N+1 and the span that grew), attach a trace to the active incident, a locked backend's error.
import * as assert from 'assert';
import { createServer } from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { pathToFileURL } from 'url';
import * as vscode from 'vscode';

const REPO = path.resolve(__dirname, '../../../..');
const config = () => vscode.workspace.getConfiguration('incidentWorkbench.traces');
const run = <T>(id: string, ...args: unknown[]) => vscode.commands.executeCommand(id, ...args) as Thenable<T>;

interface Row { traceId: string; durationMs: number; errors: number; rootOperation: string }
interface SearchSnapshot {
  backend: { url?: string; headers: boolean; api?: string };
  status: { state: string; text: string };
  results?: { rows: Row[] };
  stats?: { traces: number; slowAttributes: { key: string; value: string; slowShare: number; normalShare: number }[]; operations: { operation: string }[]; histogram: { count: number; exemplars: string[] }[] };
  compare: { a?: string; b?: string };
}
interface CompareSnapshot { a: { traceId: string }; b: { traceId: string }; changed: { path: string; deltaMs: number }[]; nPlusOneChanges: { statement: string; aCount: number; bCount: number }[]; criticalB: { operation: string }[] }

const REQUESTS = 8;
const BAD = 1;

describe('Trace search against a real Jaeger', function () {
  this.timeout(180_000);
  let jaeger: { url: string; stop(): Promise<void> };

  before(async () => {
    const support = (await import(pathToFileURL(path.join(REPO, 'test', 'support', 'jaeger.mjs')).href)) as {
      jaegerAvailable(): { ok: boolean; reason?: string };
      startJaeger(): Promise<{ url: string; stop(): Promise<void> }>;
      feedDemoLoad(j: object, o: object): Promise<number>;
    };
    const available = support.jaegerAvailable();
    assert.ok(available.ok, available.reason);
    jaeger = await support.startJaeger();
    assert.strictEqual(await support.feedDemoLoad(jaeger, { requests: REQUESTS, bad: BAD }), REQUESTS + BAD);
    await config().update('jaegerUrl', jaeger.url, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    await run('incidentWorkbench.setActiveIncident', null);
    await config().update('jaegerUrl', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await jaeger?.stop();
  });

  it('finds the slowest /recommend requests, with what the slow ones share', async () => {
    const s = await run<SearchSnapshot>('incidentWorkbench.searchTraces', { service: 'recommend', operation: 'POST /recommend', range: 'lookback', lookback: '1h', limit: '50' });
    assert.strictEqual(s.status.state, 'done', s.status.text);
    const rows = s.results!.rows;
    assert.strictEqual(rows.length, REQUESTS + BAD);
    assert.deepStrictEqual(rows.map((r) => r.durationMs), [...rows.map((r) => r.durationMs)].sort((a, b) => b - a));
    assert.strictEqual(rows[0]!.rootOperation, 'POST /recommend');
    assert.strictEqual(s.stats!.traces, REQUESTS + BAD);
    assert.ok(s.stats!.operations.some((o) => o.operation === 'pairwise_diversity'));
    assert.strictEqual(s.stats!.histogram.reduce((a, b) => a + b.count, 0), REQUESTS + BAD);
    const shared = s.stats!.slowAttributes.map((a) => `${a.key}=${a.value}`);
    assert.ok(shared.includes('app.client=ios') || shared.includes('recommend.pinned=true'), shared.join(', '));
  });

  it('keeps auth headers in SecretStorage, never in settings', async () => {
    assert.deepStrictEqual(await run('incidentWorkbench.setJaegerHeaders', 'X-Scope-OrgID: tenant-a'), ['X-Scope-OrgID']);
    const s = await run<SearchSnapshot>('incidentWorkbench._traceSearch');
    assert.strictEqual(s.backend.headers, true);
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('incidentWorkbench')).includes('tenant-a'));
    // Jaeger ignores the header; the search still works with it sent.
    const again = await run<SearchSnapshot>('incidentWorkbench._traceSearch', { type: 'search', form: { service: 'recommend', operation: '', tags: 'app.client=ios', minDuration: '', maxDuration: '', range: 'lookback', lookback: '1h', start: '', end: '', limit: '50' } });
    assert.strictEqual(again.status.state, 'done', again.status.text);
    assert.ok(again.results!.rows.length >= 1 && again.results!.rows.length < REQUESTS + BAD);
    assert.deepStrictEqual(await run('incidentWorkbench.setJaegerHeaders', ''), []);
  });

  it('compares the slowest with a fast one: the N+1 that grew and the span on the critical path', async () => {
    const s = await run<SearchSnapshot>('incidentWorkbench.searchTraces', { service: 'recommend', operation: 'POST /recommend', tags: '', range: 'lookback', lookback: '1h', limit: '50' });
    const rows = s.results!.rows;
    const fast = rows.filter((r) => r.errors === 0).pop()!.traceId;
    const c = await run<CompareSnapshot>('incidentWorkbench.compareTraces', fast, rows[0]!.traceId);
    assert.strictEqual(c.b.traceId, rows[0]!.traceId);
    assert.ok(c.nPlusOneChanges.some((n) => /FROM items WHERE id = \?/.test(n.statement) && n.bCount > n.aCount), JSON.stringify(c.nPlusOneChanges));
    assert.ok(c.changed.some((x) => x.path.endsWith('pairwise_diversity') && x.deltaMs > 0));
    assert.strictEqual(c.criticalB[0]!.operation, 'pairwise_diversity');
  });

  it('attaches a trace to the active incident, redacted by the writer', async () => {
    await run('incidentWorkbench.setActiveIncident', 'INC-2026-001');
    const s = await run<SearchSnapshot>('incidentWorkbench._traceSearch');
    const id = s.results!.rows[0]!.traceId;
    await run('incidentWorkbench._traceSearch', { type: 'attachTrace', traceId: id });
    const root = vscode.workspace.workspaceFolders![0]!.uri;
    const incident = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(root, '.incidents', 'INC-2026-001', 'incident.json')))) as { evidence: { path: string; kind: string; redaction?: { ran: boolean } }[] };
    const item = incident.evidence.find((e) => e.path.includes(`jaeger-${id}`));
    assert.ok(item, JSON.stringify(incident.evidence.map((e) => e.path)));
    assert.strictEqual(item.kind, 'trace');
    assert.strictEqual(item.redaction?.ran, true);
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(root, '.incidents', 'INC-2026-001', item.path)));
    assert.ok(text.includes(id));
  });

  it('a backend that refuses the credentials is an error that says so', async () => {
    const server = createServer((_req, res) => res.writeHead(401).end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      await config().update('jaegerUrl', `http://127.0.0.1:${(server.address() as AddressInfo).port}`, vscode.ConfigurationTarget.Workspace);
      const s = await run<SearchSnapshot>('incidentWorkbench._traceSearch', { type: 'search', form: { service: 'recommend', operation: '', tags: '', minDuration: '', maxDuration: '', range: 'lookback', lookback: '1h', start: '', end: '', limit: '20' } });
      assert.strictEqual(s.status.state, 'error');
      assert.match(s.status.text, /401 Unauthorized: the auth headers are missing or not accepted/);
    } finally {
      server.close();
      await config().update('jaegerUrl', jaeger.url, vscode.ConfigurationTarget.Workspace);
    }
  });
});
