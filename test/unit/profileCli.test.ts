import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir, runCli } from './helpers';

const FIXTURES = path.join(__dirname, '../fixtures/profile');
const HOT_LINE = readFileSync(path.join(FIXTURES, 'workload.py'), 'utf8').split('\n').findIndex((l) => l.includes('total += i * i % 7')) + 1;

const run = (argv: string[], cwd = FIXTURES) => runCli(argv, cwd);

test('iwb profile summarize --json: format, samples, threads and top sorted by self time', async () => {
  const r = await run(['profile', 'summarize', 'workload.speedscope.json', '--top', '5', '--json']);
  assert.equal(r.code, 0, r.err);
  const s = JSON.parse(r.out);
  assert.equal(s.format, 'speedscope-sampled');
  assert.ok(s.samples > 100);
  assert.equal(s.threads.length, 2);
  assert.equal(s.top.length, 5);
  assert.deepEqual(Object.keys(s.top[0]).sort(), ['file', 'function', 'line', 'self', 'selfPct', 'total', 'totalPct']);
  assert.deepEqual([s.top[0].function, s.top[0].file, s.top[0].line], ['hot_loop', '/app/workload.py', HOT_LINE]);
  for (let i = 1; i < s.top.length; i++) assert.ok(s.top[i - 1].self >= s.top[i].self);
  for (const f of s.top) assert.ok(f.totalPct >= f.selfPct && f.totalPct <= 100);
});

test('iwb profile summarize prints a readable table', async () => {
  const r = await run(['profile', 'summarize', 'workload-threads.raw', '--top', '2']);
  assert.equal(r.code, 0);
  assert.match(r.out, /py-spy raw/);
  assert.match(r.out, new RegExp(`hot_loop  \\(/app/workload\\.py:${HOT_LINE}\\)`));
});

test('iwb profile diff --json: the fast variant shows hot_loop improving most', async () => {
  const r = await run(['profile', 'diff', 'workload.speedscope.json', 'workload-fast.speedscope.json', '--json']);
  assert.equal(r.code, 0, r.err);
  const d = JSON.parse(r.out);
  const fns = d.functions as { function: string; beforePct: number; afterPct: number; deltaPct: number }[];
  for (let i = 1; i < fns.length; i++) assert.ok(Math.abs(fns[i - 1]!.deltaPct) >= Math.abs(fns[i]!.deltaPct));
  // hot_loop does a tenth of the work in the fast variant, so its share falls and warm_loop's rises.
  const hot = fns.findIndex((f) => f.function === 'hot_loop');
  const warm = fns.findIndex((f) => f.function === 'warm_loop');
  assert.ok(hot <= 1 && warm <= 1, JSON.stringify(fns.slice(0, 3)));
  assert.ok(fns[hot]!.deltaPct < -10, `hot_loop delta ${fns[hot]!.deltaPct}`);
  assert.ok(fns[warm]!.deltaPct > 10, `warm_loop delta ${fns[warm]!.deltaPct}`);
  for (const f of fns) assert.ok(Math.abs(f.afterPct - f.beforePct - f.deltaPct) < 1e-3);
});

test('unreadable input: exit 2 and one line naming the file and the problem', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'garbage.json'), '{"profiles": [');
  writeFileSync(path.join(dir, 'notes.txt'), 'just some notes\n');
  writeFileSync(path.join(dir, 'empty.raw'), '');
  for (const [argv, re] of [
    [['profile', 'summarize', 'missing.json'], /^iwb profile: missing\.json: no such file$/],
    [['profile', 'summarize', 'garbage.json'], /^iwb profile: garbage\.json: .*(ends inside|truncated)/],
    [['profile', 'summarize', 'notes.txt'], /^iwb profile: notes\.txt: not a profile/],
    [['profile', 'summarize', 'empty.raw'], /^iwb profile: empty\.raw: the file is empty$/],
    [['profile', 'summarize', '.'], /is a directory/],
    [['profile', 'diff', 'empty.raw', 'notes.txt'], /empty\.raw/],
  ] as const) {
    const r = await run([...argv], dir);
    assert.equal(r.code, 2, argv.join(' '));
    assert.equal(r.err.split('\n').length, 1, r.err);
    assert.match(r.err, re);
  }
});

test('usage errors exit 2', async () => {
  assert.equal((await run(['profile'])).code, 2);
  assert.equal((await run(['profile', 'frob'])).code, 2);
  assert.equal((await run(['profile', 'summarize'])).code, 2);
  assert.equal((await run(['profile', 'summarize', 'workload.speedscope.json', '--top', 'x'])).code, 2);
  assert.equal((await run(['profile', 'diff', 'workload.speedscope.json'])).code, 2);
});
