// `iwb memory summarize|diff` on captures the real tools make at test time, and on bad input: a capture
// of another memray version, a cut-short capture, a tracemalloc pickle of another Python, random bytes, an
// empty report. Exit 0 analysed, 2 unreadable with one line naming the file; never a stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir, runCli } from './helpers';
import { FIXTURES, PYTHON, WORKLOAD, markerLine, memoryProfilerReport, memrayCapture, memrayUncompressedCapture, tracemallocSnapshot } from './memoryHelpers';

const LEAK = markerLine(WORKLOAD, 'LEAK');

const run = (argv: string[], cwd = FIXTURES) => runCli([...argv, '--python', PYTHON], cwd);

test('iwb memory summarize --json: the exact contract, lists biggest first, the leaking line first among leaks', async () => {
  const file = memrayCapture();
  const r = await run(['memory', 'summarize', file, '--top', '3', '--json']);
  assert.equal(r.code, 0, r.err);
  const s = JSON.parse(r.out);
  assert.deepEqual(Object.keys(s), ['file', 'format', 'peakBytes', 'totalAllocations', 'totalBytes', 'peak', 'leaks', 'temporary']);
  assert.equal(s.file, file);
  assert.equal(s.format, 'memray');
  for (const view of ['peak', 'leaks', 'temporary']) {
    assert.ok(s[view].length > 0 && s[view].length <= 3, view);
    for (const item of s[view]) assert.deepEqual(Object.keys(item), ['function', 'file', 'line', 'bytes', 'allocations']);
    for (let i = 1; i < s[view].length; i++) assert.ok(s[view][i - 1].bytes >= s[view][i].bytes);
  }
  assert.deepEqual([s.leaks[0].function, s.leaks[0].file, s.leaks[0].line], ['remember', WORKLOAD, LEAK]);
  assert.ok(Number.isInteger(s.peakBytes) && s.totalAllocations > 0 && s.totalBytes > s.peakBytes);
});

