// Go's and Rust's panics and Node.js's uncaught exceptions in a log, as the runtimes print them, and zap's
// stacktrace field: each is one error event whose exception has the crashing stack as its frames, outermost
// first (Python's order), so the Errors view groups and opens them as it does Python's. Fixtures:
// test/fixtures/logs-panics/, logs-go/zap/, logs-go/structured/, logs-python/tqdm.log (recorded from the real programs, NOTE.md there).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readText } from '../../src/core/logs/reader';
import { goStackArrayFrames, parsePanic } from '../../src/core/logs/panics';
import { isErrorRecord, type LogRecord } from '../../src/core/logs/types';
import { isLibraryPath } from '../../src/core/paths/pathMappings';
import { analyzePatternFiles } from '../../src/core/patterns/load';
import { analyzeLogFiles } from '../../src/core/errors/load';
import { isInAppFrame } from '../../src/core/errors/fingerprint';
import { repoRoot } from './helpers';

function crashOf(name: string): { record: LogRecord; lines: string[] } {
  const text = readFileSync(path.join(repoRoot, 'test/fixtures/logs-panics', name), 'utf8');
  const { records } = readText(text, { source: name, allRecords: true });
  const errors = records.filter(isErrorRecord);
  assert.equal(errors.length, 1, `${name}: ${errors.length} error events`);
  return { record: errors[0]!, lines: text.split('\n') };
}

test('a Go panic: the runtime error is the exception, the panicking goroutine its frames', () => {
  const { record, lines } = crashOf('go.log');
  assert.equal(record.line, lines.findIndex((l) => l.startsWith('panic: ')) + 1);
  assert.equal(record.level, 'PANIC');
  assert.equal(record.message, 'runtime error: index out of range [3] with length 3');
  const [e] = record.exception!.chain;
  assert.deepEqual([e!.type, e!.message], ['runtime error', 'index out of range [3] with length 3']);
  assert.deepEqual(e!.frames.map((f) => `${f.function} ${f.file}:${f.line}`), ['main.main /srv/app/main.go:18', 'main.lookup /srv/app/main.go:10']);
});

test("a Go service's zap JSON: the stacktrace field is the error's frames, the error field its text", async () => {
  const file = path.join(repoRoot, 'test/fixtures/logs-go/zap/zap.jsonl');
  const { records } = readText(readFileSync(file, 'utf8'));
  const errors = records.filter(isErrorRecord);
  assert.equal(errors.length, 3);
  for (const r of errors) {
    const [e] = r.exception!.chain;
    assert.equal(r.message, 'payment failed');
    assert.match(e!.message, /^order \d+: card declined$/);
    assert.deepEqual(e!.frames.filter(isInAppFrame).map((f) => `${f.function} ${f.file}:${f.line}`), ['main.main /srv/app/main.go:26']);
    assert.ok(e!.frames.some((f) => f.function === 'runtime.main' && isLibraryPath(f.file)));
  }
  const { report } = await analyzeLogFiles([file]);
  assert.deepEqual(report.clusters.map((c) => [c.count, c.frames.at(-1)?.line]), [[3, 26]]);
});

test("Go's slog and logrus JSON: the error's text beside the message is read, and one call's two errors are two clusters", async () => {
  for (const [name, key] of [['slog', 'err'], ['logrus', 'error']] as const) {
    const file = path.join(repoRoot, `test/fixtures/logs-go/structured/${name}.jsonl`);
    const { records } = readText(readFileSync(file, 'utf8'));
    const charge = records.filter((r) => isErrorRecord(r) && r.message === 'charge failed');
    assert.equal(charge.length, 12, name);
    assert.ok(charge.every((r) => /^order \d+: (?:card declined|context deadline exceeded)$/.test(r.exceptionMessage ?? '')), name);
    const { report } = await analyzeLogFiles([file]);
    assert.equal(report.fieldMapping.exceptionMessage, key, name);
    const byTemplate = new Map(report.clusters.map((c) => [c.template, c]));
    assert.equal(report.clusters.length, 5, `${name}: ${[...byTemplate.keys()].join(' | ')}`);
    assert.equal(byTemplate.get('charge failed: order <num>: card declined')?.count, 6, name);
    assert.equal(byTemplate.get('charge failed: order <num>: context deadline exceeded')?.category, 'infrastructure', name);
    const refused = report.clusters.find((c) => c.template.startsWith('fetching inventory failed: '));
    assert.match(refused?.template ?? '', /connect: connection refused$/, name);
    assert.equal(refused?.category, 'infrastructure', name);
    assert.equal(report.clusters.find((c) => c.template.startsWith('parsing quantity failed'))?.category, 'input_validation', name);
  }
});

