/**
 * Proportions: per-arm intervals and the two-proportion z-test.
 *
 * Conventions (REFERENCE.md "Statistics", verified against statsmodels): the test statistic uses the
 * POOLED standard error (statsmodels `proportions_ztest`), the confidence interval of the difference uses
 * the UNPOOLED one (`confint_proportions_2indep(method="wald")`), the interval of the ratio is Katz's log
 * interval (`compare="ratio", method="log"`). Seed case 50/500 vs 62/520: z 0.982045, p 0.326078,
 * CI [−0.019074, 0.057535].
 */
import { normalInv, zPValue, type Alternative } from './distributions';

export interface Interval {
  low: number;
  high: number;
}

/** Wilson score interval of one proportion (statsmodels `proportion_confint(method="wilson")`). */
export function wilsonInterval(successes: number, n: number, alpha = 0.05): Interval {
  if (!(n > 0)) return { low: NaN, high: NaN };
  const z = normalInv(1 - alpha / 2);
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Wald interval of one proportion; shown only to contrast with Wilson (it misbehaves near 0 and 1). */
export function waldInterval(successes: number, n: number, alpha = 0.05): Interval {
  if (!(n > 0)) return { low: NaN, high: NaN };
  const z = normalInv(1 - alpha / 2);
  const p = successes / n;
  const half = z * Math.sqrt((p * (1 - p)) / n);
  return { low: p - half, high: p + half };
}

export interface TwoProportionResult {
  controlRate: number;
  treatmentRate: number;
  /** treatment − control */
  diff: number;
  pooledSe: number;
  unpooledSe: number;
  z: number;
  pValue: number;
  alternative: Alternative;
  /** CI of the difference (unpooled SE), at 1 − alpha (two-sided). */
  ciLow: number;
  ciHigh: number;
  /** treatment / control − 1; NaN when the control rate is 0. */
  relativeLift: number;
  /** Katz log-ratio interval of the relative lift; NaN bounds when a rate is 0. */
  relativeCiLow: number;
  relativeCiHigh: number;
  significant: boolean;
  alpha: number;
}

/**
 * Two-proportion z-test, treatment vs control. `alternative` 'larger' tests treatment > control (the
 * direction is honoured, unlike jstat's one-sided ztest which ignores it).
 */
export function twoProportionTest(
  control: { successes: number; n: number },
  treatment: { successes: number; n: number },
  options: { alpha?: number; alternative?: Alternative } = {},
): TwoProportionResult {
  const alpha = options.alpha ?? 0.05;
  const alternative = options.alternative ?? 'two-sided';
  const p1 = control.successes / control.n;
  const p2 = treatment.successes / treatment.n;
  const diff = p2 - p1;
  const pooled = (control.successes + treatment.successes) / (control.n + treatment.n);
  const pooledSe = Math.sqrt(pooled * (1 - pooled) * (1 / control.n + 1 / treatment.n));
  const unpooledSe = Math.sqrt((p1 * (1 - p1)) / control.n + (p2 * (1 - p2)) / treatment.n);
  // Both arms all-success or all-failure: no variance, no evidence of a difference.
  const z = pooledSe > 0 ? diff / pooledSe : diff === 0 ? 0 : NaN;
  const pValue = zPValue(z, alternative);
  const zc = normalInv(1 - alpha / 2);
  const relativeLift = p1 > 0 ? p2 / p1 - 1 : NaN;
  let relativeCiLow = NaN;
  let relativeCiHigh = NaN;
  if (p1 > 0 && p2 > 0) {
    const seLog = Math.sqrt((1 - p1) / (control.n * p1) + (1 - p2) / (treatment.n * p2));
    const logRatio = Math.log(p2 / p1);
    relativeCiLow = Math.exp(logRatio - zc * seLog) - 1;
    relativeCiHigh = Math.exp(logRatio + zc * seLog) - 1;
  }
  return {
    controlRate: p1,
    treatmentRate: p2,
    diff,
    pooledSe,
    unpooledSe,
    z,
    pValue,
    alternative,
    ciLow: diff - zc * unpooledSe,
    ciHigh: diff + zc * unpooledSe,
    relativeLift,
    relativeCiLow,
    relativeCiHigh,
    significant: Number.isFinite(pValue) && pValue < alpha,
    alpha,
  };
}
