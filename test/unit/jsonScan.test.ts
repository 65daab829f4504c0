// The WebAssembly scanner of JSON lines (src/core/logs/jsonScan.ts, wasm/jsonScan.ts) and the errors reader's
// read of JSON lines in place through it (src/core/logs/rawRecord.ts): JSON.parse's answer or none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import fc from 'fast-check';
import { JsonLineScanner, MAX_TEXT, ScanResult, ValueKind } from '../../src/core/logs/jsonScan';
import { ReaderContext, readText } from '../../src/core/logs/reader';
import { ErrorAnalyzer, type ErrorReport } from '../../src/core/errors/analyzer';
import { normalizeShaped, normalizeUncached } from '../../src/core/errors/normalize';
import { CANONICAL_FIELDS, type FieldMapping } from '../../src/core/logs/fieldMapping';
import { repoRoot } from './helpers';

const KEYS = ['level', 'message', 'msg', 'ts', 'a"b', 'user_id', 'n', 'x'].filter((k) => !k.includes('"'));

/** What the scanner says of `line`, with the values of KEYS as JSON.parse would give them. */
function scanned(scanner: JsonLineScanner, line: string): { result: ScanResult; values: Record<string, unknown> } {
  // (the line inside a longer text, as a chunk holds it)
  const text = `{"before":1}\n${line}\n{"after":2}`;
  assert.ok(scanner.load(text));
  const start = 13;
  const result = scanner.scan(start, start + line.length);
  const values: Record<string, unknown> = {};
  if (result === ScanResult.Object) {
    scanner.keys.forEach((key, k) => {
      const kind = scanner.kind(k);
      const a = scanner.start(k);
      const b = scanner.end(k);
      if (kind === ValueKind.Missing) return;
      values[key] =
        kind === ValueKind.String
          ? text.slice(a, b)
          : kind === ValueKind.Escaped
            ? JSON.parse(text.slice(a - 1, b + 1))
            : kind === ValueKind.Number
              ? Number(text.slice(a, b))
              : kind === ValueKind.True
                ? true
                : kind === ValueKind.False
                  ? false
                  : kind === ValueKind.Null
                    ? null
                    : JSON.parse(text.slice(a, b));
    });
  }
  return { result, values };
}

/** Only ASCII is scanned (see the test below): other characters replaced. */
function ascii(s: string): string {
  return s.replace(/[^\p{ASCII}]/gu, '?');
}

function parsed(line: string): { ok: boolean; value?: unknown } {
  try {
    return { ok: true, value: JSON.parse(line) };
  } catch {
    return { ok: false };
  }
}

function agree(scanner: JsonLineScanner, line: string): void {
  const { result, values } = scanned(scanner, line);
  const p = parsed(line);
  if (result === ScanResult.NotJson) assert.equal(p.ok, false, `scanner refused what JSON.parse reads: ${JSON.stringify(line)}`);
  if (result === ScanResult.Object) {
    assert.ok(p.ok && typeof p.value === 'object' && p.value !== null && !Array.isArray(p.value), `scanner read what JSON.parse does not: ${JSON.stringify(line)}`);
    const o = p.value as Record<string, unknown>;
    const expected: Record<string, unknown> = {};
    for (const key of scanner.keys) if (Object.prototype.hasOwnProperty.call(o, key)) expected[key] = o[key];
    assert.deepEqual(values, expected, JSON.stringify(line));
  }
  // (left to JSON.parse: a line that is not an object, or one with an escaped key)
  if (result === ScanResult.Unread) assert.ok(!/^[ \t\r\n]*\{/.test(line) || line.includes("\\"), JSON.stringify(line));
}

test('the committed WebAssembly is what wasm/jsonScan.ts compiles to', () => {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build-wasm.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('the scanner reads JSON lines as JSON.parse does, values and all', () => {
  const scanner = JsonLineScanner.of(KEYS)!;
  assert.ok(scanner, 'WebAssembly with SIMD runs here');
  for (const line of [
    '{"level":"ERROR","message":"boom","n":-1.5e3}',
    '{ "level" : "INFO" , "msg" : "a\\"b\\u00e9\\n" }  ',
    '{"message":"a","message":"b"}',
    '{"x":{"level":"WARN","deep":[1,[2,{"3":null}]]},"level":"ERROR"}',
    '{}',
    '\t{"x":true,"n":0,"ts":false,"user_id":null}\r',
    '{"level":"ERROR","message":"cut',
    '{"level":"ERROR",}',
    '{"n":01}',
    '{"n":1.}',
    '{"n":-}',
    '{"message":"tab\there"}',
    '{"message":"bad \\x escape"}',
    '{"message":"x"} trailing',
    '{"mess\\u0061ge":"escaped key"}',
    '["not","an","object"]',
    '{"x":[1,2,]}',
    '{"x":tru}',
    '{"ts":1763629200000,"msg":"e v"}',
  ]) {
    agree(scanner, line);
  }
  // Broken and well-formed lines of every kind.
  const value = fc.jsonValue({ maxDepth: 3 });
  const object = fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 6 })), value, { maxKeys: 8 });
  const line = fc.oneof(
    object.map((o) => ascii(JSON.stringify(o))),
    object.map((o) => ascii(JSON.stringify(o, null, 1)).replace(/\n/g, ' ')),
    fc.tuple(object, fc.nat(), fc.constantFrom('"', '\\', '{', '}', '[', ']', ',', ':', '1', '-', '.', 'e', ' ', '\t', '\u0001', 'tru', 'nul')).map(([o, at, c]) => {
      const s = ascii(JSON.stringify(o));
      const i = at % (s.length + 1);
      return s.slice(0, i) + c + s.slice(i);
    }),
    fc.tuple(object, fc.nat()).map(([o, at]) => {
      const s = ascii(JSON.stringify(o));
      const i = at % Math.max(1, s.length);
      return s.slice(0, i) + s.slice(i + 1);
    }),
    fc.string({ unit: fc.constantFrom(...'{}[]":,\\ -.0123456789eEtrufalsn'.split('')), maxLength: 30 }),
  );
  fc.assert(fc.property(line, (l) => agree(scanner, l)), { numRuns: 5000 });
});

