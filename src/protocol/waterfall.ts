import type { ErrorCluster, MetricAnomalyAnalysis } from '../core/forensics/correlate';
import type { NPlusOne, SlowQuery, SlowestSpan, StatRow } from '../core/traces/analysis';
import type { SpanColumns } from '../core/traces/waterfallView';
import { arrayOf, fields, isIndex, isNumber, isPair, isString, nullable, oneOf, optional, type Check } from './shape';

/**
 * The trace waterfall webview. Spans travel as columns (one array per field, a row per span in depth-first
 * order) so a 100k-span trace is a handful of arrays, not 100k objects; attributes, events and logs of a
 * span are asked for when it is selected (`spanDetail` answers `selectSpan`).
 */

export const WATERFALL_VIEW_TYPE = 'incidentWorkbench.traceWaterfall';

/** Bits of `WaterfallRows.flags`. */
export const FLAG = { error: 1, critical: 2, code: 4, orphan: 8, synthetic: 16, skew: 32 } as const;

/** The span columns core's waterfall view reads, as plain arrays (JSON), plus each span's self time. */
export type WaterfallRows = { [K in keyof SpanColumns]: SpanColumns[K] extends ArrayLike<infer V> ? V[] : never } & { self: number[] };

export interface WaterfallTraceRow {
  traceId: string;
  rootService: string;
  rootOperation: string;
  durationMs: number;
  spans: number;
  errors: number;
}

export interface WaterfallLog {
  time: string;
  /** ms after the trace start (may be negative). */
  offsetMs: number | null;
  level: string;
  service: string;
  spanId: string;
  message: string;
  source: string;
}

export interface WaterfallMetric {
  series: string;
  /** The values' unit (src/core/metrics/units.ts): 's', 'B', '%', 'count', … or '' when unknown. */
  unit: string;
  /** [ms after the trace start, value]. */
  points: [number, number][];
}

export interface WaterfallSnapshot {
  file: string;
  error?: string;
  traceId?: string;
  format?: string;
  /** Epoch ms of the trace start. */
  startMs?: number;
  durationUs?: number;
  services?: string[];
  names?: string[];
  rows?: WaterfallRows;
  /** Critical sections as [row, startUs, endUs] triples, flattened, µs after the trace start. */
  critical?: number[];
  summary?: {
    spanCount: number;
    errorCount: number;
    /** Spans are named by their row here (the page has no span ids to look up). */
    slowest?: Pick<SlowestSpan, 'service' | 'operation' | 'durationMs' | 'percentage' | 'criticalMs'> & { row: number };
    criticalSpans: number;
    nPlusOne: (Pick<NPlusOne, 'parentOperation' | 'statement' | 'count' | 'totalMs' | 'percentOfParent'> & { parentRow: number })[];
    slowQueries: Pick<SlowQuery, 'statement' | 'count' | 'meanMs' | 'p95Ms' | 'maxMs'>[];
    statistics: Pick<StatRow, 'service' | 'operation' | 'count' | 'totalMs' | 'avgMs' | 'maxMs' | 'selfMs' | 'selfPercent'>[];
    problems: string[];
  };
  traces: WaterfallTraceRow[];
  logs: { source?: string; count: number; all: WaterfallLog[]; note?: string };
  metrics: { source?: string; series: WaterfallMetric[]; note?: string };
  prometheus: { configured: boolean };
  /** Inside an incident's folder: the id, for "Append timeline to post-mortem". */
  incidentId?: string;
}

export interface SpanDetail {
  type: 'spanDetail';
  row: number;
  spanId: string;
  name: string;
  service: string;
  kind: string;
  status: string;
  statusMessage?: string;
  startOffsetMs: number;
  durationMs: number;
  selfMs: number;
  criticalMs: number;
  attributes: [string, string][];
  resource: [string, string][];
  events: { offsetMs: number; name: string; attributes: [string, string][] }[];
  links: { traceId: string; spanId: string }[];
  code?: { file: string; line?: number };
  logs: WaterfallLog[];
}

export interface WaterfallNotice {
  type: 'notice';
  text: string;
  kind: 'info' | 'error';
}

/** `analyze_metric_anomaly` around the peak of one metric of the band; times as ISO text. */
export interface AnomalyReport extends Pick<MetricAnomalyAnalysis, 'windowMinutes' | 'errorCount' | 'failedTraces' | 'tracesInWindow' | 'topErrors' | 'servicesInvolved' | 'bubbleUp'> {
  type: 'anomaly';
  series: string;
  /** The series' unit, for the peak and baseline values. */
  unit: string;
  anomalyTime: string;
  startTime?: string;
  peakTime?: string;
  peakValue?: number;
  /** NaN when the series has no baseline, which JSON carries to the page as null. */
  baselineMedian: number | null;
  correlatedErrors: (Pick<ErrorCluster, 'errorCount' | 'services' | 'uniqueErrors'> & { start: string; end: string })[];
}