test('iwb memory summarize: a readable table per view; a format that cannot tell temporary says so', async () => {
  const r = await run(['memory', 'summarize', memrayCapture(), '--top', '2']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /memray capture \(read with memray \d/);
  assert.match(r.out, /^Leaks: allocated and never freed$/m);
  assert.match(r.out, new RegExp(`remember  \\(${WORKLOAD.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${LEAK}\\)`));
  const t = await run(['memory', 'summarize', tracemallocSnapshot(), '--json']);
  assert.equal(t.code, 0, t.err);
  const s = JSON.parse(t.out);
  assert.equal(s.format, 'tracemalloc');
  assert.deepEqual(s.temporary, []);
  const text = await run(['memory', 'summarize', tracemallocSnapshot()]);
  assert.match(text.out, /Temporary: freed right after allocation — not known for this format/);
  const mp = await run(['memory', 'summarize', memoryProfilerReport(), '--json']);
  assert.equal(mp.code, 0, mp.err);
  assert.equal(JSON.parse(mp.out).format, 'memory_profiler');
});

test('iwb memory diff --json: before/after facts and the leak shrinking most', async () => {
  const r = await run(['memory', 'diff', memrayCapture(), memrayCapture(true), '--json']);
  assert.equal(r.code, 0, r.err);
  const d = JSON.parse(r.out);
  assert.deepEqual(Object.keys(d), ['before', 'after', 'peakBytesDelta', 'peak', 'leaks', 'temporary']);
  assert.deepEqual(Object.keys(d.before), ['file', 'format', 'peakBytes', 'totalAllocations', 'totalBytes']);
  assert.deepEqual(Object.keys(d.leaks[0]), ['function', 'file', 'line', 'beforeBytes', 'afterBytes', 'deltaBytes', 'beforeAllocations', 'afterAllocations']);
  assert.deepEqual([d.leaks[0].function, d.leaks[0].line], ['remember', LEAK]);
  assert.ok(d.leaks[0].deltaBytes < 0);
  assert.equal(d.peakBytesDelta, d.after.peakBytes - d.before.peakBytes);
  const text = await run(['memory', 'diff', memrayCapture(), memrayCapture(true), '--top', '1']);
  assert.match(text.out, /−\d.* {2}remember/);
});

test('bad input: exit 2 with one line naming the file and why, for each kind', async (t) => {
  const dir = tempDir(t);
  const capture = readFileSync(memrayCapture());
  writeFileSync(path.join(dir, 'cut.bin'), capture.subarray(0, 40));
  writeFileSync(path.join(dir, 'random.bin'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251)));
  writeFileSync(path.join(dir, 'empty.txt'), '');
  writeFileSync(path.join(dir, 'empty-report.txt'), 'Filename: app.py\n\nLine #    Mem usage    Increment  Occurrences   Line Contents\n=============================================================\n');
  writeFileSync(path.join(dir, 'hostile.txt'), '<img src=x onerror=alert(1)>\n');
  copyFileSync(path.join(FIXTURES, 'workload-memray-1.18.bin'), path.join(dir, 'old.bin'));
  copyFileSync(path.join(FIXTURES, 'workload-python3.8.tracemalloc'), path.join(dir, 'py38.tracemalloc'));
  const cases: [string, RegExp][] = [
    ['old.bin', /old\.bin: written by memray 1\.11 to 1\.18 \(capture format 11\); the installed memray \S+ reads format 13 only.*memray==1\.18/],
    ['cut.bin', /cut\.bin: a memray capture that memray \S+ cannot read from the start: it is truncated or damaged/],
    ['py38.tracemalloc', /py38\.tracemalloc: a tracemalloc snapshot, but Python 3\.\d+\.\d+ cannot read its traces .*written by another Python version/],
    ['random.bin', /random\.bin: binary data that is neither a memray capture nor a tracemalloc snapshot/],
    ['empty.txt', /empty\.txt: the file is empty/],
    ['empty-report.txt', /empty-report\.txt: the report lists no measured line/],
    ['hostile.txt', /hostile\.txt: not a memory capture .* it starts with "<img src=x onerror=alert\(1\)>"/],
    ['missing.bin', /missing\.bin: no such file/],
  ];
  for (const [file, message] of cases) {
    const r = await run(['memory', 'summarize', file], dir);
    assert.equal(r.code, 2, `${file}: ${r.out}`);
    assert.equal(r.err.split('\n').length, 1, r.err);
    assert.match(r.err, message);
    assert.doesNotMatch(r.err, /\n\s+at /);
    const j = await run(['memory', 'summarize', file, '--json'], dir);
    assert.match(JSON.parse(j.out).error, message);
  }
  const d = await run(['memory', 'diff', memrayCapture(), 'random.bin'], dir);
  assert.equal(d.code, 2);
  assert.match(d.err, /random\.bin/);
});