test('the scanner reads the time of a new minute itself when it is a date of the calendar, and leaves the others', () => {
  const scanner = JsonLineScanner.of(['ts', 'message'], 1, 0)!;
  const text = [
    '2026-11-20T09:00:01.5Z', // a first minute
    '2026-11-20T09:00:59.999Z', // the same
    '2026-11-20T09:01:00Z', // the next
    '2024-02-29T23:59:00Z', // a leap day
    '2000-02-29T00:00:00Z', // a leap day of a century
    '1900-02-29T00:00:00Z', // none: Date.parse rolls it over to March, the caller's
    '1969-12-31T23:59:59Z', // before 1970
    '0000-03-01T00:00:00.000Z', // year 0
    '2026-02-30T10:00:00Z', // Date.parse rolls it over to March: the caller's
    '2026-01-01T24:00:00Z', // likewise the next day
    '2026-13-01T00:00:00Z', // no date
  ]
    .map((t) => `{"ts":"${t}","message":"m"}`)
    .join('\n');
  assert.ok(scanner.load(text));
  let at = 0;
  const times = text.split('\n').map((line) => {
    scanner.scan(at, at + line.length);
    at += line.length + 1;
    return [scanner.time(), scanner.timeForm];
  });
  const parsed = (t: string) => Date.parse(t);
  assert.deepEqual(times, [
    [parsed('2026-11-20T09:00:01.500Z'), true],
    [parsed('2026-11-20T09:00:59.999Z'), true],
    [parsed('2026-11-20T09:01:00Z'), true],
    [parsed('2024-02-29T23:59:00Z'), true],
    [parsed('2000-02-29T00:00:00Z'), true],
    [undefined, true],
    [parsed('1969-12-31T23:59:59Z'), true],
    [parsed('0000-03-01T00:00:00Z'), true],
    [undefined, true],
    [undefined, true],
    [undefined, true],
  ]);
});

test('a text that is not ASCII, or longer than a chunk, is not scanned', () => {
  const scanner = JsonLineScanner.of(['message'])!;
  // (its characters are not its bytes; the scanner's memory would keep the size of the longest text)
  assert.equal(scanner.load('{"message":"é"}\n'), false);
  assert.equal(scanner.load('{"message":"e"}\n'), true);
  assert.equal(scanner.load(`${'{"message":"e"}\n'.repeat(Math.ceil(MAX_TEXT / 16) + 1)}`), false);
});

