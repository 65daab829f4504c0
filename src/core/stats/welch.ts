/**
 * Welch's t-test for a continuous metric (unequal variances; scipy `ttest_ind(equal_var=False)` /
 * `ttest_ind_from_stats`). Standard deviations are sample standard deviations (ddof = 1).
 */
import { studentTInv, tPValue, type Alternative } from './distributions';

export interface Summary {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1 in the denominator). */
  std: number;
}

export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  if (n === 0) return { n: 0, mean: NaN, std: NaN };
  // Two-pass (mean first) so large offsets do not lose precision.
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return { n, mean, std: n > 1 ? Math.sqrt(ss / (n - 1)) : NaN };
}

export interface WelchResult {
  t: number;
  df: number;
  pValue: number;
  /** treatment mean − control mean */
  diff: number;
  se: number;
  ciLow: number;
  ciHigh: number;
  relativeLift: number;
  significant: boolean;
  alpha: number;
}

export function welchTTest(control: Summary, treatment: Summary, options: { alpha?: number; alternative?: Alternative } = {}): WelchResult {
  const alpha = options.alpha ?? 0.05;
  const v1 = (control.std * control.std) / control.n;
  const v2 = (treatment.std * treatment.std) / treatment.n;
  const se = Math.sqrt(v1 + v2);
  const diff = treatment.mean - control.mean;
  const df = (v1 + v2) ** 2 / ((v1 * v1) / (control.n - 1) + (v2 * v2) / (treatment.n - 1));
  const t = se > 0 ? diff / se : NaN;
  const pValue = tPValue(t, df, options.alternative ?? 'two-sided');
  const tc = studentTInv(1 - alpha / 2, df);
  return {
    t,
    df,
    pValue,
    diff,
    se,
    ciLow: diff - tc * se,
    ciHigh: diff + tc * se,
    relativeLift: control.mean !== 0 ? diff / Math.abs(control.mean) : NaN,
    significant: Number.isFinite(pValue) && pValue < alpha,
    alpha,
  };
}