test('a capture cut short: a killed run is read up to the kill with a warning; a cut copy reads; compressed, refused as damaged', async (t) => {
  const dir = tempDir(t);
  // A process killed while memray tracked it (SIGKILL: memray never finishes the file), as in production.
  const script = path.join(dir, 'killed.py');
  writeFileSync(script, 'import os, signal\nkept = [bytearray(50000) for _ in range(20)]\nos.kill(os.getpid(), signal.SIGKILL)\n');
  const k = spawnSync(PYTHON, ['-m', 'memray', 'run', '-q', '-f', '--no-compress', '-o', path.join(dir, 'killed.bin'), script], { cwd: dir, encoding: 'utf8' });
  assert.notEqual(k.status, 0, 'the tracked process was killed');
  const r = await run(['memory', 'summarize', 'killed.bin', '--json'], dir);
  assert.equal(r.code, 0, r.err);
  // memray leaves the start time as the end time until tracking ends; on a loaded machine it has, rarely,
  // written an end time before the kill: then there is nothing to warn about, and the reader must not.
  const times = spawnSync(PYTHON, ['-c', 'import sys; from memray import FileReader; m = FileReader(sys.argv[1]).metadata; print((m.end_time - m.start_time).total_seconds() * 1000)', path.join(dir, 'killed.bin')], { encoding: 'utf8' });
  const unfinished = Number(times.stdout.trim()) <= 2;
  if (unfinished) assert.match(r.err, /warning: killed\.bin: The capture was not finished \(no end time\): the process was probably killed/);
  else assert.doesNotMatch(r.err, /not finished/);
  const killed = JSON.parse(r.out);
  assert.equal(killed.format, 'memray');
  assert.ok(killed.leaks.some((x: { file: string; line: number }) => x.file.endsWith('killed.py') && x.line === 2), 'the kept buffers, read up to the kill');
  // A copy cut short: memray reads it up to the cut (it warns only when the cut splits a record).
  const raw = readFileSync(memrayUncompressedCapture());
  writeFileSync(path.join(dir, 'half.bin'), raw.subarray(0, Math.floor(raw.length * 0.6)));
  const h = await run(['memory', 'summarize', 'half.bin', '--json'], dir);
  assert.equal(h.code, 0, h.err);
  assert.equal(JSON.parse(h.out).format, 'memray');
  if (h.err) assert.match(h.err, /warning: half\.bin: memray stopped reading before the end: the capture is truncated or damaged/);
  const packed = readFileSync(memrayCapture());
  writeFileSync(path.join(dir, 'half-lz4.bin'), packed.subarray(0, Math.floor(packed.length * 0.6)));
  const z = await run(['memory', 'summarize', 'half-lz4.bin'], dir);
  assert.equal(z.code, 2);
  assert.match(z.err, /half-lz4\.bin: a memray capture that memray \S+ cannot read from the start: it is truncated or damaged \([\d,]+ bytes of LZ4-compressed data\)/);
});

test('usage: sub-commands and options are checked', async () => {
  assert.equal((await run(['memory'])).code, 2);
  assert.equal((await run(['memory', 'summarize'])).code, 2);
  assert.equal((await run(['memory', 'diff', 'a'])).code, 2);
  assert.equal((await run(['memory', 'summarize', 'x', '--top', '0'])).code, 2);
  assert.equal((await run(['memory', 'explode', 'x'])).code, 2);
});

test('iwb memory --json: bytes are whole numbers for reports written in MiB (memory_profiler, mprof), in summarize and diff', async (t) => {
  // memory_profiler prints "7.6 MiB"; 7.6 × 2^20 is 7969177.6, not a count of bytes.
  const dir = tempDir(t);
  const report = path.join(dir, 'mp.txt');
  writeFileSync(report, [
    'Filename: /app/mp.py', '',
    'Line #    Mem usage    Increment  Occurrences   Line Contents',
    '=============================================================',
    '     2     50.6 MiB     50.6 MiB           1   @profile',
    '     3                                         def f():',
    '     4     58.2 MiB      7.6 MiB           1       a = [1]*1000000',
    '     5     73.5 MiB     15.3 MiB           1       b = [2]*2000000',
    '     6     58.2 MiB    -15.3 MiB           1       del b',
    '     7     58.2 MiB      0.0 MiB           1       return a', '', '',
  ].join('\n'));
  const r = await run(['memory', 'summarize', report, '--json'], dir);
  assert.equal(r.code, 0, r.err);
  const s = JSON.parse(r.out);
  assert.ok(s.peak.length > 0);
  for (const n of [s.peakBytes, s.totalBytes, ...['peak', 'leaks', 'temporary'].flatMap((v) => s[v].map((l: { bytes: number }) => l.bytes))]) assert.ok(Number.isInteger(n), String(n));
  const d = JSON.parse((await run(['memory', 'diff', report, report, '--json'], dir)).out);
  for (const n of [d.before.peakBytes, d.before.totalBytes, d.peakBytesDelta, ...['peak', 'leaks', 'temporary'].flatMap((v) => d[v].flatMap((l: { beforeBytes: number; afterBytes: number; deltaBytes: number }) => [l.beforeBytes, l.afterBytes, l.deltaBytes]))]) assert.ok(Number.isInteger(n), String(n));
});
