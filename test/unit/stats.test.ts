import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  achievedPower,
  chiSquareSf,
  cohenH,
  formatPValue,
  hodgesLehmann,
  mannWhitneyU,
  normalCdf,
  normalSf,
  peekingCheck,
  sampleRatioMismatch,
  sampleSizePerArm,
  simpsonCheck,
  studentTSf,
  summarize,
  twoProportionTest,
  waldInterval,
  welchTTest,
  wilsonInterval,
  noveltyCheck,
} from '../../src/core/stats';
import { close, reference, type ReferenceCase } from './statsReference';

// ------------------------------------------------------------ REFERENCE.md numbers (statsmodels-verified)

test('seed example 50/500 vs 62/520: pooled z, unpooled CI, lift', () => {
  const r = twoProportionTest({ successes: 50, n: 500 }, { successes: 62, n: 520 });
  close(r.controlRate, 0.1);
  close(r.treatmentRate, 0.119231);
  close(r.diff, 0.019231);
  close(r.relativeLift, 0.1923077, 1e-6);
  close(r.pooledSe, 0.019582);
  close(r.z, 0.982045);
  close(r.pValue, 0.326078);
  close(r.unpooledSe, 0.019544);
  close(r.ciLow, -0.019074);
  close(r.ciHigh, 0.057535);
  assert.equal(r.significant, false);
});

test('SRM 500 vs 520 at 50/50', () => {
  const r = sampleRatioMismatch([500, 520], [0.5, 0.5]);
  close(r.chi2, 0.392157);
  close(r.pValue, 0.531168);
  assert.equal(r.mismatch, false);
  assert.equal(sampleRatioMismatch([5000, 5400]).mismatch, true);
});

test('sample size 0.10 → 0.11 is 14,745 per arm (two-sample formula, not 7,372)', () => {
  const r = sampleSizePerArm(0.1, 0.1, 0.05, 0.8);
  close(r.h, -0.032629 * -1, 1e-6);
  close(r.exact, 14744.1, 0.05 / 14744);
  assert.equal(r.perArm, 14745);
  assert.equal(r.total, 29490);
  close(sampleSizePerArm(0.1, 0.2).exact, 3834.6, 0.05 / 3834);
  close(sampleSizePerArm(0.05, 0.1).exact, 31217.4, 0.05 / 31217);
  // One-sample formula ((z+z)/h)² would give 7,372: the bug the seed's snippet has.
  assert.ok(sampleSizePerArm(0.1, 0.1).perArm > 2 * 7372);
  close(sampleSizePerArm(0.2, 0.1).exact, 6507.3, 0.05 / 6507);
  close(sampleSizePerArm(0.5, 0.1).exact, 1564.5, 0.05 / 1564);
});

test('per-arm intervals for 50/500: Wald and Wilson', () => {
  const wald = waldInterval(50, 500);
  close(wald.low, 0.073704);
  close(wald.high, 0.126296);
  const wilson = wilsonInterval(50, 500);
  close(wilson.low, 0.076678);
  close(wilson.high, 0.129422);
});

test("Simpson's paradox: kidney stones", () => {
  const r = simpsonCheck([
    { name: 'small stones', treatment: { successes: 81, n: 87 }, control: { successes: 234, n: 270 } },
    { name: 'large stones', treatment: { successes: 192, n: 263 }, control: { successes: 55, n: 80 } },
  ]);
  assert.equal(r.detected, true);
  assert.equal(r.overallDirection, 'worse');
  assert.deepEqual(r.segmentDirections.map((s) => s.direction), ['better', 'better']);
  close(273 / 350, 0.78, 1e-3);
  close(r.overallDiff, 273 / 350 - 289 / 350);
  assert.ok(r.adjustedDiff > 0, 'the size-weighted segment comparison favours treatment');
  assert.match(r.explanation, /Simpson/);
});

test('tails never underflow: normalSf(9) is 1.1e-19, not 0 (jstat 1 − cdf pitfall)', () => {
  close(normalSf(9), 1.1285884059538e-19, 1e-6 * 1e-19);
  assert.ok(normalSf(30) > 0);
  assert.ok(normalCdf(-37) > 0);
  assert.equal(formatPValue(normalSf(9) * 2), '< 1e-12');
  assert.equal(formatPValue(0.326078), '0.326');
  assert.equal(formatPValue(NaN), 'n/a');
  const huge = twoProportionTest({ successes: 1000, n: 100000 }, { successes: 3000, n: 100000 });
  assert.ok(huge.pValue > 0 && huge.pValue < 1e-12);
});

