/** Turns the core trace model into the waterfall's columnar snapshot and span details (no vscode here). */
import { codeLocation, detectNPlusOne, slowQueries, slowestSpan, traceStatistics } from '../core/traces/analysis';
import type { TraceModel } from '../core/traces/model';
import type { TraceSummary } from '../core/traces/import';
import type { LogRecord } from '../core/logs/types';
import { logsForTrace, type ErrorCluster, type MetricAnomalyAnalysis } from '../core/forensics/correlate';
import type { MetricSeries } from '../core/metrics/types';
import { seriesKey } from '../core/metrics/types';
import { seriesUnit } from '../core/metrics/units';
import type { AttributeValue, Attributes } from '../core/traces/types';
import { FLAG, type AnomalyReport, type SpanDetail, type WaterfallLog, type WaterfallMetric, type WaterfallRows, type WaterfallSnapshot, type WaterfallTraceRow } from '../protocol/waterfall';

export function traceRows(traces: readonly TraceSummary[]): WaterfallTraceRow[] {
  return traces.slice(0, 500).map((t) => ({
    traceId: t.traceId,
    rootService: t.rootService ?? '',
    rootOperation: t.rootOperation ?? '(no root span)',
    durationMs: Math.round(t.durationUs) / 1000,
    spans: t.spanCount,
    errors: t.errorCount,
  }));
}

export function columns(trace: TraceModel): { rows: WaterfallRows; services: string[]; names: string[]; critical: number[] } {
  const n = trace.nodes.length;
  const services: string[] = [];
  const serviceIndex = new Map<string, number>();
  const names: string[] = [];
  const nameIndex = new Map<string, number>();
  const rows: WaterfallRows = { start: new Array(n), dur: new Array(n), self: new Array(n), depth: new Array(n), parent: new Array(n), service: new Array(n), name: new Array(n), flags: new Array(n), spanId: new Array(n) };
  const t0 = trace.startUs;
  for (let i = 0; i < n; i++) {
    const node = trace.nodes[i]!;
    const s = node.span;
    let si = serviceIndex.get(s.service);
    if (si === undefined) {
      si = services.length;
      services.push(s.service);
      serviceIndex.set(s.service, si);
    }
    let ni = nameIndex.get(s.name);
    if (ni === undefined) {
      ni = names.length;
      names.push(s.name);
      nameIndex.set(s.name, ni);
    }
    rows.start[i] = s.startUs - t0;
    rows.dur[i] = s.endUs - s.startUs;
    rows.self[i] = node.selfUs;
    rows.depth[i] = node.depth;
    rows.parent[i] = node.parent;
    rows.service[i] = si;
    rows.name[i] = ni;
    rows.spanId[i] = s.spanId;
    let f = 0;
    if (s.status === 'ERROR') f |= FLAG.error;
    if (node.criticalUs > 0) f |= FLAG.critical;
    if (s.attributes['code.file.path'] !== undefined || s.attributes['code.filepath'] !== undefined) f |= FLAG.code;
    if (node.orphan || node.cycle) f |= FLAG.orphan;
    if (node.synthetic) f |= FLAG.synthetic;
    if (node.skew) f |= FLAG.skew;
    rows.flags[i] = f;
  }
  const critical: number[] = [];
  for (const c of trace.critical) critical.push(c.row, c.startUs - t0, c.endUs - t0);
  return { rows, services, names, critical };
}

export function toWaterfallLog(r: LogRecord, traceStartMs: number): WaterfallLog {
  return {
    time: r.timestamp === undefined ? '' : new Date(r.timestamp).toISOString(),
    offsetMs: r.timestamp === undefined ? null : Math.round((r.timestamp - traceStartMs) * 1000) / 1000,
    level: r.level ?? '',
    service: r.service ?? '',
    spanId: r.spanId ?? '',
    message: (r.exceptionType && !r.message.includes(r.exceptionType) ? `${r.message} (${r.exceptionType}${r.exceptionMessage ? `: ${r.exceptionMessage}` : ''})` : r.message).slice(0, 4000),
    source: `${r.source}:${r.line}`,
  };
}