/** Rows whose attributes match a `key=value` (or `key`) filter; the page has no attributes itself. */
export interface AttributeMatches {
  type: 'matches';
  query: string;
  rows: number[];
}

/** Host→page events besides the snapshot (see common.ts), each checked by `isWaterfallMessage`. */
export type WaterfallMessage = SpanDetail | WaterfallNotice | AnomalyReport | AttributeMatches;

const isLog = fields({ time: isString, offsetMs: nullable(isNumber), level: isString, service: isString, spanId: isString, message: isString, source: isString });
const isPairs = arrayOf(isPair);
const isCount = fields({ message: isString, count: isNumber });

const MESSAGE_SHAPES: Record<WaterfallMessage['type'], Check> = {
  spanDetail: fields({
    row: isIndex,
    spanId: isString,
    name: isString,
    service: isString,
    kind: isString,
    status: isString,
    statusMessage: optional(isString),
    startOffsetMs: isNumber,
    durationMs: isNumber,
    selfMs: isNumber,
    criticalMs: isNumber,
    attributes: isPairs,
    resource: isPairs,
    events: arrayOf(fields({ offsetMs: isNumber, name: isString, attributes: isPairs })),
    links: arrayOf(fields({ traceId: isString, spanId: isString })),
    code: optional(fields({ file: isString, line: optional(isNumber) })),
    logs: arrayOf(isLog),
  }),
  notice: fields({ text: isString, kind: oneOf('info', 'error') }),
  anomaly: fields({
    series: isString,
    unit: isString,
    anomalyTime: isString,
    windowMinutes: isNumber,
    startTime: optional(isString),
    peakTime: optional(isString),
    peakValue: optional(nullable(isNumber)),
    baselineMedian: nullable(isNumber),
    errorCount: isNumber,
    failedTraces: isNumber,
    tracesInWindow: isNumber,
    topErrors: arrayOf(isCount),
    servicesInvolved: arrayOf(isString),
    bubbleUp: arrayOf(fields({ attribute: isString, score: isNumber, values: arrayOf(fields({ value: isString, outlierShare: isNumber, baselineShare: isNumber })) })),
    correlatedErrors: arrayOf(fields({ start: isString, end: isString, errorCount: isNumber, services: arrayOf(isString), uniqueErrors: arrayOf(isCount) })),
  }),
  matches: fields({ query: isString, rows: arrayOf(isIndex) }),
};

/** The page's check of a host event before it reads a field of it (the host posts data of hostile files). */
export function isWaterfallMessage(m: { type: string }): m is WaterfallMessage {
  const check = Object.prototype.hasOwnProperty.call(MESSAGE_SHAPES, m.type) ? MESSAGE_SHAPES[m.type as WaterfallMessage['type']] : undefined;
  return !!check && check(m);
}

export type WaterfallIntent =
  | { type: 'selectSpan'; row: number }
  | { type: 'openCode'; row: number }
  | { type: 'openTrace'; traceId: string }
  | { type: 'filterAttribute'; query: string }
  | { type: 'loadLogs' }
  | { type: 'loadMetrics' }
  | { type: 'queryPrometheus' }
  | { type: 'analyzeAnomaly'; series: number }
  | { type: 'appendTimeline' }
  | { type: 'attachToIncident' }
  | { type: 'openAsText' };

const INTENTS = new Set(['selectSpan', 'openCode', 'openTrace', 'filterAttribute', 'loadLogs', 'loadMetrics', 'queryPrometheus', 'analyzeAnomaly', 'appendTimeline', 'attachToIncident', 'openAsText']);

export function isWaterfallIntent(m: { type: string }): m is WaterfallIntent {
  if (!INTENTS.has(m.type)) return false;
  const o = m as { row?: unknown; traceId?: unknown };
  if (m.type === 'selectSpan' || m.type === 'openCode') return typeof o.row === 'number' && Number.isInteger(o.row) && o.row >= 0;
  if (m.type === 'openTrace') return typeof o.traceId === 'string';
  if (m.type === 'filterAttribute') return typeof (m as { query?: unknown }).query === 'string';
  if (m.type === 'analyzeAnomaly') return typeof (m as { series?: unknown }).series === 'number';
  return true;
}

/** What the page keeps through hide/show (besides the snapshot). */
export interface WaterfallState {
  file: string;
  /** The trace `selected` belongs to: a row number means nothing in another trace. */
  traceId?: string;
  selected?: number;
}
