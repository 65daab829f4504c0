import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { classifyEvidence } from '../../src/core/forensics/bundle';
import { importTraces } from '../../src/core/traces/import';
import { buildTrace } from '../../src/core/traces/model';
import { buildSnapshot, matchAttribute, spanDetail } from '../../src/presenters/traces';
import { FLAG } from '../../src/protocol/waterfall';
import { readCorrelationLogs } from '../../src/core/forensics/logs';
import { repoRoot } from './helpers';

const EVIDENCE = path.join(repoRoot, 'demo/.incidents/INC-2026-001/evidence');
const read = (p: string) => readFileSync(path.join(EVIDENCE, p), 'utf8');

test('evidence bundle files are classified by content first, then by name', () => {
  assert.equal(classifyEvidence('export-1.json', read('traces/recommend.otlp.jsonl')), 'trace');
  assert.equal(classifyEvidence('x.json', read('metrics/recommend.prom.json')), 'metrics');
  assert.equal(classifyEvidence('app.jsonl', read('logs/recommend-traced.jsonl')), 'logs');
  assert.equal(classifyEvidence('a.json', readFileSync(path.join(repoRoot, 'test/fixtures/traces/jaeger-api-traces.json'), 'utf8')), 'trace');
  assert.equal(classifyEvidence('b.json', readFileSync(path.join(repoRoot, 'test/fixtures/traces/checkout.zipkin.json'), 'utf8')), 'trace');
  assert.equal(classifyEvidence('m.csv', 'timestamp,name,value,labels\n1,a,2,\n'), 'metrics');
  assert.equal(classifyEvidence('notes.txt', 'hello'), 'file');
  fc.assert(fc.property(fc.string(), fc.string(), (name, head) => void classifyEvidence(name, head)));
});

test('the waterfall snapshot: columns per row, flags, critical sections, slowest row, logs joined; details per span', () => {
  const r = importTraces(read('traces/recommend.otlp.jsonl'));
  const trace = buildTrace(r.spans.filter((s) => s.traceId === r.traces[0]!.traceId));
  const logs = readCorrelationLogs(read('logs/recommend-traced.jsonl'), 'logs/recommend-traced.jsonl');
  const s = buildSnapshot({ file: 'f', format: r.format, trace, traces: r.traces, problems: [], logs: { source: 'l', records: logs.records }, prometheusConfigured: false });
  const rows = s.rows!;
  assert.equal(rows.spanId.length, trace.nodes.length);
  for (const k of ['start', 'dur', 'self', 'depth', 'parent', 'service', 'name', 'flags'] as const) assert.equal(rows[k].length, rows.spanId.length, k);
  const slow = s.summary!.slowest!;
  assert.equal(s.names![rows.name[slow.row]!], 'pairwise_diversity');
  assert.ok(rows.flags[slow.row]! & FLAG.critical && rows.flags[slow.row]! & FLAG.code);
  assert.equal(s.critical!.length % 3, 0);
  assert.equal(s.traces.length, 8);
  assert.ok(s.logs.all.length >= 2 && s.logs.all.every((l, i, a) => i === 0 || (l.offsetMs ?? 0) >= (a[i - 1]!.offsetMs ?? 0)), 'trace logs in time order');
  const d = spanDetail(trace, slow.row, logs.records)!;
  assert.equal(d.code!.file, '/app/service/model.py');
  assert.deepEqual(d.logs.map((l) => l.message.replace(/\d+/g, 'N')), ['pairwise diversity over N candidates: N comparisons']);
  assert.equal(spanDetail(trace, 10_000_000, undefined), undefined);
});

test('attribute filter: key=value, key!=value, key~text and bare key', () => {
  const r = importTraces(read('traces/recommend.otlp.jsonl'));
  const trace = buildTrace(r.spans.filter((s) => s.traceId === r.traces[0]!.traceId));
  const names = (rows: number[]) => [...new Set(rows.map((i) => trace.nodes[i]!.span.name))].sort();
  assert.deepEqual(names(matchAttribute(trace, 'code.function.name=service.model.pairwise_diversity')), ['pairwise_diversity']);
  assert.deepEqual(names(matchAttribute(trace, 'db.statement~items where id')), ['SELECT']);
  assert.ok(matchAttribute(trace, 'db.system').length > 200);
  assert.equal(matchAttribute(trace, 'db.system!=sqlite').length + matchAttribute(trace, 'db.system=sqlite').length, trace.nodes.length);
  assert.deepEqual(matchAttribute(trace, '   '), []);
});