test('property: the errors reader reads JSON lines in place as it reads them with JSON.parse', () => {
  // A mapping of every field settles detection at once: after the twenty records that decide the level scale,
  // lines are read in place (./rawRecord.ts). Lines of every kind after them: values of every JSON kind, nested
  // values, null and empty values, escapes, duplicate keys, broken lines.
  const all: FieldMapping = Object.fromEntries(CANONICAL_FIELDS.map((f) => [f, f === 'message' ? 'msg' : f === 'level' ? 'lvl' : f]));
  const head = Array.from({ length: 25 }, (_, i) => `{"lvl":"ERROR","msg":"start ${i}","timestamp":"2026-11-20T09:00:0${i % 10}Z"}`);
  const key = fc.constantFrom('lvl', 'msg', 'timestamp', 'service', 'version', 'userId', 'requestId', 'traceId', 'stackTrace', 'exceptionType', 'error', 'extra');
  const str = fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('', 'ERROR', 'INFO', 'warning', '2026-11-20T09:00:00Z', '00000000', 'a\\b', 'Traceback (most recent call last):\n  File "a.py", line 1, in f\nValueError: x'));
  const value = fc.oneof({ weight: 6, arbitrary: str }, { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.constantFrom(40, 50, 1.5, -0)) }, { weight: 1, arbitrary: fc.constantFrom(true, false, null) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) });
  const pairs = fc.array(fc.tuple(key, value), { maxLength: 7 });
  const lineOf = (ps: [string, unknown][]) => `{${ps.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`.replace(/[^\p{ASCII}]/gu, '?');
  const jsonLine = pairs.map(lineOf);
  // (broken lines are error lines: a broken non-error line may be counted by the fast path for those, see
  // logsReader.test.ts; so no second `lvl` key, whose value would be the line's level)
  const errorLine = pairs.map((ps) => `{"lvl":"ERROR",${lineOf(ps.filter(([k]) => k !== 'lvl')).slice(1)}`.replace(',}', '}'));
  const line = fc.oneof(
    { weight: 8, arbitrary: jsonLine },
    { weight: 2, arbitrary: fc.tuple(errorLine, fc.nat(), fc.constantFrom('"', '\\', '{', ',', '1', ' ', '\u0001')).map(([l, at, c]) => { const i = 15 + (at % (l.length - 14)); return l.slice(0, i) + c + l.slice(i); }) },
  );
  let inPlace = 0;
  for (const allRecords of [false, true]) {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (ls) => {
        const text = `${[...head, ...ls].join('\n')}\n`;
        const a = readText(text, { fields: all, allRecords });
        const b = readText(text, { fields: all, allRecords, fastPath: false });
        assert.deepEqual(a.records, b.records);
        assert.deepEqual(a.context.skips.summaries(), b.context.skips.summaries());
        assert.deepEqual(a.context.stats, b.context.stats);
        assert.deepEqual([...a.context.releases], [...b.context.releases]);
        inPlace += a.context.readInPlace;
      }),
      { numRuns: 400 },
    );
  }
  assert.ok(inPlace > 1000, `lines were read in place (${inPlace})`);
  // An OTLP export's line is expanded into its records by the parse, whatever else it has.
  const otlp = `${[...head, '{"lvl":"ERROR","msg":"x","resourceLogs":[]}'].join('\n')}\n`;
  assert.deepEqual(readText(otlp, { fields: all }).context.stats, readText(otlp, { fields: all, fastPath: false }).context.stats);
  assert.equal(readText(otlp, { fields: all }).context.skips.summaries()[0]?.reason, 'noFields');
});

test('after detection settles, JSON lines are read in place as with JSON.parse (a log of 8,000 lines)', () => {
  // Detection settles when the fields a log lacks are given up (5,000 records); the lines after that, with
  // a detected key missing, null or empty (another candidate may hold the field), go to JSON.parse.
  const lines: string[] = [];
  for (let i = 0; i < 8000; i++) {
    const level = i % 5 === 0 ? 'INFO' : 'ERROR';
    const extra = i % 7 === 0 ? ',"msg":"other"' : i % 11 === 0 ? ',"service":null' : i % 13 === 0 ? ',"ctx":{"message":"nested"}' : '';
    lines.push(`{"timestamp":"2026-11-20T09:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.${i % 1000}Z","level":"${level}","message":"job ${i} failed: code ${i % 5}","service":"svc${i % 2}","user_id":"u${i % 97}"${extra}}`);
  }
  const text = `${lines.join('\n')}\n`;
  const a = readText(text);
  const b = readText(text, { fastPath: false });
  assert.deepEqual(a.records, b.records);
  assert.deepEqual(a.context.stats, b.context.stats);
  assert.deepEqual(a.context.timeRange(), b.context.timeRange());
  assert.ok(a.context.readInPlace > 1000, `the lines after detection settled were read in place (${a.context.readInPlace})`);
  assert.equal(b.context.readInPlace, 0);
});

