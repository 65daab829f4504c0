// The declaration must travel with this file into every tsconfig that reaches it (webview included).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./jstat.d.ts" />
/**
 * Distribution functions with tails that do not underflow.
 *
 * jstat 1.9.6 is used where it is accurate (REFERENCE.md "Statistics"): `normal.inv`, `studentt.inv`,
 * `gammaln`. Its cdfs are not used for p-values: an upper tail computed as `1 - cdf` collapses to 0
 * (`normal.cdf(-9)` gives 0, the true value is 1.1e-19), its `erfc` is `1 - erf`, and its incomplete-beta
 * continued fraction stops at a relative change of 3e-7. Here every tail is computed directly from the
 * regularized incomplete gamma / beta functions (continued fractions run to 1e-15, Numerical Recipes §6.2,
 * §6.4), so a p-value is a small positive number, never 0, and complementary tails are exact complements.
 */
import { jStat } from 'jstat';

const EPS = 1e-15;
const FPMIN = 1e-300;
const MAX_ITER = 10_000;

export function lnGamma(x: number): number {
  return jStat.gammaln(x);
}

/** Regularized lower incomplete gamma P(a, x), series expansion (x < a + 1). */
function gammaSeries(a: number, x: number): number {
  let ap = a;
  let sum = 1 / a;
  let del = sum;
  for (let n = 0; n < MAX_ITER; n++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - lnGamma(a));
}

/** Regularized upper incomplete gamma Q(a, x), Lentz continued fraction (x ≥ a + 1). */
function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / FPMIN;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = b + an / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - lnGamma(a)) * h;
}

/** Q(a, x) = 1 − P(a, x) with P(a, x) = γ(a, x)/Γ(a), computed without cancellation in the upper tail. */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

/** Continued fraction for the incomplete beta function (modified Lentz). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < FPMIN) d = FPMIN;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITER; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b). */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || !(x >= 0 && x <= 1)) return NaN;
  if (x === 0) return 0;
  if (x === 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** 1 − I_x(a, b) without cancellation when I_x is close to 1. */
function regularizedBetaComplement(x: number, a: number, b: number): number {
  return regularizedBeta(1 - x, b, a);
}

// ---------------------------------------------------------------- normal

/** Φ(z): lower tail of the standard normal. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z === 0) return 0.5;
  // Φ(z) = ½·erfc(−z/√2) and erfc(t) = Q(½, t²) for t ≥ 0.
  const q = 0.5 * regularizedGammaQ(0.5, (z * z) / 2);
  return z < 0 ? q : 1 - q;
}

/** 1 − Φ(z), the upper tail, computed directly (normalSf(9) = 1.13e-19, not 0). */
export function normalSf(z: number): number {
  return normalCdf(-z);
}

/** Φ⁻¹(p) (jstat's normal.inv is accurate). */
export function normalInv(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  return jStat.normal.inv(p, 0, 1);
}

// ---------------------------------------------------------------- Student t

/** Upper tail P(T > t) of Student's t with `df` degrees of freedom. */
export function studentTSf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  const x = df / (df + t * t);
  // P(|T| > |t|) = I_x(df/2, 1/2); when x is near 1 (|t| small) use the complement for precision.
  const twoSided = x > 0.5 ? 1 - regularizedBetaComplement(x, df / 2, 0.5) : regularizedBeta(x, df / 2, 0.5);
  return t >= 0 ? twoSided / 2 : 1 - twoSided / 2;
}

export function studentTCdf(t: number, df: number): number {
  return studentTSf(-t, df);
}

/** Quantile of Student's t (jstat's studentt.inv is accurate). */
export function studentTInv(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return NaN;
  if (!Number.isFinite(df) || df > 1e7) return normalInv(p);
  return jStat.studentt.inv(p, df);
}

// ---------------------------------------------------------------- chi-square

/** Upper tail P(X > x) of χ² with `df` degrees of freedom. */
export function chiSquareSf(x: number, df: number): number {
  if (!(df > 0) || Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  return regularizedGammaQ(df / 2, x / 2);
}

// ---------------------------------------------------------------- p-values

export type Alternative = 'two-sided' | 'larger' | 'smaller';

/** p-value of a z statistic for the given alternative (larger: treatment − control > 0). */
export function zPValue(z: number, alternative: Alternative = 'two-sided'): number {
  if (Number.isNaN(z)) return NaN;
  if (alternative === 'larger') return normalSf(z);
  if (alternative === 'smaller') return normalCdf(z);
  return Math.min(1, 2 * normalSf(Math.abs(z)));
}

/** p-value of a t statistic for the given alternative. */
export function tPValue(t: number, df: number, alternative: Alternative = 'two-sided'): number {
  if (Number.isNaN(t)) return NaN;
  if (alternative === 'larger') return studentTSf(t, df);
  if (alternative === 'smaller') return studentTCdf(t, df);
  return Math.min(1, 2 * studentTSf(Math.abs(t), df));
}

/** The smallest p-value we print as a number; anything below shows as "< 1e-12". */
export const P_DISPLAY_FLOOR = 1e-12;

/** A p-value for people: "< 1e-12" below the floor, 3 significant digits otherwise, "n/a" for NaN. */
export function formatPValue(p: number): string {
  if (!Number.isFinite(p)) return 'n/a';
  if (p < P_DISPLAY_FLOOR) return '< 1e-12';
  if (p < 0.001) return p.toExponential(2);
  return p.toFixed(p < 0.01 ? 4 : 3);
}

/** "p = 0.326" or "p < 1e-12": a p-value as part of a sentence. */
export function pStatement(p: number): string {
  const text = formatPValue(p);
  return text.startsWith('<') ? `p ${text}` : `p = ${text}`;
}
