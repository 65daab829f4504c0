// The streaming log reader: the shapes real Python loggers wrote (test/fixtures/logs/formats, NOTE.md),
// OTLP log records, gzip, and bad input counted rather than fatal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { readText, ReaderContext, IngestCancelled } from '../../src/core/logs/reader';
import { fileChunks, fileTextChunks, readLogFiles } from '../../src/core/logs/nodeSource';
import { FieldResolver, compilePath, parseFieldMapping, type FieldMapping } from '../../src/core/logs/fieldMapping';
import { toRecord } from '../../src/core/logs/jsonRecord';
import { isoUtcIn, normaliseId, parseTimestamp, normaliseLevel } from '../../src/core/logs/values';
import type { LogRecord } from '../../src/core/logs/types';
import { repoRoot, tempDir } from './helpers';

const fixture = (name: string) => readFileSync(path.join(repoRoot, 'test/fixtures/logs', name), 'utf8');

function errorsOf(name: string, options = {}) {
  return readText(fixture(name), { source: name, ...options });
}

const shape = (r: LogRecord) => r.exception?.chain[r.exception.chain.length - 1]?.type;

for (const name of ['formats/seed.jsonl', 'formats/python-json-logger.jsonl', 'formats/structlog.jsonl', 'formats/structlog-dict.jsonl', 'formats/stdlib.log']) {
  test(`${name}: every logged exception is read with its type, frames and time`, () => {
    const { records, context } = errorsOf(name);
    const text = fixture(name);
    const failed = (text.match(/request failed/g) ?? []).length;
    const withException = records.filter((r) => r.exception);
    assert.equal(withException.length, failed, 'one record per logged exception');
    assert.ok(failed >= 10);
    for (const r of withException) {
      assert.ok(shape(r), `${r.source}:${r.line} has a type`);
      assert.ok(r.timestamp && r.timestamp > Date.parse('2020-01-01'), 'timestamp read');
      assert.equal(r.level, 'ERROR');
      const last = r.exception!.chain[r.exception!.chain.length - 1]!;
      assert.ok(last.frames.length > 0 || last.type === 'ExceptionGroup', `${r.line} ${last.type} has frames`);
    }
    assert.equal(context.skips.total, 0, JSON.stringify(context.skips.summaries()));
    const types = new Set(withException.map(shape));
    for (const t of ['KeyError', 'ValueError', 'ZeroDivisionError', 'RecursionError']) assert.ok(types.has(t), `${name} has ${t}: ${[...types]}`);
  });
}

test('field detection picks each logger’s own names', () => {
  assert.deepEqual(errorsOf('formats/seed.jsonl').context.fields.mapping().stackTrace, 'exception.traceback');
  const pjl = errorsOf('formats/python-json-logger.jsonl').context.fields.mapping();
  assert.equal(pjl.stackTrace, 'exc_info');
  assert.equal(pjl.level, 'levelname');
  assert.equal(pjl.userId, 'user_id');
  const sl = errorsOf('formats/structlog.jsonl').context.fields.mapping();
  assert.equal(sl.message, 'event');
  assert.equal(sl.endpoint, 'path');
});

test('structlog dict tracebacks keep the chain order and the cause link', () => {
  const { records } = errorsOf('formats/structlog-dict.jsonl');
  const chained = records.find((r) => shape(r) === 'shop.checkout.CheckoutError' || shape(r) === 'CheckoutError')!;
  assert.ok(chained, 'a chained exception was logged');
  assert.deepEqual(chained.exception!.chain.map((e) => e.type.replace(/^shop\.checkout\./, '')), ['KeyError', 'CheckoutError']);
  assert.equal(chained.exception!.chain[0]!.linkToNext, 'cause');
});

test('plain-text logs: the log line before a traceback gives time, level, logger and message', () => {
  const { records } = errorsOf('formats/stdlib.log');
  const r = records.find((x) => x.exception)!;
  assert.equal(r.logger, 'shop');
  assert.equal(r.message, 'request failed');
  const lines = fixture('formats/stdlib.log').split('\n');
  assert.match(lines[r.line - 1]!, /ERROR shop: request failed$/);
  assert.match(lines[r.line]!, /Traceback|Exception Group/);
});

