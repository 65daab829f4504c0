import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { importMetrics, metricsInWindow, parseLabels } from '../../src/core/metrics/parse';
import { detectAnomaly } from '../../src/core/metrics/anomaly';
import { analyzeMetricAnomaly, bubbleUp, findCorrelatedErrors, logsForTrace } from '../../src/core/forensics/correlate';
import { readCorrelationLogs } from '../../src/core/forensics/logs';
import { appendTimelineToPostmortem, buildTimeline, deploysFromMetrics } from '../../src/core/forensics/timeline';
import { investigate } from '../../src/core/forensics/investigate';
import { importTraces } from '../../src/core/traces/import';
import { buildTrace } from '../../src/core/traces/model';
import type { Span } from '../../src/core/traces/types';
import { NodeFileSystem } from '../../src/cli/nodeFileSystem';
import { repoRoot, tempDir } from './helpers';

const T0 = Date.parse('2026-11-20T09:00:00Z');

test('Prometheus query_range: matrix to series, special values, failures reported', () => {
  const doc = {
    status: 'success',
    data: { resultType: 'matrix', result: [{ metric: { __name__: 'http_request_duration_seconds', job: 'api' }, values: [[T0 / 1000, '0.25'], [T0 / 1000 + 15, 'NaN'], [T0 / 1000 + 30, '+Inf'], ['x', '1']] }] },
  };
  const r = importMetrics(JSON.stringify(doc));
  assert.equal(r.format, 'prometheus');
  assert.equal(r.series[0]!.name, 'http_request_duration_seconds');
  assert.deepEqual(r.series[0]!.labels, { job: 'api' });
  assert.deepEqual(r.series[0]!.points.map((p) => p.v), [0.25, NaN, Infinity]);
  assert.equal(r.series[0]!.points[0]!.t, T0);
  assert.match(r.problems[0]!.message, /1 sample/);
  const bad = importMetrics(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error', data: {} }));
  assert.match(bad.problems[0]!.message, /parse error/);
});

test('OTLP metrics: gauge, sum and histogram data points', () => {
  const ns = (ms: number) => String(ms * 1e6);
  const doc = {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] },
        scopeMetrics: [
          {
            metrics: [
              { name: 'pool.usage', unit: '1', gauge: { dataPoints: [{ timeUnixNano: ns(T0), asDouble: 0.5 }, { timeUnixNano: ns(T0 + 1000), asInt: '1' }] } },
              { name: 'errors', sum: { dataPoints: [{ timeUnixNano: ns(T0), asInt: '3', attributes: [{ key: 'route', value: { stringValue: '/r' } }] }] } },
              { name: 'latency', histogram: { dataPoints: [{ timeUnixNano: ns(T0), count: '4', sum: 2 }] } },
            ],
          },
        ],
      },
    ],
  };
  const r = importMetrics(JSON.stringify(doc));
  assert.equal(r.format, 'otlp');
  const by = new Map(r.series.map((s) => [s.name, s]));
  assert.deepEqual(by.get('pool.usage')!.points, [{ t: T0, v: 0.5 }, { t: T0 + 1000, v: 1 }]);
  assert.deepEqual(by.get('errors')!.labels, { route: '/r', service: 'api' });
  assert.equal(by.get('latency_mean')!.points[0]!.v, 0.5);
});

test('CSV metrics: any column order, label syntaxes, bad rows counted; property: every good row is kept', () => {
  const r = importMetrics('value,timestamp,name,labels\n1.5,2026-11-20T09:00:00Z,latency,"a=1;b=x"\nzz,2026,latency,\n2,1795900000,latency,"{""a"":""1"",""b"":""x""}"\n');
  assert.equal(r.format, 'csv');
  assert.equal(r.series.length, 1);
  assert.equal(r.series[0]!.points.length, 2);
  assert.match(r.problems[0]!.message, /1 CSV row.*line 3/);
  assert.deepEqual(parseLabels('{job="api", path="/a,b"}'), { job: 'api', path: '/a,b' });
  fc.assert(
    fc.property(fc.array(fc.record({ t: fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }), v: fc.double({ noNaN: true, noDefaultInfinity: true }), name: fc.constantFrom('a', 'b') }), { maxLength: 30 }), (rows) => {
      const text = `timestamp,name,value,labels\n${rows.map((x) => `${x.t},${x.name},${x.v},`).join('\n')}`;
      const m = importMetrics(text);
      assert.equal(m.series.reduce((n, s) => n + s.points.length, 0), rows.length);
    }),
  );
  fc.assert(fc.property(fc.string(), (text) => void importMetrics(text)));
});

test('anomaly: robust baseline, first point beyond it, peak', () => {
  const points = Array.from({ length: 60 }, (_, i) => ({ t: T0 + i * 15_000, v: i >= 40 && i < 48 ? 5 + (i - 40) : 0.2 + (i % 3) * 0.01 }));
  const a = detectAnomaly({ name: 'latency', labels: {}, points }, T0 + 35 * 15_000, T0 + 59 * 15_000);
  assert.equal(a.startMs, T0 + 40 * 15_000);
  assert.equal(a.peakMs, T0 + 47 * 15_000);
  assert.equal(a.anomalousPoints, 8);
});