test('one-sided z honours the direction (jstat ztest ignores it)', () => {
  const up = twoProportionTest({ successes: 50, n: 500 }, { successes: 62, n: 520 }, { alternative: 'larger' });
  const down = twoProportionTest({ successes: 50, n: 500 }, { successes: 62, n: 520 }, { alternative: 'smaller' });
  close(up.pValue + down.pValue, 1, 1e-12);
  assert.ok(up.pValue < 0.5 && down.pValue > 0.5);
});

test('peeking: 5 looks at 0.05 → ~14 % false positives, Pocock 0.0158 per look', () => {
  const r = peekingCheck(5, 0.05, 0.03, [0.2, 0.04, 0.09, 0.06, 0.03]);
  close(r.inflatedFalsePositiveRate!, 0.142);
  close(r.adjustedAlpha, 0.0158);
  assert.equal(r.method, 'Pocock');
  assert.equal(r.significantAfterAdjustment, false);
  assert.deepEqual(r.significantAtLooks, [2, 5]);
  assert.equal(peekingCheck(20, 0.05, 0.001).method, 'Bonferroni');
});

test('novelty: a lift that fades over the days is flagged', () => {
  const days = Array.from({ length: 10 }, (_, i) => ({
    day: `2026-11-${String(i + 1).padStart(2, '0')}`,
    control: { successes: 1000, n: 10000 },
    treatment: { successes: i < 5 ? 1300 : 1010, n: 10000 },
  }));
  const r = noveltyCheck(days)!;
  assert.equal(r.detected, true);
  assert.equal(r.days.length, 10);
  const flat = noveltyCheck(days.map((d) => ({ ...d, treatment: { successes: 1100, n: 10000 } })))!;
  assert.equal(flat.detected, false);
  assert.equal(noveltyCheck(days.slice(0, 3)), undefined);
});

// ------------------------------------------------------------ scipy / statsmodels, reference and random cases

/** Deterministic random cases (fast-check sample with a fixed seed). */
function sample<T>(arb: fc.Arbitrary<T>, n: number, seed: number): T[] {
  return fc.sample(arb, { numRuns: n, seed });
}

const propCase = fc
  .record({ cn: fc.integer({ min: 20, max: 200000 }), tn: fc.integer({ min: 20, max: 200000 }), cr: fc.double({ min: 0.005, max: 0.995, noNaN: true }), tr: fc.double({ min: 0.005, max: 0.995, noNaN: true }) })
  .map(({ cn, tn, cr, tr }) => ({ cn, tn, cs: Math.max(1, Math.min(cn - 1, Math.round(cn * cr))), ts: Math.max(1, Math.min(tn - 1, Math.round(tn * tr))) }));

