import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { importTraceStream, importTraces } from '../../src/core/traces/import';
import { buildTrace, SYNTHETIC_ROOT_ID } from '../../src/core/traces/model';
import { codeLocation, detectNPlusOne, slowQueries, slowestSpan, statementTemplate, traceStatistics } from '../../src/core/traces/analysis';
import { normalizeId } from '../../src/core/traces/values';
import type { Span, SpanKind } from '../../src/core/traces/types';
import { SPAN_KINDS } from '../../src/core/traces/types';
import { repoRoot, chunked } from './helpers';

const fixture = (name: string) => readFileSync(path.join(repoRoot, 'test/fixtures/traces', name), 'utf8');

// ---------- generators ----------

const hex = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((a) => Buffer.from(a).toString('hex'));

interface GenSpan {
  traceId: string;
  spanId: string;
  parent: string | undefined;
  name: string;
  service: string;
  kind: number;
  startUs: number;
  durUs: number;
  error: boolean;
  attrs: Record<string, string | number | boolean>;
}

const genSpans = fc
  .record({
    traceId: hex(16),
    spans: fc.uniqueArray(
      fc.record({
        spanId: hex(8),
        name: fc.string({ maxLength: 12 }),
        service: fc.constantFrom('api', 'db', 'worker', '<script>x</script>'),
        kind: fc.integer({ min: 0, max: 5 }),
        startUs: fc.integer({ min: 1_700_000_000_000_000, max: 1_700_000_000_100_000 }),
        durUs: fc.integer({ min: 0, max: 50_000 }),
        error: fc.boolean(),
        attrs: fc.dictionary(fc.constantFrom('a', 'b.c', 'http.route', 'n'), fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: -1000, max: 1000 }), fc.boolean()), { maxKeys: 3 }),
        parentPick: fc.nat(),
      }),
      { minLength: 1, maxLength: 25, selector: (s) => s.spanId },
    ),
  })
  .map(({ traceId, spans }) =>
    spans.map(
      (s, i): GenSpan => ({
        traceId,
        spanId: s.spanId,
        parent: i === 0 || s.parentPick % 5 === 0 ? undefined : spans[s.parentPick % i]!.spanId,
        name: s.name,
        service: s.service,
        kind: s.kind,
        startUs: s.startUs,
        durUs: s.durUs,
        error: s.error,
        attrs: s.attrs,
      }),
    ),
  );

const b64 = (h: string) => Buffer.from(h, 'hex').toString('base64');

function otlpAttr(v: string | number | boolean) {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  return { intValue: String(v) };
}

function toOtlp(spans: GenSpan[], style: { base64: boolean; stringEnums: boolean; numberTimes: boolean }) {
  const byService = new Map<string, GenSpan[]>();
  for (const s of spans) byService.set(s.service, [...(byService.get(s.service) ?? []), s]);
  const id = (h: string) => (style.base64 ? b64(h) : h.toUpperCase());
  return {
    resourceSpans: [...byService].map(([service, list]) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [
        {
          scope: { name: 'gen' },
          spans: list.map((s) => ({
            traceId: id(s.traceId),
            spanId: id(s.spanId),
            ...(s.parent ? { parentSpanId: id(s.parent) } : { parentSpanId: '' }),
            name: s.name,
            kind: style.stringEnums ? `SPAN_KIND_${SPAN_KINDS[s.kind]}` : s.kind,
            startTimeUnixNano: style.numberTimes ? s.startUs * 1000 : String(s.startUs * 1000),
            endTimeUnixNano: String((s.startUs + s.durUs) * 1000),
            attributes: Object.entries(s.attrs).map(([key, v]) => ({ key, value: otlpAttr(v) })),
            status: s.error ? { code: style.stringEnums ? 'STATUS_CODE_ERROR' : 2, message: 'boom' } : {},
            unknownField: { ignored: true },
          })),
        },
      ],
    })),
  };
}