function span(id: string, parent: string | undefined, start: number, end: number, extra: Partial<Span> = {}): Span {
  return { traceId: 'aa'.repeat(16), spanId: id, ...(parent ? { parentSpanId: parent } : {}), name: id, service: 'api', kind: 'INTERNAL', startUs: start * 1000, endUs: end * 1000, status: 'UNSET', attributes: {}, events: [], links: [], ...extra };
}

test('logs of a trace by trace id (and span id); by service and window when logs carry no ids', () => {
  const trace = buildTrace([span('0000000000000001', undefined, T0, T0 + 500), span('0000000000000002', '0000000000000001', T0 + 100, T0 + 400)]);
  const lines = [
    { timestamp: new Date(T0 + 150).toISOString(), level: 'ERROR', message: 'db timeout <script>', trace_id: 'AA'.repeat(16), span_id: '0000000000000002', service: 'api' },
    { timestamp: new Date(T0 + 10).toISOString(), level: 'INFO', message: 'start', trace_id: 'aa'.repeat(16), service: 'api' },
    { timestamp: new Date(T0 + 20).toISOString(), level: 'INFO', message: 'other trace', trace_id: 'bb'.repeat(16), service: 'api' },
  ];
  const logs = readCorrelationLogs(lines.map((l) => JSON.stringify(l)).join('\n'), 'app.jsonl').records;
  assert.deepEqual(logsForTrace(logs, trace).map((l) => [l.record.message, l.match]), [['start', 'trace'], ['db timeout <script>', 'span']]);
  assert.deepEqual(logsForTrace(logs, trace, { spanId: '0000000000000002' }).map((l) => l.record.message), ['db timeout <script>']);
  const noIds = readCorrelationLogs(
    [{ ts: new Date(T0 + 50).toISOString(), level: 'INFO', msg: 'in window', service: 'api' }, { ts: new Date(T0 + 5000).toISOString(), level: 'INFO', msg: 'later', service: 'api' }].map((l) => JSON.stringify(l)).join('\n'),
    'x.jsonl',
  ).records;
  assert.deepEqual(logsForTrace(noIds, trace).map((l) => [l.record.message, l.match]), [['in window', 'window']]);
  // OTLP logs with severity numbers and ids.
  const otlp = readCorrelationLogs(
    JSON.stringify({ resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] }, scopeLogs: [{ logRecords: [{ timeUnixNano: String(T0 * 1e6), severityNumber: 17, body: { stringValue: 'boom' }, traceId: 'aa'.repeat(16), spanId: '0000000000000002' }] }] }] }),
    'otlp.json',
  );
  assert.equal(otlp.format, 'otlp');
  assert.deepEqual([otlp.records[0]!.level, otlp.records[0]!.timestamp, otlp.records[0]!.service], ['ERROR', T0, 'api']);
  assert.equal(logsForTrace(otlp.records, trace).length, 1);
});

test('correlated errors: clusters in time across services, masked messages; BubbleUp ranks the differing attribute', () => {
  const mk = (minute: number, service: string, message: string) => JSON.stringify({ timestamp: new Date(T0 + minute * 60_000).toISOString(), level: 'ERROR', service, message });
  const logs = readCorrelationLogs([mk(0, 'api', 'timeout after 30 ms'), mk(1, 'db', 'timeout after 45 ms'), mk(2, 'api', 'timeout after 31 ms'), mk(60, 'api', 'lonely')].join('\n'), 'e.jsonl').records;
  const clusters = findCorrelatedErrors(logs, { windowMinutes: 5 });
  assert.equal(clusters.length, 1);
  assert.equal(clusters[0]!.errorCount, 3);
  assert.deepEqual(clusters[0]!.services, ['api', 'db']);
  assert.equal(clusters[0]!.uniqueErrors.length, 1);
  const spans = Array.from({ length: 40 }, (_, i) => span(`s${i}`, undefined, T0 + i, T0 + i + (i % 4 === 0 ? 900 : 10), { attributes: { 'user.tier': i % 4 === 0 ? 'free' : 'gold', region: i % 2 ? 'eu' : 'us' } }));
  const diff = bubbleUp(spans, (s) => s.endUs - s.startUs > 100_000);
  assert.equal(diff[0]!.attribute, 'user.tier');
  assert.equal(diff[0]!.score, 1);
});