test('matches scipy/statsmodels to 1e-6 on reference and 200+ randomised cases', () => {
  const props = [{ cs: 50, cn: 500, ts: 62, tn: 520 }, { cs: 1000, cn: 10000, ts: 1100, tn: 10000 }, ...sample(propCase, 60, 7)];
  const alts = ['two-sided', 'larger', 'smaller'] as const;
  const zs = [-40, -9, -5, -1.5, -0.1, 0, 0.3, 1.96, 4, 9, 20];
  const ts = sample(fc.record({ t: fc.double({ min: -60, max: 60, noNaN: true }), df: fc.double({ min: 1, max: 5000, noNaN: true }) }), 40, 11);
  const chis = sample(fc.record({ x: fc.double({ min: 0.001, max: 400, noNaN: true }), df: fc.integer({ min: 1, max: 30 }) }), 40, 13);
  const welchCases = sample(
    fc.record({
      m1: fc.double({ min: -100, max: 100, noNaN: true }), s1: fc.double({ min: 0.1, max: 50, noNaN: true }), n1: fc.integer({ min: 3, max: 5000 }),
      m2: fc.double({ min: -100, max: 100, noNaN: true }), s2: fc.double({ min: 0.1, max: 50, noNaN: true }), n2: fc.integer({ min: 3, max: 5000 }),
    }),
    40, 17,
  );
  const sizeCases = [
    { p1: 0.1, p2: 0.11, alpha: 0.05, power: 0.8 },
    ...sample(fc.record({ p1: fc.double({ min: 0.01, max: 0.8, noNaN: true }), rel: fc.double({ min: 0.02, max: 0.2, noNaN: true }), alpha: fc.constantFrom(0.01, 0.05, 0.1), power: fc.constantFrom(0.8, 0.9) }), 30, 19)
      .map(({ p1, rel, alpha, power }) => ({ p1, p2: p1 * (1 + rel), alpha, power })),
  ];
  const powerCases = sample(fc.record({ p1: fc.double({ min: 0.02, max: 0.5, noNaN: true }), rel: fc.double({ min: 0.02, max: 0.5, noNaN: true }), n1: fc.integer({ min: 50, max: 50000 }), n2: fc.integer({ min: 50, max: 50000 }) }), 30, 23);
  const srmCases = [{ obs: [500, 520], w: [1, 1] }, ...sample(fc.record({ obs: fc.array(fc.integer({ min: 1, max: 100000 }), { minLength: 2, maxLength: 5 }) }).map(({ obs }) => ({ obs, w: obs.map((_, i) => 1 + (i % 3)) })), 30, 29)];
  const cases: ReferenceCase[] = [
    ...props.flatMap((p) => alts.map((alternative) => ({ fn: 'twoProp', args: { ...p, alternative } }))),
    ...props.map((p) => ({ fn: 'wilson', args: { s: p.cs, n: p.cn } })),
    ...zs.map((z) => ({ fn: 'normSf', args: { z } })),
    ...ts.map((a) => ({ fn: 'tSf', args: a })),
    ...chis.map((a) => ({ fn: 'chi2Sf', args: a })),
    ...welchCases.map((a) => ({ fn: 'welch', args: a })),
    ...sizeCases.map((a) => ({ fn: 'sampleSize', args: a })),
    ...powerCases.map(({ p1, rel, n1, n2 }) => ({ fn: 'power', args: { p1, p2: p1 * (1 + rel), n1, n2, alpha: 0.05 } })),
    ...srmCases.map((a) => ({ fn: 'chisquare', args: a })),
  ];
  assert.ok(cases.length > 200);
  const answers = reference<any>(cases); // eslint-disable-line @typescript-eslint/no-explicit-any
  let i = 0;
  for (const p of props) {
    for (const alternative of alts) {
      const want = answers[i++];
      const got = twoProportionTest({ successes: p.cs, n: p.cn }, { successes: p.ts, n: p.tn }, { alternative });
      const label = `${JSON.stringify(p)} ${alternative}`;
      close(got.z, want.z, 1e-6, `z ${label}`);
      close(got.pValue, want.p, 1e-6, `p ${label}`);
      if (want.p > 1e-300 && want.p < 1e-3) close(got.pValue / want.p, 1, 1e-6, `relative p ${label}`);
      close(got.ciLow, want.ciLow, 1e-6, `ciLow ${label}`);
      close(got.ciHigh, want.ciHigh, 1e-6, `ciHigh ${label}`);
      close(got.relativeCiLow, want.relLow, 1e-6, `relLow ${label}`);
      close(got.relativeCiHigh, want.relHigh, 1e-6, `relHigh ${label}`);
    }
  }
  for (const p of props) {
    const [low, high] = answers[i++];
    const got = wilsonInterval(p.cs, p.cn);
    close(got.low, low, 1e-6, 'wilson low');
    close(got.high, high, 1e-6, 'wilson high');
  }
  for (const z of zs) {
    const want = answers[i++] as number;
    const got = normalSf(z);
    close(got, want, 1e-6, `normSf(${z})`);
    if (want > 0 && want < 1e-3) close(got / want, 1, 1e-9, `relative normSf(${z})`);
  }
  for (const a of ts) {
    const want = answers[i++] as number;
    close(studentTSf(a.t, a.df), want, 1e-6, `tSf ${JSON.stringify(a)}`);
    if (want > 1e-300 && want < 1e-3) close(studentTSf(a.t, a.df) / want, 1, 1e-6, `relative tSf ${JSON.stringify(a)}`);
  }
  for (const a of chis) {
    const want = answers[i++] as number;
    close(chiSquareSf(a.x, a.df), want, 1e-6, `chi2Sf ${JSON.stringify(a)}`);
    if (want > 1e-300 && want < 1e-3) close(chiSquareSf(a.x, a.df) / want, 1, 1e-6, `relative chi2Sf ${JSON.stringify(a)}`);
  }
  for (const a of welchCases) {
    const want = answers[i++];
    const got = welchTTest({ n: a.n1, mean: a.m1, std: a.s1 }, { n: a.n2, mean: a.m2, std: a.s2 });
    // scipy's argument order is (control, treatment) → t of control − treatment.
    close(-got.t, want.t, 1e-6, `welch t ${JSON.stringify(a)}`);
    close(got.pValue, want.p, 1e-6, `welch p ${JSON.stringify(a)}`);
  }
  for (const a of sizeCases) {
    const want = answers[i++] as number;
    const got = sampleSizePerArm(a.p1, a.p2 / a.p1 - 1, a.alpha, a.power);
    close(got.exact, want, 1e-6, `sample size ${JSON.stringify(a)}`);
    assert.equal(got.perArm, Math.ceil(want - 1e-9));
  }
  for (const { p1, rel, n1, n2 } of powerCases) {
    const want = answers[i++] as number;
    close(achievedPower(cohenH(p1, p1 * (1 + rel)), n1, n2, 0.05), want, 1e-6, `power ${p1} ${rel} ${n1} ${n2}`);
  }
  for (const a of srmCases) {
    const want = answers[i++];
    const got = sampleRatioMismatch(a.obs, a.w);
    close(got.chi2, want.chi2, 1e-6, `srm chi2 ${JSON.stringify(a)}`);
    close(got.pValue, want.p, 1e-6, `srm p ${JSON.stringify(a)}`);
  }
  assert.equal(i, answers.length);
});

