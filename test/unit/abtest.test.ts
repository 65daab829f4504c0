import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { analyzeAbTest, parseAbTest, parseAbTestCsv, parseAbTestJson, parseCsv, type AbTestReport } from '../../src/core/abtest';
import { repoRoot, tempDir, runCli } from './helpers';

const demo = (name: string) => path.join(repoRoot, 'demo', 'experiments', name);
const analyzeFile = (file: string) => analyzeAbTest(parseAbTest(readFileSync(file, 'utf8'), file));
const analyzeJson = (doc: unknown) => analyzeAbTest(parseAbTestJson(JSON.stringify(doc)));

/** Every number anywhere in the report is finite: nothing can show as NaN. */
function assertNoNaN(value: unknown, where = 'report'): void {
  if (typeof value === 'number') assert.ok(Number.isFinite(value), `${where} is ${value}`);
  else if (Array.isArray(value)) value.forEach((v, i) => assertNoNaN(v, `${where}[${i}]`));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) assertNoNaN(v, `${where}.${k}`);
  // Issue messages may quote the user's bad value ("found \"NaN\""); everything we compute must not.
  else if (typeof value === 'string' && !where.includes('validation.issues')) assert.ok(!/\bNaN\b|undefined|Infinity/.test(value), `${where} says "${value}"`);
}

const two = (a: [number, number], b: [number, number], extra: Record<string, unknown> = {}) => ({
  variants: [{ name: 'control', sampleSize: a[0], successes: a[1] }, { name: 'treatment', sampleSize: b[0], successes: b[1] }],
  ...extra,
});

test('demo "5 % better with 50 samples" is not a result, and says why without calling it significant', () => {
  const r = analyzeFile(demo('checkout-button.abtest.json'));
  assert.equal(r.verdict.kind, 'not-enough-data');
  assert.match(r.verdict.headline, /^Not a result: 50 and 50 users/);
  assert.ok(r.test && !r.test.significant);
  assert.ok(Math.abs(r.test.relativeLift! - 0.05) < 1e-12);
  assert.ok(r.power && r.power.achieved < 0.1 && r.power.requiredPerArm > 9000);
  const text = [r.verdict.headline, ...r.interpretation].join(' ');
  assert.doesNotMatch(text, /significant/i);
  assert.match(text, /detect it only 5 % of the time/);
  assert.ok(r.validation.issues.some((i) => i.type === 'minimum-sample-size'));
  assertNoNaN(r);
});

test('seed example: statsmodels numbers, 14,745 per arm for the planned 10 % MDE', () => {
  const r = analyzeFile(demo('seed-example.abtest.json'));
  assert.ok(Math.abs(r.test!.z - 0.982045) < 1e-6);
  assert.ok(Math.abs(r.test!.pValue - 0.326078) < 1e-6);
  assert.ok(Math.abs(r.test!.ciLow + 0.019074) < 1e-6);
  assert.ok(Math.abs(r.srm!.chi2 - 0.392157) < 1e-6);
  assert.equal(r.power!.requiredPerArm, 14745);
  assert.equal(r.power!.mdeSource, 'planned');
});

test("kidney stones: Simpson's paradox in the verdict, with the segment mix", () => {
  const r = analyzeFile(demo('kidney-stones.abtest.json'));
  assert.equal(r.simpson.detected, true);
  assert.equal(r.verdict.kind, 'untrustworthy');
  assert.match(r.verdict.headline, /Simpson/);
  assert.equal(r.forest.length, 3);
  assert.deepEqual(r.simpson.segmentDirections.map((s) => [s.name, s.controlN, s.treatmentN]), [['small stones', 270, 87], ['large stones', 80, 263]]);
});

test('broken split: SRM flagged as an error at p < 0.001, peeking adjusted', () => {
  const r = analyzeFile(demo('broken-split.abtest.json'));
  assert.equal(r.srm!.mismatch, true);
  assert.equal(r.validation.valid, false);
  assert.equal(r.validation.issues[0]!.type, 'srm');
  assert.equal(r.peeking!.looks, 6);
  assert.equal(r.verdict.kind, 'untrustworthy');
});

test('per-user CSV is aggregated on load; novelty and Welch computed', () => {
  const parsed = parseAbTest(readFileSync(demo('signup-by-user.csv'), 'utf8'), 'signup-by-user.csv');
  assert.equal(parsed.format, 'csv-users');
  assert.equal(parsed.input!.variants.length, 2);
  assert.equal(parsed.input!.variants[0]!.sampleSize, 4000);
  assert.equal(parsed.input!.segments!.length, 2);
  const r = analyzeAbTest(parsed);
  assert.equal(r.novelty!.detected, true);
  assert.ok(r.continuous && r.continuous.metric === 'value');
});