function toJaeger(spans: GenSpan[]) {
  const services = [...new Set(spans.map((s) => s.service))];
  return {
    data: [
      {
        traceID: spans[0]!.traceId,
        spans: spans.map((s) => ({
          traceID: s.traceId,
          spanID: s.spanId,
          operationName: s.name,
          references: s.parent ? [{ refType: 'CHILD_OF', traceID: s.traceId, spanID: s.parent }] : [],
          startTime: s.startUs,
          duration: s.durUs,
          tags: [
            ...Object.entries(s.attrs).map(([key, value]) => ({ key, type: typeof value === 'string' ? 'string' : typeof value === 'number' ? 'int64' : 'bool', value })),
            ...(s.kind >= 2 ? [{ key: 'span.kind', type: 'string', value: SPAN_KINDS[s.kind]!.toLowerCase() }] : []),
            ...(s.error ? [{ key: 'error', type: 'bool', value: true }] : []),
          ],
          logs: [],
          processID: `p${services.indexOf(s.service)}`,
        })),
        processes: Object.fromEntries(services.map((name, i) => [`p${i}`, { serviceName: name, tags: [] }])),
      },
    ],
  };
}

function toZipkin(spans: GenSpan[]) {
  return spans.map((s) => ({
    traceId: s.traceId,
    id: s.spanId,
    ...(s.parent ? { parentId: s.parent } : {}),
    name: s.name,
    ...(s.kind >= 2 ? { kind: SPAN_KINDS[s.kind] } : {}),
    timestamp: s.startUs,
    duration: s.durUs,
    localEndpoint: { serviceName: s.service },
    tags: { ...Object.fromEntries(Object.entries(s.attrs).map(([k, v]) => [k, String(v)])), ...(s.error ? { error: 'boom' } : {}) },
  }));
}

function essentials(spans: Span[]) {
  // Nanosecond times written as JSON numbers are beyond 2^53 and lose up to 128 ns: compare whole µs.
  return spans
    .map((s) => ({ traceId: s.traceId, spanId: s.spanId, parent: s.parentSpanId, name: s.name, service: s.service, startUs: Math.round(s.startUs), endUs: Math.round(s.endUs), error: s.status === 'ERROR' }))
    .sort((a, b) => a.spanId.localeCompare(b.spanId));
}

function expected(spans: GenSpan[]) {
  return spans
    .map((s) => ({ traceId: s.traceId, spanId: s.spanId, parent: s.parent, name: s.name, service: s.service, startUs: s.startUs, endUs: s.startUs + s.durUs, error: s.error }))
    .sort((a, b) => a.spanId.localeCompare(b.spanId));
}

// ---------- importers: properties ----------

test('OTLP/JSON: hex or base64 ids, integer or string enums, times as strings or numbers all read the same', () => {
  fc.assert(
    fc.property(genSpans, fc.boolean(), fc.boolean(), fc.boolean(), (spans, base64, stringEnums, numberTimes) => {
      const r = importTraces(JSON.stringify(toOtlp(spans, { base64, stringEnums, numberTimes })));
      assert.equal(r.format, 'otlp');
      assert.deepEqual(essentials(r.spans), expected(spans));
      const kinds = new Map(spans.map((s) => [s.spanId, SPAN_KINDS[s.kind]]));
      for (const s of r.spans) assert.equal(s.kind, kinds.get(s.spanId) as SpanKind);
    }),
    { numRuns: 150 },
  );
});

test('OTLP JSON Lines (file exporter form) reads like the single document', () => {
  fc.assert(
    fc.property(genSpans, (spans) => {
      const doc = toOtlp(spans, { base64: false, stringEnums: false, numberTimes: false });
      const lines = doc.resourceSpans.map((rs) => JSON.stringify({ resourceSpans: [rs] })).join('\n');
      const r = importTraces(`${lines}\n`);
      assert.equal(r.format, doc.resourceSpans.length > 1 ? 'otlp-jsonl' : 'otlp');
      assert.deepEqual(essentials(r.spans), expected(spans));
    }),
    { numRuns: 100 },
  );
});

