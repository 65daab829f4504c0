/**
 * The seed's investigate_slow_request, done right: the trace's duration is its extent (not a sum of roots),
 * the slowest span is the one holding most of the critical path (the root is always the longest), logs are
 * joined by trace id, metrics are those of the request's window (widened to at least the scrape interval).
 */
import { ERROR_LEVELS, type LogRecord } from '../logs/types';
import { metricsInWindow } from '../metrics/parse';
import type { MetricSeries } from '../metrics/types';
import { seriesKey } from '../metrics/types';
import { breakdown, detectNPlusOne, slowQueries, slowestSpan, traceErrors, traceStatistics, type BreakdownRow, type NPlusOne, type SlowQuery, type SlowestSpan, type SpanError, type StatRow } from '../traces/analysis';
import type { TraceModel } from '../traces/model';
import { logsForTrace, type CorrelatedLog } from './correlate';

export interface Investigation {
  traceId: string;
  durationMs: number;
  startTime: string;
  spanCount: number;
  services: string[];
  slowestSpan: SlowestSpan | null;
  criticalPath: string[];
  /**
   * Spans with ERROR status, then ERROR-level log records of the trace (matched by its trace id, not by time)
   * whose span did not already report the error: a handler that logs an exception and answers 200 leaves a
   * clean span and an ERROR line, and that is still an error of this request.
   */
  errors: InvestigationError[];
  nPlusOne: NPlusOne[];
  slowQueries: SlowQuery[];
  statistics: StatRow[];
  breakdown: BreakdownRow[];
  logs: { timestamp: string | null; level: string | null; service: string | null; spanId: string | null; message: string; match: string; source: string }[];
  metrics: { series: string; points: { timestamp: string; value: number }[] }[];
  report: TraceModel['report'];
  problems: string[];
}

export interface InvestigationError extends SpanError {
  source: 'span' | 'log';
  /** For a log record: where it is (file:line). */
  log?: string;
}

function errorsOf(trace: TraceModel, logs: readonly CorrelatedLog[]): InvestigationError[] {
  const spans = traceErrors(trace);
  const failed = new Set(spans.map((e) => e.spanId));
  const out: InvestigationError[] = spans.map((e) => ({ ...e, source: 'span' }));
  const byId = new Map(trace.nodes.map((n) => [n.span.spanId, n.span]));
  for (const { record: r, match } of logs) {
    // A record matched only by time may belong to another request in the same window.
    if (match === 'window') continue;
    const isError = r.level !== undefined ? ERROR_LEVELS.has(r.level) : r.exceptionType !== undefined;
    if (!isError || (r.spanId !== undefined && failed.has(r.spanId))) continue;
    const span = r.spanId !== undefined ? byId.get(r.spanId) : undefined;
    out.push({
      spanId: r.spanId ?? '',
      service: r.service ?? span?.service ?? '',
      operation: span?.name ?? '',
      timeMs: r.timestamp ?? trace.startUs / 1000,
      message: r.exceptionMessage && r.exceptionType ? r.exceptionMessage : r.message,
      ...(r.exceptionType ? { exceptionType: r.exceptionType } : {}),
      source: 'log',
      log: `${r.source}:${r.line}`,
    });
  }
  return out;
}

export function investigate(trace: TraceModel, options: { logs?: readonly LogRecord[]; metrics?: readonly MetricSeries[]; nPlusOneThreshold?: number; metricsPaddingMs?: number; breakdownLimit?: number } = {}): Investigation {
  const pad = options.metricsPaddingMs ?? 60_000;
  const from = trace.startUs / 1000 - pad;
  const to = trace.endUs / 1000 + pad;
  const logs = options.logs ? logsForTrace(options.logs, trace, { widenMs: 100 }) : [];
  const metrics = options.metrics ? metricsInWindow(options.metrics, from, to) : [];
  const rows = breakdown(trace);
  return {
    traceId: trace.traceId,
    durationMs: Math.round(trace.durationUs) / 1000,
    startTime: new Date(trace.startUs / 1000).toISOString(),
    spanCount: trace.nodes.filter((n) => !n.synthetic).length,
    services: trace.services,
    slowestSpan: slowestSpan(trace) ?? null,
    criticalPath: trace.criticalPath,
    errors: errorsOf(trace, logs),
    nPlusOne: detectNPlusOne(trace, options.nPlusOneThreshold),
    slowQueries: slowQueries(trace),
    statistics: traceStatistics(trace),
    breakdown: options.breakdownLimit === undefined ? rows : rows.slice(0, options.breakdownLimit),
    logs: logs.map(({ record: r, match }) => ({
      timestamp: r.timestamp === undefined ? null : new Date(r.timestamp).toISOString(),
      level: r.level ?? null,
      service: r.service ?? null,
      spanId: r.spanId ?? null,
      message: r.exceptionType && !r.message.includes(r.exceptionType) ? `${r.message} (${r.exceptionType}${r.exceptionMessage ? `: ${r.exceptionMessage}` : ''})` : r.message,
      match,
      source: `${r.source}:${r.line}`,
    })),
    metrics: metrics.map((s) => ({ series: seriesKey(s), points: s.points.map((p) => ({ timestamp: new Date(p.t).toISOString(), value: p.v })) })),
    report: trace.report,
    problems: trace.problems,
  };
}
