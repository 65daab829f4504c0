/**
 * Where a metric left its normal range: a robust baseline (median and MAD of the points before the window),
 * the first point beyond it (anomaly start) and the furthest point (peak). Without a chosen time, the point
 * with the largest robust deviation over the whole series is taken.
 */
import type { MetricPoint, MetricSeries } from './types';

export interface Anomaly {
  series: string;
  baselineMedian: number;
  baselineMad: number;
  /** First point in the window beyond the threshold, ms. */
  startMs?: number;
  peakMs?: number;
  peakValue?: number;
  /** Robust z of the peak: (peak − median) / (1.4826 · MAD). Infinity when MAD is 0 and the peak differs. */
  peakScore?: number;
  anomalousPoints: number;
}

function median(sorted: number[]): number {
  if (sorted.length === 0) return NaN;
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
}

function robust(values: number[]): { med: number; mad: number } {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const med = median(sorted);
  const dev = sorted.map((v) => Math.abs(v - med)).sort((a, b) => a - b);
  return { med, mad: median(dev) };
}

function score(v: number, med: number, mad: number): number {
  const d = v - med;
  if (mad > 0) return d / (1.4826 * mad);
  if (d === 0) return 0;
  // Flat baseline: scale by the median itself so a jump from 10 to 11 is not "infinitely" anomalous.
  return med !== 0 ? (d / Math.abs(med)) * 10 : d > 0 ? Infinity : -Infinity;
}

export function detectAnomaly(series: MetricSeries, windowStartMs: number, windowEndMs: number, threshold = 3.5): Anomaly {
  const key = series.name;
  const before = series.points.filter((p) => p.t < windowStartMs);
  const inWindow = series.points.filter((p) => p.t >= windowStartMs && p.t <= windowEndMs);
  const baselinePoints: MetricPoint[] = before.length >= 3 ? before.slice(-Math.max(3, Math.min(before.length, inWindow.length * 3 || 30))) : inWindow.slice(0, Math.max(1, Math.floor(inWindow.length / 4)));
  const { med, mad } = robust(baselinePoints.map((p) => p.v));
  let start: number | undefined;
  let peak: MetricPoint | undefined;
  let peakScore = 0;
  let count = 0;
  for (const p of inWindow) {
    const z = score(p.v, med, mad);
    if (Math.abs(z) >= threshold) {
      count++;
      start ??= p.t;
    }
    if (peak === undefined || Math.abs(z) > Math.abs(peakScore)) {
      peak = p;
      peakScore = z;
    }
  }
  return {
    series: key,
    baselineMedian: med,
    baselineMad: mad,
    ...(start !== undefined ? { startMs: start } : {}),
    ...(peak && count > 0 ? { peakMs: peak.t, peakValue: peak.v, peakScore } : {}),
    anomalousPoints: count,
  };
}

/** The time of the largest robust deviation from the series' own median (for "find the anomaly"). */
export function mostAnomalousTime(series: MetricSeries): number | undefined {
  if (series.points.length === 0) return undefined;
  const { med, mad } = robust(series.points.map((p) => p.v));
  let best: MetricPoint | undefined;
  let bestScore = -1;
  for (const p of series.points) {
    const z = Math.abs(score(p.v, med, mad));
    if (z > bestScore) {
      bestScore = z;
      best = p;
    }
  }
  return best?.t;
}
