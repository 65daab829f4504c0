/**
 * Fisher's exact test on a 2×2 table, one-sided: is the first row's share of "hits" larger than the second's?
 * The p-value is the hypergeometric upper tail P(X ≥ a) with the margins fixed (scipy.stats.fisher_exact
 * with alternative='greater'). Exact for any n, which is why it replaces the normal approximation when a
 * subset is small: a z-test on one wrong prediction out of one calls it "significantly worse".
 */
import { lnGamma } from './distributions';

function lnChoose(n: number, k: number): number {
  return lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1);
}

/**
 * Table [[a, b], [c, d]]: row 1 has a hits and b misses, row 2 c hits and d misses. Returns P(X ≥ a) for
 * X the hits of row 1 under independence. Terms are summed in log space from the largest down, so tails
 * of 1e-300 stay positive and large tables cost O(min(row, column)) terms.
 */
export function fisherExactGreater(a: number, b: number, c: number, d: number): number {
  for (const v of [a, b, c, d]) if (!Number.isInteger(v) || v < 0) return NaN;
  const row1 = a + b;
  const hits = a + c;
  const total = a + b + c + d;
  if (row1 === 0 || hits === 0 || total === row1 || total === hits) return 1;
  const lo = Math.max(0, row1 + hits - total);
  const hi = Math.min(row1, hits);
  const base = lnChoose(total, row1);
  const lnP = (x: number) => lnChoose(hits, x) + lnChoose(total - hits, row1 - x) - base;
  // The tail P(X ≥ a) and its complement; whichever is smaller is summed, for accuracy.
  const terms = (from: number, to: number): number[] => {
    const out: number[] = [];
    for (let x = from; x <= to; x++) out.push(lnP(x));
    return out;
  };
  const sumExp = (logs: number[]): number => {
    if (logs.length === 0) return 0;
    let m = -Infinity;
    for (const l of logs) if (l > m) m = l;
    let s = 0;
    for (const l of logs) s += Math.exp(l - m);
    return Math.exp(m) * s;
  };
  if (a <= lo) return 1;
  const mode = Math.floor(((row1 + 1) * (hits + 1)) / (total + 2));
  if (a > mode) return Math.min(1, sumExp(terms(a, hi)));
  return Math.max(0, Math.min(1, 1 - sumExp(terms(lo, a - 1))));
}
