/**
 * Peeking: looking at a fixed-horizon test repeatedly and stopping at the first "significant" look inflates
 * the false-positive rate. Armitage, McPherson & Rowe (1969) give the real error rate of k looks at nominal
 * α = 0.05; Pocock's (1977) constant boundary gives the nominal α per look that keeps the overall rate at
 * 0.05. For other α, or more than 10 looks, Bonferroni (α/k) is the conservative adjusted view.
 */
const ARMITAGE: [looks: number, rate: number][] = [
  [1, 0.05], [2, 0.083], [3, 0.107], [4, 0.126], [5, 0.142], [10, 0.193], [20, 0.248], [50, 0.32], [100, 0.374],
];
const POCOCK_005 = [0.05, 0.0294, 0.0221, 0.0182, 0.0158, 0.0142, 0.013, 0.012, 0.0112, 0.0106];

/** Approximate real false-positive rate of k equally spaced looks at nominal 0.05 (log-interpolated). */
export function inflatedFalsePositiveRate(looks: number): number {
  if (looks <= 1) return 0.05;
  for (let i = 1; i < ARMITAGE.length; i++) {
    const [k1, r1] = ARMITAGE[i - 1]!;
    const [k2, r2] = ARMITAGE[i]!;
    if (looks <= k2) return r1 + ((r2 - r1) * (Math.log(looks) - Math.log(k1))) / (Math.log(k2) - Math.log(k1));
  }
  return ARMITAGE[ARMITAGE.length - 1]![1];
}

/** Nominal α per look that keeps the overall false-positive rate at `alpha`. */
export function adjustedAlpha(looks: number, alpha: number): { alpha: number; method: 'none' | 'Pocock' | 'Bonferroni' } {
  if (looks <= 1) return { alpha, method: 'none' };
  if (Math.abs(alpha - 0.05) < 1e-12 && looks <= POCOCK_005.length) return { alpha: POCOCK_005[looks - 1]!, method: 'Pocock' };
  return { alpha: alpha / looks, method: 'Bonferroni' };
}

export interface PeekingResult {
  looks: number;
  nominalAlpha: number;
  /** Real false-positive rate when stopping at the first significant look (only for α = 0.05). */
  inflatedFalsePositiveRate: number | null;
  adjustedAlpha: number;
  method: 'none' | 'Pocock' | 'Bonferroni';
  significantAfterAdjustment: boolean;
  /** Looks (1-based) at which the running p-value was below the nominal α. */
  significantAtLooks: number[];
  message: string;
}

export function peekingCheck(looks: number, alpha: number, pValue: number, runningPValues: readonly number[] = []): PeekingResult {
  const adj = adjustedAlpha(looks, alpha);
  const inflated = Math.abs(alpha - 0.05) < 1e-12 ? inflatedFalsePositiveRate(looks) : null;
  const significantAtLooks = runningPValues.flatMap((p, i) => (p < alpha ? [i + 1] : []));
  const after = Number.isFinite(pValue) && pValue < adj.alpha;
  const rate = inflated === null ? '' : ` Stopping at the first look with p < ${alpha} makes the real false-positive rate about ${(inflated * 100).toFixed(0)} %, not ${(alpha * 100).toFixed(0)} %.`;
  const message = `The results were looked at ${looks} times.${rate} With ${adj.method} correction each look must reach p < ${adj.alpha.toPrecision(3)}; the final p-value ${after ? 'does' : 'does not'} pass that bar.`;
  return { looks, nominalAlpha: alpha, inflatedFalsePositiveRate: inflated, adjustedAlpha: adj.alpha, method: adj.method, significantAfterAdjustment: after, significantAtLooks, message };
}