test('Welch from samples and Mann-Whitney/Hodges-Lehmann match scipy on random samples', () => {
  const samples = sample(
    fc.record({
      x: fc.array(fc.integer({ min: 0, max: 400 }).map((v) => v / 4), { minLength: 5, maxLength: 120 }),
      y: fc.array(fc.integer({ min: 0, max: 400 }).map((v) => v / 4 + 3), { minLength: 5, maxLength: 120 }),
    }),
    40, 31,
  ).filter(({ x, y }) => new Set(x).size > 1 && new Set(y).size > 1);
  const alts = [['two-sided', 'two-sided'], ['larger', 'greater'], ['smaller', 'less']] as const;
  const cases: ReferenceCase[] = samples.flatMap(({ x, y }) => [
    { fn: 'welchSamples', args: { x, y } },
    ...alts.map(([, alternative]) => ({ fn: 'mannwhitney', args: { x: y, y: x, alternative } })),
    { fn: 'hl', args: { x: y, y: x } },
  ]);
  const answers = reference<any>(cases); // eslint-disable-line @typescript-eslint/no-explicit-any
  let i = 0;
  for (const { x, y } of samples) {
    const w = answers[i++];
    const got = welchTTest(summarize(x), summarize(y));
    close(got.t, w.t, 1e-6, 'welch samples t');
    close(got.pValue, w.p, 1e-6, 'welch samples p');
    close(got.df, w.df, 1e-6, 'welch df');
    close(got.ciLow, w.ciLow, 1e-6, 'welch ciLow');
    close(got.ciHigh, w.ciHigh, 1e-6, 'welch ciHigh');
    for (const [ours] of alts) {
      const m = answers[i++];
      const r = mannWhitneyU(y, x, ours);
      close(r.u, m.u, 1e-9, 'U');
      close(r.pValue, m.p, 1e-6, `MWU p ${ours}`);
    }
    close(hodgesLehmann(y, x).shift, answers[i++] as number, 1e-9, 'HL shift');
  }
});

// ------------------------------------------------------------ properties

test('properties: p-values in [0, 1], complementary tails add to 1, Wilson contains the rate', () => {
  fc.assert(
    fc.property(fc.double({ min: -50, max: 50, noNaN: true }), (z) => {
      const s = normalSf(z) + normalCdf(z);
      return Math.abs(s - 1) < 1e-12 && normalSf(z) >= 0;
    }),
  );
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 100000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, r) => {
      const s = Math.round(n * r);
      const w = wilsonInterval(s, n);
      return w.low >= 0 && w.high <= 1 && w.low <= s / n + 1e-12 && w.high >= s / n - 1e-12;
    }),
  );
  fc.assert(
    fc.property(propCase, (p) => {
      const r = twoProportionTest({ successes: p.cs, n: p.cn }, { successes: p.ts, n: p.tn });
      return r.pValue >= 0 && r.pValue <= 1 && r.ciLow <= r.diff && r.diff <= r.ciHigh;
    }),
  );
  fc.assert(
    fc.property(fc.double({ min: 0.01, max: 0.9, noNaN: true }), fc.double({ min: 0.01, max: 0.1, noNaN: true }), (p, rel) => {
      const r = sampleSizePerArm(p, rel);
      // At the required n the power is at least the target, one user fewer is below it.
      return achievedPower(r.h, r.perArm, r.perArm) >= 0.8 - 1e-9 && achievedPower(r.h, r.exact * 0.98, r.exact * 0.98) < 0.8;
    }),
  );
});

test('sample size rejects impossible inputs with a readable message', () => {
  assert.throws(() => sampleSizePerArm(0, 0.1), /baseline must be a rate/);
  assert.throws(() => sampleSizePerArm(0.6, 1), /not a rate between 0 and 1/);
  assert.throws(() => sampleSizePerArm(0.1, 0), /non-zero relative change/);
});