test("Go's zerolog JSON: the stack array is the error's frames, outermost first, the error field its text", async () => {
  const file = path.join(repoRoot, 'test/fixtures/logs-go/structured/zerolog.jsonl');
  const { records } = readText(readFileSync(file, 'utf8'));
  const fetch = records.filter((r) => isErrorRecord(r) && r.message === 'fetching inventory failed');
  assert.equal(fetch.length, 6);
  for (const r of fetch) {
    const [e] = r.exception!.chain;
    assert.match(e!.message, /^inventory: Get "http:\/\/127\.0\.0\.1:1\/items\/\d+": dial tcp 127\.0\.0\.1:1: connect: connection refused$/);
    assert.deepEqual(e!.frames.slice(0, 3).map((f) => `${f.function} ${f.file}`), ['goexit asm_amd64.s', 'main proc.go', 'main main.go']);
    assert.deepEqual(e!.frames.slice(-2).map((f) => f.function), ['serve', 'fetchInventory']);
    assert.ok(e!.frames.every((f) => Number.isInteger(f.line) && f.line! > 0));
  }
  const { report } = await analyzeLogFiles([file]);
  assert.equal(report.fieldMapping.stackTrace, 'stack');
  // (grouped by stack, as Sentry groups: the declined card and the deadline come from one place)
  assert.deepEqual(report.clusters.map((c) => [c.count, c.kind, c.frames.at(-1)?.function]), [[12, 'stack', 'charge'], [6, 'stack', 'fetchInventory'], [6, 'stack', 'loadConfig'], [6, 'stack', 'parseQuantity']]);
});

test('a Go error field is read only as text: `"error": true` flags a line and is no message', async () => {
  const lines = [
    '{"level":"error","msg":"batch failed","error":true,"batch":1}',
    '{"level":"error","msg":"batch failed","error":false,"batch":2}',
    '{"level":"error","msg":"batch failed","err":"","batch":3}',
  ];
  const { records } = readText(lines.join('\n'));
  assert.deepEqual(records.map((r) => r.exceptionMessage), [undefined, undefined, undefined]);
  const errorsOnly = readText('{"level":"error","error":"disk full"}');
  assert.equal(errorsOnly.records[0]!.exceptionMessage, 'disk full');
});

test('goStackArrayFrames: frames only from an array of {func, source} objects, outermost first', () => {
  fc.assert(
    fc.property(fc.array(fc.record({ func: fc.string(), source: fc.string(), line: fc.oneof(fc.nat().map(String), fc.nat(), fc.constant('x')) }), { minLength: 1, maxLength: 8 }), (stack) => {
      const frames = goStackArrayFrames(stack)!;
      assert.equal(frames.length, stack.length);
      assert.deepEqual(frames.map((f) => f.function), stack.map((f) => f.func).reverse());
      assert.deepEqual(frames.map((f) => f.line), stack.map((f) => (f.line === 'x' ? undefined : Number(f.line))).reverse());
    }),
  );
  fc.assert(
    fc.property(fc.array(fc.anything()), (items) => {
      const frames = goStackArrayFrames(items);
      const frameLike = items.length > 0 && items.every((x) => typeof x === 'object' && x !== null && typeof (x as { func?: unknown }).func === 'string' && typeof (x as { source?: unknown }).source === 'string');
      assert.equal(frames !== undefined, frameLike);
    }),
  );
});