/**
 * `text` read with the fast paths and without: the same records, counts and skips, and the same detection state
 * (the fields locked, in the same order, with the same misses; the same fields given up). The fast read.
 */
function readAlike(text: string, allRecords: boolean): ReturnType<typeof readText> {
  const a = readText(text, { allRecords });
  const b = readText(text, { allRecords, fastPath: false });
  assert.deepEqual(a.records, b.records);
  assert.deepEqual(a.context.stats, b.context.stats);
  assert.deepEqual(a.context.skips.summaries(), b.context.skips.summaries());
  assert.deepEqual(a.context.fields.state(), b.context.fields.state());
  assert.deepEqual(a.context.fields.partState(), b.context.fields.partState());
  return a;
}

test('while detection still looks for fields, lines without their keys are read in place, and count as misses', () => {
  // A log of 6,000 lines that lacks most fields: the level is locked at once, so after the twenty records that
  // decide the level scale lines are read in place while the others are still looked for (given up at 5,000
  // misses). A line with a key through which a field could be found goes to JSON.parse, where detection looks:
  // a trace id first seen at line 3,000, an `exc_type`, an `err` string, a `dd` object (it could hold
  // `dd.span_id`) beside a `dd` that holds a number.
  const lines: string[] = [];
  for (let i = 0; i < 6000; i++) {
    const level = i % 6 === 0 ? 'INFO' : 'ERROR';
    const extra =
      i >= 3000 && i % 3 === 0 ? `,"trace_id":"${(i * 7919).toString(16).padStart(32, '0')}"`
      : i % 401 === 0 ? ',"exc_type":"ValueError"'
      : i % 503 === 0 ? ',"err":"boom"'
      : i % 601 === 0 ? ',"dd":{"env":"prod"}'
      : i % 17 === 0 ? ',"dd":5'
      : i % 19 === 0 ? ',"app":"other-service"'
      : '';
    // (the service is missing from every 23rd line, where another candidate holds it on every 19th)
    const service = i % 23 === 0 ? '' : ',"service":"svc"';
    lines.push(`{"timestamp":"2026-11-20T09:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z","level":"${level}","message":"job ${i % 50} failed"${service}${extra}}`);
  }
  const text = `${lines.join('\n')}\n`;
  for (const allRecords of [false, true]) {
    const a = readAlike(text, allRecords);
    assert.equal(a.context.fields.lockedPath('traceId'), 'trace_id');
    assert.equal(a.records.find((r) => r.line === 19 * 23 + 1)?.service, 'other-service');
    assert.ok(a.context.readInPlace > 2500, `lines were read in place before detection settled (${a.context.readInPlace})`);
  }
  // Read up to line 4,000 only: detection has not settled (the misses are below 5,000) and lines were read in place.
  const part = `${lines.slice(0, 4000).join('\n')}\n`;
  const a = readText(part);
  const b = readText(part, { fastPath: false });
  assert.deepEqual(a.context.fields.state(), b.context.fields.state());
  assert.ok(a.context.fields.searching('spanId'));
  assert.ok(a.context.readInPlace > 2500, `${a.context.readInPlace}`);
});