test('OTLP/JSON log export lines: one line, several records, attributes and resource mapped', () => {
  const line = JSON.stringify({
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }, { key: 'service.version', value: { stringValue: '2.4.1' } }] },
        scopeLogs: [
          {
            scope: { name: 'app' },
            logRecords: [
              {
                timeUnixNano: '1763629201123000000',
                severityNumber: 17,
                severityText: 'ERROR',
                body: { stringValue: 'payment failed' },
                traceId: '5B8EFFF798038103D269B633813FC60C',
                spanId: 'EEE19B7EC3C1B174',
                attributes: [
                  { key: 'exception.type', value: { stringValue: 'TimeoutError' } },
                  { key: 'exception.message', value: { stringValue: 'upstream took 30 s' } },
                  { key: 'exception.stacktrace', value: { stringValue: 'Traceback (most recent call last):\n  File "/app/pay.py", line 9, in charge\n    raise TimeoutError("upstream took 30 s")\nTimeoutError: upstream took 30 s' } },
                  { key: 'enduser.id', value: { stringValue: 'u7' } },
                ],
              },
              { timeUnixNano: '1763629202000000000', severityNumber: 9, body: { stringValue: 'ok' } },
            ],
          },
        ],
      },
    ],
  });
  const { records, context } = readText(`${line}\n`, { allRecords: true });
  assert.equal(records.length, 2);
  const r = records[0]!;
  assert.equal(r.service, 'checkout');
  assert.equal(r.version, '2.4.1');
  assert.equal(r.level, 'ERROR');
  assert.equal(r.message, 'payment failed');
  assert.equal(r.traceId, '5b8efff798038103d269b633813fc60c');
  assert.equal(r.spanId, 'eee19b7ec3c1b174');
  assert.equal(r.userId, 'u7');
  assert.equal(r.timestamp, 1763629201123);
  assert.equal(shape(r), 'TimeoutError');
  assert.equal(records[1]!.level, 'INFO');
  assert.equal(context.stats.records, 2);
});

test('a user mapping wins over detection; unknown names are reported', () => {
  const { records } = readText('{"lvl":"error","m":"boom","ctx":{"who":"u1"},"level":"info"}\n', { fields: { level: 'lvl', message: 'm', userId: 'ctx.who' } });
  assert.equal(records.length, 1);
  assert.deepEqual([records[0]!.level, records[0]!.message, records[0]!.userId], ['ERROR', 'boom', 'u1']);
  const parsed = parseFieldMapping({ user_id: 'ctx.who', colour: 'x' });
  assert.deepEqual(parsed.mapping, { userId: 'ctx.who' });
  assert.match(parsed.problems[0]!, /unknown field "colour"/);
});

test('dotted keys and nested paths both resolve', () => {
  assert.equal(compilePath('resource.service.name')({ resource: { 'service.name': 'a' } }), 'a');
  assert.equal(compilePath('resource.service.name')({ resource: { service: { name: 'b' } } }), 'b');
  assert.equal(compilePath('a.b')({ 'a.b': 1, a: { b: 2 } }), 1);
  const f = new FieldResolver();
  assert.equal(f.get({ levelname: 'ERROR' }, 'level'), 'ERROR');
  assert.equal(f.mapping().level, 'levelname');
});

test('timestamps and levels in the forms loggers write', () => {
  const t = Date.parse('2026-11-20T09:00:01.123Z');
  for (const v of ['2026-11-20T09:00:01.123Z', '2026-11-20 09:00:01,123', '2026-11-20T09:00:01.123+00:00', '2026-11-20T09:00:01.123456', 1763629201.123, 1763629201123, '1763629201123000000']) {
    assert.equal(parseTimestamp(v), v === 1763629201.123 || v === 1763629201123 || v === '1763629201123000000' ? 1763629201123 : t, String(v));
  }
  assert.equal(parseTimestamp('yesterday'), undefined);
  assert.deepEqual([normaliseLevel('error'), normaliseLevel(17), normaliseLevel(40), normaliseLevel('warn'), normaliseLevel(21)], ['ERROR', 'ERROR', 'ERROR', 'WARNING', 'FATAL']);
});

