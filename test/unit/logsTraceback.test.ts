// Python traceback parsing, on tracebacks printed by CPython itself (test/fixtures/logs/tracebacks, see
// its NOTE.md) and on tracebacks produced during this test run by running failing Python code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseTraceback, isTracebackStart } from '../../src/core/logs/traceback';
import { readText } from '../../src/core/logs/reader';
import { analyzePatternFiles } from '../../src/core/patterns/load';
import { isLibraryPath } from '../../src/core/paths/pathMappings';
import { repoRoot } from './helpers';

const fixture = (name: string) => readFileSync(path.join(repoRoot, 'test/fixtures/logs/tracebacks', `${name}.txt`), 'utf8');

test('a plain traceback: frames outermost first, source lines, exception type and message', () => {
  const info = parseTraceback(fixture('features_shape'))!;
  assert.equal(info.chain.length, 1);
  const e = info.chain[0]!;
  assert.equal(e.type, 'ValueError');
  assert.match(e.message, /^Invalid input shape: expected 16 features, got \d+$/);
  const last = e.frames[e.frames.length - 1]!;
  assert.deepEqual([last.file, last.line, last.function], ['/app/shop/features.py', 6, 'validate']);
  assert.match(last.source!, /raise ValueError/);
  assert.equal(info.truncated, false);
});

test('carets under 3.11+ frames are not taken for source lines', () => {
  const e = parseTraceback(fixture('pricing_keyerror'))!.chain[0]!;
  for (const f of e.frames) assert.ok(!/^[~^\s]+$/.test(f.source ?? 'x'), `${f.function}: ${f.source}`);
  assert.deepEqual(e.frames.map((f) => f.function), ['main', 'site_pricing_keyerror', 'total', '<genexpr>', 'unit_price']);
  assert.equal(e.type, 'KeyError');
});

test('chained causes: direct cause and context, in print order', () => {
  const cause = parseTraceback(fixture('checkout_cause'))!.chain;
  assert.deepEqual(cause.map((e) => e.type), ['KeyError', 'shop.checkout.CheckoutError']);
  assert.equal(cause[0]!.linkToNext, 'cause');
  const context = parseTraceback(fixture('checkout_context'))!.chain;
  assert.deepEqual(context.map((e) => e.type), ['KeyError', 'LookupError']);
  assert.equal(context[0]!.linkToNext, 'context');
  const bare = parseTraceback(fixture('bare-cause'))!.chain;
  assert.deepEqual(bare.map((e) => [e.type, e.message, e.frames.length]), [['ValueError', 'never raised', 0], ['RuntimeError', 'outer', 1]]);
});

test('SyntaxError: the caret location is kept apart from the call frames', () => {
  const e = parseTraceback(fixture('templates_syntax'))!.chain[0]!;
  assert.equal(e.type, 'SyntaxError');
  assert.equal(e.location?.file, '<rule>');
  assert.equal(e.location?.line, 1);
  assert.ok(e.location?.text);
  assert.equal(typeof e.location?.caret, 'number');
  assert.equal(e.frames[e.frames.length - 1]!.function, 'compile_rule');
  const direct = parseTraceback(fixture('syntax-direct'))!.chain[0]!;
  assert.equal(direct.type, 'SyntaxError');
  assert.equal(direct.frames.length, 0);
  assert.deepEqual([direct.location?.file, direct.location?.line, direct.location?.text, direct.location?.caret], ['<stdin>', 1, 'total = (1 +', 8]);
});

test('ExceptionGroups: own frames, sub-exceptions, nested groups, and a group in a chain', () => {
  const g = parseTraceback(fixture('batch_group'))!.chain[0]!;
  assert.equal(g.type, 'ExceptionGroup');
  assert.match(g.message, /^batch of 3 failed \(\d sub-exceptions?\)$/);
  assert.equal(g.frames[g.frames.length - 1]!.function, 'process');
  assert.ok(g.group && g.group.length >= 2);
  for (const sub of g.group!) assert.ok(['ValueError', 'KeyError'].includes(sub.type), sub.type);
  assert.ok(g.group!.every((s) => s.frames.length === 2));
  const nested = parseTraceback(fixture('nested-group-cause'))!.chain;
  assert.deepEqual(nested.map((e) => e.type), ['ExceptionGroup', 'ExceptionGroup', 'RuntimeError']);
  assert.deepEqual(nested.map((e) => e.linkToNext), ['context', 'cause', undefined]);
  const outer = nested[1]!;
  assert.deepEqual(outer.group!.map((s) => s.type), ['ExceptionGroup', 'TypeError']);
  assert.deepEqual(outer.group![0]!.group!.map((s) => [s.type, s.message]), [['KeyError', "'k0'"], ['KeyError', "'k1'"]]);
  assert.equal(nested.some((e) => e.truncated), false);
});