test('Jaeger /api/traces and Zipkin v2 read the same spans as OTLP', () => {
  fc.assert(
    fc.property(genSpans, (spans) => {
      assert.deepEqual(essentials(importTraces(JSON.stringify(toJaeger(spans))).spans), expected(spans));
      assert.deepEqual(essentials(importTraces(JSON.stringify(toZipkin(spans))).spans), expected(spans));
    }),
    { numRuns: 100 },
  );
});

test('streaming import equals whole-text import, however the file is cut into chunks', async () => {
  await fc.assert(
    fc.asyncProperty(genSpans, fc.constantFrom('otlp', 'jsonl', 'jaeger', 'zipkin'), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }), async (spans, form, cuts) => {
      const doc = toOtlp(spans, { base64: true, stringEnums: true, numberTimes: false });
      const text =
        form === 'otlp'
          ? JSON.stringify(doc, null, 1)
          : form === 'jsonl'
            ? doc.resourceSpans.map((rs) => JSON.stringify({ resourceSpans: [rs] })).join('\n')
            : JSON.stringify(form === 'jaeger' ? toJaeger(spans) : toZipkin(spans));
      const whole = importTraces(text);
      const streamed = await importTraceStream(chunked(text, cuts));
      assert.deepEqual(essentials(streamed.spans), essentials(whole.spans));
      assert.deepEqual(streamed.traces, whole.traces);
    }),
    { numRuns: 100 },
  );
});

test('importers never throw: any JSON, any text, truncated files', async () => {
  fc.assert(
    fc.property(fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), fc.string(), fc.string({ unit: 'binary' })), (text) => {
      const r = importTraces(text);
      assert.ok(Array.isArray(r.spans));
    }),
    { numRuns: 300 },
  );
  await fc.assert(
    fc.asyncProperty(genSpans, fc.double({ min: 0, max: 1, noNaN: true }), async (spans, cut) => {
      const text = JSON.stringify(toOtlp(spans, { base64: false, stringEnums: false, numberTimes: false }));
      const part = text.slice(0, Math.floor(cut * text.length));
      const whole = importTraces(part);
      const streamed = await importTraceStream(chunked(part, [0.5]));
      assert.ok(whole.spans.length <= spans.length && streamed.spans.length <= spans.length);
      if (part.length < text.length && part.trim() !== '') assert.ok(whole.problems.length > 0 && streamed.problems.length > 0);
    }),
    { numRuns: 100 },
  );
});

test('JSON Lines with a damaged first line or a cut last line keeps the good lines and says which were skipped', () => {
  const lines = fixture('demo-service.otlp.jsonl').trim().split('\n');
  const whole = importTraces(lines.join('\n'));
  const damaged = importTraces([lines[0]!.slice(0, 50), ...lines.slice(1, -1), lines[lines.length - 1]!.slice(0, 100)].join('\n'));
  assert.equal(damaged.format, 'otlp-jsonl');
  assert.ok(damaged.spans.length > 0 && damaged.spans.length < whole.spans.length);
  assert.deepEqual(damaged.problems.filter((p) => /not valid JSON/.test(p.message)).map((p) => p.line), [1, lines.length]);
});

test('ids: hex is lower-cased and padded, base64 is decoded, anything else is kept', () => {
  assert.equal(normalizeId('5B8EFFF798038103D269B633813FC60C', 16), '5b8efff798038103d269b633813fc60c');
  assert.equal(normalizeId(b64('5b8efff798038103d269b633813fc60c'), 16), '5b8efff798038103d269b633813fc60c');
  assert.equal(normalizeId(b64('eee19b7ec3c1b174'), 8), 'eee19b7ec3c1b174');
  assert.equal(normalizeId('abc', 8), '0000000000000abc');
  assert.equal(normalizeId('not an id!', 8), 'not an id!');
  assert.equal(normalizeId(undefined, 8), '');
});

// ---------- the trace model ----------

