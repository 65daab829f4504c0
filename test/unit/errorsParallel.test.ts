// The errors pipeline on worker threads (src/node/errorsParallel.ts) gives the report one read gives: both
// paths run on the same generated files, cut into many small parts, and the whole results are compared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import * as path from 'node:path';
import fc from 'fast-check';
import { BoundedCounter } from '../../src/core/errors/analyzer';
import { analyzeLogFiles, type LoadOptions } from '../../src/core/errors/load';
import { analyzeLogFilesParallel } from '../../src/node/errorsParallel';
import { runParts } from '../../src/node/parallel';
import { compareCodeUnits, topCounts } from '../../src/core/util/order';
import { repoRoot, tempDir } from './helpers';

let script: Promise<string> | undefined;
/** The real worker bundle, built the way esbuild.mjs builds dist/errorsWorker.js (once for these tests). */
function workerScript(): Promise<string> {
  script ??= (async () => {
    const esbuild = await import('esbuild');
    const dir = mkdtempSync(path.join(tmpdir(), 'iwb-unit-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    const out = path.join(dir, 'errorsWorker.js');
    await esbuild.build({ entryPoints: [path.join(repoRoot, 'src/node/errorsWorker.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: out, logLevel: 'error' });
    return out;
  })();
  return script;
}

/** A small deterministic generator (the same file for the same seed). */
function rng(seed: number): (k: number) => number {
  let s = seed >>> 0 || 1;
  return (k) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % k;
  };
}

const TRACEBACK = (n: (k: number) => number) =>
  `Traceback (most recent call last):\n  File "/app/svc/api.py", line ${10 + n(3)}, in handle\n    return charge(order)\n  File "/app/svc/pay.py", line ${40 + n(5)}, in charge\n    raise ValueError(f"bad amount {x}")\nValueError: bad amount ${n(1000)}`;

/**
 * JSON Lines of many kinds: error lines from templates with fresh values, exceptions (as text and as a
 * traceback string field), INFO lines (the raw-text fast path), releases, thousands of users (over the
 * counters' cap), stderr tracebacks between JSON lines, a long stretch without any error, a trace id that
 * appears only late, lines that are not JSON or are binary.
 */
function jsonLines(seed: number, count: number, mixedShapes = false): string[] {
  const n = rng(seed);
  const start = Date.parse('2026-11-20T06:00:00Z');
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const timestamp = new Date(start + i * 1500 + n(900)).toISOString();
    const quiet = i > count * 0.4 && i < count * 0.55;
    const base = { timestamp, logger: 'svc', service: `svc-${n(3)}`, user_id: `u${n(3000)}`, endpoint: `/api/${n(4)}`, version: i < count / 2 ? '1.4.0' : '1.5.0', ...(i > count * 0.8 ? { trace_id: `${n(1e6).toString(16)}abc` } : {}) };
    const kind = quiet ? 0 : n(12);
    if (kind === 0 || kind === 1) out.push(JSON.stringify({ ...base, level: 'INFO', message: `served ${n(100)} items in ${n(500)} ms` }));
    else if (kind === 2) out.push(JSON.stringify({ ...base, level: 'ERROR', message: 'charge failed', exc_info: TRACEBACK(n) }));
    else if (kind === 3 && n(4) === 0) out.push(TRACEBACK(n));
    else if (kind === 4 && n(20) === 0) out.push(n(2) ? 'not json at all' : '\u0001\u0002 binary');
    else if (kind === 5) {
      const exception = mixedShapes ? { exception: { type: 'KeyError', message: `'user-${n(50)}'` } } : { error_type: 'KeyError', error_message: `'user-${n(50)}'` };
      out.push(JSON.stringify({ ...base, level: 'ERROR', message: `KeyError: 'user-${n(50)}'`, ...exception }));
    }
    else out.push(JSON.stringify({ ...base, level: n(5) ? 'ERROR' : 'CRITICAL', message: [`Timeout after ${n(5000)} ms calling inventory-${n(9)}`, `user ${n(1e5)} failed after ${n(5)} retries`, `cache miss for key user:${n(1e5)}:profile`, `worker ${n(16)} lost heartbeat ${'x '.repeat(n(3))}`][n(4)] }));
  }
  return out;
}

/** A Python logging text log with tracebacks under some of its lines. */
function textLines(seed: number, count: number): string[] {
  const n = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const t = new Date(Date.parse('2026-11-20T06:00:00Z') + i * 2000).toISOString().replace('T', ' ').replace('Z', '').replace('.', ',');
    const level = ['INFO', 'WARNING', 'ERROR', 'ERROR'][n(4)];
    out.push(`${t} ${level} app.worker: job ${n(900)} finished with status ${n(3)}`);
    if (level === 'ERROR' && n(3) === 0) out.push(...TRACEBACK(n).split('\n'));
    if (n(15) === 0) out.push('    a continuation line of the message');
  }
  return out;
}

async function both(paths: string[], options: LoadOptions = {}) {
  const single = await analyzeLogFiles(paths, options);
  const parallel = await analyzeLogFilesParallel(paths, { ...options, workerScript: await workerScript(), workers: 2, minParallelBytes: 1, partBytes: 24_000 });
  const { parallel: used, readAgain, parts, ...rest } = parallel;
  return { single, parallel: rest, used, readAgain, parts: parts ?? 0 };
}

test('worker threads: the whole report is the one read gives (JSON Lines, many parts, lines across cut points)', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'service.jsonl');
  writeFileSync(file, `${jsonLines(1, 4000).join('\n')}\n`);
  const { single, parallel, used, parts } = await both([file]);
  assert.equal(used, true, 'read on worker threads');
  assert.ok(parts > 20, `${parts} parts`);
  assert.ok(single.report.clusters.length >= 5 && single.report.skipped.length >= 2, 'a file with clusters and skipped lines');
  assert.ok(single.report.fieldMapping.traceId, 'a field found late');
  assert.deepStrictEqual(parallel, single);
});

test('worker threads: CRLF line ends, text logs with tracebacks, gzip and several files in one folder', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'a.jsonl'), `${jsonLines(2, 3000).join('\r\n')}\r\n`);
  writeFileSync(path.join(dir, 'b.log'), `${textLines(3, 3000).join('\n')}\n`);
  writeFileSync(path.join(dir, 'c.jsonl.gz'), gzipSync(`${jsonLines(4, 1500).join('\n')}\n`));
  // No line end at the end of the file.
  writeFileSync(path.join(dir, 'd.jsonl'), jsonLines(5, 2500).join('\n'));
  const { single, parallel, used, parts } = await both([dir]);
  assert.equal(used, true);
  assert.ok(parts > 30, `${parts} parts`);
  assert.equal(single.files.length, 4);
  assert.deepStrictEqual(parallel, single);
});

