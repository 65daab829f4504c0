// Issue 17, "Statistics and method, where the numbers mislead": each case below read wrong before the fix,
// and every number is checked against scipy/statsmodels (test/support/stats_reference.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeAbTest, parseAbTestJson } from '../../src/core/abtest';
import { parsePredictions, analyzePredictions } from '../../src/core/mlmodel';
import { fisherExactGreater, holmAdjust, segmentMixTest, simpsonCheck, type SegmentCounts } from '../../src/core/stats';
import { decideRollback, parseMetricsWindow } from '../../src/core/rollback';
import { checkFix, checkRootCause, symptomIn } from '../../src/core/incident/guardrails';
import { recordFix } from '../../src/core/incident/session';
import type { Incident } from '../../src/core/incident/types';
import { close, reference } from './statsReference';
import { validIncident } from './helpers';

// ------------------------------------------------------------ Simpson and the segment mix

/** The seed's own segments (production-debugging-techniques.md, detect_simpsons_paradox example). */
const seedSegments: SegmentCounts[] = [
  { name: 'US', control: { successes: 40, n: 300 }, treatment: { successes: 48, n: 400 } },
  { name: 'UK', control: { successes: 10, n: 200 }, treatment: { successes: 14, n: 120 } },
];

test("Simpson: the seed's segments (US worse, UK better) disagree, and the text says so", () => {
  const s = simpsonCheck(seedSegments);
  assert.deepEqual(s.segmentDirections.map((d) => [d.name, d.direction]), [['US', 'worse'], ['UK', 'better']]);
  assert.equal(s.segmentsAgree, false);
  assert.equal(s.detected, false, 'not a reversal: the segments do not all point one way');
  assert.doesNotMatch(s.explanation, /agrees? with the segments/);
  assert.match(s.explanation, /The segments disagree: treatment is worse in US \(−1\.33 pp\), better in UK \(\+6\.67 pp\)/);
});

test("Simpson: the seed's very unequal segment mix is flagged with Pearson's χ² (scipy chi2_contingency, no correction)", () => {
  const mix = segmentMixTest(seedSegments)!;
  const [ref] = reference<{ chi2: number; p: number; df: number }>([{ fn: 'chi2Contingency', args: { table: [[300, 200], [400, 120]] } }]);
  close(mix.chi2, ref!.chi2, 1e-9, 'chi2');
  close(mix.pValue, ref!.p, 1e-9, 'p');
  assert.equal(mix.df, ref!.df);
  assert.ok(mix.pValue < 1e-8 && mix.unequal);
  const s = simpsonCheck(seedSegments);
  assert.match(s.explanation, /very different segment mixes \(χ² = 33\.9, df 1, p = 5\.8e-9; US: 60 % of control vs 77 % of treatment/);
  // Through the A/B analysis: an issue a reader sees, and the interpretation mentions it.
  const report = analyzeAbTest(
    parseAbTestJson(
      JSON.stringify({
        variants: [
          { name: 'control', sampleSize: 500, successes: 50 },
          { name: 'treatment', sampleSize: 520, successes: 62 },
        ],
        segments: seedSegments.map((g) => ({ name: g.name, variants: [{ name: 'control', sampleSize: g.control.n, successes: g.control.successes }, { name: 'treatment', sampleSize: g.treatment.n, successes: g.treatment.successes }] })),
      }),
    ),
  );
  assert.ok(report.validation.issues.some((i) => i.type === 'segment-mix' && i.severity === 'warning'));
  assert.ok(report.interpretation.some((l) => /segment mixes/.test(l)));
  assert.equal(report.simpson.mix!.unequal, true);
});

test('property: the segment-mix χ² matches scipy on random arms × segments tables', () => {
  const tables = fc.sample(fc.array(fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 5000 })), { minLength: 2, maxLength: 6 }), { numRuns: 40, seed: 17 });
  const refs = reference<{ chi2: number; p: number; df: number }>(tables.map((t) => ({ fn: 'chi2Contingency', args: { table: [t.map((x) => x[0]), t.map((x) => x[1])] } })));
  tables.forEach((t, i) => {
    const segs = t.map(([c, tr], j) => ({ name: `s${j}`, control: { successes: 0, n: c }, treatment: { successes: 0, n: tr } }));
    const mix = segmentMixTest(segs)!;
    close(mix.chi2, refs[i]!.chi2, 1e-8, `chi2 ${JSON.stringify(t)}`);
    close(mix.pValue, refs[i]!.p, 1e-8, `p ${JSON.stringify(t)}`);
    assert.equal(mix.df, refs[i]!.df);
  });
});

