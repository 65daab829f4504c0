// Across traces, without a backend: the search query (property tests), comparing two traces of the demo
// and statistics over a file of many, with the CLI's JSON contracts and exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { aggregateSpans, statsJson } from '../../src/core/traces/aggregate';
import { compareDetailed, compareTraces } from '../../src/core/traces/compare';
import { importTraces } from '../../src/core/traces/import';
import { buildTrace } from '../../src/core/traces/model';
import { buildQuery, checkTraceId, goDuration, parseDuration, parseTag, QueryError, v1SearchPath, v3SearchPath } from '../../src/core/traces/query';
import type { Span } from '../../src/core/traces/types';
import { readFileSync } from 'node:fs';
import { repoRoot, tempDir, runCli } from './helpers';

const FIXTURE = 'test/fixtures/traces/demo-service.otlp.jsonl';
// The fixture's three requests: a fast failing one, a normal one (16 features) and one with 150 pinned items.
const NORMAL = '7731af10506bf2efc6f877186d76b07e';
const SLOW = '9d33a01c353c631cdfd43f371200339d';

test('durations: Go and Jaeger UI forms, round trip through goDuration', () => {
  assert.equal(parseDuration('250ms'), 250_000);
  assert.equal(parseDuration('1.5s'), 1_500_000);
  assert.equal(parseDuration('1h30m'), 5400e6);
  assert.equal(parseDuration('500us'), 500);
  assert.equal(parseDuration('40'), 40_000);
  for (const bad of ['', 'ms', '5 parsecs', '1s2', '-1s', '<img src=x onerror=alert(1)>']) assert.throws(() => parseDuration(bad), QueryError, bad);
  fc.assert(fc.property(fc.integer({ min: 0, max: 10 ** 12 }), (us) => parseDuration(goDuration(us)) === us));
  fc.assert(fc.property(fc.string(), (s) => {
    try {
      const v = parseDuration(s);
      return Number.isFinite(v) && v >= 0;
    } catch (e) {
      return e instanceof QueryError;
    }
  }));
});

test('tags split at the first =, trace ids are hex only', () => {
  assert.deepEqual(parseTag('http.route=/a=b'), ['http.route', '/a=b']);
  assert.throws(() => parseTag('=x'), QueryError);
  assert.throws(() => parseTag('novalue'), QueryError);
  assert.equal(checkTraceId(' ABCDEF0123 '), 'abcdef0123');
  for (const bad of ['../api', 'xyz', '1'.repeat(33), 'a b']) assert.throws(() => checkTraceId(bad), QueryError);
});

test('a query becomes both APIs\' query strings; anything typed is encoded, never changes the path', () => {
  const now = Date.UTC(2026, 10, 20, 10) * 1000;
  const q = buildQuery({ service: 'recommend', operation: 'POST /recommend', tags: ['app.client=ios', 'error=true'], minDuration: '100ms', lookback: '2h', limit: '50' }, now);
  assert.deepEqual([q.startUs, q.endUs, q.limit, q.minDurationUs], [now - 7200e6, now, 50, 100_000]);
  const v1 = new URL(`http://x${v1SearchPath(q)}`);
  assert.equal(v1.pathname, '/api/traces');
  assert.equal(v1.searchParams.get('operation'), 'POST /recommend');
  assert.deepEqual(JSON.parse(v1.searchParams.get('tags')!), { 'app.client': 'ios', error: 'true' });
  assert.equal(v1.searchParams.get('minDuration'), '100ms');
  const v3 = new URL(`http://x${v3SearchPath(q)}`);
  assert.equal(v3.pathname, '/api/v3/traces');
  assert.equal(v3.searchParams.get('query.attributes[app.client]'), 'ios');
  assert.equal(v3.searchParams.get('query.start_time_min'), '2026-11-20T08:00:00.000000Z');
  assert.equal(v3.searchParams.get('query.num_traces'), '50');
  assert.throws(() => buildQuery({ service: '' }, now), /service is required/);
  assert.throws(() => buildQuery({ service: 's', lookback: '1h', start: '2026-01-01T00:00:00Z' }, now), /either a lookback/);
  assert.throws(() => buildQuery({ service: 's', start: '2026-11-20T11:00:00Z', end: '2026-11-20T10:00:00Z' }, now), /empty/);
  assert.throws(() => buildQuery({ service: 's', limit: '0' }, now), /limit/);
  fc.assert(fc.property(fc.string({ minLength: 1 }), fc.string(), fc.string(), (service, key, value) => {
    fc.pre(service.trim() !== '' && key.trim() !== '' && !key.includes('='));
    const built = buildQuery({ service, tags: [`${key}=${value}`] }, now);
    for (const p of [v1SearchPath(built), v3SearchPath(built)]) {
      const u = new URL(`http://x${p}`);
      if (!u.pathname.startsWith('/api/')) return false;
      if (u.searchParams.get(p.startsWith('/api/v3') ? 'query.service_name' : 'service') !== service.trim()) return false;
    }
    return true;
  }));
});

