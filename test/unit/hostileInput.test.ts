// Issue 17, "Hostile and huge input": each case here crashed, ran out of memory, lost other files' results or
// answered silently before the fix. The corpus run over every command is test/unit/badInputCorpus.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { once } from 'node:events';
import { createGzip, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { NodeFileSystem } from '../../src/cli/nodeFileSystem';
import { IncidentStore } from '../../src/core/store/incidentStore';
import { depthExceededAt, MAX_JSON_DEPTH, parseJsonBounded } from '../../src/core/json/depth';
import { parseJsonWithPositions } from '../../src/core/json/positions';
import { checkPostmortemText } from '../../src/core/postmortem/check';
import { readCsvStream, readCsvText } from '../../src/core/csv/records';
import { parse as parseSync } from 'csv-parse/sync';
import { readMetricsFile } from '../../src/core/metrics/nodeFile';
import { fileChunks, OutputLimitError } from '../../src/core/logs/nodeSource';
import { readTextFile, readTraceFile } from '../../src/core/traces/nodeFile';
import { pythonLimitProblem, MAX_BRACKET_NESTING } from '../../src/core/logging/limits';
import { repoRoot, tempDir, validIncident, runCli } from './helpers';

const deepArray = (n: number) => '['.repeat(n) + ']'.repeat(n);
const deepObject = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

function write(dir: string, rel: string, content: string | Buffer): string {
  const full = path.join(dir, rel);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, content);
  return full;
}

// ------------------------------------------------------------ JSON nested 8,000 deep

test('iwb postmortem render/lint: JSON nested 8,000 deep is one line naming the file, its position and the limit (exit 2)', async (t) => {
  const dir = tempDir(t);
  write(dir, 'deep.json', deepArray(8000));
  write(dir, 'deep-object.json', `{"title": "x", "summary": ${deepObject(8000)}}`);
  for (const [sub, file, col] of [['render', 'deep.json', 513], ['lint', 'deep-object.json', 2582]] as const) {
    const r = await runCli(['postmortem', sub, file], dir);
    assert.equal(r.code, 2, r.err);
    assert.equal(r.err, `iwb postmortem: ${file}:1:${col}: JSON nested more than ${MAX_JSON_DEPTH} levels deep; no file of this kind nests like that, so it is not read`);
    assert.equal(r.out, '');
  }
});

test('iwb validate: a file nested 8,000 deep is a problem naming it; the run goes on and checks the others', async (t) => {
  const dir = tempDir(t);
  write(dir, '.incidents/INC-2026-001/incident.json', deepObject(8000));
  write(dir, '.incidents/INC-2026-002/incident.json', JSON.stringify({ ...validIncident, id: 'INC-2026-002' }));
  write(dir, '.incidents/INC-2026-002/postmortem.json', JSON.stringify({ title: 'ok', incidentId: 'INC-2026-002', timeline: deepArray(8000) }).replace('"[[[', '[[['));
  const r = await runCli(['validate', '--json'], dir);
  assert.equal(r.code, 1);
  const j = JSON.parse(r.out) as { checked: number; invalid: number; files: { file: string; state: string; problems: { message: string }[] }[] };
  assert.equal(j.checked, 3);
  assert.deepEqual(j.files.map((f) => [f.file.replace(/\\/g, '/'), f.state]), [
    ['.incidents/INC-2026-002/incident.json', 'valid'],
    ['.incidents/INC-2026-002/postmortem.json', 'invalid'],
    ['.incidents/INC-2026-001/incident.json', 'invalid'],
  ]);
  for (const f of j.files.filter((x) => x.state === 'invalid')) assert.match(f.problems[0]!.message, /nested more than 512 levels/);
});

test('the store listing: an incident nested 8,000 deep is listed as invalid, and a valid second incident still lists', async (t) => {
  const dir = tempDir(t);
  write(dir, '.incidents/INC-2026-001/incident.json', deepArray(8000));
  write(dir, '.incidents/INC-2026-002/incident.json', JSON.stringify({ ...validIncident, id: 'INC-2026-002' }));
  const entries = await new IncidentStore(new NodeFileSystem(dir)).list();
  assert.deepEqual(entries.map((e) => [e.id, e.state]), [['INC-2026-002', 'valid'], ['INC-2026-001', 'invalid']]);
  assert.match(entries[1]!.problems[0]!.message, /nested more than 512 levels/);
});