export function metricBand(series: readonly MetricSeries[], traceStartMs: number, traceEndMs: number, padMs: number): WaterfallMetric[] {
  const from = traceStartMs - padMs;
  const to = traceEndMs + padMs;
  const out: WaterfallMetric[] = [];
  for (const s of series) {
    const points = s.points.filter((p) => p.t >= from && p.t <= to && Number.isFinite(p.v)).map((p) => [p.t - traceStartMs, p.v] as [number, number]);
    if (points.length) out.push({ series: seriesKey(s), unit: seriesUnit(s.name, s.unit), points });
  }
  return out.slice(0, 12);
}

export function buildSnapshot(input: {
  file: string;
  format: string;
  trace: TraceModel;
  traces: readonly TraceSummary[];
  problems: readonly string[];
  logs?: { source: string; records: readonly LogRecord[]; note?: string };
  metrics?: { source: string; series: readonly MetricSeries[]; note?: string };
  prometheusConfigured: boolean;
  incidentId?: string;
}): WaterfallSnapshot {
  const { trace } = input;
  const { rows, services, names, critical } = columns(trace);
  const rowOf = new Map(trace.nodes.map((n, i) => [n.span.spanId, i]));
  const slow = slowestSpan(trace);
  const startMs = trace.startUs / 1000;
  const logs = input.logs ? logsForTrace(input.logs.records, trace, { widenMs: 100 }) : [];
  return {
    file: input.file,
    traceId: trace.traceId,
    format: input.format,
    startMs,
    durationUs: trace.durationUs,
    services,
    names,
    rows,
    critical,
    summary: {
      spanCount: trace.nodes.filter((n) => !n.synthetic).length,
      errorCount: trace.errorCount,
      ...(slow ? { slowest: { row: rowOf.get(slow.spanId) ?? 0, service: slow.service, operation: slow.operation, durationMs: slow.durationMs, percentage: slow.percentage, criticalMs: slow.criticalMs } } : {}),
      criticalSpans: trace.criticalPath.length,
      nPlusOne: detectNPlusOne(trace).map((p) => ({ parentRow: rowOf.get(p.parentSpanId) ?? 0, parentOperation: p.parentOperation, statement: p.statement, count: p.count, totalMs: p.totalMs, percentOfParent: p.percentOfParent })),
      slowQueries: slowQueries(trace).slice(0, 20).map(({ statement, count, meanMs, p95Ms, maxMs }) => ({ statement, count, meanMs, p95Ms, maxMs })),
      statistics: traceStatistics(trace).slice(0, 30).map(({ service, operation, count, totalMs, avgMs, maxMs, selfMs, selfPercent }) => ({ service, operation, count, totalMs, avgMs, maxMs, selfMs, selfPercent })),
      problems: [...trace.problems, ...input.problems].slice(0, 30),
    },
    traces: input.traces.length > 1 ? traceRows(input.traces) : [],
    logs: {
      ...(input.logs ? { source: input.logs.source } : {}),
      count: logs.length,
      all: logs.slice(0, 5000).map((l) => toWaterfallLog(l.record, startMs)),
      ...(input.logs?.note ? { note: input.logs.note } : {}),
    },
    metrics: {
      ...(input.metrics ? { source: input.metrics.source } : {}),
      series: input.metrics ? metricBand(input.metrics.series, startMs, trace.endUs / 1000, Math.max(60_000, trace.durationUs / 1000)) : [],
      ...(input.metrics?.note ? { note: input.metrics.note } : {}),
    },
    prometheus: { configured: input.prometheusConfigured },
    ...(input.incidentId ? { incidentId: input.incidentId } : {}),
  };
}

/**
 * The page's anomaly report: the analysis with its times as ISO text, the series' unit, the error clusters
 * that overlap its window, and the BubbleUp attributes most different first.
 */
