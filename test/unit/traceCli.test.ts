import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import * as path from 'node:path';
import { repoRoot, tempDir, runCli } from './helpers';

const DEMO = 'demo/.incidents/INC-2026-001/evidence';

test('iwb trace --json on the demo evidence: the fields the issue names, logs joined, N+1 found (exit 1)', async () => {
  const r = await runCli(['trace', `${DEMO}/traces/recommend.otlp.jsonl`, '--logs', `${DEMO}/logs/recommend-traced.jsonl`, '--json']);
  assert.equal(r.code, 1, r.err);
  const j = JSON.parse(r.out);
  for (const k of ['traceId', 'durationMs', 'spanCount', 'services', 'slowestSpan', 'criticalPath', 'errors', 'nPlusOne', 'slowQueries', 'logs', 'metrics']) assert.ok(k in j, k);
  assert.match(j.traceId, /^[0-9a-f]{32}$/);
  assert.deepEqual(j.services, ['load-generator', 'recommend']);
  assert.equal(j.slowestSpan.operation, 'pairwise_diversity');
  assert.equal(j.slowestSpan.service, 'recommend');
  assert.ok(j.slowestSpan.percentage > 50 && j.slowestSpan.percentage <= 100);
  assert.ok(j.criticalPath.includes(j.slowestSpan.spanId));
  assert.equal(j.nPlusOne.length, 1);
  assert.deepEqual(Object.keys(j.nPlusOne[0]).filter((k) => ['parentSpanId', 'statement', 'count'].includes(k)).sort(), ['count', 'parentSpanId', 'statement']);
  assert.equal(j.nPlusOne[0].statement, 'SELECT id, name, embedding FROM items WHERE id = ?');
  assert.ok(j.logs.some((l: { message: string; match: string }) => /pairwise diversity over/.test(l.message) && l.match === 'span'));
  assert.equal(j.traceCount, 8);
  // Another trace by id suffix; a failing request's trace names its error.
  const failing = j.traces.find((t: { errors: number }) => t.errors > 0);
  const f = JSON.parse((await runCli(['trace', `${DEMO}/traces/recommend.otlp.jsonl`, '--trace-id', failing.traceId.slice(-12), '--json'])).out);
  assert.equal(f.traceId, failing.traceId);
  assert.ok(f.errors.some((e: { message: string }) => /expected 16 features/.test(e.message)));
});

test('iwb trace: metrics of the request window, gzip input, human output', async (t) => {
  const dir = tempDir(t);
  const j = JSON.parse((await runCli(['trace', `${DEMO}/traces/recommend.otlp.jsonl`, '--json'])).out);
  const start = Date.parse(j.startTime);
  writeFileSync(path.join(dir, 'm.csv'), `timestamp,name,value,labels\n${new Date(start).toISOString()},latency_p95,5.2,job=recommend\n${new Date(start - 3_600_000).toISOString()},latency_p95,0.2,job=recommend\n`);
  writeFileSync(path.join(dir, 't.otlp.jsonl.gz'), gzipSync(readFileSync(path.join(repoRoot, DEMO, 'traces/recommend.otlp.jsonl'))));
  const r = await runCli(['trace', 't.otlp.jsonl.gz', '--metrics', 'm.csv', '--json'], dir);
  const k = JSON.parse(r.out);
  assert.equal(k.traceId, j.traceId);
  assert.deepEqual(k.metrics.map((m: { series: string; points: unknown[] }) => [m.series, m.points.length]), [['latency_p95{job="recommend"}', 1]]);
  const human = await runCli(['trace', 't.otlp.jsonl.gz'], dir);
  assert.match(human.out, /Slowest span: recommend pairwise_diversity — [\d.]+ ms \([\d.]+% of the request\)/);
  assert.match(human.out, /N\+1: \d+ × "SELECT id, name, embedding FROM items WHERE id = \?" under load_items/);
});

test('iwb trace: unreadable and wrong input exit 2 with one line naming the file', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'bad.json'), '{"hello": 1}');
  writeFileSync(path.join(dir, 'bin.json'), Buffer.from([0, 1, 2, 3, 255]));
  for (const [args, pattern] of [
    [['trace', 'missing.json'], /missing\.json: no such file/],
    [['trace', 'bad.json'], /bad\.json: this is not a trace file/],
    [['trace', 'bin.json'], /bin\.json: binary data/],
    [['trace', `${path.join(repoRoot, DEMO)}/traces/recommend.otlp.jsonl`, '--trace-id', 'ffffffff'], /trace ffffffff is not in the file/],
    [['trace', `${path.join(repoRoot, DEMO)}/traces/recommend.otlp.jsonl`, '--metrics', 'bad.json'], /bad\.json: this JSON is neither/],
  ] as [string[], RegExp][]) {
    const r = await runCli(args, dir);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, pattern);
    assert.equal(r.err.split('\n').length, 1);
  }
  assert.equal((await runCli(['trace'], dir)).code, 2);
  assert.equal((await runCli(['trace', 'x', '--n-plus-one', '1'], dir)).code, 2);
});