test('recursion: [Previous line repeated N more times] is kept on the frame', () => {
  const e = parseTraceback(fixture('recursion'))!.chain[0]!;
  assert.equal(e.type, 'RecursionError');
  const repeated = e.frames.find((f) => f.repeated !== undefined)!;
  assert.equal(repeated.function, 'depth');
  assert.ok(repeated.repeated! > 50);
});

test('a multi-line message and its notes stay with the exception', () => {
  const e = parseTraceback(fixture('multiline-message'))!.chain[0]!;
  assert.equal(e.type, 'ValueError');
  assert.equal(e.message, 'bad row 7:\n  expected 3 columns\n  got 5\nwhile importing batch 12');
});

test('a traceback cut in the middle is marked truncated and keeps its frames', () => {
  const text = fixture('checkout_cause');
  const cut = text.slice(0, text.indexOf('in checkout\n', text.indexOf('The above')) + 12);
  const info = parseTraceback(cut)!;
  assert.equal(info.truncated, true);
  const last = info.chain[info.chain.length - 1]!;
  assert.equal(last.truncated, true);
  assert.equal(last.type, '');
  assert.equal(last.frames[last.frames.length - 1]!.function, 'checkout');
  assert.equal(info.chain[0]!.type, 'KeyError');
});

test('tracebacks produced now by running failing Python parse to what Python reports about itself', () => {
  // Python prints the traceback and, after it, what it knows: type, message and the frames (function, line).
  const program = [
    'import json, sys, traceback',
    'def load(text):',
    '    return json.loads(text)',
    'def handler(body):',
    '    try:',
    '        return load(body)',
    '    except ValueError as e:',
    "        raise RuntimeError(f'bad body {body!r}') from e",
    'try:',
    "    handler('{oops')",
    'except Exception as e:',
    '    traceback.print_exc()',
    "    print('@@' + json.dumps({'chain': [[type(x).__name__, str(x), [[f.name, f.lineno] for f in traceback.extract_tb(x.__traceback__)]] for x in (e.__cause__, e)]}), file=sys.stderr)",
  ].join('\n');
  const stderr = spawnSync('python3', ['-c', program], { encoding: 'utf8' }).stderr;
  const [tb, truth] = stderr.split('@@');
  const expected = JSON.parse(truth!) as { chain: [string, string, [string, number][]][] };
  const info = parseTraceback(tb!)!;
  assert.equal(info.chain.length, 2);
  info.chain.forEach((e, i) => {
    const [type, message, frames] = expected.chain[i]!;
    assert.ok(e.type.endsWith(type), `${e.type} vs ${type}`);
    assert.equal(e.message, message);
    assert.deepEqual(e.frames.map((f) => [f.function, f.line]), frames);
  });
});

test("IPython's verbose tracebacks (a job run under IPython, a notebook's cells): frames, sources, the chain, in a log", () => {
  // Recorded from IPython 8.12 (test/fixtures/logs-python/ipython.log, NOTE.md there).
  const text = readFileSync(path.join(repoRoot, 'test/fixtures/logs-python/ipython.log'), 'utf8');
  const { records } = readText(text);
  assert.equal(records.length, 1);
  const chain = records[0]!.exception!.chain;
  assert.deepEqual(
    chain.map((e) => [e.type, e.message, e.linkToNext]),
    [
      ['ZeroDivisionError', 'division by zero', 'context'],
      ['KeyError', "'impressions'", 'cause'],
      ['ValueError', "no table 'impressions' in the feature store", undefined],
    ],
  );
  assert.deepEqual(chain[0]!.frames.map((f) => `${f.function}:${f.line}`), ['<module>:29', 'normalise:15', '<listcomp>:15']);
  assert.deepEqual(chain[2]!.frames.map((f) => [f.file, f.line, f.function, f.source]), [
    ['/srv/app/record_ipython.py', 32, '<module>', 'load("impressions", {})'],
    ['/srv/app/record_ipython.py', 22, 'load', 'raise ValueError(f"no table {name!r} in the feature store") from e'],
  ]);
  // A notebook cell has no file: named as IPython names it, never taken for a workspace path.
  const cell = parseTraceback(['ZeroDivisionError                         Traceback (most recent call last)', 'Cell In[3], line 2', '      1 x = 0', '----> 2 y = 1 / x', '', 'ZeroDivisionError: division by zero'].join('\n'))!;
  assert.deepEqual(cell.chain[0]!.frames, [{ file: '<Cell In[3]>', line: 2, function: '<module>', source: 'y = 1 / x' }]);
  assert.ok(isLibraryPath('<Cell In[3]>'));
  // Every record: the three log lines, and the traceback (its rule above is not one).
  assert.deepEqual(readText(text, { allRecords: true }).records.map((r) => r.level ?? ''), ['INFO', 'INFO', 'WARNING', 'ERROR']);
});

