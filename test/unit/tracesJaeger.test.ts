// Against a real Jaeger (v2, built by install-deps), started once and fed once with the demo service's
// traces through the OpenTelemetry SDK's OTLP exporter: services, search over both APIs, compare by trace
// id, statistics, and the errors of backends that are down, slow, locked or not Jaeger at all.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BackendError, listOperations, listServices, searchTraces } from '../../src/core/traces/jaeger';
import { buildQuery } from '../../src/core/traces/query';
import { repoRoot, runCli } from './helpers';

interface JaegerModule {
  jaegerAvailable(): { ok: boolean; reason?: string };
  startJaeger(o?: object): Promise<{ url: string; otlpHttp: string; stop(): Promise<void>; log(): string }>;
  feedDemoLoad(j: object, o?: { requests?: number; bad?: number }): Promise<number>;
}

const REQUESTS = 12;
const BAD = 2;
let jaeger: { url: string; otlpHttp: string; stop(): Promise<void>; log(): string };

before(async () => {
  const support = (await import(pathToFileURL(path.join(repoRoot, 'test', 'support', 'jaeger.mjs')).href)) as JaegerModule;
  const available = support.jaegerAvailable();
  assert.ok(available.ok, available.reason);
  jaeger = await support.startJaeger();
  const held = await support.feedDemoLoad(jaeger, { requests: REQUESTS, bad: BAD });
  assert.equal(held, REQUESTS + BAD, jaeger.log());
});

after(async () => {
  await jaeger?.stop();
});

test('services and operations from the live Jaeger', async () => {
  const services = await listServices({ url: jaeger.url });
  assert.ok(services.includes('recommend') && services.includes('load-generator'), services.join());
  const ops = await listOperations({ url: jaeger.url }, 'recommend');
  assert.ok(ops.includes('POST /recommend') && ops.includes('pairwise_diversity'), ops.join());
});

test('iwb traces search --json: the contract, slowest first, every request; tags narrow it', async () => {
  const r = await runCli(['traces', 'search', '--jaeger', jaeger.url, '--service', 'recommend', '--operation', 'POST /recommend', '--lookback', '1h', '--limit', '100', '--json']);
  assert.equal(r.code, 0, r.err);
  const rows = JSON.parse(r.out) as { traceId: string; startTime: string; durationMs: number; spanCount: number; services: string[]; rootOperation: string; errors: number }[];
  assert.equal(rows.length, REQUESTS + BAD);
  assert.deepEqual(Object.keys(rows[0]!), ['traceId', 'startTime', 'durationMs', 'spanCount', 'services', 'rootOperation', 'errors']);
  const durations = rows.map((x) => x.durationMs);
  assert.deepEqual(durations, [...durations].sort((a, b) => b - a));
  assert.deepEqual(rows[0]!.services, ['load-generator', 'recommend']);
  assert.equal(rows[0]!.rootOperation, 'POST /recommend');
  assert.ok(!Number.isNaN(Date.parse(rows[0]!.startTime)));
  // The malformed requests fail; on a loaded machine a pinned-items request may also miss its 1 s deadline.
  assert.ok(rows.filter((x) => x.errors > 0).length >= BAD);
  const ios = JSON.parse((await runCli(['traces', 'search', '--jaeger', jaeger.url, '--service', 'recommend', '--tag', 'app.client=ios', '--limit', '100', '--json'])).out) as { traceId: string }[];
  // Every other good request of the load's (shuffled) plan comes from the ios client.
  assert.ok(ios.length >= REQUESTS / 2 - 2 && ios.length <= REQUESTS / 2 + 2, String(ios.length));
  assert.ok(ios.every((x) => rows.some((y) => y.traceId === x.traceId)));
  const slowOnes = JSON.parse((await runCli(['traces', 'search', '--jaeger', jaeger.url, '--service', 'recommend', '--min-duration', `${durations[ios.length - 1]! - 1}ms`, '--limit', '100', '--json'])).out) as { traceId: string }[];
  assert.ok(slowOnes.length >= 1 && slowOnes.length < rows.length);
  // api_v3 finds the same traces.
  const v3 = JSON.parse((await runCli(['traces', 'search', '--jaeger', jaeger.url, '--api', 'v3', '--service', 'recommend', '--limit', '100', '--json'])).out) as { traceId: string; durationMs: number }[];
  assert.deepEqual(v3.map((x) => x.traceId).sort(), rows.map((x) => x.traceId).sort());
});