test('any parent graph (missing parents, cycles, duplicate ids) becomes one tree with every span once', () => {
  const arb = fc.array(
    fc.record({ id: fc.integer({ min: 0, max: 30 }), parent: fc.option(fc.integer({ min: 0, max: 35 }), { nil: undefined }), start: fc.integer({ min: 0, max: 1000 }), dur: fc.integer({ min: 0, max: 500 }) }),
    { minLength: 1, maxLength: 60 },
  );
  fc.assert(
    fc.property(arb, (rows) => {
      const spans: Span[] = rows.map((r) => ({
        traceId: 't',
        spanId: `s${r.id}`,
        ...(r.parent !== undefined ? { parentSpanId: `s${r.parent}` } : {}),
        name: `op${r.id}`,
        service: 'svc',
        kind: 'INTERNAL',
        startUs: r.start,
        endUs: r.start + r.dur,
        status: 'UNSET',
        attributes: {},
        events: [],
        links: [],
      }));
      const t = buildTrace(spans);
      const real = t.nodes.filter((n) => !n.synthetic);
      const renamed = real.filter((n) => n.duplicate).length;
      assert.equal(real.length, spans.length - (t.report.duplicates - renamed), 'only identical copies are dropped');
      assert.equal(new Set(real.map((n) => n.span.spanId)).size, real.length);
      t.nodes.forEach((n, i) => {
        if (i === 0) assert.equal(n.parent, -1);
        else {
          assert.ok(n.parent >= 0 && n.parent < i, 'parents come before children');
          assert.equal(n.depth, t.nodes[n.parent]!.depth + 1);
          assert.ok(t.nodes[n.parent]!.children.includes(i));
        }
        assert.ok(n.selfUs >= 0 && n.selfUs <= n.span.endUs - n.span.startUs + 1e-9);
      });
      // Critical sections: inside the root, not overlapping, covering it exactly.
      const root = t.nodes[0]!.span;
      const sections = [...t.critical].sort((a, b) => a.startUs - b.startUs);
      let covered = 0;
      for (let i = 0; i < sections.length; i++) {
        const s = sections[i]!;
        assert.ok(s.startUs >= root.startUs && s.endUs <= root.endUs && s.endUs >= s.startUs);
        if (i > 0) assert.ok(s.startUs >= sections[i - 1]!.endUs - 1e-9);
        covered += s.endUs - s.startUs;
      }
      assert.ok(Math.abs(covered - (root.endUs - root.startUs)) < 1e-6, `critical path covers the root: ${covered} vs ${root.endUs - root.startUs}`);
      if (t.report.orphans || t.report.cycles) assert.equal(t.nodes[0]!.span.spanId, SYNTHETIC_ROOT_ID);
    }),
    { numRuns: 300 },
  );
});

function span(id: string, parent: string | undefined, start: number, end: number, extra: Partial<Span> = {}): Span {
  return { traceId: 't', spanId: id, ...(parent ? { parentSpanId: parent } : {}), name: id, service: 'svc', kind: 'INTERNAL', startUs: start, endUs: end, status: 'UNSET', attributes: {}, events: [], links: [], ...extra };
}

test("critical path follows Jaeger's algorithm: last-finishing child, parent owns the gaps", () => {
  const t = buildTrace([span('root', undefined, 0, 100), span('a', 'root', 10, 40), span('b', 'root', 50, 90), span('b1', 'b', 55, 60)]);
  const sections = t.critical.map((c) => [c.spanId, c.startUs, c.endUs]);
  assert.deepEqual(sections, [
    ['root', 0, 10],
    ['a', 10, 40],
    ['root', 40, 50],
    ['b', 50, 55],
    ['b1', 55, 60],
    ['b', 60, 90],
    ['root', 90, 100],
  ]);
  assert.deepEqual(t.criticalPath, ['root', 'a', 'b', 'b1']);
  // Overlapping children: the one finishing last wins; one hidden under it is not on the path.
  const o = buildTrace([span('root', undefined, 0, 100), span('long', 'root', 10, 80), span('short', 'root', 20, 50)]);
  assert.deepEqual(o.criticalPath, ['root', 'long']);
  // A consumer does not block its producer; a child overflowing its parent is clipped.
  const p = buildTrace([span('root', undefined, 0, 100), span('prod', 'root', 10, 20, { kind: 'PRODUCER' }), span('cons', 'prod', 30, 300, { kind: 'CONSUMER' }), span('late', 'root', 90, 150)]);
  assert.ok(!p.criticalPath.includes('cons'));
  assert.deepEqual(p.critical.find((c) => c.spanId === 'late'), { row: p.nodes.findIndex((n) => n.span.spanId === 'late'), spanId: 'late', startUs: 90, endUs: 100 });
  assert.equal(p.report.clockSkew, 1, 'the overflowing child counts as skew; the consumer does not');
});

