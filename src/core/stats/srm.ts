/**
 * Sample-ratio mismatch: Pearson's χ² goodness of fit of the observed arm sizes against the planned split
 * (scipy `chisquare`). GrowthBook and Eppo flag at p < 0.001 (REFERENCE.md); 500 vs 520 at 50/50 gives
 * χ² 0.392157, p 0.531168.
 */
import { chiSquareSf } from './distributions';

export const SRM_THRESHOLD = 0.001;

export interface SrmResult {
  chi2: number;
  df: number;
  pValue: number;
  mismatch: boolean;
  observed: number[];
  expected: number[];
  /** The planned weights normalised to sum to 1. */
  expectedShare: number[];
  observedShare: number[];
}

export function sampleRatioMismatch(observed: readonly number[], weights?: readonly number[], threshold = SRM_THRESHOLD): SrmResult {
  const k = observed.length;
  const w = weights && weights.length === k ? weights : observed.map(() => 1);
  const wSum = w.reduce((a, b) => a + b, 0);
  const total = observed.reduce((a, b) => a + b, 0);
  const expectedShare = w.map((x) => x / wSum);
  const expected = expectedShare.map((s) => s * total);
  let chi2 = 0;
  for (let i = 0; i < k; i++) chi2 += (observed[i]! - expected[i]!) ** 2 / expected[i]!;
  const df = k - 1;
  const pValue = df > 0 && total > 0 ? chiSquareSf(chi2, df) : NaN;
  return {
    chi2: total > 0 ? chi2 : NaN,
    df,
    pValue,
    mismatch: Number.isFinite(pValue) && pValue < threshold,
    observed: [...observed],
    expected,
    expectedShare,
    observedShare: observed.map((o) => (total > 0 ? o / total : NaN)),
  };
}
