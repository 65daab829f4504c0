// `iwb errors`, run in-process on real logs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir, runCli } from './helpers';

interface Cluster {
  id: string;
  fingerprint: string;
  count: number;
  category: string;
  exceptionType: string;
  template: string;
  firstSeen: string;
  lastSeen: string;
  frames: { file: string; line: number; function: string; inApp: boolean; loggedFile?: string }[];
  users: unknown[];
  endpoints: unknown[];
  samples: unknown[];
}

test('iwb errors --json: events, clusters sorted by count with the documented fields, patterns', async () => {
  const r = await runCli(['errors', 'test/fixtures/logs/labelled.jsonl', '--json']);
  assert.equal(r.code, 1, 'error clusters are findings');
  const report = JSON.parse(r.out) as { events: number; clusters: Cluster[]; patterns: unknown[]; skipped: unknown[] };
  assert.equal(report.events, 480);
  assert.equal(report.clusters.length, 13);
  const counts = report.clusters.map((c) => c.count);
  assert.deepEqual(counts, [...counts].sort((a, b) => b - a));
  assert.equal(counts.reduce((a, b) => a + b, 0), 480);
  for (const c of report.clusters) {
    for (const k of ['id', 'fingerprint', 'count', 'category', 'exceptionType', 'template', 'firstSeen', 'lastSeen', 'frames', 'users', 'endpoints', 'samples']) assert.ok(k in c, `${k} in cluster`);
    assert.match(c.fingerprint, /^[0-9a-f]{16}$/);
    assert.ok(c.users.length > 0 && c.endpoints.length > 0 && c.samples.length > 0);
  }
  assert.ok(Array.isArray(report.patterns));
  const shape = report.clusters.find((c) => c.exceptionType === 'ValueError')!;
  assert.equal(shape.category, 'input_validation');
  assert.equal(shape.template, 'Invalid input shape: expected <num> features, got <num>');
  assert.deepEqual(shape.frames.at(-1), { file: '/app/shop/features.py', line: shape.frames.at(-1)!.line, function: 'validate', inApp: true, source: shape.frames.at(-1)!['source' as 'file'] });
});

test('iwb errors --map rewrites production paths to the checkout', async () => {
  const r = await runCli(['errors', 'test/fixtures/logs/labelled.jsonl', '--json', '--map', '/app=test/fixtures/logs/programs', '--map=/usr/local/lib=/opt/py']);
  const report = JSON.parse(r.out) as { clusters: Cluster[] };
  const f = report.clusters.find((c) => c.exceptionType === 'ValueError')!.frames.at(-1)!;
  assert.equal(f.file, 'test/fixtures/logs/programs/shop/features.py');
  assert.equal(f.loggedFile, '/app/shop/features.py');
});

test('iwb errors prints a human summary and the skipped lines', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'svc.jsonl'), '{"level":"ERROR","message":"disk 91% full"}\nnot json\n{"level":"ERROR","message":"disk 95% full"}\n');
  const r = await runCli(['errors', 'svc.jsonl'], dir);
  assert.equal(r.code, 1);
  assert.match(r.out, /1 file, 3 lines, 2 error events in 1 cluster/);
  assert.match(r.out, /disk <num>% full/);
  assert.match(r.err, /1 line skipped: not JSON — first at svc\.jsonl:2/);
});

test('iwb errors: unreadable input and bad arguments exit 2 with one line', async (t) => {
  const dir = tempDir(t);
  const missing = await runCli(['errors', 'nope.jsonl'], dir);
  assert.equal(missing.code, 2);
  assert.equal(missing.err, 'iwb errors: nope.jsonl does not exist');
  assert.equal((await runCli(['errors'], dir)).code, 2);
  const badMap = await runCli(['errors', 'x', '--map', 'nonsense'], dir);
  assert.equal(badMap.code, 2);
  assert.match(badMap.err, /--map needs FROM=TO/);
  writeFileSync(path.join(dir, 'ok.jsonl'), '{"level":"INFO","message":"fine"}\n');
  assert.equal((await runCli(['errors', 'ok.jsonl'], dir)).code, 0);
});