test('orphans, cycles and duplicate ids are repaired and reported, never fatal', () => {
  const t = buildTrace([
    span('root', undefined, 0, 100),
    span('orphan', 'missing', 10, 20),
    span('x', 'y', 30, 40),
    span('y', 'x', 35, 45),
    span('root', undefined, 0, 100),
    span('root', undefined, 5, 50),
  ]);
  assert.equal(t.report.orphans, 1);
  assert.equal(t.report.cycles, 1);
  assert.equal(t.report.duplicates, 2);
  assert.equal(t.nodes[0]!.synthetic, true);
  assert.ok(t.nodes.some((n) => n.span.spanId === 'root#2' && n.duplicate));
  assert.equal(t.nodes.filter((n) => !n.synthetic).length, 5);
  assert.ok(t.problems.length >= 3);
});

test('a 100k-span trace is built without recursion limits', () => {
  const spans: Span[] = [span('s0', undefined, 0, 1_000_000)];
  for (let i = 1; i < 100_000; i++) spans.push(span(`s${i}`, i % 3 === 0 ? `s${i - 1}` : `s${Math.floor(i / 2)}`, i, i + 10));
  const t = buildTrace(spans);
  assert.equal(t.nodes.length, 100_000);
  assert.ok(t.critical.length > 0);
});

// ---------- analysis ----------

test('statement templates mask literals, lists and bind markers', () => {
  assert.equal(statementTemplate("SELECT * FROM t WHERE id = 42 AND name = 'o''k'"), 'SELECT * FROM t WHERE id = ? AND name = ?');
  assert.equal(statementTemplate('select a from b where c in (1, 2,3) and d = $1'), 'select a from b where c in (?) and d = ?');
  assert.equal(statementTemplate('SELECT x FROM t2  /* hint */ WHERE y = :name'), 'SELECT x FROM t2 WHERE y = ?');
  fc.assert(
    fc.property(fc.array(fc.integer(), { minLength: 1, maxLength: 5 }), (ids) => {
      assert.equal(statementTemplate(`SELECT * FROM items WHERE id = ${ids[0]}`), 'SELECT * FROM items WHERE id = ?');
      assert.equal(statementTemplate(`SELECT * FROM items WHERE id IN (${ids.join(', ')})`), 'SELECT * FROM items WHERE id IN (?)');
    }),
  );
});

test('N+1: the same template repeated under one parent at the threshold, not below it', () => {
  const db = (id: string, parent: string, start: number, n: number): Span => span(id, parent, start, start + 2, { attributes: { 'db.system': 'sqlite', 'db.statement': `SELECT * FROM items WHERE id = ${n}` } });
  const spans = [span('root', undefined, 0, 100), span('loop', 'root', 0, 50), ...Array.from({ length: 5 }, (_, i) => db(`q${i}`, 'loop', i * 3, i)), db('other', 'root', 60, 1)];
  const t = buildTrace(spans);
  assert.deepEqual(
    detectNPlusOne(t).map((n) => [n.parentSpanId, n.statement, n.count]),
    [['loop', 'SELECT * FROM items WHERE id = ?', 5]],
  );
  assert.deepEqual(detectNPlusOne(t, 6), []);
  const q = slowQueries(t);
  assert.equal(q[0]!.count, 6);
  assert.equal(q[0]!.p95Ms, 0.002);
});

