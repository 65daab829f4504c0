/**
 * The A/B analysis: design validation first (sample size, sample-ratio mismatch, zero variance), then the
 * two-proportion test per treatment, Welch for a continuous metric, power, Simpson's paradox, peeking and
 * novelty, and a plain-language reading that only says "significant" when the test is.
 *
 * Every number in the report is finite or null: bad input stops at validation instead of becoming NaN.
 */
import {
  achievedPower,
  cohenH,
  formatPValue,
  pStatement,
  noveltyCheck,
  peekingCheck,
  powerCurve,
  sampleRatioMismatch,
  sampleSizePerArm,
  simpsonCheck,
  summarize,
  twoProportionTest,
  welchTTest,
  wilsonInterval,
  type NoveltyResult,
  type PeekingResult,
  type SimpsonResult,
  type Summary,
} from '../stats';
import type { AbTestInput, ParseResult, ValidationIssue, VariantInput } from './types';
import { errorMessage } from '../util/errors';

export interface ArmReport {
  name: string;
  sampleSize: number;
  successes: number;
  rate: number;
  wilsonLow: number;
  wilsonHigh: number;
}

export interface TestReport {
  control: string;
  treatment: string;
  z: number;
  pValue: number;
  pValueText: string;
  diff: number;
  ciLow: number;
  ciHigh: number;
  relativeLift: number | null;
  relativeCiLow: number | null;
  relativeCiHigh: number | null;
  significant: boolean;
  /** α used for this comparison (Bonferroni-divided when there are several treatments). */
  alpha: number;
}

export interface ForestRow {
  label: string;
  diff: number;
  ciLow: number;
  ciHigh: number;
  controlN: number;
  treatmentN: number;
  overall: boolean;
}

export interface PowerReport {
  /** The power the plan aims for (input "power", default 0.8). */
  target: number;
  /** Relative effect the power refers to, and where it came from. */
  mde: number;
  mdeSource: 'planned' | 'observed';
  baseline: number;
  requiredPerArm: number;
  requiredTotal: number;
  /** Power of this test, at its sizes, to detect `mde`. */
  achieved: number;
  controlN: number;
  treatmentN: number;
  adequate: boolean;
  curve: { n: number; power: number }[];
}

export interface ContinuousReport {
  metric: string;
  control: Summary;
  treatment: Summary;
  t: number;
  df: number;
  pValue: number;
  pValueText: string;
  diff: number;
  ciLow: number;
  ciHigh: number;
  significant: boolean;
}

export type VerdictKind = 'invalid' | 'untrustworthy' | 'winner' | 'loser' | 'inconclusive' | 'not-enough-data' | 'no-difference';

export interface AbTestReport {
  name: string;
  alpha: number;
  validation: { valid: boolean; issues: ValidationIssue[] };
  arms: ArmReport[];
  /** The first treatment against the control; null when validation failed. */
  test: TestReport | null;
  comparisons: TestReport[];
  continuous: ContinuousReport | null;
  srm: { chi2: number; pValue: number; pValueText: string; mismatch: boolean; expectedShare: number[]; observedShare: number[] } | null;
  simpson: Pick<SimpsonResult, 'detected' | 'overallDirection' | 'segmentDirections' | 'segmentsAgree' | 'mix' | 'explanation'> & { adjustedDiff: number | null };
  power: PowerReport | null;
  peeking: PeekingResult | null;
  novelty: NoveltyResult | null;
  forest: ForestRow[];
  verdict: { kind: VerdictKind; headline: string };
  interpretation: string[];
}

