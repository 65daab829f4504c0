/**
 * Patterns in a cluster's events, after the seed's ErrorAnalyzer.find_error_patterns, with its thresholds
 * made explicit: a temporal spike is a minute (or hour) bucket at ≥ 3× the mean rate over the whole log's
 * time range (empty buckets included — the seed averaged only the non-empty hours, which hides spikes in a
 * mostly quiet log); users and endpoints are reported when few of them carry most errors; frames common to
 * ≥ 50% of the events; clusters of different services starting within the same window are correlated.
 */
import type { ClusterPattern, ClusterSummary, Count, ReportPattern } from './report';

export type { ClusterPattern, ReportPattern } from './report';

export const SPIKE_FACTOR = 3;
export const SPIKE_MIN_EVENTS = 5;
export const COMMON_FRAME_SHARE = 0.5;
export const CORRELATION_WINDOW_MS = 5 * 60_000;

const MINUTE = 60_000;
const HOUR = 3_600_000;

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/** Peak bucket vs the mean over [first, last] of the whole log. */
export function findSpike(minutes: Map<number, number>, range: { first: number; last: number }, bucket: 'minute' | 'hour'): ClusterPattern | undefined {
  const size = bucket === 'minute' ? MINUTE : HOUR;
  const per = size / MINUTE;
  const start = Math.floor(range.first / size);
  const n = Math.floor(range.last / size) - start + 1;
  if (n < 3) return undefined;
  const counts = new Map<number, number>();
  let total = 0;
  for (const [m, c] of minutes) {
    const b = Math.floor(m / per);
    counts.set(b, (counts.get(b) ?? 0) + c);
    total += c;
  }
  const mean = total / n;
  let peakB = 0;
  let peak = 0;
  for (const [b, c] of counts) if (c > peak || (c === peak && b < peakB)) [peak, peakB] = [c, b];
  if (peak < SPIKE_MIN_EVENTS || peak < SPIKE_FACTOR * mean) return undefined;
  let onset = peakB;
  for (const [b, c] of counts) if (c >= SPIKE_FACTOR * mean && b < onset) onset = b;
  const magnitude = peak / mean;
  const at = new Date(peakB * size).toISOString();
  return {
    type: 'spike',
    bucket,
    at,
    count: peak,
    mean: Math.round(mean * 1000) / 1000,
    magnitude: Math.round(magnitude * 10) / 10,
    onset: new Date(onset * size).toISOString(),
    description: `${peak} errors in the ${bucket} from ${at.slice(11, 16)} UTC, ${magnitude.toFixed(1)}× the mean of ${mean.toFixed(2)} per ${bucket}`,
  };
}

function concentration(type: 'user_specific' | 'endpoint_specific', top: Count[], events: number, distinct: number): ClusterPattern | undefined {
  const withValue = top.reduce((a, c) => a + c.count, 0);
  if (top.length === 0 || events < SPIKE_MIN_EVENTS) return undefined;
  const first = top[0]!;
  const share = first.count / events;
  const top3 = top.slice(0, 3).reduce((a, c) => a + c.count, 0) / events;
  const what = type === 'user_specific' ? 'user' : 'endpoint';
  // Concentrated means well above what an even spread over `distinct` values would give.
  if (distinct > 1 && share >= Math.min(0.9, Math.max(0.6, 1.8 / distinct))) {
    return { type, top: top.slice(0, 5), share, description: `${pct(share)} of the errors come from ${what} ${first.value} (${first.count} of ${events})` };
  }
  if (distinct === 1 && withValue === events) {
    return { type, top: top.slice(0, 1), share: 1, description: `every error comes from ${what} ${first.value}` };
  }
  if (distinct > 3 && top3 >= 0.8) {
    return { type, top: top.slice(0, 5), share: top3, description: `${pct(top3)} of the errors come from 3 of ${distinct} ${what}s` };
  }
  return undefined;
}

export function clusterPatterns(c: ClusterSummary, minutes: Map<number, number>, range: { first: number; last: number } | undefined): ClusterPattern[] {
  const out: ClusterPattern[] = [];
  if (range) {
    const spike = findSpike(minutes, range, 'minute') ?? findSpike(minutes, range, 'hour');
    if (spike) out.push(spike);
  }
  const u = concentration('user_specific', c.users, c.count, c.distinctUsers);
  if (u) out.push(u);
  const e = concentration('endpoint_specific', c.endpoints, c.count, c.distinctEndpoints);
  if (e) out.push(e);
  const common = c.frameFrequency.filter((f) => f.count >= COMMON_FRAME_SHARE * c.count);
  if (common.length && c.count > 1) {
    out.push({ type: 'common_frames', frames: common, description: `${common.length} frame${common.length === 1 ? '' : 's'} in ≥ 50% of the events: ${common.slice(0, 3).map((f) => f.value).join(', ')}` });
  }
  return out;
}

/** Clusters of different services whose onset (spike start, else first event) falls in one window. */
export function correlatedClusters(clusters: ClusterSummary[], windowMs = CORRELATION_WINDOW_MS): ReportPattern[] {
  const items = clusters
    .filter((c) => c.services.length > 0)
    .map((c) => {
      const spike = c.patterns.find((p) => p.type === 'spike') as { onset: string } | undefined;
      const onset = Date.parse(spike?.onset ?? c.firstSeen ?? '');
      return { c, onset, service: c.services[0]!.value };
    })
    .filter((x) => !Number.isNaN(x.onset))
    .sort((a, b) => a.onset - b.onset);
  const out: ReportPattern[] = [];
  let i = 0;
  while (i < items.length) {
    let j = i;
    while (j + 1 < items.length && items[j + 1]!.onset - items[i]!.onset <= windowMs) j++;
    const group = items.slice(i, j + 1);
    const services = [...new Set(group.map((g) => g.service))];
    if (services.length >= 2) {
      const start = new Date(group[0]!.onset).toISOString();
      const end = new Date(group[group.length - 1]!.onset).toISOString();
      out.push({
        type: 'correlated',
        clusters: group.map((g) => g.c.id),
        services,
        start,
        end,
        description: `${group.length} clusters in ${services.length} services (${services.join(', ')}) started between ${start.slice(11, 19)} and ${end.slice(11, 19)} UTC`,
      });
      i = j + 1;
    } else i++;
  }
  return out;
}