test('bad input is counted with the first place it happened, never fatal', () => {
  const good = '{"level":"ERROR","message":"x"}';
  const lines = [
    good,
    'not json at all',
    '{"level": "ERROR", "message": "cut',
    `{"level":"ERROR","message":"${'a'.repeat(3000)}"}`,
    '\u0000\u0001\u0002binary\u0003',
    '{"foo": 1}',
    '[1,2,3]',
    '{"level":"ERROR","message":"caf\uFFFD"}',
    good,
  ];
  const { records, context } = readText(lines.join('\n'), { source: 'svc.jsonl', maxLineLength: 1000 });
  const by = Object.fromEntries(context.skips.summaries().map((s) => [s.reason, s]));
  assert.equal(by.notJson.count, 2);
  assert.equal(by.notJson.first.line, 2);
  assert.equal(by.notJson.message, '2 lines skipped: not JSON — first at svc.jsonl:2');
  assert.equal(by.tooLong.count, 1);
  assert.equal(by.tooLong.first.line, 4);
  assert.equal(by.binary.count, 1);
  assert.equal(by.noFields.count, 2);
  assert.equal(by.notUtf8.count, 1);
  assert.equal(records.length, 3);
  assert.deepEqual(records.map((r) => r.line), [1, 8, 9]);
  assert.equal(context.stats.lines, 9);
});

test('a 10 MB single line is skipped while streaming, in small chunks, without keeping it', () => {
  const records: LogRecord[] = [];
  const ctx = new ReaderContext((r) => records.push(r), { maxLineLength: 1024 * 1024 });
  const reader = ctx.source('big.jsonl');
  reader.push('{"level":"ERROR","message":"before"}\n{"level":"ERROR","message":"');
  const chunk = 'x'.repeat(64 * 1024);
  for (let i = 0; i < 160; i++) reader.push(chunk);
  reader.push('"}\n{"level":"ERROR","message":"after"}\n');
  reader.end();
  assert.deepEqual(records.map((r) => r.message), ['before', 'after']);
  assert.deepEqual(records.map((r) => r.line), [1, 3]);
  const s = ctx.skips.summaries()[0]!;
  assert.equal(s.reason, 'tooLong');
  assert.equal(s.first.line, 2);
});

test('gzip files are read by content, mixed encodings are read with replacement characters', async (t) => {
  const dir = tempDir(t);
  const text = fixture('formats/python-json-logger.jsonl');
  writeFileSync(path.join(dir, 'a.log.gz'), gzipSync(Buffer.from(text)));
  writeFileSync(path.join(dir, 'b.jsonl'), Buffer.concat([Buffer.from('{"level":"ERROR","message":"caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]));
  writeFileSync(path.join(dir, 'c.gz'), gzipSync(Buffer.from(text)).subarray(0, 2000));
  const records: LogRecord[] = [];
  const result = await readLogFiles([dir], (r) => records.push(r), { label: (p) => path.basename(p) });
  assert.deepEqual(result.files.map((f) => path.basename(f)), ['a.log.gz', 'b.jsonl', 'c.gz']);
  const plain = readText(text).records.length;
  assert.equal(records.filter((r) => r.source === 'a.log.gz').length, plain);
  assert.equal(records.find((r) => r.source === 'b.jsonl')!.message, 'caf\uFFFD');
  assert.equal(result.errors.length, 1);
  assert.match(result.errors[0]!.message, /gzip data is damaged or cut short/);
  assert.ok(result.context.skips.summaries().some((s) => s.reason === 'notUtf8'));
});

test('missing paths and empty folders are reported by name', async (t) => {
  const dir = tempDir(t);
  const result = await readLogFiles([path.join(dir, 'nope.jsonl'), dir], () => undefined);
  assert.deepEqual(result.errors.map((e) => e.message), ['does not exist', 'contains no log files (*.log, *.jsonl, *.ndjson, *.json, *.txt, *.gz)']);
});

test('cancellation stops the read', () => {
  const ac = new AbortController();
  const ctx = new ReaderContext(() => undefined, { signal: ac.signal });
  const reader = ctx.source('x');
  reader.push('{"level":"ERROR","message":"a"}\n');
  ac.abort();
  assert.throws(() => reader.push('{"level":"ERROR","message":"b"}\n'), IngestCancelled);
});

test('JSON lines with stderr tracebacks between them: both are read', () => {
  const tb = readFileSync(path.join(repoRoot, 'test/fixtures/logs/tracebacks/checkout_cause.txt'), 'utf8');
  const text = `{"level":"INFO","message":"start"}\n${tb}{"level":"ERROR","message":"after","exc_info":null}\n`;
  const { records, context } = readText(text, { source: 'mixed' });
  assert.deepEqual(records.map((r) => [r.line, shape(r) ?? r.message]), [
    [2, 'shop.checkout.CheckoutError'],
    [2 + tb.trimEnd().split('\n').length, 'after'],
  ]);
  assert.equal(context.skips.total, 0);
});

test('property: any chunking of a file gives the same records and counts', () => {
  const text = [fixture('formats/stdlib.log').slice(0, 6000), fixture('formats/seed.jsonl').slice(0, 8000), 'junk line\n\u0000bin\n'].join('\n');
  const whole = readText(text, { source: 's' });
  const expected = JSON.stringify([whole.records, whole.context.skips.summaries(), whole.context.stats]);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 20 }), (cuts) => {
      const records: LogRecord[] = [];
      const ctx = new ReaderContext((r) => records.push(r));
      const reader = ctx.source('s');
      let i = 0;
      for (const c of cuts) {
        reader.push(text.slice(i, i + c));
        i += c;
      }
      reader.push(text.slice(i));
      reader.end();
      assert.equal(JSON.stringify([records, ctx.skips.summaries(), ctx.stats]), expected);
    }),
    { numRuns: 100 },
  );
});