test('property: the depth scan agrees with the real nesting, ignores brackets inside strings, and never throws', () => {
  const nested = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.string(), fc.integer(), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.string(), tie('value'), { maxKeys: 3 })),
  })).value;
  const depth = (v: unknown): number => (v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v as object).map(depth)) : 0);
  fc.assert(
    fc.property(nested, fc.integer({ min: 1, max: 12 }), (v, max) => {
      const text = JSON.stringify(v);
      assert.equal(depthExceededAt(text, max) >= 0, depth(v) > max);
      if (depth(v) <= max) assert.equal(JSON.stringify(parseJsonBounded(text, max)), text);
      else assert.throws(() => parseJsonBounded(text, max), SyntaxError);
    }),
  );
  // Deep nesting (tens of thousands of levels, inside strings or not) and arbitrary text.
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 60000 }), fc.boolean(), (n, quoted) => {
      const text = quoted ? JSON.stringify({ s: '['.repeat(n) }) : deepArray(n);
      assert.equal(depthExceededAt(text) >= 0, !quoted && n > MAX_JSON_DEPTH);
      const parsed = parseJsonWithPositions(text);
      assert.equal(parsed.syntaxErrors.length > 0, !quoted && n > MAX_JSON_DEPTH);
      const pm = checkPostmortemText(text, { positions: false });
      if (!quoted && n > MAX_JSON_DEPTH) assert.match(pm.schemaProblems[0]!.message, /nested more than 512 levels/);
    }),
    { numRuns: 30 },
  );
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (s) => void depthExceededAt(s, 3)));
});

// ------------------------------------------------------------ CSV: csv-parse, bounded lines

test('a CSV line of megabytes is skipped with its line number; the rows around it are read (in memory and streamed)', async (t) => {
  const text = `timestamp,name,value\n1795900000,m,1\n1795900060,${'x'.repeat(3_000_000)},2\n1795900120,m,3\n`;
  const rows: [number, string[]][] = [];
  const read = readCsvText(text, (cells, line) => rows.push([line, cells]));
  assert.deepEqual(rows, [[1, ['timestamp', 'name', 'value']], [2, ['1795900000', 'm', '1']], [4, ['1795900120', 'm', '3']]]);
  assert.deepEqual(read.problems, [{ line: 3, message: 'line 3 is longer than 1,048,576 characters; skipped' }]);
  const dir = tempDir(t);
  const file = write(dir, 'metrics.csv', text);
  const m = await readMetricsFile(file);
  assert.equal(m.format, 'csv');
  assert.deepEqual(m.series.map((s) => s.points.map((p) => p.v)), [[1, 3]]);
  assert.match(m.problems.map((p) => p.message).join('\n'), /line 3 is longer than 1,048,576 characters; skipped/);
});

test('an unclosed quote stops the CSV read with a problem, not a field that swallows the rest of the file', () => {
  const lines = Array.from({ length: 2000 }, (_v, i) => `${i},${'y'.repeat(3000)}`);
  const rows: number[] = [];
  const read = readCsvText(`a,b\n1,2\n"open,${lines.join('\n')}`, (_c, line) => rows.push(line));
  assert.deepEqual(rows, [1, 2]);
  assert.equal(read.unterminatedQuote, true);
  assert.match(read.problems[0]!.message, /quoted field that starts at line 3 is never closed/);
});