test('significant language only when significant', () => {
  const big = analyzeJson(two([20000, 2000], [20000, 2300]));
  assert.equal(big.verdict.kind, 'winner');
  assert.match(big.verdict.headline, /statistically significantly better/);
  const none = analyzeJson(two([40000, 4000], [40000, 4010], { mde: 0.1 }));
  assert.equal(none.verdict.kind, 'no-difference');
  assert.doesNotMatch([none.verdict.headline, ...none.interpretation].join(' '), /significant/i);
});

const badCases: [string, unknown, string][] = [
  ['zero samples', two([0, 0], [100, 10]), 'zero-samples'],
  ['successes > sampleSize', two([100, 120], [100, 10]), 'successes-exceed-sample-size'],
  ['negative values', two([100, -1], [100, 10]), 'negative-value'],
  ['one variant only', { variants: [{ name: 'control', sampleSize: 100, successes: 10 }] }, 'one-variant'],
  ['NaN as text', two([100, 10], [100, 10]).variants.map((v, i) => (i ? { ...v, successes: 'NaN' } : v)), 'not-a-number'],
  ['null count', { variants: [{ name: 'a', sampleSize: null, successes: 1 }, { name: 'b', sampleSize: 10, successes: 1 }] }, 'missing-value'],
  ['fractional users', two([100.5, 10], [100, 10]), 'not-an-integer'],
  ['NaN metric values', { variants: [{ name: 'a', sampleSize: 10, successes: 1, metricValues: [1, null, 'x'] }, { name: 'b', sampleSize: 10, successes: 1 }] }, 'not-a-number'],
  ['split length', two([100, 10], [100, 10], { expectedSplit: [1, 1, 1] }), 'bad-expected-split'],
  ['alpha out of range', two([100, 10], [100, 10], { alpha: 5 }), 'bad-alpha'],
  ['not an object', [1, 2, 3], 'invalid-json'],
];

for (const [label, doc, type] of badCases) {
  test(`bad input: ${label} → "${type}" error, no NaN`, () => {
    const d = label === 'NaN as text' ? { variants: doc } : doc;
    const r = analyzeJson(d);
    assert.equal(r.validation.valid, false);
    const issue = r.validation.issues.find((i) => i.type === type);
    assert.ok(issue, `issues: ${JSON.stringify(r.validation.issues)}`);
    assert.equal(issue.severity, 'error');
    assert.equal(r.verdict.kind, 'invalid');
    assert.equal(r.test, null);
    assertNoNaN(r);
  });
}

test('bad input: a segment missing in one arm is a warning, the segment is left out', () => {
  const r = analyzeJson(two([1000, 100], [1000, 120], {
    segments: [
      { name: 'web', variants: [{ name: 'control', sampleSize: 600, successes: 60 }, { name: 'treatment', sampleSize: 600, successes: 70 }] },
      { name: 'ios', variants: [{ name: 'control', sampleSize: 400, successes: 40 }] },
    ],
  }));
  assert.ok(r.validation.issues.some((i) => i.type === 'segment-missing-variant' && i.severity === 'warning' && /ios/.test(i.message)));
  assert.equal(r.forest.length, 2);
  assertNoNaN(r);
});

test('bad input: invalid JSON and CSV without the needed columns say what to do', () => {
  const j = analyzeAbTest(parseAbTest('{"variants": [', 'x.abtest.json'));
  assert.match(j.validation.issues[0]!.message, /Not valid JSON/);
  const c = parseAbTestCsv('foo,bar\n1,2\n');
  assert.match(c.issues[0]!.message, /no "variant" column/);
  const hostile = analyzeJson({ variants: two([100, 10], [100, 10]).variants.map((v) => ({ ...v, name: '<script>alert(1)</script>' })) });
  assert.ok(hostile.validation.issues.some((i) => i.type === 'duplicate-variant'));
});

test('all-zero outcome is flagged as zero variance, with no NaN', () => {
  const r = analyzeJson(two([100, 0], [100, 0]));
  assert.ok(r.validation.issues.some((i) => i.type === 'zero-variance'));
  assertNoNaN(r);
});

// ------------------------------------------------------------ properties (fast-check)

test('property: the readers never throw and never produce NaN, whatever the text', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.json(), fc.string({ unit: 'binary' })), fc.constantFrom('a.json', 'a.csv', ''), (text, name) => {
      const r = analyzeAbTest(parseAbTest(text, name));
      assertNoNaN(r);
      return true;
    }),
    { numRuns: 300 },
  );
  const looseVariant = fc.record({ name: fc.oneof(fc.string(), fc.constant(undefined)), sampleSize: fc.oneof(fc.integer({ min: -5, max: 5000 }), fc.double(), fc.constant(null)), successes: fc.oneof(fc.integer({ min: -5, max: 5000 }), fc.double(), fc.string()) }, { requiredKeys: [] });
  fc.assert(
    fc.property(fc.array(looseVariant, { maxLength: 4 }), fc.option(fc.array(fc.double(), { maxLength: 4 })), (variants, split) => {
      assertNoNaN(analyzeJson({ variants, ...(split ? { expectedSplit: split } : {}) }));
      return true;
    }),
    { numRuns: 300 },
  );
});