test('property: arbitrary lines (JSON-ish, text, control characters) never throw and every line is accounted', () => {
  const line = fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.json({ maxDepth: 3 }),
    fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify({ level: 'ERROR', message: v })),
    fc.constantFrom('Traceback (most recent call last):', '  File "/app/x.py", line 3, in f', 'ValueError: x', '  + Exception Group Traceback (most recent call last):', '  |   File "a", line 1, in b', '  +-+---------------- 1 ----------------'),
  );
  fc.assert(
    fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
      const text = lines.join('\n');
      const { context } = readText(text);
      const expected = text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      assert.equal(context.stats.lines, expected);
    }),
    { numRuns: 300 },
  );
});

test('the raw-text fast path for non-error lines changes nothing but speed', () => {
  const lines = [
    '{"timestamp":"2026-11-20T09:00:00Z","level":"INFO","message":"start"}',
    '{"timestamp":"2026-11-20T09:00:01Z","level":"INFO","message":"cut',
    '{"ctx":{"level":"ERROR"},"level":"INFO","message":"nested first"}',
    '{"timestamp":"2026-11-20T09:00:02Z","level":"ERROR","message":"boom"}',
    '{"timestamp":"2026-11-20T09:00:03Z", "level": "WARNING", "message":"w"}  ',
    '{"timestamp":"2026-11-20T09:00:04Z","level":"INFO","message":"last"}',
  ].join('\n');
  const fast = readText(lines, { source: 'f' });
  const slow = readText(lines, { source: 'f', fastPath: false });
  assert.deepEqual(fast.records, slow.records);
  assert.deepEqual(fast.context.skips.summaries(), slow.context.skips.summaries());
  assert.deepEqual(fast.context.timeRange(), slow.context.timeRange());
  assert.equal(fast.context.skips.summaries()[0]!.first.line, 2);
  assert.deepEqual(fast.context.timeRange(), { first: Date.parse('2026-11-20T09:00:00Z'), last: Date.parse('2026-11-20T09:00:04Z') });
  const line = fc.oneof(
    fc.record({ level: fc.constantFrom('INFO', 'DEBUG', 'ERROR', 'warning', 20, 40), message: fc.string({ maxLength: 30 }), n: fc.option(fc.jsonValue({ maxDepth: 2 })) }).map((o) => JSON.stringify({ timestamp: '2026-11-20T09:00:00Z', ...o })),
    // Cut lines. (A broken non-error line that still ends with `}` is counted as a record, not as "not JSON":
    // the fast path checks the shape of lines it does not use, and says so in the README.)
    fc.string({ maxLength: 40 }).filter((s) => !s.trimEnd().endsWith('}')).map((s) => `{"level":"INFO",${s}`),
  );
  fc.assert(
    fc.property(fc.array(line, { maxLength: 25 }), (ls) => {
      const text = ls.join('\n');
      const a = readText(text);
      const b = readText(text, { fastPath: false });
      assert.deepEqual(a.records, b.records);
      assert.deepEqual(a.context.skips.summaries(), b.context.skips.summaries());
      assert.deepEqual(a.context.stats, b.context.stats);
    }),
    { numRuns: 300 },
  );
});

