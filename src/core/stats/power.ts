/**
 * Sample size and power for comparing two proportions with Cohen's h (statsmodels `NormalIndPower` with
 * `proportion_effectsize`). The TWO-sample formula n = 2·(z₁₋α/₂ + z_power)²/h² per arm: 0.10 → 0.11 at
 * α 0.05, power 0.8 gives 14,744.1 → 14,745 per arm. ((z+z)/h)² = 7,372 is the one-sample formula, a
 * common bug (the seed's own snippet has it).
 */
import { normalCdf, normalInv } from './distributions';

/** Cohen's h = 2·asin(√p₂) − 2·asin(√p₁). */
export function cohenH(p1: number, p2: number): number {
  return 2 * Math.asin(Math.sqrt(p2)) - 2 * Math.asin(Math.sqrt(p1));
}

export interface SampleSizeResult {
  baseline: number;
  target: number;
  /** Relative minimum detectable effect, e.g. 0.1 for +10 %. */
  mde: number;
  alpha: number;
  power: number;
  h: number;
  /** Unrounded n per arm (what statsmodels' solve_power returns). */
  exact: number;
  /** Users needed in EACH arm (rounded up). */
  perArm: number;
  total: number;
}

/**
 * Users per arm to detect a relative change `mde` from `baseline` with a two-sided test. Throws a RangeError
 * with a readable message for inputs that have no answer.
 */
export function sampleSizePerArm(baseline: number, mde: number, alpha = 0.05, power = 0.8): SampleSizeResult {
  if (!(baseline > 0 && baseline < 1)) throw new RangeError(`baseline must be a rate between 0 and 1 (exclusive), got ${baseline}`);
  if (!Number.isFinite(mde) || mde === 0) throw new RangeError(`the minimum detectable effect must be a non-zero relative change such as 0.1 for +10 %, got ${mde}`);
  const target = baseline * (1 + mde);
  if (!(target > 0 && target < 1)) throw new RangeError(`baseline ${baseline} with a relative change of ${mde} gives ${target}, which is not a rate between 0 and 1`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be between 0 and 1, got ${alpha}`);
  if (!(power > 0 && power < 1)) throw new RangeError(`power must be between 0 and 1, got ${power}`);
  const h = cohenH(baseline, target);
  // 0.1 × (1 + 1e-17) is 0.1 in floating point: no effect to detect, and n would print as "∞".
  if (!(Math.abs(h) > 0)) throw new RangeError(`a relative change of ${mde} from ${baseline} is too small to represent (the target rate equals the baseline); no number of users can detect it`);
  const z = normalInv(1 - alpha / 2) + normalInv(power);
  // The closed form ignores the far rejection tail (worth ~1e-6 of power here); solve the two-tailed power
  // equation exactly, as statsmodels' solve_power does, starting from it.
  const closed = (2 * z * z) / (h * h);
  let lo = closed * 0.5;
  let hi = closed;
  for (let i = 0; i < 200 && hi - lo > closed * 1e-14; i++) {
    const mid = (lo + hi) / 2;
    if (achievedPower(h, mid, mid, alpha) < power) lo = mid;
    else hi = mid;
  }
  const exact = (lo + hi) / 2;
  // Past 2^53 a count is no longer an exact integer, and no experiment has that many users anyway.
  if (!(exact <= Number.MAX_SAFE_INTEGER)) throw new RangeError(`detecting a relative change of ${mde} from ${baseline} needs more than ${Number.MAX_SAFE_INTEGER.toLocaleString('en-US')} users per arm; choose a larger minimum detectable effect`);
  const perArm = Math.ceil(exact - 1e-9);
  return { baseline, target, mde, alpha, power, h, exact, perArm, total: 2 * perArm };
}

/**
 * Power of the two-sided test to detect effect size `h` with n1 and n2 users (statsmodels
 * NormalIndPower.power(h, nobs1=n1, ratio=n2/n1, alpha), both rejection tails counted).
 */
export function achievedPower(h: number, n1: number, n2: number, alpha = 0.05): number {
  if (!(n1 > 0 && n2 > 0) || !Number.isFinite(h)) return NaN;
  const crit = normalInv(1 - alpha / 2);
  const effective = Math.abs(h) * Math.sqrt((n1 * n2) / (n1 + n2));
  return normalCdf(effective - crit) + normalCdf(-effective - crit);
}

/** Points (n per arm, power) for a power curve up to a bit past the required sample size. */
export function powerCurve(h: number, alpha: number, maxN: number, points = 60): { n: number; power: number }[] {
  const out: { n: number; power: number }[] = [];
  if (!(maxN > 0) || !Number.isFinite(h) || h === 0) return out;
  for (let i = 1; i <= points; i++) {
    const n = Math.max(2, Math.round((maxN * i) / points));
    out.push({ n, power: achievedPower(h, n, n, alpha) });
  }
  return out;
}