test('worker threads: a part without any error line, and a log without errors at all', async (t) => {
  const dir = tempDir(t);
  const lines = jsonLines(6, 3000);
  const quiet = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ timestamp: new Date(Date.parse('2026-11-21T00:00:00Z') + i).toISOString(), level: 'INFO', message: `ok ${i}` }));
  const file = path.join(dir, 'gap.jsonl');
  writeFileSync(file, `${[...lines.slice(0, 1500), ...quiet, ...lines.slice(1500)].join('\n')}\n`);
  const none = path.join(dir, 'none.jsonl');
  writeFileSync(none, `${quiet.join('\n')}\n${quiet.join('\n')}\n`);
  for (const paths of [[file], [none]]) {
    const { single, parallel, used, parts } = await both(paths);
    assert.equal(used, true);
    assert.ok(parts > 10, `${parts} parts`);
    assert.deepStrictEqual(parallel, single);
  }
});

test('worker threads: two shapes of exception fields in one log (read again on one thread when a part could differ)', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'mixed.jsonl');
  writeFileSync(file, `${jsonLines(7, 3000, true).join('\n')}\n`);
  const { single, parallel, readAgain } = await both([file]);
  assert.match(readAgain ?? '', /a field was found differently/);
  assert.deepStrictEqual(parallel, single);
});

test('worker threads: the same report as one read for random logs, whatever the part size', async (t) => {
  const dir = tempDir(t);
  const script = await workerScript();
  let cut = 0;
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 200, max: 1500 }), fc.integer({ min: 3000, max: 40_000 }), fc.boolean(), async (seed, count, partBytes, text) => {
      const file = path.join(dir, `p${seed}.log`);
      writeFileSync(file, `${(text ? textLines(seed, count) : jsonLines(seed, count, seed % 3 === 0)).join('\n')}\n`);
      const single = await analyzeLogFiles([file]);
      const { parallel: used, readAgain: _again, parts, ...parallel } = await analyzeLogFilesParallel([file], { workerScript: script, workers: 2, minParallelBytes: 1, partBytes });
      if (used && parts! > 1) cut++;
      assert.deepStrictEqual(parallel, single);
    }),
    { numRuns: 15 },
  );
  assert.ok(cut >= 5, `${cut} of 15 runs merged parts`);
});

