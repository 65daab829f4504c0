/**
 * Multiple comparisons. Looking at six input characteristics (or ten groups) and calling the smallest
 * p < 0.05 a finding reports a chance difference about a quarter of the time. Holm's step-down method
 * keeps the chance of any false "significantly worse" at α for the whole family, and is uniformly more
 * powerful than Bonferroni (statsmodels.stats.multitest.multipletests(method='holm')).
 */

/** Holm-adjusted p-values, in the input's order; NaN stays NaN and takes no part. */
export function holmAdjust(pValues: readonly number[]): number[] {
  const order = pValues.map((p, i) => ({ p, i })).filter((x) => Number.isFinite(x.p)).sort((x, y) => x.p - y.p);
  const m = order.length;
  const out = pValues.map(() => NaN);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    // Step-down: each adjusted p is at least the one before it (monotone), and at most 1.
    running = Math.max(running, Math.min(1, (m - rank) * p));
    out[i] = running;
  });
  return out;
}