test('property: while detection looks, lines read in place give the records, misses and locks JSON.parse gives', () => {
  // No mapping: the level and the message are locked by the head, the other fields are looked for. Keys are
  // drawn from candidates of every field (whole, dotted, and keys that begin dotted ones, holding objects or
  // not), with values of every kind; a locked key may be missing where another candidate has the field.
  const head = Array.from({ length: 25 }, (_, i) => `{"level":"ERROR","message":"start ${i}","service":"api"}`);
  const key = fc.constantFrom('level', 'message', 'msg', 'service', 'app', 'timestamp', 'time', 'trace_id', 'dd', 'dd.trace_id', 'exc_info', 'exception', 'error', 'err', 'version', 'release', 'user', 'user_id', 'endpoint', 'path', 'logger', 'name', 'extra', 'resource');
  const scalar = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('', 'ERROR', 'INFO', '2026-11-20T09:00:00Z', 'abc123'), fc.integer(), fc.constantFrom(true, false, null));
  const value = fc.oneof({ weight: 6, arbitrary: scalar }, { weight: 2, arbitrary: fc.dictionary(fc.constantFrom('trace_id', 'span_id', 'service', 'version', 'id', 'x'), scalar, { maxKeys: 2 }) });
  const line = fc.array(fc.tuple(key, value), { maxLength: 7 }).map((pairs) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`.replace(/[^\p{ASCII}]/gu, '?'));
  const errorLine = line.map((l) => (l === '{}' ? '{"level":"ERROR"}' : `{"level":"ERROR",${l.slice(1)}`));
  let inPlace = 0;
  for (const allRecords of [false, true]) {
    fc.assert(
      fc.property(fc.array(fc.oneof({ weight: 3, arbitrary: errorLine }, { weight: 1, arbitrary: line }), { maxLength: 40 }), (ls) => {
        inPlace += readAlike(`${[...head, ...ls].join('\n')}\n`, allRecords).context.readInPlace;
      }),
      { numRuns: 400 },
    );
  }
  assert.ok(inPlace > 500, `lines were read in place (${inPlace})`);
});

/** The error report of `text`, each record added with the shape its reader gives (or none: `shapes` false). */
function reportOf(text: string, shapes: boolean): { report: ErrorReport; known: number; knownEscaped: number } {
  const analyzer = new ErrorAnalyzer({});
  let known = 0;
  let knownEscaped = 0;
  const ctx = new ReaderContext((r, shape) => {
    if (shape?.known !== undefined) known++;
    if (shape?.known !== undefined && /["\\\n\t]/.test(r.message)) knownEscaped++;
    // (what the shape gives is what the masks make of this message)
    if (shape !== undefined) assert.equal(normalizeShaped(r.message, shape), normalizeUncached(r.message), r.message);
    analyzer.add(r, shapes ? shape : undefined);
  }, {});
  const reader = ctx.source('input');
  reader.push(text);
  reader.end();
  const report = analyzer.report({ lines: ctx.stats.lines, records: ctx.stats.records, sources: ['input'], skipped: ctx.skips.summaries(), fieldMapping: ctx.fields.mapping() });
  return { report, known, knownEscaped };
}

test('property: messages read in place are normalised through their shapes as without them', () => {
  // Shapes are digit skeletons kept by the scanner: messages of one shape with other digits (next to `x` or not,
  // hex ids, numbers with units, escapes, \u escapes, over 300 characters, not strings) must group and read as
  // when each message is normalised alone.
  const head = Array.from({ length: 25 }, (_, i) => `{"level":"ERROR","message":"start ${i}"}`);
  const word = fc.constantFrom('request', 'failed', 'after', 'ms', 'id', 'retry', 'GC', 'pause', 'x', 'from');
  const value = fc.oneof(fc.nat(99999).map(String), fc.stringMatching(/^[0-9a-f]{6,12}$/), fc.nat(255).map((n) => `0x${n.toString(16)}`), fc.nat(255).map((n) => `[0x${n.toString(16)}]`), fc.nat(9).map((n) => `${n}x${n}`), fc.nat(999).map((n) => `${n}.${n % 10}ms`));
  const shape = fc.array(fc.oneof(word, value), { minLength: 1, maxLength: 6 });
  const message = fc.oneof(
    { weight: 8, arbitrary: fc.tuple(shape, fc.nat()).map(([parts, seed]) => JSON.stringify(parts.map((p, k) => p.replace(/\d/g, (d) => String((Number(d) + seed + k) % 10))).join(' '))) },
    { weight: 1, arbitrary: shape.map((parts) => JSON.stringify(`${parts.join(' ')}\n\t"quoted" ${'long '.repeat(70)}`)) },
    { weight: 1, arbitrary: fc.nat().map(String) },
    // Escapes as they are in the line: `\"`, `\n`… hold no digit; `\u0041` does, and another digit is another letter.
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom('\\"POST /recommend HTTP/1.1\\" 500 1234', 'path C:\\\\tmp\\\\12 failed\\n\\tat 3', 'user \\u0041 id 17', 'user \\u0061 id 17 \\"x\\"', 'key \\u004f1 = 0x1f', 'tab\\t12x3 \\/ 45'), fc.nat())
        .map(([t, seed]) => `"${t.replace(/\d/g, (d) => String((Number(d) + seed) % 10))}"`),
    },
  );
  let known = 0;
  let knownEscaped = 0;
  fc.assert(
    fc.property(fc.array(message, { minLength: 1, maxLength: 60 }), (ms) => {
      const text = `${[...head, ...ms.map((m) => `{"level":"ERROR","message":${m}}`)].join('\n')}\n`;
      const a = reportOf(text, true);
      const b = reportOf(text, false);
      assert.deepEqual(a.report.clusters, b.report.clusters);
      known += a.known;
      knownEscaped += a.knownEscaped;
    }),
    { numRuns: 300 },
  );
  assert.ok(known > 1000, `messages were normalised from their shapes (${known})`);
  assert.ok(knownEscaped > 60, `messages with escapes were normalised from their shapes (${knownEscaped})`);
});