test("a Rust panic: the message under it, the backtrace's frames, the panic's place on the program's innermost frame", () => {
  const { record } = crashOf('rust.log');
  const [e] = record.exception!.chain;
  assert.deepEqual([e!.type, e!.message], ['panic', 'index out of bounds: the len is 3 but the index is 3']);
  const raising = e!.frames.at(-1)!;
  // (the frames above the program's are the panic's own machinery, in the standard library)
  const own = e!.frames.filter(isInAppFrame);
  assert.ok(own.some((f) => f.function === 'main::lookup' && f.file === 'src/main.rs' && f.line === 3), JSON.stringify(own));
  assert.ok(isLibraryPath(raising.file) || raising.function.startsWith('__rustc'), JSON.stringify(raising));
  // Without RUST_BACKTRACE, the panic's place is the one frame; before Rust 1.73 the message was on its line.
  const bare = parsePanic("thread 'main' panicked at src/main.rs:4:5:", ['index out of bounds: the len is 3 but the index is 5', 'note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace'])!;
  assert.deepEqual(bare.chain[0]!.frames, [{ file: 'src/main.rs', line: 4, function: '' }]);
  assert.equal(bare.chain[0]!.message, 'index out of bounds: the len is 3 but the index is 5');
  const old = parsePanic("thread 'main' panicked at 'called `Option::unwrap()` on a `None` value', src/main.rs:2:37", [])!;
  assert.equal(old.chain[0]!.message, 'called `Option::unwrap()` on a `None` value');
});

test("Node.js's uncaught exception: the error and V8's frames, Node's own frames as library", () => {
  const { record, lines } = crashOf('node.log');
  assert.equal(record.line, lines.findIndex((l) => l.startsWith('TypeError: ')) + 1);
  assert.equal(record.message, 'TypeError: cannot charge order 3: limit exceeded');
  const [e] = record.exception!.chain;
  assert.equal(e!.type, 'TypeError');
  assert.deepEqual(e!.frames.filter(isInAppFrame).map((f) => `${f.function} ${f.file}:${f.line}`), ['Object.<anonymous> /srv/app/app.js:6', 'charge /srv/app/app.js:3']);
  assert.ok(e!.frames.some((f) => f.file.startsWith('node:internal/')));
  // `Error: boom` reads as a level to a header grammar; with V8's frames under it, it is the exception.
  const [boom] = readText('Error: boom\n    at Object.<anonymous> (/srv/app/index.js:3:9)\n').records;
  assert.equal(boom!.exception!.chain[0]!.type, 'Error');
  assert.equal(boom!.message, 'Error: boom');
  // An exception's line with no frames under it and no log line above it is not a record.
  assert.deepEqual(readText('ValueError: x\nTypeError: y\n', { allRecords: true }).records, []);
});

test("a training job's output under tqdm: a progress bar's line is what the terminal showed last; the traceback after it is the error", async () => {
  const file = path.join(repoRoot, 'test/fixtures/logs-python/tqdm.log');
  const { records } = readText(readFileSync(file, 'utf8'), { allRecords: true });
  const errors = records.filter(isErrorRecord);
  assert.deepEqual(errors.map((r) => r.exception?.chain.at(-1)?.type), ['RuntimeError']);
  const { report } = await analyzePatternFiles([file]);
  const bars = report.patterns.filter((p) => p.template.startsWith('epoch <num>: <num>%'));
  assert.equal(bars.reduce((n, p) => n + p.count, 0), 2);
  // (each bar's last state only: not the states it was rewritten from)
  for (const p of bars) assert.equal(p.template.split('epoch').length, 2, p.template);
  for (const p of report.patterns) assert.doesNotMatch(p.template, /\r/);
});

