/**
 * Simpson's paradox across segments: every segment says one thing, the pooled data the opposite, because
 * the arms got different mixes of segments. Kidney stones (REFERENCE.md): treatment 81/87 and 192/263,
 * control 234/270 and 55/80 — treatment wins in both segments and loses overall (0.780 vs 0.826).
 */
export type Direction = 'better' | 'worse' | 'equal';

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
  explanation: string;
}

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
  const detected = segments.length >= 2 && directions.size === 1 && overallDirection !== 'equal' && segmentWay !== overallDirection;
  let explanation: string;
  if (detected) {
    const skew = segmentDirections
      .map((s) => `${s.name}: ${(s.controlShare * 100).toFixed(0)} % of control vs ${(s.treatmentShare * 100).toFixed(0)} % of treatment`)
      .join('; ');
    explanation = `Simpson's paradox: treatment is ${segmentWay} in every segment but ${overallDirection} overall, because the arms have different segment mixes (${skew}). Trust the per-segment comparison, and find out why the split differs.`;
  } else if (segments.length < 2) {
    explanation = 'Fewer than two segments: nothing to compare.';
  } else {
    explanation = 'The pooled direction agrees with the segments (no reversal).';
  }
  return { detected, overallDirection, overallDiff, segmentDirections, adjustedDiff: weights > 0 ? weighted / weights : NaN, explanation };
}
