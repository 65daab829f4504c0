/**
 * Novelty (or primacy) effect: users react to something new, then return to habit, so the lift of the first
 * days overstates the lasting one. With per-day data, compare the lift of the first half of the days with
 * the second half (difference of two independent differences, normal approximation).
 */
import { normalInv, pStatement, zPValue } from './distributions';

export interface DayCounts {
  day: string;
  control: { successes: number; n: number };
  treatment: { successes: number; n: number };
}

export interface NoveltyResult {
  days: { day: string; diff: number; ciLow: number; ciHigh: number }[];
  earlyDiff: number;
  lateDiff: number;
  z: number;
  pValue: number;
  detected: boolean;
  message: string;
}

function pooledDiff(days: readonly DayCounts[]): { diff: number; variance: number } {
  let cs = 0, cn = 0, ts = 0, tn = 0;
  for (const d of days) {
    cs += d.control.successes;
    cn += d.control.n;
    ts += d.treatment.successes;
    tn += d.treatment.n;
  }
  const p1 = cs / cn;
  const p2 = ts / tn;
  return { diff: p2 - p1, variance: (p1 * (1 - p1)) / cn + (p2 * (1 - p2)) / tn };
}

export function noveltyCheck(days: readonly DayCounts[], alpha = 0.05): NoveltyResult | undefined {
  const usable = days.filter((d) => d.control.n > 0 && d.treatment.n > 0);
  if (usable.length < 4) return undefined;
  const zc = normalInv(1 - alpha / 2);
  const perDay = usable.map((d) => {
    const { diff, variance } = pooledDiff([d]);
    const se = Math.sqrt(variance);
    return { day: d.day, diff, ciLow: diff - zc * se, ciHigh: diff + zc * se };
  });
  const half = Math.floor(usable.length / 2);
  const early = pooledDiff(usable.slice(0, half));
  const late = pooledDiff(usable.slice(usable.length - half));
  const se = Math.sqrt(early.variance + late.variance);
  const z = se > 0 ? (early.diff - late.diff) / se : NaN;
  const pValue = zPValue(z);
  // A novelty effect: the early lift is larger in magnitude than the late one, in the same direction or fading to none.
  const fading = early.diff !== 0 && Math.abs(early.diff) > Math.abs(late.diff);
  const detected = fading && Number.isFinite(pValue) && pValue < alpha;
  const pct = (x: number) => `${(x * 100).toFixed(2)} pp`;
  const message = detected
    ? `Novelty effect likely: the lift was ${pct(early.diff)} in the first ${half} days and ${pct(late.diff)} in the last ${half} (${pStatement(pValue)} for the change). Judge the variant on the later days, or run longer.`
    : `No sign of a fading effect: first ${half} days ${pct(early.diff)}, last ${half} days ${pct(late.diff)}.`;
  return { days: perDay, earlyDiff: early.diff, lateDiff: late.diff, z, pValue, detected, message };
}
