/**
 * Joining traces, logs and metrics: the logs of a trace or span, errors that cluster in time across
 * services (the seed's find_correlated_errors), and what happened around a metric anomaly
 * (analyze_metric_anomaly) with a BubbleUp-style comparison of slow or failed spans against the rest.
 */
import { normalizeMessage } from '../errors/normalize';
import { isErrorRecord, type LogRecord } from '../logs/types';
import { detectAnomaly, mostAnomalousTime, type Anomaly } from '../metrics/anomaly';
import type { MetricPoint, MetricSeries } from '../metrics/types';
import { seriesKey } from '../metrics/types';
import type { TraceModel } from '../traces/model';
import type { AttributeValue, Span } from '../traces/types';

export interface CorrelatedLog {
  record: LogRecord;
  /** How it was joined: the span's id, the trace's id, or (no ids in the log) service and time window. */
  match: 'span' | 'trace' | 'window';
}

/**
 * The logs of a trace (or of one span): records carrying the trace id (and span id), in time order; when
 * no record carries ids, records of the trace's services inside its time window, widened by `widenMs`.
 */
export function logsForTrace(records: readonly LogRecord[], trace: TraceModel, options: { spanId?: string; widenMs?: number } = {}): CorrelatedLog[] {
  const id = trace.traceId;
  const out: CorrelatedLog[] = [];
  let anyIds = false;
  for (const r of records) {
    if (!r.traceId) continue;
    anyIds = true;
    if (r.traceId !== id) continue;
    if (options.spanId) {
      if (r.spanId === options.spanId) out.push({ record: r, match: 'span' });
    } else out.push({ record: r, match: r.spanId ? 'span' : 'trace' });
  }
  if (!anyIds) {
    const widen = options.widenMs ?? 0;
    let from = trace.startUs / 1000 - widen;
    let to = trace.endUs / 1000 + widen;
    const node = options.spanId ? trace.nodes.find((n) => n.span.spanId === options.spanId) : undefined;
    if (node) {
      from = node.span.startUs / 1000 - widen;
      to = node.span.endUs / 1000 + widen;
    }
    const services = new Set(node ? [node.span.service] : trace.services);
    for (const r of records) {
      if (r.timestamp === undefined || r.timestamp < from || r.timestamp > to) continue;
      if (r.service && !services.has(r.service)) continue;
      out.push({ record: r, match: 'window' });
    }
  }
  out.sort((a, b) => (a.record.timestamp ?? 0) - (b.record.timestamp ?? 0) || a.record.line - b.record.line);
  return out;
}

export interface ErrorCluster {
  startMs: number;
  endMs: number;
  errorCount: number;
  services: string[];
  /** Message templates (numbers, ids, … masked) with counts, most frequent first. */
  uniqueErrors: { message: string; count: number }[];
  traceIds: string[];
}

/**
 * Errors clustered in time: consecutive error records no more than `windowMinutes` apart form one cluster;
 * a cluster needs at least `minSize` errors (2: one error correlates with nothing).
 */
export function findCorrelatedErrors(records: readonly LogRecord[], options: { windowMinutes?: number; minSize?: number; failedSpans?: readonly Span[] } = {}): ErrorCluster[] {
  const gap = (options.windowMinutes ?? 10) * 60_000;
  const minSize = options.minSize ?? 2;
  type E = { t: number; service?: string; message: string; traceId?: string };
  const events: E[] = [];
  for (const r of records) {
    if (r.timestamp === undefined || !isErrorRecord(r)) continue;
    const last = r.exception?.chain[r.exception.chain.length - 1];
    const message = last ? `${last.type}: ${last.message}` : r.exceptionType ? `${r.exceptionType}: ${r.exceptionMessage ?? r.message}` : r.message;
    events.push({ t: r.timestamp, ...(r.service ? { service: r.service } : {}), message, ...(r.traceId ? { traceId: r.traceId } : {}) });
  }
  for (const s of options.failedSpans ?? []) {
    if (s.status !== 'ERROR') continue;
    events.push({ t: s.startUs / 1000, service: s.service, message: `span ${s.name} failed${s.statusMessage ? `: ${s.statusMessage}` : ''}`, traceId: s.traceId });
  }
  events.sort((a, b) => a.t - b.t);
  const clusters: ErrorCluster[] = [];
  let current: E[] = [];
  const flush = () => {
    if (current.length >= minSize) {
      const counts = new Map<string, number>();
      for (const e of current) {
        const m = normalizeMessage(e.message);
        counts.set(m, (counts.get(m) ?? 0) + 1);
      }
      clusters.push({
        startMs: current[0]!.t,
        endMs: current[current.length - 1]!.t,
        errorCount: current.length,
        services: [...new Set(current.map((e) => e.service ?? 'unknown'))].sort(),
        uniqueErrors: [...counts].map(([message, count]) => ({ message, count })).sort((a, b) => b.count - a.count).slice(0, 10),
        traceIds: [...new Set(current.flatMap((e) => (e.traceId ? [e.traceId] : [])))].slice(0, 50),
      });
    }
    current = [];
  };
  for (const e of events) {
    if (current.length && e.t - current[current.length - 1]!.t > gap) flush();
    current.push(e);
  }
  flush();
  return clusters;
}

export interface AttributeDifference {
  attribute: string;
  /** Largest difference in the share of one value between outliers and baseline, 0..1. */
  score: number;
  values: { value: string; outlierShare: number; baselineShare: number }[];
}

