/**
 * One timeline from everything the investigation found: the first error, anomaly start and peak, deploys
 * (log events that say so, or a change of a version-like label in the metrics), the slow trace, and the
 * incident's own events. Entries have the post-mortem's timeline shape.
 */
import { isErrorRecord, type LogRecord } from '../logs/types';
import type { Anomaly } from '../metrics/anomaly';
import type { MetricSeries } from '../metrics/types';
import type { StoreFileSystem } from '../store/fileSystem';
import { postmortemFile } from '../store/layout';
import { IncidentWriter } from '../incident/writer';
import type { PostMortem } from '../postmortem/types';

export interface TimelineEntry {
  timestamp: string;
  event: string;
  actor?: string;
  action?: string;
  link?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();
const DEPLOY_WORDS = /\b(deploy(?:ed|ment|ing)?|release[sd]?|rolled out|rollout|roll(?:ed)? back|rollback|version (?:changed|bumped))\b/i;
const VERSION_LABELS = ['version', 'service_version', 'service.version', 'release', 'model_version', 'build', 'git_sha', 'commit'];

/** Deploys announced in logs ("deployed v2.3.1", a `version` that changes between records of one service). */
export function deploysFromLogs(records: readonly LogRecord[]): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  const lastVersion = new Map<string, string>();
  for (const r of records) {
    if (r.timestamp === undefined) continue;
    if (DEPLOY_WORDS.test(r.message)) out.push({ timestamp: iso(r.timestamp), event: `Deploy: ${r.message.slice(0, 200)}`, action: 'deploy', ...(r.service ? { actor: r.service } : {}), link: `${r.source}:${r.line}` });
    if (r.version) {
      const key = r.service ?? '';
      const prev = lastVersion.get(key);
      if (prev !== undefined && prev !== r.version) out.push({ timestamp: iso(r.timestamp), event: `${r.service ?? 'Service'} version ${prev} → ${r.version}`, action: 'deploy', ...(r.service ? { actor: r.service } : {}), link: `${r.source}:${r.line}` });
      lastVersion.set(key, r.version);
    }
  }
  return out;
}

/** Deploys seen in metrics: a version-like label whose value changes over time (e.g. build_info{version}). */
export function deploysFromMetrics(series: readonly MetricSeries[]): TimelineEntry[] {
  const firstSeen = new Map<string, { t: number; label: string; value: string; name: string }>();
  for (const s of series) {
    for (const label of VERSION_LABELS) {
      const value = s.labels[label];
      if (value === undefined || s.points.length === 0) continue;
      const key = `${s.name}\u0000${label}\u0000${value}`;
      const t = s.points[0]!.t;
      const seen = firstSeen.get(key);
      if (!seen || t < seen.t) firstSeen.set(key, { t, label, value, name: s.name });
    }
  }
  const byMetric = new Map<string, { t: number; label: string; value: string }[]>();
  for (const [key, v] of firstSeen) {
    const group = key.split('\u0000').slice(0, 2).join('/');
    const list = byMetric.get(group) ?? [];
    list.push(v);
    byMetric.set(group, list);
  }
  const out: TimelineEntry[] = [];
  for (const [group, list] of byMetric) {
    if (list.length < 2) continue;
    list.sort((a, b) => a.t - b.t);
    for (let i = 1; i < list.length; i++) out.push({ timestamp: iso(list[i]!.t), event: `Deploy: ${list[i]!.label} ${list[i - 1]!.value} → ${list[i]!.value} (${group.split('/')[0]})`, action: 'deploy' });
  }
  return out;
}

export function buildTimeline(input: {
  logs?: readonly LogRecord[];
  series?: readonly MetricSeries[];
  anomalies?: readonly Anomaly[];
  trace?: { traceId: string; startMs: number; durationMs: number; slowest?: string; link?: string };
  incidentEvents?: readonly { at: string; actor: string; kind: string; text: string }[];
}): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  const logs = input.logs ?? [];
  const firstError = logs.filter((r) => r.timestamp !== undefined && isErrorRecord(r)).reduce<LogRecord | undefined>((a, r) => (a === undefined || r.timestamp! < a.timestamp! ? r : a), undefined);
  if (firstError) out.push({ timestamp: iso(firstError.timestamp!), event: `First error: ${(firstError.exceptionType ? `${firstError.exceptionType}: ` : '') + firstError.message}`.slice(0, 300), action: 'error', ...(firstError.service ? { actor: firstError.service } : {}), link: `${firstError.source}:${firstError.line}` });
  out.push(...deploysFromLogs(logs), ...deploysFromMetrics(input.series ?? []));
  for (const a of input.anomalies ?? []) {
    if (a.startMs !== undefined) out.push({ timestamp: iso(a.startMs), event: `Anomaly starts: ${a.series} leaves its baseline (median ${round(a.baselineMedian)})`, action: 'anomaly' });
    if (a.peakMs !== undefined) out.push({ timestamp: iso(a.peakMs), event: `Anomaly peak: ${a.series} = ${round(a.peakValue ?? NaN)}`, action: 'anomaly' });
  }
  if (input.trace) {
    const t = input.trace;
    out.push({ timestamp: iso(t.startMs), event: `Slow request: trace ${t.traceId} took ${round(t.durationMs)} ms${t.slowest ? `; ${t.slowest}` : ''}`, action: 'trace', ...(t.link ? { link: t.link } : {}) });
  }
  for (const e of input.incidentEvents ?? []) {
    if (Number.isNaN(Date.parse(e.at))) continue;
    out.push({ timestamp: e.at, event: e.text, actor: e.actor, action: e.kind });
  }
  out.sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  return out;
}

function round(v: number): string {
  return Number.isFinite(v) ? String(Math.round(v * 100) / 100) : String(v);
}

/**
 * Appends entries to `.incidents/<id>/postmortem.json`'s `timeline` (skipping ones already there, kept in
 * time order) through the incident writer. A post-mortem that does not parse or fails its schema is never
 * written; a missing one is created with the title given.
 */
export async function appendTimelineToPostmortem(
  fs: StoreFileSystem,
  id: string,
  entries: readonly TimelineEntry[],
  options: { root?: string; title?: string } = {},
): Promise<{ path: string; added: number; created: boolean }> {
  let added = 0;
  let created = false;
  await new IncidentWriter(fs, options.root ? { root: options.root } : {}).changePostmortem(id, (current) => {
    created = current === undefined;
    const doc = (current ?? { title: options.title ?? `Post-mortem: ${id}`, incidentId: id, timeline: [] }) as unknown as Record<string, unknown>;
    const timeline = Array.isArray(doc.timeline) ? (doc.timeline as TimelineEntry[]) : [];
    const seen = new Set(timeline.map((e) => `${e.timestamp}\u0000${e.event}`));
    added = 0;
    for (const e of entries) {
      const key = `${e.timestamp}\u0000${e.event}`;
      if (seen.has(key)) continue;
      seen.add(key);
      timeline.push(e);
      added++;
    }
    timeline.sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
    return { ...doc, timeline } as unknown as PostMortem;
  });
  return { path: postmortemFile(id, options.root), added, created };
}