test('property: streamed CSV in any chunking reads as the whole text; quoted fields, CRLF and long lines included', async () => {
  const cell = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('a,b', 'say "hi"', 'two\nlines', ''), fc.string({ minLength: 40, maxLength: 80 }));
  await fc.assert(
    fc.asyncProperty(fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 12 }), fc.constantFrom('\n', '\r\n'), fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 10 }), async (rows, eol, cuts) => {
      const text = rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join(eol) + eol;
      const whole: unknown[] = [];
      const a = readCsvText(text, (c, l) => whole.push([l, c]), { maxLineChars: 60 });
      const chunks: string[] = [];
      for (let i = 0, k = 0; i < text.length; k++) {
        const n = cuts[k % cuts.length]!;
        chunks.push(text.slice(i, i + n));
        i += n;
      }
      const streamed: unknown[] = [];
      const b = await readCsvStream(
        (async function* () {
          yield* chunks;
        })(),
        (c, l) => streamed.push([l, c]),
        { maxLineChars: 60 },
      );
      assert.deepEqual(streamed, whole);
      assert.deepEqual(b, a);
      // Lines within the limit are read exactly; a row with a longer line is skipped and reported.
      const long = new Set(a.problems.map((p) => p.line));
      if (long.size === 0 && !a.unterminatedQuote) {
        assert.deepEqual(whole.map((x) => (x as [number, string[]])[1]), rows.filter((r) => !(r.length === 1 && r[0]!.trim() === '')));
        // Each record carries the line it starts on, counting the line breaks inside earlier quoted fields.
        const starts: number[] = [];
        let line = 1;
        for (const r of rows) {
          if (!(r.length === 1 && r[0]!.trim() === '')) starts.push(line);
          line += 1 + r.join('').split('\n').length - 1;
        }
        assert.deepEqual(whole.map((x) => (x as [number, string[]])[0]), starts);
      }
      return true;
    }),
    { numRuns: 150 },
  );
});