test("IPython's traceback in the Patterns view stays with the log line above it", async () => {
  const { report } = await analyzePatternFiles([path.join(repoRoot, 'test/fixtures/logs-python/ipython.log')]);
  assert.deepEqual(report.patterns.map((p) => p.template).sort(), ['all-zero rows; loading the fallback table', 'loading features', 'normalising <num> rows']);
});

test('isTracebackStart knows plain and group headers', () => {
  assert.ok(isTracebackStart('Traceback (most recent call last):'));
  assert.ok(isTracebackStart('  + Exception Group Traceback (most recent call last):'));
  assert.ok(!isTracebackStart('Traceback is fine'));
});

test('property: parseTraceback never throws, on any text or any cut of a real traceback', () => {
  const samples = ['checkout_cause', 'batch_group', 'nested-group-cause', 'templates_syntax', 'recursion'].map(fixture);
  fc.assert(
    fc.property(fc.string({ maxLength: 400 }), (s) => {
      parseTraceback(s);
    }),
    { numRuns: 500 },
  );
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 4 }), fc.nat(), fc.nat(), (k, a, b) => {
      const text = samples[k]!;
      const i = a % (text.length + 1);
      const j = i + (b % (text.length - i + 1));
      const info = parseTraceback(text.slice(i, j));
      if (info) for (const e of info.chain) for (const f of e.frames) assert.ok(Number.isInteger(f.line));
    }),
    { numRuns: 500 },
  );
});

test('property: generated tracebacks round-trip (frames, chain links, exception)', () => {
  const ident = fc.stringMatching(/^[a-z_][a-z0-9_]{0,10}$/);
  const frame = fc.record({ file: fc.stringMatching(/^\/[a-z]{1,6}(\/[a-z_]{1,6}){0,3}\.py$/), line: fc.integer({ min: 1, max: 99999 }), function: ident, source: fc.option(fc.stringMatching(/^[a-z(). =]{1,30}$/), { nil: undefined }) });
  const exc = fc.record({
    type: fc.stringMatching(/^[A-Z][A-Za-z]{0,12}(Error|Exception)$/),
    message: fc.stringMatching(/^[^\n]{0,60}$/),
    frames: fc.array(frame, { minLength: 1, maxLength: 6 }),
  });
  fc.assert(
    fc.property(fc.array(fc.tuple(exc, fc.constantFrom('cause', 'context')), { minLength: 1, maxLength: 3 }), (chain) => {
      const text = chain
        .map(([e, link], i) => {
          const lines = ['Traceback (most recent call last):'];
          for (const f of e.frames) {
            lines.push(`  File "${f.file}", line ${f.line}, in ${f.function}`);
            if (f.source && f.source.trim()) lines.push(`    ${f.source.trim()}`);
          }
          lines.push(e.message ? `${e.type}: ${e.message}` : e.type);
          if (i < chain.length - 1) lines.push('', link === 'cause' ? 'The above exception was the direct cause of the following exception:' : 'During handling of the above exception, another exception occurred:', '');
          return lines.join('\n');
        })
        .join('\n');
      const info = parseTraceback(text)!;
      assert.equal(info.chain.length, chain.length);
      info.chain.forEach((p, i) => {
        const [e, link] = chain[i]!;
        assert.equal(p.type, e.type);
        assert.equal(p.message, e.message.trim() === '' ? '' : e.message.replace(/\s+$/, ''));
        assert.deepEqual(p.frames.map((f) => [f.file, f.line, f.function]), e.frames.map((f) => [f.file, f.line, f.function]));
        if (i < chain.length - 1) assert.equal(p.linkToNext, link);
      });
    }),
    { numRuns: 300 },
  );
});