function demoSpans(): Span[] {
  return importTraces(readFileSync(path.join(repoRoot, FIXTURE), 'utf8')).spans;
}

function traceOf(spans: Span[], id: string) {
  return buildTrace(spans.filter((s) => s.traceId === id), id);
}

test('compare: the slow request against a normal one names the N+1 that grew and the quadratic span', () => {
  const spans = demoSpans();
  const d = compareDetailed(traceOf(spans, NORMAL), traceOf(spans, SLOW));
  assert.deepEqual(Object.keys(d.comparison), ['a', 'b', 'onlyInA', 'onlyInB', 'changed']);
  assert.equal(d.comparison.a.traceId, NORMAL);
  assert.ok(d.comparison.b.durationMs > d.comparison.a.durationMs);
  const deltas = d.comparison.changed.map((c) => Math.abs(c.deltaMs));
  assert.deepEqual(deltas, [...deltas].sort((x, y) => y - x), 'biggest |delta| first');
  for (const c of d.comparison.changed) assert.equal(c.deltaMs, Math.round((c.bMs - c.aMs) * 1000) / 1000);
  assert.ok(d.comparison.changed.some((c) => c.path.endsWith(' > rank > pairwise_diversity')));
  const n = d.nPlusOneChanges[0]!;
  assert.match(n.statement, /FROM items WHERE id = \?/);
  assert.ok(n.bCount > n.aCount);
  assert.ok(d.superlinear.some((s) => s.path.endsWith('pairwise_diversity') && s.kind === 'quadratic'), JSON.stringify(d.superlinear));
  assert.equal(d.criticalB[0]!.operation, 'pairwise_diversity');
  // Compared with itself nothing differs.
  const same = compareTraces(traceOf(spans, SLOW), traceOf(spans, SLOW));
  assert.deepEqual([same.onlyInA, same.onlyInB], [[], []]);
  assert.ok(same.changed.every((c) => c.deltaMs === 0));
});

test('compare: spans only in one trace are listed by path with count and time', () => {
  const span = (traceId: string, spanId: string, parent: string | undefined, name: string, start: number, end: number): Span => ({ traceId, spanId, ...(parent ? { parentSpanId: parent } : {}), name, service: 'svc', startUs: start, endUs: end, status: 'UNSET', kind: 'INTERNAL', attributes: {}, events: [], links: [] }) as Span;
  const a = buildTrace([span('a', '1', undefined, 'GET /x', 0, 100), span('a', '2', '1', 'cache', 10, 20)], 'a');
  const b = buildTrace([span('b', '1', undefined, 'GET /x', 0, 300), span('b', '2', '1', 'db', 10, 110), span('b', '3', '1', 'db', 120, 220)], 'b');
  const c = compareTraces(a, b);
  assert.deepEqual(c.onlyInA, [{ path: 'GET /x > cache', count: 1, durationMs: 0.01 }]);
  assert.deepEqual(c.onlyInB, [{ path: 'GET /x > db', count: 2, durationMs: 0.2 }]);
  assert.deepEqual(c.changed, [{ path: 'GET /x', aMs: 0.1, bMs: 0.3, deltaMs: 0.2 }]);
});

test('stats: percentiles per operation and the attribute the slow requests share', () => {
  // 40 requests: the ones from the ios client take 10× as long.
  const spans: Span[] = [];
  for (let i = 0; i < 40; i++) {
    const ios = i % 4 === 0;
    const id = i.toString(16).padStart(32, '0');
    const d = (ios ? 1000 : 100) + i;
    spans.push({ traceId: id, spanId: `${id.slice(16)}`, name: 'POST /recommend', service: 'recommend', startUs: i * 1000, endUs: i * 1000 + d * 1000, status: i === 5 ? 'ERROR' : 'UNSET', attributes: { 'app.client': ios ? 'ios' : 'web', 'http.request.id': String(i) }, events: [] } as unknown as Span);
  }
  const d = aggregateSpans(spans);
  assert.equal(d.traces, 40);
  const op = d.operations[0]!;
  assert.deepEqual(Object.keys(statsJson(d)), ['traces', 'operations', 'slowAttributes']);
  assert.deepEqual(Object.keys(statsJson(d).operations[0]!), ['service', 'operation', 'count', 'errorRate', 'p50Ms', 'p95Ms', 'p99Ms']);
  assert.equal(op.count, 40);
  assert.equal(op.errorRate, 0.025);
  assert.ok(op.p50Ms >= 100 && op.p50Ms < 200);
  assert.ok(op.p99Ms >= 1000);
  assert.deepEqual(statsJson(d).slowAttributes[0], { key: 'app.client', value: 'ios', slowShare: 1, normalShare: 0 });
  assert.ok(!d.slowAttributes.some((a) => a.key === 'http.request.id'), 'ids never explain slowness');
  assert.equal(d.histogram.reduce((a, b) => a + b.count, 0), 40);
  assert.ok(d.histogram.every((b) => b.exemplars.length <= Math.min(3, b.count)));
});