test('the fast path pauses through a long run of error lines and takes non-error lines again after it', () => {
  // A broken non-error line that ends with `}` is a record to the fast path and "not JSON" to the full
  // parse (see above): which path read each line shows.
  const errors = Array.from({ length: 3000 }, (_, i) => `{"timestamp":"2026-11-20T09:00:00Z","level":"ERROR","message":"boom ${i}"}`);
  const broken = Array.from({ length: 3000 }, (_, i) => `{"timestamp":"2026-11-20T09:00:01Z","level":"INFO","message":"cut ${i}}`);
  const { records, context } = readText([...errors, ...broken].join('\n'));
  assert.equal(records.length, 3000);
  const notJson = context.skips.summaries().find((s) => s.reason === 'notJson')?.count ?? 0;
  assert.ok(notJson > 0, 'some lines after the errors were parsed while the fast path paused');
  assert.ok(notJson <= 1024, `the pause is at most 1024 lines (${notJson} parsed)`);
  assert.equal(context.stats.records, 6000 - notJson);
  // Runs of every length, of errors and of other lines: the same as the full parse.
  const run = fc.tuple(fc.constantFrom('ERROR', 'INFO', 'WARNING'), fc.integer({ min: 1, max: 400 }));
  fc.assert(
    fc.property(fc.array(run, { maxLength: 8 }), (runs) => {
      let n = 0;
      const text = runs.flatMap(([level, k]) => Array.from({ length: k }, () => `{"timestamp":"2026-11-20T09:00:${String(n++ % 60).padStart(2, '0')}Z","level":"${level}","message":"m ${n}","service":"s${n % 3}"}`)).join('\n');
      const a = readText(text);
      const b = readText(text, { fastPath: false });
      assert.deepEqual(a.records, b.records);
      assert.deepEqual(a.context.skips.summaries(), b.context.skips.summaries());
      assert.deepEqual(a.context.stats, b.context.stats);
      assert.deepEqual([...a.context.releases], [...b.context.releases]);
    }),
    { numRuns: 60 },
  );
});