test('iwb trace compare ID ID --jaeger: the slowest against a fast one shows the N+1 and the quadratic span', async () => {
  const rows = JSON.parse((await runCli(['traces', 'search', '--jaeger', jaeger.url, '--service', 'recommend', '--limit', '100', '--json'])).out) as { traceId: string; errors: number }[];
  // The slowest is a pinned-items request (on a loaded machine it may also have missed its deadline,
  // after ranking: its spans are all there); the fast one a plain request that succeeded.
  const ok = rows.filter((x) => x.errors === 0);
  const slowest = rows[0]!.traceId;
  const fast = ok[ok.length - 1]!.traceId;
  const j = await runCli(['trace', 'compare', fast, slowest, '--jaeger', jaeger.url, '--json']);
  assert.equal(j.code, 0, j.err);
  const c = JSON.parse(j.out);
  assert.deepEqual([c.a.traceId, c.b.traceId], [fast, slowest]);
  assert.ok(c.changed.some((x: { path: string; deltaMs: number }) => x.path.endsWith('pairwise_diversity') && x.deltaMs > 0));
  const human = await runCli(['trace', 'compare', fast, slowest, '--jaeger', jaeger.url]);
  assert.match(human.out, /N\+1 changed: \d+ → \d+ × "SELECT id, name, embedding FROM items WHERE id = \?"/);
  // Quadratic on a quiet machine; under heavy load the measured exponent drifts above the band.
  assert.match(human.out, /(Quadratic|Superlinear): .*pairwise_diversity — own time/);
  const missing = await runCli(['trace', 'compare', fast, 'ffffffffffffffffffffffffffffffff', '--jaeger', jaeger.url, '--json']);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /holds no trace ffffffffffffffffffffffffffffffff/);
});

test('iwb traces stats --jaeger: what the slow requests share is the pinned items of the ios client', async () => {
  const r = await runCli(['traces', 'stats', '--jaeger', jaeger.url, '--service', 'recommend', '--operation', 'POST /recommend', '--slow-above', '0', '--json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.traces, REQUESTS + BAD);
  const byTime = await runCli(['traces', 'stats', '--jaeger', jaeger.url, '--service', 'recommend', '--json']);
  const s = JSON.parse(byTime.out);
  const top = s.slowAttributes.map((a: { key: string; value: string }) => `${a.key}=${a.value}`);
  assert.ok(top.includes('app.client=ios') || top.includes('recommend.pinned=true'), top.join(', '));
  const ios = s.slowAttributes.find((a: { key: string; value: string }) => a.key === 'app.client' && a.value === 'ios');
  assert.ok(ios.slowShare > ios.normalShare);
  const ops = s.operations.map((o: { service: string; operation: string }) => `${o.service} ${o.operation}`);
  assert.ok(ops.includes('recommend pairwise_diversity') && ops.includes('load-generator POST /recommend'));
});

test('a search cancelled while it runs ends as cancelled, with what had arrived', async () => {
  const controller = new AbortController();
  controller.abort();
  const query = buildQuery({ service: 'recommend', limit: 100 }, Date.now() * 1000);
  await assert.rejects(searchTraces({ url: jaeger.url }, query, { signal: controller.signal }), (e: unknown) => e instanceof BackendError && e.kind === 'cancelled');
  const late = new AbortController();
  let bytes = 0;
  const r = await searchTraces({ url: jaeger.url }, query, { signal: late.signal, onBytes: (b) => ((bytes = b), late.abort()) }).catch((e: unknown) => e);
  assert.ok(bytes > 0);
  if (r instanceof BackendError) assert.equal(r.kind, 'cancelled');
  else assert.equal((r as { cancelled: boolean }).cancelled, true);
});

async function serve(handler: (res: import('node:http').ServerResponse) => void): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => handler(res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

test('backends that are down, locked, slow or not Jaeger: exit 2 with one line that says which', async (t) => {
  const closed = await serve(() => undefined);
  closed.server.close();
  const locked = await serve((res) => res.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end('{"error":"no"}'));
  const page = await serve((res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><img src=x onerror=alert(1)></html>'));
  const stuck = await serve(() => undefined);
  t.after(() => {
    locked.server.close();
    page.server.close();
    stuck.server.closeAllConnections();
    stuck.server.close();
  });
  const cases: [string, string[], RegExp][] = [
    ['down', [closed.url], /cannot reach Jaeger at .*connection refused/],
    ['401', [locked.url, '--header', 'Authorization: Bearer wrong'], /401 Unauthorized: the auth headers are missing or not accepted/],
    ['html', [page.url], /answers neither Jaeger's \/api\/services nor \/api\/v3\/services/],
    ['slow', [stuck.url, '--timeout', '1s'], /did not answer within 1 s/],
  ];
  for (const [name, target, message] of cases) {
    const r = await runCli(['traces', 'search', '--jaeger', ...target, '--service', 'recommend', '--json']);
    assert.equal(r.code, 2, name);
    assert.match(r.err, message, name);
    assert.equal(r.err.split('\n').length, 1, name);
    assert.doesNotMatch(r.err, /Bearer wrong/, 'credentials never shown');
    assert.deepEqual(Object.keys(JSON.parse(r.out)), ['error']);
    const s = await runCli(['traces', 'stats', '--jaeger', ...target, '--service', 'recommend']);
    assert.equal(s.code, 2, `stats ${name}`);
  }
  const usage = await runCli(['traces', 'search', '--service', 'recommend']);
  assert.equal(usage.code, 2);
  assert.match(usage.err, /--jaeger URL is required/);
});