test('the scanner keeps at most 16,384 message shapes, and starts again when full', () => {
  // 20,000 messages of different shapes (no digit in them), then the first ones again: the same report as
  // without shapes, and the messages after the tables were full were normalised from their shapes.
  const letters = (i: number) => i.toString(26).replace(/\d/g, (d) => 'qrstuvwxyz'[Number(d)]!).replace(/[a-p]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 10));
  const lines = Array.from({ length: 25 }, (_, i) => `{"level":"ERROR","message":"start ${i}"}`);
  for (let i = 0; i < 20000; i++) lines.push(`{"level":"ERROR","message":"event ${letters(i)} happened"}`);
  for (let i = 0; i < 3000; i++) lines.push(`{"level":"ERROR","message":"event ${letters(19999 - i)} happened"}`);
  const text = `${lines.join('\n')}\n`;
  const a = reportOf(text, true);
  const b = reportOf(text, false);
  assert.deepEqual(a.report.clusters, b.report.clusters);
  assert.ok(a.known >= 3000, `${a.known}`);
});

test('property: times read by the scanner are the times parseTimestamp reads', () => {
  // `YYYY-MM-DDTHH:MM:SS[.fff…]Z` and near misses: other lengths, a letter among the digits, a 13th month,
  // 30 February, 24:00, seconds over 59, fractions of every length; minutes repeating and changing.
  // (minutes from a few, so that most times repeat the minute before: the scanner reads those itself)
  const d2 = (max: number) => fc.nat(max).map((n) => String(n).padStart(2, '0'));
  const minute = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('2026-11-20T09:00', '2026-11-20T09:01', '2026-02-30T10:00', '2026-01-01T24:00', '0000-01-01T00:00') },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('2026', '1999'), d2(13), d2(32), d2(25), d2(60)).map(([y, mo, d, h, mi]) => `${y}-${mo}-${d}T${h}:${mi}`) },
    // (leap years and not, centuries, before 1970 and year 0: the scanner reads a new minute's date itself)
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('2024', '2000', '1900', '2100', '1970', '1969', '0000', '0001', '0400', '9999'), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), d2(23), d2(59)).map(([y, mo, d, h, mi]) => `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T${h}:${mi}`) },
    { weight: 1, arbitrary: fc.constantFrom('2026-13-01T00:00', '2026-01-01T24:01', '2026-1-01T00:000', '2026-11-20X09:00') },
  );
  const iso = fc
    .tuple(minute, fc.oneof(d2(61), fc.constantFrom('5x', '9', '60', '61')), fc.oneof(fc.constant(''), fc.stringMatching(/^\.[0-9]{0,10}$/), fc.constantFrom('.12a', '.')), fc.constantFrom('Z', 'Z', 'z', '+00:00', ''))
    .map(([m, s, f, z]) => `${m}:${s}${f}${z}`);
  const time = fc.oneof({ weight: 3, arbitrary: iso }, { weight: 1, arbitrary: fc.constantFrom('2026-11-20T09:00:00Z', '2026-11-20T09:00:59.999Z', '2026-11-20 09:00:00', 'yesterday') });
  const head = Array.from({ length: 25 }, (_, i) => `{"timestamp":"2026-11-20T09:00:0${i % 10}Z","level":"ERROR","message":"start ${i}"}`);
  let timed = 0;
  fc.assert(
    fc.property(fc.array(time, { maxLength: 40 }), (ts) => {
      const lines = ts.map((t, i) => `{"timestamp":${JSON.stringify(t)},"level":"${i % 3 ? 'ERROR' : 'INFO'}","message":"m"}`);
      const a = readAlike(`${[...head, ...lines].join('\n')}\n`, true);
      timed += a.records.filter((r) => r.timestamp !== undefined).length;
    }),
    { numRuns: 500 },
  );
  assert.ok(timed > 5000, `${timed}`);
});