test('property: per-user CSV aggregates to the same counts as counting directly', () => {
  const user = fc.record({ variant: fc.constantFrom('control', 'b, "quoted"', 'c'), segment: fc.constantFrom('', 'eu', 'us'), converted: fc.boolean() });
  fc.assert(
    fc.property(fc.array(user, { minLength: 1, maxLength: 200 }), (users) => {
      const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
      const csv = ['variant,segment,converted', ...users.map((u) => `${q(u.variant)},${u.segment},${u.converted ? 'true' : '0'}`)].join('\r\n');
      const parsed = parseAbTestCsv(csv);
      for (const v of parsed.input!.variants) {
        const mine = users.filter((u) => u.variant === v.name);
        assert.equal(v.sampleSize, mine.length);
        assert.equal(v.successes, mine.filter((u) => u.converted).length);
      }
      assert.equal(parsed.input!.variants.reduce((a, v) => a + v.sampleSize, 0), users.length);
      return true;
    }),
  );
});

test('property: CSV reader round-trips quoted fields, commas and newlines', () => {
  fc.assert(
    fc.property(fc.array(fc.array(fc.string({ minLength: 1 }), { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 20 }), (rows) => {
      const text = rows.map((r) => r.map((f) => `"${f.replace(/"/g, '""')}"`).join(',')).join('\n');
      assert.deepEqual(parseCsv(text).rows, rows);
      return true;
    }),
  );
});

// ------------------------------------------------------------ CLI

test('iwb abtest FILE --json has the fields the issue names', async () => {
  const r = await runCli(['abtest', 'demo/experiments/seed-example.abtest.json', '--json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as AbTestReport;
  assert.equal(typeof j.validation.valid, 'boolean');
  for (const i of j.validation.issues) assert.deepEqual(Object.keys(i).slice(0, 3), ['type', 'severity', 'message']);
  for (const k of ['z', 'pValue', 'diff', 'ciLow', 'ciHigh', 'relativeLift', 'significant']) assert.ok(k in j.test!, k);
  for (const k of ['chi2', 'pValue', 'mismatch']) assert.ok(k in j.srm!, k);
  for (const k of ['detected', 'overallDirection', 'segmentDirections']) assert.ok(k in j.simpson, k);
  assert.equal(j.power!.requiredPerArm, 14745);
});

test('iwb abtest exit codes: 0 analysed, 1 invalid design, 2 unreadable', async (t) => {
  assert.equal((await runCli(['abtest', 'demo/experiments/checkout-button.abtest.json'])).code, 0);
  const srm = await runCli(['abtest', 'demo/experiments/broken-split.abtest.json']);
  assert.equal(srm.code, 1);
  assert.match(srm.out, /sample-ratio mismatch/);
  const missing = await runCli(['abtest', 'nope.abtest.json']);
  assert.equal(missing.code, 2);
  assert.equal(missing.err, 'iwb abtest: nope.abtest.json: does not exist');
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'bin.abtest.json'), Buffer.from([0xff, 0xfe, 0x00, 0x81]));
  assert.match((await runCli(['abtest', 'bin.abtest.json'], dir)).err, /bin\.abtest\.json: is binary data/);
  writeFileSync(path.join(dir, 'latin1.abtest.json'), Buffer.from('{"name": "caf\xe9"}', 'latin1'));
  assert.match((await runCli(['abtest', 'latin1.abtest.json'], dir)).err, /latin1\.abtest\.json: is not UTF-8/);
});

test('iwb abtest sample-size: 14,745 per arm for 0.10 → +10 %', async () => {
  const r = await runCli(['abtest', 'sample-size', '--baseline', '0.1', '--mde', '0.1', '--json']);
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).perArm, 14745);
  const h = await runCli(['abtest', 'sample-size', '--baseline=0.05', '--mde=0.1', '--alpha', '0.05', '--power', '0.8']);
  assert.match(h.out, /^31,218 users per arm/);
  const bad = await runCli(['abtest', 'sample-size', '--baseline', '2', '--mde', '0.1']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /baseline must be a rate/);
  assert.equal((await runCli(['abtest', 'sample-size', '--mde', '0.1'])).code, 2);
});

test('property: unquoted CSV reads as its lines split at commas, whatever the line ending', () => {
  fc.assert(
    fc.property(fc.array(fc.array(fc.stringMatching(/^[a-z0-9.]{1,6}$/), { minLength: 1, maxLength: 4 }), { maxLength: 20 }), fc.constantFrom('\n', '\r\n', '\r'), (rows, eol) => {
      const text = rows.map((r) => r.join(',')).join(eol);
      const table = parseCsv(text);
      assert.deepEqual(table.rows, rows);
      assert.deepEqual(table.lines, rows.map((_r, i) => i + 1));
      assert.equal(table.unterminatedQuote, false);
      return true;
    }),
  );
});
