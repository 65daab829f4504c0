/**
 * The Trace Search panel (a live Jaeger: search form, duration scatter, sortable list, statistics of the
 * result) and the Trace Comparison panel (two traces matched by operation path).
 */
import type { ChangedPath, CriticalStep, NPlusOneChange, PathCount, PathStat, Superlinear } from '../core/traces/compare';
import type { HistogramBucket, SlowAttribute } from '../core/traces/aggregate';
import { fields, isRecord, isString, oneOf, type Check } from './shape';

export const TRACE_SEARCH_VIEW_TYPE = 'incidentWorkbench.traceSearch';
export const TRACE_COMPARE_VIEW_TYPE = 'incidentWorkbench.traceCompare';

/** The form as typed (strings: the host checks and explains). */
export interface TraceSearchForm {
  service: string;
  operation: string;
  /** `key=value` separated by spaces or commas. */
  tags: string;
  minDuration: string;
  maxDuration: string;
  /** lookback: the last `lookback`; incident: the active incident's window; range: start to end. */
  range: 'lookback' | 'incident' | 'range';
  lookback: string;
  start: string;
  end: string;
  limit: string;
}

export interface TraceRow {
  traceId: string;
  /** Start, ms since the epoch. */
  startMs: number;
  startText: string;
  durationMs: number;
  spanCount: number;
  errors: number;
  services: string[];
  rootOperation: string;
}

export interface OperationView {
  service: string;
  operation: string;
  count: number;
  perSecond: number;
  errorRate: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

export interface StatsView {
  /** What the statistics are of: "the search result" or a file name. */
  source: string;
  traces: number;
  spans: number;
  windowText: string;
  operations: OperationView[];
  histogram: HistogramBucket[];
  thresholdMs: number;
  slowTraces: number;
  slowAttributes: SlowAttribute[];
  notes: string[];
  /** Exemplars open from Jaeger (search) or from this file. */
  file?: string;
}

export type SearchState = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

export interface TraceSearchSnapshot {
  backend: {
    /** The configured query URL, or undefined when the setting is empty. */
    url?: string;
    api?: 'v1' | 'v3';
    /** Whether auth headers are stored for this URL (never their values). */
    headers: boolean;
    trusted: boolean;
  };
  services: string[];
  operations: string[];
  form: TraceSearchForm;
  /** The active incident's window, when there is an active incident. */
  incident?: { id: string; startText: string; endText: string };
  status: { state: SearchState; text: string };
  results?: {
    /** The query in words. */
    query: string;
    rows: TraceRow[];
    fromMs: number;
    toMs: number;
    limitReached: boolean;
    notes: string[];
  };
  stats?: StatsView;
  /** Traces picked for comparison. */
  compare: { a?: string; b?: string };
}

export type TraceSearchIntent =
  | { type: 'search'; form: TraceSearchForm }
  | { type: 'cancel' }
  | { type: 'loadServices' }
  | { type: 'loadOperations'; service: string }
  | { type: 'openTrace'; traceId: string }
  | { type: 'attachTrace'; traceId: string }
  | { type: 'pick'; which: 'a' | 'b'; traceId: string }
  | { type: 'compare' }
  | { type: 'compareSlowest' }
  | { type: 'statsOfFile' }
  | { type: 'setHeaders' }
  | { type: 'openSettings' };

const isForm: Check = fields({
  service: isString,
  operation: isString,
  tags: isString,
  minDuration: isString,
  maxDuration: isString,
  range: oneOf('lookback', 'incident', 'range'),
  lookback: isString,
  start: isString,
  end: isString,
  limit: isString,
});

const isTraceId: Check = (v) => typeof v === 'string' && /^[0-9a-f]{1,32}$/i.test(v);

const INTENTS: Record<TraceSearchIntent['type'], Record<string, Check>> = {
  search: { form: isForm },
  cancel: {},
  loadServices: {},
  loadOperations: { service: isString },
  openTrace: { traceId: isTraceId },
  attachTrace: { traceId: isTraceId },
  pick: { which: oneOf('a', 'b'), traceId: isTraceId },
  compare: {},
  compareSlowest: {},
  statsOfFile: {},
  setHeaders: {},
  openSettings: {},
};

export function isTraceSearchIntent(m: { type: string }): m is TraceSearchIntent {
  const spec = Object.hasOwn(INTENTS, m.type) ? INTENTS[m.type as TraceSearchIntent['type']] : undefined;
  return spec !== undefined && fields(spec)(m);
}

/** What the search page keeps across hide/show besides the snapshot. */
export interface TraceSearchState {
  sort?: { column: 'start' | 'duration' | 'spans' | 'errors' | 'root'; descending: boolean };
  tab?: 'results' | 'stats';
}

// ---------- comparison ----------

export interface TraceCompareSnapshot {
  a: { traceId: string; durationMs: number; spanCount: number };
  b: { traceId: string; durationMs: number; spanCount: number };
  onlyInA: PathStat[];
  onlyInB: PathStat[];
  changed: ChangedPath[];
  matched: PathCount[];
  criticalA: CriticalStep[];
  criticalB: CriticalStep[];
  nPlusOneChanges: NPlusOneChange[];
  superlinear: Superlinear[];
  /** Where the traces came from (Jaeger URL or files). */
  source: string;
  /** The incident evidence was attached to, after "Attach". */
  attached?: string;
}

export type TraceCompareIntent = { type: 'openTrace'; which: 'a' | 'b' } | { type: 'attach' } | { type: 'swap' };

export function isTraceCompareIntent(m: { type: string }): m is TraceCompareIntent {
  if (m.type === 'attach' || m.type === 'swap') return true;
  const which = (m as { which?: unknown }).which;
  return m.type === 'openTrace' && isRecord(m) && (which === 'a' || which === 'b');
}