test('real OpenTelemetry SDK traces: the demo service, its N+1 and slow path, code locations', () => {
  const r = importTraces(fixture('demo-service.otlp.jsonl'));
  assert.equal(r.format, 'otlp-jsonl');
  assert.equal(r.problems.length, 0);
  const ok = r.traces.filter((t) => t.errorCount === 0);
  assert.ok(ok.length >= 1 && r.traces.some((t) => t.errorCount > 0), 'good and failing requests');
  const slow = r.traces[0]!;
  const t = buildTrace(r.spans.filter((s) => s.traceId === slow.traceId));
  assert.deepEqual(t.services, ['load-generator', 'recommend'], 'client and server joined by traceparent');
  assert.equal(t.report.orphans, 0);
  assert.equal(t.nodes[0]!.span.service, 'load-generator');
  const n1 = detectNPlusOne(t);
  assert.equal(n1.length, 1);
  assert.equal(n1[0]!.parentOperation, 'load_items');
  assert.equal(n1[0]!.statement, 'SELECT id, name, embedding FROM items WHERE id = ?');
  const loadItems = t.nodes.find((n) => n.span.spanId === n1[0]!.parentSpanId)!;
  assert.equal(n1[0]!.count, loadItems.children.length, 'every query under load_items is the same statement');
  assert.ok(n1[0]!.count >= 200, 'at least the 200 candidates');
  const slowest = slowestSpan(t)!;
  assert.equal(slowest.operation, 'pairwise_diversity');
  assert.ok(t.criticalPath.includes(slowest.spanId));
  const node = t.nodes.find((n) => n.span.name === 'pairwise_diversity')!;
  assert.deepEqual(codeLocation(node.span), { file: '/app/service/model.py', line: Number(node.span.attributes['code.line.number']), function: 'service.model.pairwise_diversity' });
  const stats = traceStatistics(t);
  assert.equal(stats.find((s) => s.operation === 'SELECT')!.count, n1[0]!.count + 1, 'the N+1 plus candidate_ids');
});

test('real SDK export in protobuf JSON (base64 ids, enum names) equals its OTLP/JSON form', () => {
  const a = importTraces(fixture('checkout.otlp.json'));
  const b = importTraces(fixture('checkout.protobuf-json.json'));
  assert.equal(a.spans.length, 13);
  assert.deepEqual(b.spans, a.spans);
  const t = buildTrace(a.spans);
  assert.equal(t.services.join(), 'checkout,gateway,worker');
  assert.ok(!t.criticalPath.includes(t.nodes.find((n) => n.span.kind === 'CONSUMER')!.span.spanId), 'consumer is off the critical path');
  assert.equal(t.errorCount, 1);
  assert.deepEqual(detectNPlusOne(t).map((n) => n.count), [6]);
  assert.equal(t.report.clockSkew, 0);
});

test('real SDK Zipkin export, Jaeger JSON with FOLLOWS_FROM, and Zipkin shared spans', () => {
  const z = importTraces(fixture('checkout.zipkin.json'));
  assert.equal(z.format, 'zipkin');
  assert.equal(z.spans.length, 13);
  assert.equal(buildTrace(z.spans).report.orphans, 0);
  const j = importTraces(fixture('jaeger-api-traces.json'));
  assert.equal(j.format, 'jaeger');
  const jt = buildTrace(j.spans);
  assert.ok(!jt.criticalPath.includes('a000000000000004'), 'FOLLOWS_FROM does not block');
  assert.equal(jt.report.clockSkew, 0);
  assert.deepEqual(codeLocation(jt.nodes.find((n) => n.span.name === 'render')!.span), { file: 'app/views.py', line: 88 });
  const shared = importTraces(fixture('zipkin-shared.json'));
  const st = buildTrace(shared.spans);
  assert.equal(st.nodes.length, 4, 'the duplicate server report is merged, the shared server half kept');
  const server = st.nodes.find((n) => n.span.service === 'backend' && n.span.kind === 'SERVER')!;
  assert.equal(st.nodes[server.parent]!.span.kind, 'CLIENT');
  const select = st.nodes.find((n) => n.span.name === 'select')!;
  assert.equal(st.nodes[select.parent]!.span.spanId, server.span.spanId, 'the server-side child hangs under the server half');
  assert.equal(st.report.orphans, 0);
});