test('bounded counters keep the same values and counts whatever the order and split of their input', () => {
  fc.assert(
    // (values in runs too: a counter counts a run of one value when another comes or it is read)
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 4 })), { maxLength: 200 }).map((runs) => runs.flatMap(([v, n]) => Array<number>(n).fill(v))), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 400 }), (values, max, cut) => {
      const whole = new BoundedCounter(max);
      for (const v of values) whole.add(`v${v}`);
      const reversed = new BoundedCounter(max);
      for (const v of [...values].reverse()) reversed.add(`v${v}`);
      assert.equal(reversed.other, whole.other);
      assert.deepEqual(reversed.top(100), whole.top(100));
      // What it keeps: the `max` values of smallest hash (whatever they are), each with all its events.
      const all = new Map<string, number>();
      for (const v of values) all.set(`v${v}`, (all.get(`v${v}`) ?? 0) + 1);
      const kept = whole.top(100);
      assert.equal(kept.length, Math.min(max, all.size));
      for (const k of kept) assert.equal(k.count, all.get(k.value));
      assert.equal(whole.other, values.length - kept.reduce((n, k) => n + k.count, 0));
      const a = new BoundedCounter(max);
      const b = new BoundedCounter(max);
      values.forEach((v, i) => (i < cut ? a : b).add(`v${v}`));
      const merged = new BoundedCounter(max);
      for (const part of [b, a]) merged.merge(...part.export());
      assert.deepEqual(merged.top(100), whole.top(100));
      assert.equal(merged.distinct, whole.distinct);
      assert.equal(merged.other, whole.other);
    }),
  );
});

test('the top counts are what sorting every entry by count (then value) and taking the first n gives', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.string({ maxLength: 4 }), fc.integer({ min: 1, max: 5 })), { maxLength: 80 }), fc.integer({ min: 0, max: 30 }), (pairs, n) => {
      const entries = new Map(pairs);
      const sorted = [...entries].sort((a, b) => b[1] - a[1] || compareCodeUnits(a[0], b[0])).slice(0, n);
      assert.deepEqual(topCounts(entries, n), sorted.map(([value, count]) => ({ value, count })));
    }),
  );
  assert.deepEqual([compareCodeUnits('B', 'a'), compareCodeUnits('a', 'a'), compareCodeUnits('ab', 'a')], [-1, 0, 1]);
});

test('runParts: each thread takes one part after another (started once), results in part order; a failed part or a thread that ends stops them', async (t) => {
  const esbuild = await import('esbuild');
  const dir = tempDir(t);
  const entry = path.join(dir, 'echoWorker.ts');
  // A worker script on serveParts: each part answers with the thread that read it; part 'fail' throws.
  writeFileSync(
    entry,
    [
      `import { parentPort, threadId, workerData } from 'node:worker_threads';`,
      `import { serveParts } from ${JSON.stringify(path.join(repoRoot, 'src/node/parallel'))};`,
      `if (parentPort) serveParts(parentPort, workerData, async (task: string) => {`,
      `  if (task === 'fail') throw new Error('part fail could not be read');`,
      `  if (task === 'quit') process.exit(0);`,
      `  await new Promise((r) => setTimeout(r, 5));`,
      `  return { result: { task, threadId } };`,
      `});`,
    ].join('\n'),
  );
  const script = path.join(dir, 'echoWorker.js');
  await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: script, logLevel: 'error' });
  const tasks = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  const results = await runParts<string, { task: string; threadId: number }>(script, tasks, { workers: 2, cancelled: () => new Error('cancelled') });
  assert.deepEqual(results.map((r) => r.task), tasks);
  assert.equal(new Set(results.map((r) => r.threadId)).size, 2, 'two threads read the seven parts');
  await assert.rejects(runParts(script, ['a', 'b', 'fail', 'c'], { workers: 2, cancelled: () => new Error('cancelled') }), /part fail could not be read/);
  // A thread that ends in the middle of a part (exit code 0 too) fails it, and the read does not wait forever.
  await assert.rejects(runParts(script, ['a', 'quit', 'b'], { workers: 2, cancelled: () => new Error('cancelled') }), /ended before its part was read/);
});