test('Simpson: segments that agree with each other and with the pooled result say so; the kidney stones still reverse', () => {
  const agree = simpsonCheck([
    { name: 'a', control: { successes: 10, n: 100 }, treatment: { successes: 15, n: 100 } },
    { name: 'b', control: { successes: 20, n: 100 }, treatment: { successes: 26, n: 100 } },
  ]);
  assert.equal(agree.segmentsAgree, true);
  assert.equal(agree.mix!.unequal, false);
  assert.match(agree.explanation, /^Every segment points the same way as the pooled result \(better\)\.$/);
  const kidney = simpsonCheck([
    { name: 'small', control: { successes: 234, n: 270 }, treatment: { successes: 81, n: 87 } },
    { name: 'large', control: { successes: 55, n: 80 }, treatment: { successes: 192, n: 263 } },
  ]);
  assert.equal(kidney.detected, true);
  assert.match(kidney.explanation, /^Simpson's paradox/);
});

// ------------------------------------------------------------ model analysis: Fisher for small n, Holm

const predictionLines = (rows: { input: string; wrong: boolean }[]) =>
  rows.map((r, i) => JSON.stringify({ id: `p${i}`, input: r.input, trueLabel: 'cat', predictedLabel: r.wrong ? 'dog' : 'cat', confidence: 0.8 })).join('\n');

test('model analysis: one wrong input with a characteristic is not "significantly worse" (Fisher 0.24, not z 0.035)', () => {
  // 25 predictions, 6 wrong; the only ALL CAPS input is one of the wrong ones.
  const rows = Array.from({ length: 24 }, (_v, i) => ({ input: `a photo of a small cat`, wrong: i < 5 }));
  rows.push({ input: 'CAT', wrong: true });
  const r = analyzePredictions(parsePredictions(predictionLines(rows)).predictions);
  const caps = r.byCharacteristic.find((c) => c.characteristic === 'allCaps')!;
  assert.equal(caps.count, 1);
  assert.equal(caps.test, 'fisher');
  const [fisher, holm] = reference<number | number[]>([
    { fn: 'fisherGreater', args: { table: [[1, 0], [5, 19]] } },
    { fn: 'holm', args: { p: r.byCharacteristic.map((c) => c.pValue) } },
  ]);
  close(caps.pValue!, fisher as number, 1e-12, 'Fisher');
  close(caps.pValue!, 0.24, 1e-12);
  r.byCharacteristic.forEach((c, i) => close(c.adjustedP!, (holm as number[])[i]!, 1e-12, `Holm ${c.characteristic}`));
  assert.equal(caps.significantlyWorse, false);
  assert.ok(!r.summary.some((l) => /ALL CAPS/.test(l)));
});

test('model analysis: a real difference on enough inputs is still found, by the z-test, after Holm over the family', () => {
  const rows: { input: string; wrong: boolean }[] = [];
  for (let i = 0; i < 800; i++) rows.push({ input: 'a photo of a small cat', wrong: i % 20 === 0 });
  for (let i = 0; i < 200; i++) rows.push({ input: `photo number ${i}`, wrong: i % 3 === 0 });
  for (let i = 0; i < 50; i++) rows.push({ input: 'A PHOTO OF A CAT', wrong: i % 10 === 0 });
  const r = analyzePredictions(parsePredictions(predictionLines(rows)).predictions);
  const digits = r.byCharacteristic.find((c) => c.characteristic === 'hasDigits')!;
  assert.equal(digits.test, 'z');
  const errors = r.errors;
  const refs = reference<{ p: number } | number[]>([
    { fn: 'twoProp', args: { ts: digits.errors, tn: digits.count, cs: errors - digits.errors, cn: r.total - digits.count, alternative: 'larger' } },
    { fn: 'holm', args: { p: r.byCharacteristic.map((c) => c.pValue) } },
  ]);
  close(digits.pValue!, (refs[0] as { p: number }).p, 1e-9, 'z-test p');
  r.byCharacteristic.forEach((c, i) => close(c.adjustedP!, (refs[1] as number[])[i]!, 1e-12, `Holm ${c.characteristic}`));
  assert.equal(digits.significantlyWorse, true);
  assert.match(r.summary.join(' '), /"contains digits" fail 33\.5 % of the time .*after Holm's correction over \d characteristics/);
});

test('property: Fisher one-sided p matches scipy.stats.fisher_exact(alternative="greater")', () => {
  const tables = fc.sample(fc.tuple(fc.nat(60), fc.nat(60), fc.nat(400), fc.nat(400)), { numRuns: 60, seed: 7 });
  tables.push([0, 0, 3, 4], [5, 0, 0, 5], [3000, 20, 10, 4000], [1, 999, 1, 99999]);
  const refs = reference<number>(tables.map(([a, b, c, d]) => ({ fn: 'fisherGreater', args: { table: [[a, b], [c, d]] } })));
  tables.forEach(([a, b, c, d], i) => close(fisherExactGreater(a, b, c, d), refs[i]!, 1e-9, `[[${a},${b}],[${c},${d}]]`));
});

test('property: Holm matches statsmodels multipletests(method="holm")', () => {
  const lists = fc.sample(fc.array(fc.double({ min: 1e-12, max: 1, noNaN: true }), { minLength: 1, maxLength: 12 }), { numRuns: 40, seed: 3 });
  const refs = reference<number[]>(lists.map((p) => ({ fn: 'holm', args: { p } })));
  lists.forEach((p, i) => holmAdjust(p).forEach((x, j) => close(x, refs[i]![j]!, 1e-12, `${JSON.stringify(p)}[${j}]`)));
});

// ------------------------------------------------------------ guardrails

const incident = (extra: Partial<Incident> = {}): Incident => structuredClone({ ...validIncident, evidence: [], hypotheses: [], ...extra }) as Incident;

test('guardrails: "Latency spiked" and "Database was slow" are symptoms, not root causes; a mechanism passes', () => {
  for (const text of ['Latency spiked', 'Database was slow', 'p99 went up after the deploy', 'The DB was really slow', 'Redis is overloaded', 'CPU was high']) {
    assert.ok(symptomIn(text), text);
    assert.ok(checkRootCause(incident(), text).some((f) => f.rule === 'root-cause-is-symptom'), text);
  }
  for (const text of ['Database was slow because the orders index was dropped in migration 42', 'Connection pool of 20 exhausted by checkout holding connections during the payment call']) {
    assert.equal(symptomIn(text), undefined, text);
  }
});

test('guardrails: Record Fix needs a reproduction, evidence and a confirmed hypothesis (seed pressure test 1); an override is recorded', () => {
  const ctx = { now: '2026-11-20T10:00:00Z', actor: 'on-call' };
  assert.deepEqual(checkFix(incident()).map((f) => f.rule), ['fix-needs-reproduction', 'fix-needs-evidence', 'fix-needs-confirmed-hypothesis']);
  const blocked = recordFix(incident(), 'Bumped the pool size to 200', undefined, ctx);
  assert.equal(blocked.ok, false);
  const forced = recordFix(incident(), 'Bumped the pool size to 200', undefined, ctx, 'Customer-facing outage, mitigation first');
  assert.ok(forced.ok);
  assert.deepEqual((forced.incident.overrides as { rule: string }[]).map((o) => o.rule), ['fix-needs-reproduction', 'fix-needs-evidence', 'fix-needs-confirmed-hypothesis']);
  assert.equal(forced.incident.fix?.description, 'Bumped the pool size to 200');
  const ready = incident({
    reproduction: { steps: ['50 concurrent checkouts'], attempts: [{ at: ctx.now, reproduced: true }] },
    evidence: [{ kind: 'profile', path: 'evidence/profiles/cpu.speedscope.json', at: ctx.now }],
    hypotheses: [{ text: 'Pool too small', createdAt: ctx.now, verification: { test: 'pool 60 in staging', result: 'CONFIRMED', at: ctx.now } }],
  });
  assert.deepEqual(checkFix(ready), []);
  assert.ok(recordFix(ready, 'Release the connection before the payment call', 'PR #7', ctx).ok);
});

// ------------------------------------------------------------ rollback

test('rollback: 0.50 % → 0.85 % errors (+70 %, p ≈ 0.001) is a HOLD, not PROCEED 100/100, even below the absolute limit', () => {
  const win = (errors: number) => parseMetricsWindow(JSON.stringify({ metrics: { errorRate: { errors, requests: 10000 } } }), 'w').window!;
  const r = decideRollback(win(50), win(85));
  const [ref] = reference<{ p: number }>([{ fn: 'twoProp', args: { ts: 85, tn: 10000, cs: 50, cn: 10000, alternative: 'larger' } }]);
  close(r.metrics[0]!.pValue!, ref!.p, 1e-9, 'one-sided p');
  assert.ok(ref!.p < 0.002);
  assert.equal(r.decision, 'HOLD');
  assert.notEqual(r.score, 100);
  assert.match(r.metrics[0]!.reason, /up 70 % relative to the baseline .*hold and investigate/);
  // The same relative change on too little traffic to be significant stays a PROCEED.
  const small = decideRollback(parseMetricsWindow(JSON.stringify({ metrics: { errorRate: { errors: 5, requests: 1000 } } }), 'w').window!, parseMetricsWindow(JSON.stringify({ metrics: { errorRate: { errors: 8, requests: 1000 } } }), 'w').window!);
  assert.equal(small.decision, 'PROCEED');
});