test('iwb trace compare FILE#ID FILE#ID --json: the exact contract; missing files exit 2 with one line', async (t) => {
  const r = await runCli(['trace', 'compare', `${FIXTURE}#${NORMAL}`, `${FIXTURE}#${SLOW}`, '--json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.deepEqual(Object.keys(j), ['a', 'b', 'onlyInA', 'onlyInB', 'changed']);
  assert.deepEqual(Object.keys(j.a), ['traceId', 'durationMs']);
  assert.deepEqual(Object.keys(j.changed[0]), ['path', 'aMs', 'bMs', 'deltaMs']);
  assert.equal(j.changed[0].path, 'POST /recommend');
  const human = await runCli(['trace', 'compare', `${FIXTURE}#${NORMAL}`, `${FIXTURE}#${SLOW}`]);
  assert.match(human.out, /Quadratic: .*pairwise_diversity/);
  assert.match(human.out, /N\+1 changed: \d+ → \d+ × "SELECT id, name, embedding FROM items WHERE id = \?"/);
  const missing = await runCli(['trace', 'compare', 'nope.json', `${FIXTURE}`, '--json']);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /^iwb trace compare: nope\.json: no such file/);
  assert.doesNotMatch(missing.err, /\n\s+at /);
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'bad.json'), '\u0000\u0001binary<img src=x onerror=alert(1)>');
  const bad = await runCli(['trace', 'compare', 'bad.json', path.join(repoRoot, FIXTURE)], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /bad\.json/);
  const noJaeger = await runCli(['trace', 'compare', NORMAL, SLOW], dir);
  assert.equal(noJaeger.code, 2);
  assert.match(noJaeger.err, /--jaeger/);
});

test('iwb traces stats FILE --json: every trace of the file, the contract\'s fields in order', async (t) => {
  const r = await runCli(['traces', 'stats', FIXTURE, '--json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.deepEqual(Object.keys(j), ['traces', 'operations', 'slowAttributes']);
  assert.equal(j.traces, 3);
  const select = j.operations.find((o: { operation: string }) => o.operation === 'SELECT');
  assert.ok(select.count > 500);
  assert.ok(j.operations.every((o: { p50Ms: number; p95Ms: number; p99Ms: number }) => o.p50Ms <= o.p95Ms && o.p95Ms <= o.p99Ms));
  assert.ok(j.slowAttributes.some((a: { key: string; value: string }) => a.key === 'app.client' || a.key === 'recommend.pinned' || a.key === 'span.name'), JSON.stringify(j.slowAttributes));
  const human = await runCli(['traces', 'stats', FIXTURE, '--slow-above', '100ms']);
  assert.match(human.out, /Slow traces \(over 100 ms\): 1/);
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'empty.json'), '{"resourceSpans": []}');
  for (const file of ['missing.json', 'empty.json']) {
    const e = await runCli(['traces', 'stats', file, '--json'], dir);
    assert.equal(e.code, 2, file);
    assert.match(e.err, new RegExp(`^iwb traces stats: ${file.replace('.', '\\.')}`));
    assert.deepEqual(Object.keys(JSON.parse(e.out)), ['error']);
  }
  const usage = await runCli(['traces', 'stats']);
  assert.equal(usage.code, 2);
  assert.match(usage.err, /FILE/);
});

test('iwb trace --max-traces lifts the 50-trace cap of the summary', async () => {
  const all = JSON.parse((await runCli(['trace', FIXTURE, '--max-traces', 'all', '--json'])).out);
  assert.equal(all.traces.length, all.traceCount);
  const one = JSON.parse((await runCli(['trace', FIXTURE, '--max-traces', '1', '--json'])).out);
  assert.equal(one.traces.length, 1);
  assert.equal((await runCli(['trace', FIXTURE, '--max-traces', 'lots'])).code, 2);
});