test('metric anomaly analysis: values, errors, failed traces, services and attributes in the window', () => {
  const series = [{ name: 'latency_p95', labels: {}, points: Array.from({ length: 40 }, (_, i) => ({ t: T0 + i * 60_000, v: i === 30 ? 5 : 0.3 })) }];
  const logs = readCorrelationLogs(JSON.stringify({ timestamp: new Date(T0 + 30 * 60_000).toISOString(), level: 'ERROR', message: 'pool exhausted', service: 'api' }), 'l.jsonl').records;
  const spans = [span('a', undefined, T0 + 30 * 60_000, T0 + 30 * 60_000 + 5000, { status: 'ERROR', attributes: { pool: 'main' } }), span('b', undefined, T0 + 30 * 60_000, T0 + 30 * 60_000 + 10, { traceId: 'cc'.repeat(16), attributes: { pool: 'aux' } })];
  const r = analyzeMetricAnomaly({ series, metric: 'latency_p95', logs, spans, windowMinutes: 5 });
  assert.ok(!('error' in r));
  if ('error' in r) return;
  assert.equal(r.anomalyTimeMs, T0 + 30 * 60_000);
  assert.equal(r.values.length, 11);
  assert.equal(r.errorCount, 1);
  assert.equal(r.failedTraces, 1);
  assert.deepEqual(r.topErrors, [{ message: 'pool exhausted', count: 1 }]);
  assert.equal(r.bubbleUp[0]!.attribute, 'operation');
  assert.match(String((analyzeMetricAnomaly({ series, metric: 'nope' }) as { error: string }).error), /latency_p95/);
});

test('timeline: first error, anomaly, deploy from metric labels, trace, incident events, in time order', () => {
  const series = [
    { name: 'build_info', labels: { version: '1.4.0' }, points: [{ t: T0, v: 1 }] },
    { name: 'build_info', labels: { version: '1.5.0' }, points: [{ t: T0 + 600_000, v: 1 }] },
  ];
  assert.equal(deploysFromMetrics(series).length, 1);
  const logs = readCorrelationLogs(JSON.stringify({ timestamp: new Date(T0 + 700_000).toISOString(), level: 'ERROR', message: 'boom', service: 'api' }), 'l.jsonl').records;
  const tl = buildTimeline({
    logs,
    series,
    anomalies: [{ series: 'latency', baselineMedian: 0.3, baselineMad: 0.01, startMs: T0 + 650_000, peakMs: T0 + 800_000, peakValue: 5, anomalousPoints: 3 }],
    trace: { traceId: 'abc', startMs: T0 + 750_000, durationMs: 5000, slowest: 'pairwise_diversity 80%' },
    incidentEvents: [{ at: new Date(T0 + 900_000).toISOString(), actor: 'alice', kind: 'opened', text: 'Incident opened' }],
  });
  assert.deepEqual(tl.map((e) => e.action), ['deploy', 'anomaly', 'error', 'trace', 'anomaly', 'opened']);
});

test('appending the timeline to postmortem.json: created when missing, merged without duplicates, invalid files untouched', async (t) => {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, '.incidents', 'INC-2026-001'), { recursive: true });
  const fs = new NodeFileSystem(dir);
  const entries = [{ timestamp: '2026-11-20T09:10:00.000Z', event: 'Anomaly starts', action: 'anomaly' }];
  const first = await appendTimelineToPostmortem(fs, 'INC-2026-001', entries);
  assert.deepEqual([first.added, first.created], [1, true]);
  const again = await appendTimelineToPostmortem(fs, 'INC-2026-001', [...entries, { timestamp: '2026-11-20T09:00:00.000Z', event: 'Deploy 1.5.0' }]);
  assert.equal(again.added, 1);
  const file = path.join(dir, '.incidents/INC-2026-001/postmortem.json');
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  assert.deepEqual(doc.timeline.map((e: { event: string }) => e.event), ['Deploy 1.5.0', 'Anomaly starts']);
  writeFileSync(file, '{"title": "x", "incidentId": "INC-2026-001", "timeline": [}');
  await assert.rejects(appendTimelineToPostmortem(fs, 'INC-2026-001', entries), /invalid.*nothing was overwritten/);
  assert.equal(readFileSync(file, 'utf8'), '{"title": "x", "incidentId": "INC-2026-001", "timeline": [}');
});

test('investigate the demo trace: the JSON fields the CLI promises', () => {
  const r = importTraces(readFileSync(path.join(repoRoot, 'test/fixtures/traces/demo-service.otlp.jsonl'), 'utf8'));
  const trace = buildTrace(r.spans.filter((s) => s.traceId === r.traces[0]!.traceId));
  const inv = investigate(trace, { metrics: [{ name: 'x', labels: {}, points: [{ t: trace.startUs / 1000, v: 1 }, { t: trace.startUs / 1000 - 3_600_000, v: 2 }] }] });
  for (const k of ['traceId', 'durationMs', 'spanCount', 'services', 'slowestSpan', 'criticalPath', 'errors', 'nPlusOne', 'slowQueries', 'logs', 'metrics']) assert.ok(k in inv, k);
  assert.equal(inv.slowestSpan!.operation, 'pairwise_diversity');
  assert.ok(inv.slowestSpan!.percentage > 0 && inv.slowestSpan!.percentage <= 100);
  assert.ok(inv.nPlusOne[0]!.count >= 200);
  assert.equal(inv.metrics[0]!.points.length, 1, 'only the points of the trace window');
  assert.equal(metricsInWindow([], 0, 1).length, 0);
});