const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)} %`;
const pp = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(2)} pp`;
const signedPct = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)} %`;
const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

function metricSummary(v: VariantInput): Summary | undefined {
  if (v.metricValues && v.metricValues.length > 0) return summarize(v.metricValues);
  if (v.metricMean !== undefined && v.metricStd !== undefined) return { n: v.sampleSize, mean: v.metricMean, std: v.metricStd };
  return undefined;
}

function emptySimpson(): AbTestReport['simpson'] {
  return { detected: false, overallDirection: 'equal', segmentDirections: [], segmentsAgree: true, mix: null, explanation: 'No segments given.', adjustedDiff: null };
}

export function analyzeAbTest(parsed: ParseResult): AbTestReport {
  const issues = [...parsed.issues];
  const input: AbTestInput | undefined = parsed.input;
  const invalid = (headline: string): AbTestReport => ({
    name: input?.name ?? 'A/B test',
    alpha: input?.alpha ?? 0.05,
    validation: { valid: false, issues },
    arms: [],
    test: null,
    comparisons: [],
    continuous: null,
    srm: null,
    simpson: emptySimpson(),
    power: null,
    peeking: null,
    novelty: null,
    forest: [],
    verdict: { kind: 'invalid', headline },
    interpretation: [headline, `${issues.filter((i) => i.severity === 'error').length} problem(s) are listed under issues; each names where it is and what to change.`],
  });
  if (!input || issues.some((i) => i.severity === 'error')) {
    return invalid('The input has problems that must be fixed before any statistics mean anything.');
  }
  const alpha = input.alpha;
  const [control, ...treatments] = input.variants as [VariantInput, ...VariantInput[]];
  const arms: ArmReport[] = input.variants.map((v) => {
    const w = wilsonInterval(v.successes, v.sampleSize, alpha);
    return { name: v.name, sampleSize: v.sampleSize, successes: v.successes, rate: v.successes / v.sampleSize, wilsonLow: w.low, wilsonHigh: w.high };
  });

  // ---- design validation
  const srmRaw = sampleRatioMismatch(input.variants.map((v) => v.sampleSize), input.expectedSplit);
  const srm = { chi2: srmRaw.chi2, pValue: srmRaw.pValue, pValueText: formatPValue(srmRaw.pValue), mismatch: srmRaw.mismatch, expectedShare: srmRaw.expectedShare, observedShare: srmRaw.observedShare };
  if (srm.mismatch) {
    const shares = input.variants.map((v, i) => `${v.name} ${pct(srmRaw.observedShare[i]!)} (planned ${pct(srmRaw.expectedShare[i]!)})`).join(', ');
    issues.push({ type: 'srm', severity: 'error', message: `Sample-ratio mismatch: traffic split ${shares}; χ² = ${srm.chi2.toFixed(2)}, ${pStatement(srm.pValue)} (below 0.001). Assignment or logging is broken (bots, redirects, a crashing variant); do not trust the comparison until it is fixed.` });
  }
  const allSame = input.variants.every((v) => v.successes === 0) || input.variants.every((v) => v.successes === v.sampleSize);
  if (allSame) {
    issues.push({ type: 'zero-variance', severity: 'warning', message: `Every user in every arm ${input.variants[0]!.successes === 0 ? 'failed' : 'succeeded'}: the outcome has no variance, so the data cannot show a difference. Check that successes are being recorded.` });
  }
  for (const v of input.variants) {
    const s = metricSummary(v);
    if (s && s.n > 1 && s.std === 0) issues.push({ type: 'zero-variance', severity: 'warning', message: `${v.name}: every ${input.metricName ?? 'metric'} value is the same (${s.mean}); Welch's test needs variation.`, where: v.name });
    if (v.successes < 5 || v.sampleSize - v.successes < 5) {
      issues.push({ type: 'small-counts', severity: 'warning', message: `${v.name} has ${v.successes} successes and ${v.sampleSize - v.successes} failures; with fewer than 5 of either, the normal approximation behind the z-test is rough.`, where: v.name });
    }
  }
  if (treatments.length > 1) {
    issues.push({ type: 'multiple-comparisons', severity: 'info', message: `${treatments.length} treatments are compared with the control; each comparison uses α = ${alpha}/${treatments.length} (Bonferroni) so the chance of any false winner stays at ${alpha}.` });
  }

  // ---- tests
  const perAlpha = alpha / treatments.length;
  const comparisons: TestReport[] = treatments.map((t) => {
    const r = twoProportionTest({ successes: control.successes, n: control.sampleSize }, { successes: t.successes, n: t.sampleSize }, { alpha: perAlpha });
    return {
      control: control.name,
      treatment: t.name,
      z: Number.isFinite(r.z) ? r.z : 0,
      pValue: Number.isFinite(r.pValue) ? r.pValue : 1,
      pValueText: formatPValue(Number.isFinite(r.pValue) ? r.pValue : 1),
      diff: r.diff,
      ciLow: r.ciLow,
      ciHigh: r.ciHigh,
      relativeLift: finiteOrNull(r.relativeLift),
      relativeCiLow: finiteOrNull(r.relativeCiLow),
      relativeCiHigh: finiteOrNull(r.relativeCiHigh),
      significant: r.significant,
      alpha: perAlpha,
    };
  });
  const test = comparisons[0]!;
  const treatment = treatments[0]!;

  let continuous: ContinuousReport | null = null;
  const cs = metricSummary(control);
  const ts = metricSummary(treatment);
  if (cs && ts) {
    if (cs.n < 2 || ts.n < 2) issues.push({ type: 'too-few-values', severity: 'warning', message: `Welch's test needs at least 2 metric values per arm (have ${cs.n} and ${ts.n}).` });
    else if (cs.std > 0 || ts.std > 0) {
      const w = welchTTest(cs, ts, { alpha });
      continuous = {
        metric: input.metricName ?? 'metric',
        control: cs,
        treatment: ts,
        t: w.t,
        df: w.df,
        pValue: w.pValue,
        pValueText: formatPValue(w.pValue),
        diff: w.diff,
        ciLow: w.ciLow,
        ciHigh: w.ciHigh,
        significant: w.significant,
      };
    }
  }

  // ---- power: to detect the planned MDE, or (when none was planned) the lift that was observed
  let power: PowerReport | null = null;
  const baseline = arms[0]!.rate;
  const observedRel = test.relativeLift;
  const mde = input.mde ?? (observedRel !== null && observedRel !== 0 ? observedRel : undefined);
  if (baseline > 0 && baseline < 1 && mde !== undefined) {
    try {
      const plan = sampleSizePerArm(baseline, mde, perAlpha, input.power);
      const achieved = achievedPower(cohenH(baseline, plan.target), control.sampleSize, treatment.sampleSize, perAlpha);
      power = {
        target: input.power,
        mde,
        mdeSource: input.mde !== undefined ? 'planned' : 'observed',
        baseline,
        requiredPerArm: plan.perArm,
        requiredTotal: plan.total,
        achieved,
        controlN: control.sampleSize,
        treatmentN: treatment.sampleSize,
        adequate: achieved >= input.power,
        curve: powerCurve(plan.h, perAlpha, Math.max(plan.perArm * 1.5, Math.max(control.sampleSize, treatment.sampleSize) * 1.2)),
      };
      if (!power.adequate) {
        issues.push({
          type: 'minimum-sample-size',
          severity: 'warning',
          message: `Too few users: to detect a ${signedPct(mde)} change from ${pct(baseline)} with ${pct(input.power, 0)} power needs ${plan.perArm.toLocaleString('en-US')} users per arm; this test has ${control.sampleSize.toLocaleString('en-US')} and ${treatment.sampleSize.toLocaleString('en-US')} (power ${pct(achieved)}).`,
        });
      }
    } catch (e) {
      issues.push({ type: 'power-not-computable', severity: 'info', message: `Power not computed: ${errorMessage(e)}` });
    }
  }

  // ---- Simpson's paradox across segments
  let simpson = emptySimpson();
  const forest: ForestRow[] = [{ label: 'all users', diff: test.diff, ciLow: test.ciLow, ciHigh: test.ciHigh, controlN: control.sampleSize, treatmentN: treatment.sampleSize, overall: true }];
  if (input.segments?.length) {
    const complete = input.segments.flatMap((s) => {
      const c = s.variants.find((v) => v.name === control.name);
      const t = s.variants.find((v) => v.name === treatment.name);
      return c && t && c.sampleSize > 0 && t.sampleSize > 0 ? [{ name: s.name, control: { successes: c.successes, n: c.sampleSize }, treatment: { successes: t.successes, n: t.sampleSize } }] : [];
    });
    if (complete.length) {
      const s = simpsonCheck(complete);
      simpson = { detected: s.detected, overallDirection: s.overallDirection, segmentDirections: s.segmentDirections, segmentsAgree: s.segmentsAgree, mix: s.mix, explanation: s.explanation, adjustedDiff: finiteOrNull(s.adjustedDiff) };
      if (s.detected) issues.push({ type: 'simpson', severity: 'warning', message: s.explanation });
      else if (s.mix?.unequal) issues.push({ type: 'segment-mix', severity: 'warning', message: s.explanation });
      else if (!s.segmentsAgree) issues.push({ type: 'segments-disagree', severity: 'info', message: s.explanation });
      for (const seg of complete) {
        const r = twoProportionTest(seg.control, seg.treatment, { alpha: perAlpha });
        if (Number.isFinite(r.ciLow) && Number.isFinite(r.ciHigh)) forest.push({ label: seg.name, diff: r.diff, ciLow: r.ciLow, ciHigh: r.ciHigh, controlN: seg.control.n, treatmentN: seg.treatment.n, overall: false });
      }
    }
  }

  // ---- peeking and novelty
  let peeking: PeekingResult | null = null;
  const looks = input.looks ?? (input.runningPValues ? input.runningPValues.length + 1 : undefined);
  if (looks !== undefined && looks > 1) {
    peeking = peekingCheck(looks, alpha, test.pValue, input.runningPValues ?? []);
    issues.push({ type: 'peeking', severity: 'warning', message: peeking.message });
  }
  let novelty: NoveltyResult | null = null;
  if (control.daily && treatment.daily) {
    const tByDay = new Map(treatment.daily.map((d) => [d.day, d]));
    const days = control.daily.flatMap((c) => {
      const t = tByDay.get(c.day);
      return t ? [{ day: c.day, control: { successes: c.successes, n: c.sampleSize }, treatment: { successes: t.successes, n: t.sampleSize } }] : [];
    });
    novelty = noveltyCheck(days, alpha) ?? null;
    if (novelty?.detected) issues.push({ type: 'novelty', severity: 'warning', message: novelty.message });
    if (!peeking && days.length > 1) {
      issues.push({ type: 'peeking-risk', severity: 'info', message: `Daily data for ${days.length} days: if the result was checked each day and the test stopped at the first "win", the real false-positive rate is far above ${alpha}. Decide the duration in advance (${power ? `${power.requiredPerArm.toLocaleString('en-US')} users per arm` : 'from a power calculation'}).` });
    }
  }

  // ---- verdict and plain language
  const sig = test.significant && (!peeking || peeking.significantAfterAdjustment);
  const lift = test.relativeLift !== null ? ` (${signedPct(test.relativeLift)} relative)` : '';
  const ciText = `95 % interval for the difference ${pp(test.ciLow)} to ${pp(test.ciHigh)}`.replace('95 %', pct(1 - perAlpha, perAlpha < 0.01 ? 1 : 0));
  let verdict: AbTestReport['verdict'];
  const lines: string[] = [];
  lines.push(`${control.name}: ${arms[0]!.successes}/${arms[0]!.sampleSize} = ${pct(arms[0]!.rate, 2)}; ${treatment.name}: ${arms[1]!.successes}/${arms[1]!.sampleSize} = ${pct(arms[1]!.rate, 2)}. Difference ${pp(test.diff)}${lift}.`);
  if (srm.mismatch) {
    verdict = { kind: 'untrustworthy', headline: 'Do not use this result: the traffic split is not what was planned (sample-ratio mismatch).' };
  } else if (simpson.detected) {
    const segWay = simpson.segmentDirections[0]!.direction;
    verdict = { kind: 'untrustworthy', headline: `The pooled number is misleading: ${treatment.name} is ${segWay} in every segment but ${simpson.overallDirection} overall (Simpson's paradox).` };
    lines.push(`Pooled, the gap would appear by chance with probability ${test.pValueText}; but the arms saw different segment mixes, so compare within segments (size-weighted difference ${simpson.adjustedDiff === null ? 'n/a' : pp(simpson.adjustedDiff)}).`);
  } else if (sig) {
    const better = test.diff > 0;
    verdict = { kind: better ? 'winner' : 'loser', headline: `${treatment.name} is statistically significantly ${better ? 'better' : 'worse'} than ${control.name} (${pStatement(test.pValue)}).` };
    lines.push(`If there were no real difference, a gap this large would appear by chance with probability ${test.pValueText}, below α = ${perAlpha}. ${ciText}.`);
    if (power && !power.adequate) lines.push(`But the test is underpowered (${pct(power.achieved)} power): significant results from small tests overstate the effect. Confirm with ${power.requiredPerArm.toLocaleString('en-US')} users per arm.`);
  } else if (power && !power.adequate) {
    verdict = {
      kind: 'not-enough-data',
      headline: `Not a result: ${control.sampleSize.toLocaleString('en-US')} and ${treatment.sampleSize.toLocaleString('en-US')} users are ${power.achieved < 0.5 ? 'far ' : ''}too few to tell a ${signedPct(power.mde)} change from chance.`,
    };
    lines.push(`The observed gap could easily be noise (${pStatement(test.pValue)}; ${ciText}${test.ciLow <= 0 && test.ciHigh >= 0 ? ', which includes zero' : ''}${test.ciHigh - test.ciLow > 0.1 ? ` — ${Math.round((test.ciHigh - test.ciLow) * 100)} points wide` : ''}).`);
    lines.push(`Even if the ${power.mdeSource === 'planned' ? 'planned' : 'observed'} ${signedPct(power.mde)} change were real, a test this size would detect it only ${pct(power.achieved, 0)} of the time; ${pct(input.power, 0)} needs ${power.requiredPerArm.toLocaleString('en-US')} users per arm.`);
  } else if (test.pValue < alpha && peeking) {
    verdict = { kind: 'inconclusive', headline: `Inconclusive: ${pStatement(test.pValue)} passes ${alpha} only because the results were checked ${peeking.looks} times.` };
    lines.push(peeking.message);
  } else {
    verdict = { kind: power ? 'no-difference' : 'inconclusive', headline: power ? `No detectable difference between ${treatment.name} and ${control.name} (${pStatement(test.pValue)}).` : `Inconclusive: the difference could be chance (${pStatement(test.pValue)}).` };
    lines.push(`A gap this large would appear by chance with probability ${test.pValueText} (α = ${perAlpha}), so the data do not show a difference; ${ciText}.`);
    if (power) lines.push(`The test had ${pct(power.achieved, 0)} power to detect a ${signedPct(power.mde)} change, so a real effect of that size would most likely have shown.`);
  }
  if (continuous) {
    lines.push(
      continuous.significant
        ? `${continuous.metric}: mean ${continuous.treatment.mean.toPrecision(4)} vs ${continuous.control.mean.toPrecision(4)} — statistically significant by Welch's t-test (${pStatement(continuous.pValue)}).`
        : `${continuous.metric}: mean ${continuous.treatment.mean.toPrecision(4)} vs ${continuous.control.mean.toPrecision(4)} — the difference could be chance (Welch's t-test, ${pStatement(continuous.pValue)}).`,
    );
  }
  if (simpson.detected || simpson.mix?.unequal || !simpson.segmentsAgree) lines.push(simpson.explanation);
  if (power && !power.adequate && (srm.mismatch || simpson.detected)) lines.push(`Also too few users: ${power.requiredPerArm.toLocaleString('en-US')} per arm are needed for ${pct(input.power, 0)} power.`);
  if (novelty?.detected) lines.push(novelty.message);
  return {
    name: input.name ?? 'A/B test',
    alpha,
    validation: { valid: !issues.some((i) => i.severity === 'error'), issues: sortIssues(issues) },
    arms,
    test,
    comparisons,
    continuous,
    srm,
    simpson,
    power,
    peeking,
    novelty,
    forest,
    verdict,
    interpretation: lines,
  };
}

const ORDER = { error: 0, warning: 1, info: 2 } as const;

function sortIssues(issues: ValidationIssue[]): ValidationIssue[] {
  return issues.map((issue, i) => ({ issue, i })).sort((a, b) => ORDER[a.issue.severity] - ORDER[b.issue.severity] || a.i - b.i).map(({ issue }) => issue);
}
