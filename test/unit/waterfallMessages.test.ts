import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { importTraces } from '../../src/core/traces/import';
import { buildTrace } from '../../src/core/traces/model';
import { readCorrelationLogs } from '../../src/core/forensics/logs';
import { matchAttribute, spanDetail } from '../../src/presenters/traces';
import { isWaterfallMessage, type AnomalyReport, type WaterfallMessage } from '../../src/protocol/waterfall';
import { repoRoot } from './helpers';

const EVIDENCE = path.join(repoRoot, 'demo/.incidents/INC-2026-001/evidence');
const read = (p: string) => readFileSync(path.join(EVIDENCE, p), 'utf8');

/** What the page receives: the host's message after webview.postMessage's JSON (NaN → null, undefined dropped). */
const wire = (m: unknown) => JSON.parse(JSON.stringify(m)) as { type: string } & Record<string, unknown>;

function realMessages(): WaterfallMessage[] {
  const r = importTraces(read('traces/recommend.otlp.jsonl'));
  const trace = buildTrace(r.spans.filter((s) => s.traceId === r.traces[0]!.traceId));
  const logs = readCorrelationLogs(read('logs/recommend-traced.jsonl'), 'logs/recommend-traced.jsonl');
  const slow = trace.nodes.findIndex((n) => n.span.name === 'pairwise_diversity');
  const anomaly: AnomalyReport = {
    type: 'anomaly',
    series: 'process_cpu_seconds_total{job="recommend"}',
    unit: 's',
    anomalyTime: '2026-11-20T09:12:00.000Z',
    windowMinutes: 5,
    peakTime: '2026-11-20T09:12:30.000Z',
    peakValue: 0.318,
    baselineMedian: NaN,
    errorCount: 2,
    failedTraces: 1,
    tracesInWindow: 8,
    topErrors: [{ message: 'timeout', count: 2 }],
    servicesInvolved: ['recommend'],
    bubbleUp: [{ attribute: 'db.system', score: 0.5, values: [{ value: 'sqlite', outlierShare: 1, baselineShare: 0.2 }] }],
    correlatedErrors: [{ start: 'a', end: 'b', errorCount: 2, services: ['recommend'], uniqueErrors: [{ message: 'timeout', count: 2 }] }],
  };
  return [
    spanDetail(trace, slow, logs.records)!,
    spanDetail(trace, 0, undefined)!,
    { type: 'matches', query: 'db.system', rows: matchAttribute(trace, 'db.system') },
    { type: 'notice', text: '3 series from Prometheus', kind: 'info' },
    { type: 'notice', text: 'That metric is no longer loaded.', kind: 'error' },
    anomaly,
  ];
}

test('the page accepts every event the host sends, as it arrives (after JSON)', () => {
  const messages = realMessages();
  assert.ok((messages[0] as { logs: unknown[] }).logs.length >= 1, 'the slow span has logs');
  for (const m of messages) assert.ok(isWaterfallMessage(wire(m)), m.type);
});

/** Every path to a value inside a message (fields, array items, their fields), except `type` itself. */
function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...at, i], ...paths(v, [...at, i])]);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => (at.length === 0 && k === 'type' ? [] : [[...at, k], ...paths(v, [...at, k])]));
  return [];
}

function withValue(m: unknown, path: (string | number)[], make: (old: unknown) => unknown): { type: string } {
  const copy = structuredClone(m) as Record<string | number, unknown>;
  let o = copy;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  o[path[path.length - 1]!] = make(o[path[path.length - 1]!]);
  return copy as unknown as { type: string };
}

test('an event with any field or item of the wrong type, or a required field missing, is refused (property)', () => {
  const messages = realMessages().map(wire);
  const OPTIONAL = new Set(['statusMessage', 'code', 'line', 'startTime', 'peakTime', 'peakValue']);
  fc.assert(
    fc.property(fc.nat(), fc.nat(), (which, pick) => {
      const m = messages[which % messages.length]!;
      const all = paths(m);
      const path = all[pick % all.length]!;
      // A string where anything else belongs, a number where a string belongs: always the wrong type.
      const broken = withValue(m, path, (old) => (typeof old === 'string' ? 7 : 'x'));
      assert.equal(isWaterfallMessage(broken), false, `${m.type} ${path.join('.')}`);
      const last = path[path.length - 1]!;
      if (typeof last === 'string') {
        const without = withValue(m, path, () => undefined);
        assert.equal(isWaterfallMessage(wire(without)), OPTIONAL.has(last), `${m.type} without ${path.join('.')}`);
      }
    }),
  );
  assert.equal(isWaterfallMessage({ type: 'snapshot' }), false);
  assert.equal(isWaterfallMessage({ type: 'toString' }), false, 'no inherited property is a message type');
  const check = (m: object) => isWaterfallMessage(m as { type: string });
  assert.equal(check({ type: 'matches', query: 'q', rows: [1, -2] }), false);
  assert.equal(check({ type: 'matches', query: 'q', rows: [1, 2.5] }), false);
  assert.equal(check({ type: 'notice', text: 'x', kind: 'warning' }), false);
});

test('no value at all makes the guard throw (property)', () => {
  fc.assert(
    fc.property(fc.constantFrom('spanDetail', 'notice', 'anomaly', 'matches', 'other'), fc.dictionary(fc.constantFrom('row', 'logs', 'attributes', 'rows', 'text', 'kind', 'events', 'code', 'bubbleUp'), fc.anything()), (type, rest) => {
      void isWaterfallMessage({ ...rest, type });
    }),
  );
});