function valueKey(v: AttributeValue | undefined): string {
  if (v === undefined) return '(missing)';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/**
 * Honeycomb BubbleUp's comparison: for each attribute (and service/operation), the distribution of its
 * values among outlier spans versus the rest; attributes ranked by the largest difference in share. Values
 * with very many distinct entries (ids, timestamps) are skipped since every value would be unique.
 */
export function bubbleUp(spans: readonly Span[], isOutlier: (s: Span) => boolean, options: { top?: number; maxDistinct?: number } = {}): AttributeDifference[] {
  const outliers: Span[] = [];
  const baseline: Span[] = [];
  for (const s of spans) (isOutlier(s) ? outliers : baseline).push(s);
  if (outliers.length === 0 || baseline.length === 0) return [];
  const keys = new Set<string>(['service', 'operation']);
  for (const s of outliers) for (const k of Object.keys(s.attributes)) keys.add(k);
  const get = (s: Span, k: string): AttributeValue | undefined => (k === 'service' ? s.service : k === 'operation' ? s.name : s.attributes[k]);
  const maxDistinct = options.maxDistinct ?? 50;
  const out: AttributeDifference[] = [];
  for (const k of keys) {
    const o = new Map<string, number>();
    const b = new Map<string, number>();
    for (const s of outliers) {
      const v = valueKey(get(s, k));
      o.set(v, (o.get(v) ?? 0) + 1);
    }
    for (const s of baseline) {
      const v = valueKey(get(s, k));
      b.set(v, (b.get(v) ?? 0) + 1);
    }
    const distinct = new Set([...o.keys(), ...b.keys()]);
    if (distinct.size > maxDistinct || distinct.size < 1) continue;
    const values = [...distinct].map((value) => ({ value, outlierShare: (o.get(value) ?? 0) / outliers.length, baselineShare: (b.get(value) ?? 0) / baseline.length }));
    values.sort((x, y) => Math.abs(y.outlierShare - y.baselineShare) - Math.abs(x.outlierShare - x.baselineShare));
    const score = Math.abs(values[0]!.outlierShare - values[0]!.baselineShare);
    if (score === 0) continue;
    out.push({ attribute: k, score: Math.round(score * 1000) / 1000, values: values.slice(0, 5) });
  }
  out.sort((a, b) => b.score - a.score || a.attribute.localeCompare(b.attribute));
  return out.slice(0, options.top ?? 10);
}

export interface MetricAnomalyAnalysis {
  metric: string;
  anomalyTimeMs: number;
  windowMinutes: number;
  values: MetricPoint[];
  anomaly?: Anomaly;
  errorCount: number;
  failedTraces: number;
  tracesInWindow: number;
  topErrors: { message: string; count: number }[];
  servicesInvolved: string[];
  /** Attributes that differ most between slow or failed spans and the rest, in the window. */
  bubbleUp: AttributeDifference[];
}

/** Spans at or above the p-th percentile of duration (Grafana's "high latency" filter uses p80). */
export function latencyThreshold(spans: readonly Span[], p = 0.8): number {
  if (spans.length === 0) return Infinity;
  const d = spans.map((s) => s.endUs - s.startUs).sort((a, b) => a - b);
  return d[Math.min(d.length - 1, Math.floor(p * d.length))]!;
}

export function analyzeMetricAnomaly(input: {
  series: readonly MetricSeries[];
  metric: string;
  atMs?: number;
  windowMinutes?: number;
  logs?: readonly LogRecord[];
  spans?: readonly Span[];
}): MetricAnomalyAnalysis | { error: string } {
  const w = (input.windowMinutes ?? 5) * 60_000;
  const matching = input.series.filter((s) => s.name === input.metric || seriesKey(s) === input.metric);
  if (matching.length === 0) {
    const names = [...new Set(input.series.map((s) => s.name))].slice(0, 10);
    return { error: `no series named ${input.metric}${names.length ? ` (the file has: ${names.join(', ')})` : ''}` };
  }
  const main = matching.reduce((a, b) => (b.points.length > a.points.length ? b : a));
  const at = input.atMs ?? mostAnomalousTime(main);
  if (at === undefined) return { error: `${input.metric} has no points` };
  const from = at - w;
  const to = at + w;
  const values = main.points.filter((p) => p.t >= from && p.t <= to);
  const logs = (input.logs ?? []).filter((r) => r.timestamp !== undefined && r.timestamp >= from && r.timestamp <= to);
  const errors = logs.filter(isErrorRecord);
  const counts = new Map<string, number>();
  for (const r of errors) {
    const m = normalizeMessage(r.exceptionType ? `${r.exceptionType}: ${r.exceptionMessage ?? r.message}` : r.message);
    counts.set(m, (counts.get(m) ?? 0) + 1);
  }
  const spans = (input.spans ?? []).filter((s) => s.startUs / 1000 >= from && s.startUs / 1000 <= to);
  const failed = new Set<string>();
  const traces = new Set<string>();
  for (const s of spans) {
    traces.add(s.traceId);
    if (s.status === 'ERROR') failed.add(s.traceId);
  }
  const slow = latencyThreshold(spans);
  return {
    metric: seriesKey(main),
    anomalyTimeMs: at,
    windowMinutes: w / 60_000,
    values,
    anomaly: detectAnomaly(main, from, to),
    errorCount: errors.length,
    failedTraces: failed.size,
    tracesInWindow: traces.size,
    topErrors: [...counts].map(([message, count]) => ({ message, count })).sort((a, b) => b.count - a.count).slice(0, 5),
    servicesInvolved: [...new Set([...spans.map((s) => s.service), ...logs.flatMap((r) => (r.service ? [r.service] : []))])].sort(),
    bubbleUp: bubbleUp(spans, (s) => s.status === 'ERROR' || s.endUs - s.startUs >= slow),
  };
}