export function anomalyReport(r: MetricAnomalyAnalysis, clusters: readonly ErrorCluster[], unit = ''): AnomalyReport {
  const from = r.anomalyTimeMs - r.windowMinutes * 60_000;
  const to = r.anomalyTimeMs + r.windowMinutes * 60_000;
  return {
    type: 'anomaly',
    series: r.metric,
    unit,
    anomalyTime: new Date(r.anomalyTimeMs).toISOString(),
    windowMinutes: r.windowMinutes,
    ...(r.anomaly?.startMs !== undefined ? { startTime: new Date(r.anomaly.startMs).toISOString() } : {}),
    ...(r.anomaly?.peakMs !== undefined ? { peakTime: new Date(r.anomaly.peakMs).toISOString(), peakValue: r.anomaly.peakValue! } : {}),
    baselineMedian: r.anomaly?.baselineMedian ?? NaN,
    errorCount: r.errorCount,
    failedTraces: r.failedTraces,
    tracesInWindow: r.tracesInWindow,
    topErrors: r.topErrors,
    servicesInvolved: r.servicesInvolved,
    bubbleUp: [...r.bubbleUp].sort((a, b) => b.score - a.score).map((b) => ({ ...b, values: [...b.values].sort((x, y) => Math.abs(y.outlierShare - y.baselineShare) - Math.abs(x.outlierShare - x.baselineShare)) })),
    correlatedErrors: clusters.filter((c) => c.endMs >= from && c.startMs <= to).map((c) => ({ start: new Date(c.startMs).toISOString(), end: new Date(c.endMs).toISOString(), errorCount: c.errorCount, services: c.services, uniqueErrors: c.uniqueErrors.slice(0, 5) })),
  };
}

function text(v: AttributeValue): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function pairs(a: Attributes | undefined): [string, string][] {
  return a ? Object.entries(a).map(([k, v]) => [k, text(v).slice(0, 4000)] as [string, string]) : [];
}

export function spanDetail(trace: TraceModel, row: number, records: readonly LogRecord[] | undefined): SpanDetail | undefined {
  const node = trace.nodes[row];
  if (!node) return undefined;
  const s = node.span;
  const t0 = trace.startUs;
  const code = codeLocation(s);
  const logs = records && !node.synthetic ? logsForTrace(records, trace, { spanId: s.spanId, widenMs: 0 }) : [];
  return {
    type: 'spanDetail',
    row,
    spanId: s.spanId,
    name: s.name,
    service: s.service,
    kind: s.kind,
    status: s.status,
    ...(s.statusMessage ? { statusMessage: s.statusMessage } : {}),
    startOffsetMs: (s.startUs - t0) / 1000,
    durationMs: (s.endUs - s.startUs) / 1000,
    selfMs: node.selfUs / 1000,
    criticalMs: node.criticalUs / 1000,
    attributes: pairs(s.attributes),
    resource: pairs(s.resource),
    events: s.events.slice(0, 200).map((e) => ({ offsetMs: Number.isFinite(e.timeUs) ? (e.timeUs - t0) / 1000 : 0, name: e.name, attributes: pairs(e.attributes) })),
    links: s.links.slice(0, 100).map((l) => ({ traceId: l.traceId, spanId: l.spanId })),
    ...(code ? { code: { file: code.file, ...(code.line ? { line: code.line } : {}) } } : {}),
    logs: logs.slice(0, 2000).map((l) => toWaterfallLog(l.record, t0 / 1000)),
  };
}

/**
 * Rows whose span has an attribute (or resource attribute) matching `key=value`, `key!=value`, `key~substring`
 * or just `key` (present). Keys compare exactly; values as text, case-insensitively for `~`.
 */
export function matchAttribute(trace: TraceModel, query: string): number[] {
  const m = /^\s*([^=!~\s]+)\s*(?:(!=|=|~)\s*(.*?))?\s*$/.exec(query);
  if (!m) return [];
  const [, key, op, raw] = m as unknown as [string, string, string | undefined, string | undefined];
  const value = raw ?? '';
  const out: number[] = [];
  trace.nodes.forEach((n, i) => {
    const v = n.span.attributes[key] ?? n.span.resource?.[key];
    if (v === undefined) {
      if (op === '!=') out.push(i);
      return;
    }
    const t = text(v);
    if (!op || (op === '=' && t === value) || (op === '!=' && t !== value) || (op === '~' && t.toLowerCase().includes(value.toLowerCase()))) out.push(i);
  });
  return out;
}