/** A recorded fixture many times over, read on one thread and on worker threads (in many parts). */
async function repeatedFixture(t: { after(fn: () => void): void }, fixture: string, times: number) {
  const file = path.join(tempDir(t), path.basename(fixture));
  writeFileSync(file, readFileSync(path.join(repoRoot, 'test/fixtures', fixture), 'utf8').repeat(times));
  const result = await both([file]);
  assert.equal(result.used, true, 'read on worker threads');
  assert.ok(result.parts > 5, `${result.parts} parts`);
  return result;
}

test('worker threads: a java.util.logging log is cut only where a record starts (its time line), so each record keeps its time', async (t) => {
  // The recorded JUL log many times over: two-line records, stack traces under SEVERE.
  const { single, parallel } = await repeatedFixture(t, 'logs-java/jul.log', 60);
  assert.equal(single.report.clusters[0]!.count, 3 * 60);
  assert.ok(single.report.clusters.every((c) => c.firstSeen !== undefined));
  assert.deepStrictEqual(parallel, single);
});

test("worker threads: Spark's log4j layout is cut at its header lines, never between an error line and its JVM exception", async (t) => {
  // The recorded log many times over: `yy/MM/dd HH:mm:ss LEVEL Component:` lines, exceptions with causes under
  // ERROR lines, and the JVM's `Exception in thread "main"` with no header of its own.
  const { single, parallel } = await repeatedFixture(t, 'logs-java/spark/spark.log', 80);
  assert.equal(single.report.clusters.find((c) => c.exceptionType === 'java.lang.IllegalStateException')?.count, 3 * 80);
  assert.deepStrictEqual(parallel, single);
});

test('worker threads: crash reports without a time of their own take the same time as in one read (never cut before one)', async (t) => {
  // CPython's faulthandler report, a Go panic, IPython's traceback and Ruby's uncaught report, each under log
  // lines, many times over: each takes the time of the header line above it, which is in its part.
  for (const fixture of ['logs-python/crash.log', 'logs-panics/go.log', 'logs-python/ipython.log', 'logs-ruby/uncaught.log']) {
    const { single, parallel } = await repeatedFixture(t, fixture, 600);
    assert.ok(single.report.clusters.every((c) => c.firstSeen !== undefined), fixture);
    assert.deepStrictEqual(parallel, single, fixture);
  }
});

test('worker threads: a text log whose lines start with a bracket (Tornado) is cut at its header lines, not inside a traceback', async (t) => {
  // The recorded Tornado log: `[E 261206 …] Uncaught exception …`, the request and an indented traceback under it.
  const { single, parallel } = await repeatedFixture(t, 'logs-python/tornado.log', 60);
  const uncaught = single.report.clusters.find((c) => c.exceptionType === 'KeyError');
  assert.equal(uncaught?.count, 2 * 60);
  assert.deepStrictEqual(parallel, single);
});

test("worker threads: torchrun's log is cut at the workers' header lines behind their prefixes, never inside a rank's traceback", async (t) => {
  // The recorded torchrun failure: `[rank0]:2026-… - train - INFO - …` lines, `[rank1]:[rank1]:   File …` traceback lines.
  const { single, parallel } = await repeatedFixture(t, 'logs-torch/torchrun.log', 40);
  const failed = single.report.clusters.find((c) => c.exceptionType === 'ValueError');
  assert.equal(failed?.count, 40);
  assert.deepStrictEqual(parallel, single);
});

test("worker threads: container runtimes' log files are cut only where the program's own output could be", async (t) => {
  const dir = tempDir(t);
  for (const name of ['docker-json.log', 'cri.log']) {
    const file = path.join(dir, name);
    // The wrapped service log (test/fixtures/logs-container) many times over: tracebacks, a line cut in pieces.
    writeFileSync(file, readFileSync(path.join(repoRoot, 'test/fixtures/logs-container', name), 'utf8').repeat(40));
    const { single, parallel, used, parts } = await both([file]);
    assert.equal(used, true, `${name}: read on worker threads`);
    assert.ok(parts > 5, `${name}: ${parts} parts`);
    assert.ok(single.report.clusters.some((c) => c.exceptionType === 'ValueError'), name);
    assert.deepStrictEqual(parallel, single, name);
  }
});