test('a file of quoted rows and multi-line fields, past many batches: the records and lines csv-parse gives', () => {
  const rows: string[] = ['timestamp,name,value,labels'];
  for (let i = 0; i < 6000; i++) rows.push(i % 7 === 3 ? `${i},"multi\nline ""${i}""\nfield",${i},"a=1,b=2"` : i % 5 === 0 ? `${i},plain,${i},` : `${i},m,${i},"pod=p${i % 3}"`);
  const text = `${rows.join('\n')}\n`;
  const mine: [number, string[]][] = [];
  const read = readCsvText(text, (cells, line) => mine.push([line, cells]));
  assert.deepEqual(read.problems, []);
  const reference = parseSync(text, { relax_column_count: true, relax_quotes: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
  assert.deepEqual(mine.map(([, c]) => c), reference.map((r) => r.record));
  assert.deepEqual(mine.map(([l]) => l), reference.map((r) => r.info.lines - r.record.join('').split('\n').length + 1));
  assert.equal(mine[4]![0], 5);
  assert.deepEqual(mine[5], [8, ['4', 'm', '4', 'pod=p1']]);
});

test('property: the reader gives the records csv-parse gives (the comma split of quote-free lines changes nothing)', () => {
  const plain = fc.stringMatching(/^[a-z0-9 .:=;-]{0,8}$/);
  const quoted = fc.string({ maxLength: 10 }).map((c) => `"${c.replace(/"/g, '""')}"`);
  const literalQuote = fc.stringMatching(/^[a-z]{1,3}"[a-z ]{0,3}$/);
  const cell = fc.oneof(plain, plain, quoted, literalQuote);
  fc.assert(
    fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { maxLength: 15 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), (rows, eol, trailing) => {
      const text = rows.map((r) => r.join(',')).join(eol) + (trailing ? eol : '');
      const mine: string[][] = [];
      readCsvText(text, (cells) => mine.push(cells));
      let reference: string[][];
      try {
        reference = (parseSync(text, { relax_column_count: true, relax_quotes: true, skip_empty_lines: true }) as string[][]).filter((r) => !(r.length === 1 && r[0]!.trim() === ''));
      } catch {
        return true; // csv-parse refuses it (an unclosed quote): compared elsewhere
      }
      assert.deepEqual(mine, reference);
      return true;
    }),
    { numRuns: 300 },
  );
});

// ------------------------------------------------------------ gzip: counted decompressed, capped, streamed

async function gzipOfZeros(file: string, bytes: number): Promise<void> {
  const gz = createGzip({ level: 9 });
  const out = createWriteStream(file);
  gz.pipe(out);
  const block = Buffer.alloc(1 << 20, 0x30);
  for (let left = bytes; left > 0; left -= block.length) if (!gz.write(left >= block.length ? block : block.subarray(0, left))) await once(gz, 'drain');
  gz.end();
  await once(out, 'finish');
}

test('gzip: the limit counts decompressed bytes (a 30 KB file expanding to 32 MB is over a 16 MB limit), and streaming stops at the cap', async (t) => {
  const dir = tempDir(t);
  const bomb = path.join(dir, 'bomb.log.gz');
  await gzipOfZeros(bomb, 32 * 1024 * 1024);
  assert.ok(readFileSync(bomb).length < 100_000);
  await assert.rejects(readTextFile(bomb, 'log', 16 * 1024 * 1024), /its gzip content is more than the 16 MB read for log/);
  let produced = 0;
  await assert.rejects(
    (async () => {
      for await (const chunk of fileChunks(bomb, { maxOutputBytes: 8 * 1024 * 1024 })) produced += chunk.length;
    })(),
    (e: unknown) => e instanceof OutputLimitError && /gzip data that expands to more than 8 MiB/.test(e.message),
  );
  assert.ok(produced <= 8 * 1024 * 1024);
});

test('gzip traces past the whole-file limit are streamed (not read into one string), with the same result', async (t) => {
  const dir = tempDir(t);
  const plain = readFileSync(path.join(repoRoot, 'test/fixtures/traces/demo-service.otlp.jsonl'));
  const gz = write(dir, 'trace.jsonl.gz', gzipSync(plain));
  const whole = await readTraceFile(gz);
  const streamed = await readTraceFile(gz, { wholeFileBytes: 1024 });
  assert.ok(whole.traces.length > 1 && whole.spans.length > 0);
  assert.deepEqual(
    streamed.traces.map((x) => [x.traceId, x.spanCount]),
    whole.traces.map((x) => [x.traceId, x.spanCount]),
  );
  assert.equal(streamed.spans.length, whole.spans.length);
});

// ------------------------------------------------------------ lint-logging isolates files

test('lint-logging: 15 MB of "(" is skipped with the reason, the other files keep their findings; a skipped-only run exits 2', async (t) => {
  const dir = tempDir(t);
  write(dir, 'proj/a_parens.py', '('.repeat(15_000_000));
  write(dir, 'proj/b_good.py', 'def f():\n    try:\n        g()\n    except Exception:\n        pass\n');
  const r = await runCli(['lint-logging', 'proj', '--json'], dir);
  assert.equal(r.code, 1, r.err);
  assert.deepEqual((JSON.parse(r.out) as { file: string; rule: string }[]).map((f) => [f.file.replace(/\\/g, '/'), f.rule]), [['proj/b_good.py', 'swallowed-exception']]);
  assert.equal(r.err, `proj/a_parens.py: skipped: brackets nested more than ${MAX_BRACKET_NESTING} deep (line 1); CPython refuses it too ("too many nested parentheses")`);
  const only = await runCli(['lint-logging', 'proj/a_parens.py'], dir);
  assert.equal(only.code, 2);
  assert.match(only.err, /0 files checked, 1 skipped/);
});

test('Python limits follow CPython: 200 nested brackets pass and 201 do not; brackets in strings and comments do not count', () => {
  const nest = (n: number) => `x = ${'('.repeat(n)}1${')'.repeat(n)}\n`;
  assert.equal(pythonLimitProblem(nest(200)), undefined);
  assert.match(pythonLimitProblem(nest(201))!, /brackets nested more than 200 deep \(line 1\)/);
  assert.equal(pythonLimitProblem(`s = "${'('.repeat(5000)}"\n# ${'['.repeat(5000)}\nt = '''\n${'{'.repeat(5000)}\n'''\n`), undefined);
  assert.match(pythonLimitProblem(`a = 1\n\nb = ${'-'.repeat(3001)}1\n`)!, /more than 3000 unary operators in a row \(line 3\)/);
  assert.equal(pythonLimitProblem(`b = ${'- '.repeat(2500)}1\nc = not not not x\n`), undefined);
  const deepIf = Array.from({ length: 101 }, (_v, i) => `${' '.repeat(i)}if x:`).join('\n') + `\n${' '.repeat(101)}pass\n`;
  assert.match(pythonLimitProblem(deepIf)!, /more than 100 levels of indentation/);
});

test('property: the Python limit scan never throws and accepts every file of the repository', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 3000 }), (s) => void pythonLimitProblem(s)));
  for (const f of ['demo/service/server.py', 'test/fixtures/traces/generate.py', 'test/support/stats_reference.py']) {
    const p = path.join(repoRoot, f);
    assert.equal(pythonLimitProblem(readFileSync(p, 'utf8')), undefined, f);
  }
});