test('property: any mix of crash-report, stack and log lines reads without throwing, every record at a line of its own', () => {
  const pieces = [
    'panic: runtime error: x',
    'fatal error: all goroutines are asleep - deadlock!',
    'goroutine 1 [running]:',
    'main.main()',
    '\t/srv/app/main.go:18 +0x185',
    "thread 'main' panicked at src/main.rs:3:5:",
    "thread 'w' (12) panicked at 'boom', src/lib.rs:1:1",
    'stack backtrace:',
    '   3: app::lookup',
    '             at ./src/main.rs:3:5',
    'Fatal Python error: Aborted',
    'Current thread 0x00007f0000000002 (most recent call first):',
    '  File "/srv/app/train.py", line 9 in backward',
    'TypeError: x',
    'Error: boom',
    '    at f (/srv/app/x.js:1:2)',
    'java.lang.IllegalStateException: x',
    '\tat a.B.c(B.java:1)',
    'Caused by: java.io.IOException',
    '\t... 2 more',
    'Exception in thread "main" java.lang.Error',
    'Traceback (most recent call last):',
    'ValueError: bad',
    '2026-12-06 16:00:00,123 ERROR app: failed',
    '26/12/06 16:00:00 WARN X: y',
    'srun: error: node01: task 1',
    '',
    'a\rb\r',
  ];
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 40 })), { maxLength: 40 }), (lines) => {
      const text = lines.join('\n');
      const { records, context } = readText(text, { allRecords: true });
      const starts = records.map((r) => r.line);
      for (const n of starts) assert.ok(n >= 1 && n <= lines.length, `line ${n} of ${lines.length}`);
      assert.equal(new Set(starts).size, starts.length, 'two records at one line');
      assert.ok(context.stats.records >= records.length);
      for (const r of records) for (const e of r.exception?.chain ?? []) for (const f of e.frames) assert.equal(typeof f.file, 'string');
    }),
    { numRuns: 300 },
  );
});

test("Ruby: Logger's error(e) and the interpreter's report of an exception nobody rescued are errors with the backtrace as frames", async () => {
  const logged = path.join(repoRoot, 'test/fixtures/logs-ruby/logger.log');
  const arg = readText(readFileSync(logged, 'utf8')).records.find((r) => r.exception)!;
  assert.deepEqual([arg.exception!.chain[0]!.type, arg.exception!.chain[0]!.message], ['ArgumentError', 'invalid value for Integer(): "12a6"']);
  assert.deepEqual(arg.exception!.chain[0]!.frames.map((f) => `${f.function} ${f.file}:${f.line}`), ['<main> /srv/app/app.rb:17', 'Integer /srv/app/app.rb:17']);
  // The Patterns view keeps the backtrace with its log line.
  for (const p of (await analyzePatternFiles([logged])).report.patterns) assert.doesNotMatch(p.template, /:in `/, p.template);
  const { record, lines } = crashOf('../logs-ruby/uncaught.log');
  assert.equal(record.line, lines.findIndex((l) => l.includes('(ArgumentError)')) + 1);
  assert.equal(record.message, 'ArgumentError: order 3 has no card');
  assert.deepEqual(record.exception!.chain[0]!.frames.map((f) => `${f.function}:${f.line}`), ['<main>:12', 'each:12', 'block in <main>:13', 'charge:7']);
  assert.ok(isLibraryPath('/usr/lib/ruby/3.1.0/logger.rb') && isLibraryPath('/usr/share/gems/gems/rack-3.0/lib/rack.rb'));
});

test('hostile long lines shaped like stack lines are read in time linear in their length (no catastrophic backtracking)', () => {
  // Expressions with ambiguous lazy parts take time growing with the square or cube of such a line's length
  // (Ruby's uncaught-report expression took 15 s on a 20 KB line before it was made unambiguous); here every
  // line is read in one pass or, past the length of any real stack line, not looked at as one.
  const long = (unit: string) => unit.repeat(Math.ceil(200_000 / unit.length));
  const lines = [
    `/srv/app/x.rb:1:in 'a': ${long("b:1:in 'c': ")}`,
    `thread 'main' panicked at '${long("a', b:1:2 ")}`,
    '2026-12-06 16:00:00,123 ERROR app: failed',
    `    at ${long('f (g ')}`,
    `  ${long('File "x", line 1 in ')}`,
    `x.y.Z: ${long('a (B) ')}`,
    `  from ${long("a:1:in 'b' ")}`,
    'panic: ' + long('x [recovered] '),
  ];
  const { records } = readText(`${lines.join('\n')}\n`, { allRecords: true });
  assert.ok(records.length >= 1);
});