test('property: the fast path gives what the full parse gives on JSON lines of every kind', () => {
  // Keys of several canonical fields (and others), values of every JSON kind, strings with escapes and
  // raw control characters, nested values, duplicate keys, broken error lines: the raw-text fast path must
  // give the same records, skips, counters, releases and detected fields as JSON.parse, or leave the line to it.
  const key = fc.constantFrom('timestamp', 'level', 'severity', 'message', 'msg', 'event', 'service', 'release', 'user_id', 'request_id', 'trace_id', 'span_id', 'exc_type', 'exception', 'endpoint', 'logger', 'name', 'extra', 'a"b', 'k\\');
  const str = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', 'ERROR', 'error', 'INFO', '2026-11-20T09:00:00Z', '2026-11-20T09:00:00.123Z', '0x1F', '00000000', 'a\tb', 'x\u0001y', 'é ✓', '1.8.0', 'Traceback (most recent call last):\n  File "a.py", line 1, in f\nValueError: x'));
  const value = fc.oneof(
    { weight: 6, arbitrary: str },
    { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(40, 50, 17, 1e21, -0)) },
    { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  );
  const jsonLine = fc.array(fc.tuple(key, value), { maxLength: 7 }).map((pairs) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`);
  // Broken lines are error lines (a broken non-error line may be counted by the other fast path, see above).
  const errorLine = fc.array(fc.tuple(key, value), { maxLength: 6 }).map((pairs) => `{"level":"ERROR",${pairs.filter(([k]) => k !== 'level' && k !== 'severity').map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)},`).join('')}"message":"m"}`);
  const line = fc.oneof(
    { weight: 8, arbitrary: jsonLine },
    // Spaced out as some loggers write it, or with a raw control character (not JSON), or cut.
    { weight: 1, arbitrary: jsonLine.map((l) => l.replace(/,"/g, ', "').replace(/":/g, '": ')) },
    { weight: 1, arbitrary: fc.tuple(errorLine, fc.constantFrom('\t', '\u0001', '\r', '\\', '"', '{', '[', '1', '-', '01', '1.', '1e', 'tru')).map(([l, c]) => `${l.slice(0, Math.max(17, l.length >> 1))}${c}${l.slice(Math.max(17, l.length >> 1))}`) },
    { weight: 1, arbitrary: fc.constantFrom('{"level":"ERROR","message":"a","message":"b"}', '{"level":"ERROR","msg":"","message":"m"}', '{"level":"ERROR","message":null,"msg":"x"}', '{}', '{"level":"ERROR"}  ', '{"level":"ERROR","message":"x"}\r', 'plain text line', '') },
  );
  fc.assert(
    fc.property(fc.array(line, { maxLength: 30 }), fc.boolean(), (ls, all) => {
      const text = ls.join('\n');
      const a = readText(text, { allRecords: all });
      const b = readText(text, { allRecords: all, fastPath: false });
      assert.deepEqual(a.records, b.records);
      assert.deepEqual(a.context.skips.summaries(), b.context.skips.summaries());
      assert.deepEqual(a.context.stats, b.context.stats);
      assert.deepEqual(a.context.fields.mapping(), b.context.fields.mapping());
      assert.deepEqual([...a.context.releases], [...b.context.releases]);
    }),
    { numRuns: 1000 },
  );
});

test('property: field detection reads with its shortcuts what it reads without them', () => {
  // The settled plan (`readRecord`) and the key filter (`mayHave`) only skip work: records, locks, misses and
  // give-ups must be those of the plain candidate lookups, on records of every shape detection meets
  // (candidate keys top-level, dotted or nested, present, null or empty; a level scale that changes; a
  // user's mapping), through detection and after it settles.
  const key = fc.constantFrom(
    ...['timestamp', 'ts', 't', '@t', 'level', 'severity', 's', 'levelno', 'message', 'msg', 'event', 'body', 'exception', 'exc_info', 'traceback', 'stack', 'error', 'err', 'exc_type', 'error_type'],
    ...['trace_id', 'traceId', 'span_id', 'request_id', 'user_id', 'user', 'endpoint', 'path', 'url', 'service', 'app', 'version', 'release', 'logger', 'name', 'attributes', 'resource', 'extra'],
    ...['service.name', 'error.stack', 'exception.type', 'log.level', 't.$date'],
  );
  const scalar = fc.oneof(fc.constantFrom('', 'ERROR', 'info', 'x', '2026-11-20T09:00:00Z', 'E', 'I', 'abc123', '0x1F', '00000000', 'Traceback (most recent call last):\n  File "a.py", line 1, in f\nValueError: x'), fc.constantFrom(null, true, 0, 30, 50, 1763629200000));
  const nested = fc.dictionary(fc.constantFrom('type', 'message', 'stack', 'stacktrace', 'name', 'version', 'id', 'trace_id', 'service', '$date', 'exception'), fc.oneof(scalar, fc.dictionary(fc.constantFrom('name', 'type', 'version'), scalar, { maxKeys: 2 })), { maxKeys: 3 });
  const record = fc.dictionary(key, fc.oneof({ weight: 4, arbitrary: scalar }, { weight: 1, arbitrary: nested }), { maxKeys: 8 });
  const mapping = fc.option(fc.constantFrom<FieldMapping>({ message: 'msg' }, { service: 'resource.service.name' }, { level: 'severity', userId: 'user' }), { nil: undefined });
  fc.assert(
    fc.property(fc.array(record, { maxLength: 40 }), fc.integer({ min: 1, max: 6 }), mapping, (records, giveUp, map) => {
      const fast = new FieldResolver(map, { giveUp });
      const plain = new FieldResolver(map, { giveUp, shortcuts: false });
      records.forEach((o, i) => {
        fast.noteLevelScale(o);
        plain.noteLevelScale(o);
        assert.deepEqual(toRecord(o, fast, 'f', i), toRecord(o, plain, 'f', i));
        assert.deepEqual(fast.state(), plain.state());
        assert.deepEqual(fast.partState(), plain.partState());
      });
      assert.deepEqual(fast.mapping(), plain.mapping());
    }),
    { numRuns: 500 },
  );
});

test('a Rust tracing log (in colour): error events carry the message without the spans, the target as the logger', async () => {
  const records: LogRecord[] = [];
  await readLogFiles([path.join(repoRoot, 'test/fixtures/logs-rust/tracing.log')], (r) => records.push(r));
  assert.equal(records.length, 96);
  const upstream = records.filter((r) => r.message.startsWith('upstream unavailable after '));
  assert.equal(upstream.length, 76);
  assert.ok(upstream.every((r) => r.level === 'ERROR' && r.logger === 'logsample::server' && /^upstream unavailable after \d retries status=503$/.test(r.message)), JSON.stringify(upstream[0]));
  const refused = records.find((r) => r.logger === 'logsample::db')!;
  assert.match(refused.message, /^connection refused: db-\d\.internal:5432$/);
  assert.ok(refused.timestamp! >= Date.parse('2026-12-07T00:00:00Z'));
});

test('all-records mode keeps trace and span ids for correlation (the demo service traced by the OpenTelemetry SDK)', () => {
  const file = path.join(repoRoot, 'demo/.incidents/INC-2026-001/evidence/logs/recommend-traced.jsonl');
  const text = readFileSync(file, 'utf8');
  const { records, context } = readText(text, { allRecords: true });
  const withTrace = text.split('\n').filter((l) => l.includes('"trace_id"')).length;
  assert.ok(withTrace > 0);
  assert.equal(records.filter((r) => r.traceId && r.spanId).length, withTrace);
  assert.equal(records.length, context.stats.records);
  assert.ok(records.every((r) => !r.traceId || /^[0-9a-f]{32}$/.test(r.traceId)));
  assert.equal(context.fields.mapping().traceId, 'trace_id');
});

test('property: field paths find values at any depth, dotted keys included; timestamps round-trip', () => {
  const key = fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/);
  fc.assert(
    fc.property(fc.array(key, { minLength: 1, maxLength: 4 }), fc.jsonValue(), fc.boolean(), (segs, value, dotted) => {
      fc.pre(value !== undefined);
      const obj: Record<string, unknown> = {};
      if (dotted) obj[segs.join('.')] = value;
      else {
        let cur = obj;
        segs.forEach((s, i) => {
          if (i === segs.length - 1) cur[s] = value;
          else cur = (cur[s] = {}) as Record<string, unknown>;
        });
      }
      assert.deepEqual(compilePath(segs.join('.'))(obj), value);
    }),
    { numRuns: 300 },
  );
  fc.assert(
    fc.property(fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), (d) => {
      const t = d.getTime();
      assert.equal(parseTimestamp(d.toISOString()), t);
      assert.equal(parseTimestamp(d.toISOString().replace('T', ' ').replace('.', ',').replace('Z', '')), t);
      assert.equal(parseTimestamp(t), t);
      assert.equal(parseTimestamp(String(BigInt(t) * 1_000_000n)), t);
      // Read in place from a raw JSON line (no substring): the same time.
      const line = `{"timestamp":"${d.toISOString()}","msg":"x"}`;
      assert.equal(isoUtcIn(line, 14, 14 + 24), t);
    }),
    { numRuns: 300 },
  );
});

test('files: ASCII chunks and UTF-8 characters split across the 1 MiB chunk boundary read the same as the whole text', async (t) => {
  const dir = tempDir(t);
  const filler = '{"level":"INFO","message":"ok"}\n';
  let text = filler.repeat(Math.floor((2 * 1024 * 1024 - 40) / filler.length));
  const prefix = '{"level":"ERROR","message":"caf';
  // The first chunk is plain ASCII; the two bytes of "é" sit on either side of the second chunk boundary.
  text += 'x'.repeat(2 * 1024 * 1024 - Buffer.byteLength(text) - Buffer.byteLength(prefix) - 1 - 1) + '\n';
  text += `${prefix}é ünïcode"}\n${filler}{"level":"ERROR","message":"ascii again"}\n`;
  const file = path.join(dir, 'mixed.jsonl');
  writeFileSync(file, text);
  assert.equal(Buffer.from(text).indexOf(Buffer.from('é')), 2 * 1024 * 1024 - 1);
  const records: LogRecord[] = [];
  await readLogFiles([file], (r) => records.push(r));
  assert.deepEqual(records.map((r) => r.message), ['café ünïcode', 'ascii again']);
  assert.deepEqual(records, readText(text, { source: file }).records);
});

test('a plain file reads in chunks whole and in order, the next read under way while a chunk is used; a reader that stops early closes it', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'big.log');
  // Three and a half chunks of different lines (a chunk is 1 MiB; the two read buffers alternate).
  const lines: string[] = [];
  for (let i = 0, size = 0; size < 3.5 * 1024 * 1024; i++) {
    const line = `2026-11-20 09:00:01,000 INFO app: line ${i} ${'x'.repeat(i % 97)}`;
    lines.push(line);
    size += line.length + 1;
  }
  const text = lines.join('\n') + '\n';
  writeFileSync(file, text);
  let read = '';
  let chunks = 0;
  for await (const chunk of fileChunks(file)) {
    read += chunk;
    chunks++;
    // The caller's work on a chunk takes a while: the next read finishes meanwhile and must not overwrite it.
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.equal(chunks, 4);
  assert.equal(read, text);
  // Stopping after the first chunk (a read is under way then) ends the generator and closes the file.
  for await (const chunk of fileChunks(file)) {
    assert.equal(chunk, text.slice(0, chunk.length));
    break;
  }
  await assert.rejects(readSize(fileChunks(path.join(dir, 'missing.log'))), /ENOENT|no such file/);
  writeFileSync(path.join(dir, 'empty.log'), '');
  assert.equal(await readSize(fileChunks(path.join(dir, 'empty.log'))), 0);
});