// ------------------------------------------------------------ the small ones

test('abtest names the file when it is not valid JSON (exit 2, one line)', async (t) => {
  const dir = tempDir(t);
  write(dir, 'broken.abtest.json', '{"variants": [');
  const r = await runCli(['abtest', 'broken.abtest.json'], dir);
  assert.equal(r.code, 2);
  assert.match(r.err, /^iwb abtest: broken\.abtest\.json: not valid JSON: /);
  assert.equal(r.err.split('\n').length, 1);
  const j = await runCli(['abtest', 'broken.abtest.json', '--json'], dir);
  assert.equal(j.code, 2);
  assert.match((JSON.parse(j.out) as { error: string }).error, /^broken\.abtest\.json: not valid JSON/);
});

test('errors --rules: unknown keys are refused with the known ones listed (file level and rule level), exit 2', async (t) => {
  const dir = tempDir(t);
  write(dir, 'app.log', '{"level":"ERROR","message":"boom"}\n');
  write(dir, 'typo.json', JSON.stringify({ groupRules: [] }));
  write(dir, 'rule.json', JSON.stringify({ groupingRules: [{ action: 'merge', frames: 'db/' }] }));
  const a = await runCli(['errors', 'app.log', '--rules', 'typo.json'], dir);
  assert.equal(a.code, 2);
  assert.match(a.err, /--rules typo\.json: unknown key "groupRules" \(known: groupingRules, categoryRules, fieldMapping\)/);
  const b = await runCli(['errors', 'app.log', '--rules', 'rule.json'], dir);
  assert.equal(b.code, 2);
  assert.match(b.err, /--rules rule\.json: groupingRules\[0\]: unknown key "frames" \(known: action, name, exceptionType, message, frame, service, endpoint, by\)/);
});

test('abtest sample-size: an effect too small to represent or to run is refused (exit 2), never "∞" with exit 0', async () => {
  for (const mde of ['1e-17', '1e-9']) {
    const r = await runCli(['abtest', 'sample-size', '--baseline', '0.1', '--mde', mde], repoRoot);
    assert.equal(r.code, 2, mde);
    assert.doesNotMatch(r.out + r.err, /∞|Infinity/);
  }
  const tiny = await runCli(['abtest', 'sample-size', '--baseline', '0.1', '--mde', '1e-6'], repoRoot);
  assert.equal(tiny.code, 0);
  assert.match(tiny.out, /^141,279,551,994,580 users per arm/);
  assert.match(tiny.out, /\+0\.000100 % relative/);
});

test('iwb trace: an ERROR log line of the trace is an error (exit 1), listed with its source', async (t) => {
  const dir = tempDir(t);
  const traceId = '9d33a01c353c631cdfd43f371200339d';
  write(dir, 'app.jsonl', [{ level: 'ERROR', message: 'payment provider answered 502; order kept', trace_id: traceId }, { level: 'INFO', message: 'ok', trace_id: traceId }, { level: 'ERROR', message: 'another request', trace_id: 'ffffffffffffffffffffffffffffffff' }].map((o) => JSON.stringify({ timestamp: '2026-01-01T00:00:00Z', ...o })).join('\n'));
  const trace = path.join(repoRoot, 'test/fixtures/traces/demo-service.otlp.jsonl');
  const clean = await runCli(['trace', trace, '--json'], dir);
  assert.equal((JSON.parse(clean.out) as { errors: unknown[] }).errors.length, 0);
  const r = await runCli(['trace', trace, '--logs', 'app.jsonl', '--json'], dir);
  assert.equal(r.code, 1);
  const errors = (JSON.parse(r.out) as { errors: { source: string; message: string; log?: string }[] }).errors;
  assert.deepEqual(errors.map((e) => [e.source, e.message, e.log]), [['log', 'payment provider answered 502; order kept', 'app.jsonl:1']]);
});
