/**
 * Mann-Whitney U with the normal approximation (tie-corrected, continuity-corrected; scipy
 * `mannwhitneyu(method="asymptotic")`) and the Hodges-Lehmann shift with its distribution-free confidence
 * interval — Kayenta's per-metric test (REFERENCE.md "Rollback and canary judgement": 98 % CI).
 */
import { normalInv, normalSf, type Alternative } from './distributions';

export interface MannWhitneyResult {
  /** U of the first sample (`current` in rollback terms). */
  u: number;
  z: number;
  pValue: number;
  alternative: Alternative;
}

/** Tests x against y; 'larger' means x tends to be larger than y. */
export function mannWhitneyU(x: readonly number[], y: readonly number[], alternative: Alternative = 'two-sided'): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) return { u: NaN, z: NaN, pValue: NaN, alternative };
  const all = [...x.map((v) => ({ v, g: 0 })), ...y.map((v) => ({ v, g: 1 }))].sort((a, b) => a.v - b.v);
  const n = n1 + n2;
  let r1 = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && all[j + 1]!.v === all[i]!.v) j++;
    const rank = (i + j) / 2 + 1;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    for (let k = i; k <= j; k++) if (all[k]!.g === 0) r1 += rank;
    i = j + 1;
  }
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const mu = (n1 * n2) / 2;
  const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  let u: number;
  let factor = 1;
  if (alternative === 'larger') u = u1;
  else if (alternative === 'smaller') u = u2;
  else {
    u = Math.max(u1, u2);
    factor = 2;
  }
  const z = s > 0 ? (u - mu - 0.5) / s : NaN;
  const pValue = s > 0 ? Math.min(1, Math.max(0, normalSf(z) * factor)) : 1;
  return { u: u1, z, pValue, alternative };
}

export interface ShiftEstimate {
  /** Median of all pairwise differences x_i − y_j. */
  shift: number;
  low: number;
  high: number;
  confidence: number;
  /** True when the pairwise differences were thinned to keep the work bounded. */
  sampled: boolean;
}

const MAX_PAIRS = 2_000_000;

/** Hodges-Lehmann estimate of the shift of x relative to y with a Moses confidence interval. */
export function hodgesLehmann(x: readonly number[], y: readonly number[], confidence = 0.98): ShiftEstimate {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) return { shift: NaN, low: NaN, high: NaN, confidence, sampled: false };
  // Thin the larger samples evenly (deterministic) so the pairwise set stays under MAX_PAIRS.
  const stride = Math.max(1, Math.ceil(Math.sqrt((n1 * n2) / MAX_PAIRS)));
  const xs = stride > 1 ? [...x].sort((a, b) => a - b).filter((_, i) => i % stride === 0) : x;
  const ys = stride > 1 ? [...y].sort((a, b) => a - b).filter((_, i) => i % stride === 0) : y;
  const m = xs.length;
  const k = ys.length;
  const d = new Float64Array(m * k);
  let p = 0;
  for (const a of xs) for (const b of ys) d[p++] = a - b;
  d.sort();
  const total = d.length;
  const median = total % 2 ? d[(total - 1) / 2]! : (d[total / 2 - 1]! + d[total / 2]!) / 2;
  const z = normalInv(1 - (1 - confidence) / 2);
  const c = Math.floor((m * k) / 2 - z * Math.sqrt((m * k * (m + k + 1)) / 12));
  const lowIndex = Math.min(total - 1, Math.max(0, c));
  const highIndex = Math.max(0, Math.min(total - 1, total - c - 1));
  return { shift: median, low: d[lowIndex]!, high: d[highIndex]!, confidence, sampled: stride > 1 };
}
