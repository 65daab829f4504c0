/**
 * Simpson's paradox across segments: every segment says one thing, the pooled data the opposite, because
 * the arms got different mixes of segments. Kidney stones (REFERENCE.md): treatment 81/87 and 192/263,
 * control 234/270 and 55/80 — treatment wins in both segments and loses overall (0.780 vs 0.826).
 */
import { chiSquareSf } from './distributions';

export type Direction = 'better' | 'worse' | 'equal';

/** Below this p the segment mix is called unequal: the threshold GrowthBook and Eppo use for SRM. */
export const SEGMENT_MIX_ALPHA = 0.001;

/**
 * Whether the arms got the same mix of segments: Pearson's χ² test of independence on the arms × segments
 * table of user counts (scipy.stats.chi2_contingency with correction=False). Randomised arms share one
 * mix; a very different one means the pooled comparison mixes the treatment with the segment.
 */
export interface SegmentMix {
  chi2: number;
  df: number;
  pValue: number;
  unequal: boolean;
}

export interface SegmentCounts {
  name: string;
  control: { successes: number; n: number };
  treatment: { successes: number; n: number };
}

export interface SimpsonResult {
  detected: boolean;
  overallDirection: Direction;
  overallDiff: number;
  segmentDirections: { name: string; direction: Direction; diff: number; controlN: number; treatmentN: number; controlShare: number; treatmentShare: number }[];
  /** Segment differences weighted by segment size: the comparison the pooled number should have shown. */
  adjustedDiff: number;
  /** Every segment that shows a difference shows it in the same direction. */
  segmentsAgree: boolean;
  /** The arms' segment mixes compared; null with fewer than two segments. */
  mix: SegmentMix | null;
  explanation: string;
}

export function segmentMixTest(segments: readonly SegmentCounts[]): SegmentMix | null {
  if (segments.length < 2) return null;
  const rows = [segments.map((s) => s.control.n), segments.map((s) => s.treatment.n)];
  const rowTotals = rows.map((r) => r.reduce((a, b) => a + b, 0));
  const colTotals = segments.map((_s, j) => rows[0]![j]! + rows[1]![j]!);
  const total = rowTotals[0]! + rowTotals[1]!;
  if (!(total > 0) || rowTotals.some((t) => t === 0)) return null;
  let chi2 = 0;
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < segments.length; j++) {
      const expected = (rowTotals[i]! * colTotals[j]!) / total;
      if (expected > 0) chi2 += (rows[i]![j]! - expected) ** 2 / expected;
    }
  }
  const df = colTotals.filter((c) => c > 0).length - 1;
  if (df < 1) return null;
  const pValue = chiSquareSf(chi2, df);
  return { chi2, df, pValue, unequal: pValue < SEGMENT_MIX_ALPHA };
}

const pp = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(2)} pp`;
const pText = (p: number) => (p < 1e-12 ? '< 1e-12' : p < 0.001 ? p.toExponential(1) : p.toFixed(3));

function direction(diff: number): Direction {
  return diff > 0 ? 'better' : diff < 0 ? 'worse' : 'equal';
}

export function simpsonCheck(segments: readonly SegmentCounts[]): SimpsonResult {
  const c = { successes: 0, n: 0 };
  const t = { successes: 0, n: 0 };
  for (const s of segments) {
    c.successes += s.control.successes;
    c.n += s.control.n;
    t.successes += s.treatment.successes;
    t.n += s.treatment.n;
  }
  const overallDiff = t.successes / t.n - c.successes / c.n;
  const overallDirection = direction(overallDiff);
  let weighted = 0;
  let weights = 0;
  const segmentDirections = segments.map((s) => {
    const diff = s.treatment.successes / s.treatment.n - s.control.successes / s.control.n;
    const size = s.control.n + s.treatment.n;
    weighted += diff * size;
    weights += size;
    return {
      name: s.name,
      direction: direction(diff),
      diff,
      controlN: s.control.n,
      treatmentN: s.treatment.n,
      controlShare: s.control.n / c.n,
      treatmentShare: s.treatment.n / t.n,
    };
  });
  const directions = new Set(segmentDirections.map((s) => s.direction).filter((d) => d !== 'equal'));
  const [segmentWay] = [...directions];
  const segmentsAgree = directions.size <= 1;
  const detected = segments.length >= 2 && directions.size === 1 && overallDirection !== 'equal' && segmentWay !== overallDirection;
  const mix = segmentMixTest(segments);
  const shares = segmentDirections.map((s) => `${s.name}: ${(s.controlShare * 100).toFixed(0)} % of control vs ${(s.treatmentShare * 100).toFixed(0)} % of treatment`).join('; ');
  const parts: string[] = [];
  if (segments.length < 2) parts.push('Fewer than two segments: nothing to compare.');
  else if (detected) {
    parts.push(`Simpson's paradox: treatment is ${segmentWay} in every segment but ${overallDirection} overall, because the arms have different segment mixes (${shares}). Trust the per-segment comparison, and find out why the split differs.`);
  } else if (!segmentsAgree) {
    const each = segmentDirections.map((s) => `${s.direction} in ${s.name} (${pp(s.diff)})`).join(', ');
    parts.push(`The segments disagree: treatment is ${each}; the pooled difference (${pp(overallDiff)}) averages effects of opposite sign, so read each segment on its own.`);
  } else if (directions.size === 0) parts.push('No segment shows a difference.');
  else parts.push(`Every segment points the same way as the pooled result (${segmentWay}).`);
  if (mix?.unequal && !detected) {
    parts.push(`The arms got very different segment mixes (χ² = ${mix.chi2.toFixed(1)}, df ${mix.df}, p = ${pText(mix.pValue)}; ${shares}): assignment depended on the segment, so the pooled comparison is confounded; the size-weighted difference within segments is ${pp(weights > 0 ? weighted / weights : NaN)}.`);
  }
  const explanation = parts.join(' ');
  return { detected, overallDirection, overallDiff, segmentDirections, adjustedDiff: weights > 0 ? weighted / weights : NaN, segmentsAgree, mix, explanation };
}