test('a byte range of a plain file reads as that part of its text, each ASCII chunk with its bytes, and JSON lines read from the bytes as from the text', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'range.jsonl');
  // Three chunks and a bit of JSON lines with times, levels and messages that differ, then one line not ASCII.
  const lines: string[] = [];
  for (let i = 0, size = 0; size < 3.2 * 1024 * 1024; i++) {
    const line = `{"timestamp":"2026-11-20T09:${String(Math.floor(i / 600) % 60).padStart(2, '0')}:${String(Math.floor(i / 10) % 60).padStart(2, '0')}.${i % 10}Z","level":"${i % 4 ? 'ERROR' : 'INFO'}","message":"job ${i % 37} failed after ${i} ms: \\"q${i % 5}\\"","user_id":"u${i % 101}"}`;
    lines.push(line);
    size += line.length + 1;
  }
  lines.push('{"level":"ERROR","message":"café"}');
  const text = lines.join('\n') + '\n';
  writeFileSync(file, text);
  const bytes = Buffer.from(text);
  // A range that starts and ends at lines, over two chunk boundaries: its text, and bytes that are it.
  const start = bytes.indexOf(10, 300_000) + 1;
  const end = bytes.indexOf(10, 2_500_000) + 1;
  let read = '';
  let withBytes = 0;
  let progress = 0;
  for await (const chunk of fileTextChunks(file, { start, end, onBytes: (b) => (progress = b) })) {
    if (chunk.bytes) {
      assert.equal(Buffer.from(chunk.bytes).toString('latin1'), chunk.text);
      withBytes++;
    }
    read += chunk.text;
  }
  assert.equal(read, bytes.subarray(start, end).toString('utf8'));
  assert.equal(progress, end - start);
  assert.equal(withBytes, 3);
  // The whole file through the reader (the chunks' bytes go to the JSON scanner) reads as its text does.
  const records: LogRecord[] = [];
  const { context } = await readLogFiles([file], (r) => records.push(r));
  assert.equal(records.length, lines.filter((l) => l.includes('"ERROR"')).length);
  assert.ok(context.readInPlace > records.length * 0.9, `error lines were read in place (${context.readInPlace})`);
  assert.deepEqual(records, readText(text, { source: file, fastPath: false }).records);
});

test('property: ids read as hex are lower-cased without their 0x, others kept as they are', () => {
  // (the rule as it reads, against normaliseId's quicker look at the first character)
  const rule = (v: string) => {
    const s = v.startsWith('0x') || v.startsWith('0X') ? v.slice(2) : v;
    return /^[0-9a-fA-F]+$/.test(s) ? s.toLowerCase() : v;
  };
  const id = fc.oneof(fc.string({ maxLength: 12 }), fc.stringMatching(/^(0[xX])?[0-9a-fA-F]{1,20}$/), fc.tuple(fc.integer({ min: 0, max: 127 }), fc.stringMatching(/^[0-9a-fA-F]{0,8}$/)).map(([c, rest]) => String.fromCharCode(c) + rest), fc.constantFrom('req-8ad3a601', '0x', '0X1F', 'ABC', 'g1'));
  fc.assert(fc.property(id, (v) => assert.equal(normaliseId(v), v === '' ? undefined : rule(v))), { numRuns: 5000 });
  assert.equal(normaliseId(42), '42');
  assert.equal(normaliseId(null), undefined);
});

async function readSize(chunks: AsyncGenerator<string>): Promise<number> {
  let n = 0;
  for await (const c of chunks) n += c.length;
  return n;
}
