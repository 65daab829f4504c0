/**
 * Many traces at once: per service and operation the rate, error rate and p50/p95/p99 duration; a latency
 * histogram of whole requests with exemplar traces; and BubbleUp across traces (Honeycomb's idea, here over
 * requests rather than one trace's spans): the attribute values found more often in the traces above a
 * latency threshold than in the others. Spans are fed one at a time (`add`), so a search result or a file
 * of 10,000 traces is summarised while it is read, without keeping the spans.
 */
import type { AttributeValue, Span } from './types';

const ms = (us: number) => Math.round(us) / 1000;

export interface OperationStats {
  service: string;
  operation: string;
  count: number;
  /** Share of spans with ERROR status, 0–1 (4 decimals). */
  errorRate: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

export interface SlowAttribute {
  key: string;
  value: string;
  /** Share of the slow traces that have it somewhere, 0–1. */
  slowShare: number;
  /** Share of the other traces that have it. */
  normalShare: number;
}

/** The JSON of `iwb traces stats` (field names and order are a contract). */
export interface TraceStats {
  traces: number;
  operations: OperationStats[];
  slowAttributes: SlowAttribute[];
}

export interface HistogramBucket {
  /** Lower and upper bound of the request duration, ms. */
  fromMs: number;
  toMs: number;
  count: number;
  /** A few trace ids in this bucket (the slowest of it first) to open. */
  exemplars: string[];
}

export interface TraceStatsDetails extends TraceStats {
  /** Operations again with their rate (spans per second over the traces' time span) and error count. */
  rates: { service: string; operation: string; perSecond: number; errors: number }[];
  histogram: HistogramBucket[];
  /** The request duration above which a trace counts as slow, ms. */
  thresholdMs: number;
  slowTraces: number;
  /** From the first span's start to the last span's end, ms. */
  windowMs: number;
  notes: string[];
}

export interface AggregateOptions {
  /** Traces slower than this (µs) are "slow" for BubbleUp; default: the 75th percentile of durations. */
  slowAboveUs?: number;
  /** How many attributes to list. Default 20. */
  topAttributes?: number;
  /** Histogram buckets (log-spaced). Default 24. */
  buckets?: number;
}

interface OpAcc {
  service: string;
  operation: string;
  durations: Float64Array;
  n: number;
  errors: number;
}

interface TraceAcc {
  startUs: number;
  endUs: number;
  /** Ids of the attribute values seen in this trace (each counted once per trace). */
  values: Set<number>;
}

/** Attribute keys that name one request or one row (ids, times, sizes): never what slow requests share. */
const UNIQUE_KEY = /(^|[._])(id|ids|uuid|guid|trace_?id|span_?id|request_?id|timestamp|time|nanos|duration|size|length|bytes|count|offset|line\.number|lineno|port)$/i;
const MAX_VALUE_CHARS = 120;
/** The distinct key=value pairs tracked; past this, new pairs are not (the note says so). */
const MAX_PAIRS = 200_000;

function valueText(v: AttributeValue): string | undefined {
  if (v === null) return undefined;
  if (typeof v === 'string') return v.length <= MAX_VALUE_CHARS ? v : undefined;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1000 ? String(v) : undefined;
  return undefined;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: Float64Array, n: number, p: number): number {
  if (n === 0) return 0;
  return sorted[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))]!;
}

export class TraceAggregator {
  private readonly ops = new Map<string, OpAcc>();
  private readonly traces = new Map<string, TraceAcc>();
  private readonly pairIds = new Map<string, Map<string, number>>();
  private readonly pairs: { key: string; value: string }[] = [];
  private pairsFull = false;
  spans = 0;

  /** One span; spans of a trace may come in any order and interleaved with other traces'. */
  add(span: Span): void {
    this.spans++;
    const key = `${span.service}\u0000${span.name}`;
    let op = this.ops.get(key);
    if (!op) {
      op = { service: span.service, operation: span.name, durations: new Float64Array(16), n: 0, errors: 0 };
      this.ops.set(key, op);
    }
    if (op.n === op.durations.length) {
      const grown = new Float64Array(op.durations.length * 2);
      grown.set(op.durations);
      op.durations = grown;
    }
    op.durations[op.n++] = span.endUs - span.startUs;
    if (span.status === 'ERROR') op.errors++;
    let t = this.traces.get(span.traceId);
    if (!t) {
      t = { startUs: span.startUs, endUs: span.endUs, values: new Set() };
      this.traces.set(span.traceId, t);
    }
    if (span.startUs < t.startUs) t.startUs = span.startUs;
    if (span.endUs > t.endUs) t.endUs = span.endUs;
    this.values(t, 'service.name', span.service);
    this.values(t, 'span.name', span.name);
    if (span.status === 'ERROR') this.values(t, 'error', 'true');
    for (const k in span.attributes) {
      if (UNIQUE_KEY.test(k)) continue;
      const v = valueText(span.attributes[k]!);
      if (v !== undefined) this.values(t, k, v);
    }
    if (span.resource) {
      for (const k in span.resource) {
        if (k === 'service.name' || UNIQUE_KEY.test(k) || k.startsWith('telemetry.sdk')) continue;
        const v = valueText(span.resource[k]!);
        if (v !== undefined) this.values(t, k, v);
      }
    }
  }

  private values(t: TraceAcc, key: string, value: string): void {
    // Two maps rather than one keyed by `key + value`: no string is built per span and attribute.
    let ids = this.pairIds.get(key);
    if (!ids) {
      ids = new Map();
      this.pairIds.set(key, ids);
    }
    let id = ids.get(value);
    if (id === undefined) {
      if (this.pairs.length >= MAX_PAIRS) {
        this.pairsFull = true;
        return;
      }
      id = this.pairs.length;
      this.pairs.push({ key, value });
      ids.set(value, id);
    }
    t.values.add(id);
  }

  get traceCount(): number {
    return this.traces.size;
  }

  /** The summary so far (callable while spans still arrive: a progress view). */
  result(options: AggregateOptions = {}): TraceStatsDetails {
    const notes: string[] = [];
    let first = Infinity;
    let last = -Infinity;
    const ids: string[] = [];
    const durations: number[] = [];
    for (const [id, t] of this.traces) {
      ids.push(id);
      durations.push(t.endUs - t.startUs);
      if (t.startUs < first) first = t.startUs;
      if (t.endUs > last) last = t.endUs;
    }
    const windowUs = this.traces.size ? Math.max(0, last - first) : 0;
    const operations: OperationStats[] = [];
    const rates: TraceStatsDetails['rates'] = [];
    for (const op of this.ops.values()) {
      const sorted = op.durations.subarray(0, op.n).slice().sort();
      operations.push({
        service: op.service,
        operation: op.operation,
        count: op.n,
        errorRate: Math.round((op.errors / op.n) * 10000) / 10000,
        p50Ms: ms(percentile(sorted, op.n, 0.5)),
        p95Ms: ms(percentile(sorted, op.n, 0.95)),
        p99Ms: ms(percentile(sorted, op.n, 0.99)),
      });
      rates.push({ service: op.service, operation: op.operation, perSecond: windowUs > 0 ? Math.round((op.n / (windowUs / 1e6)) * 1000) / 1000 : 0, errors: op.errors });
    }
    const order = (x: { service: string; operation: string }, y: { service: string; operation: string }) => x.service.localeCompare(y.service) || x.operation.localeCompare(y.operation);
    operations.sort((x, y) => y.p95Ms - x.p95Ms || order(x, y));
    rates.sort(order);

    // Slow traces: above the threshold given, or above the 75th percentile (lower rank, so that a handful
    // of traces still has a slow quarter to compare: of 3, the slowest one).
    const sortedDur = Float64Array.from(durations).sort();
    const thresholdUs = options.slowAboveUs ?? (sortedDur.length ? sortedDur[Math.floor(0.75 * (sortedDur.length - 1))]! : 0);
    let slow = 0;
    const slowCounts = new Uint32Array(this.pairs.length);
    const normalCounts = new Uint32Array(this.pairs.length);
    let i = 0;
    for (const t of this.traces.values()) {
      const isSlow = durations[i++]! > thresholdUs;
      if (isSlow) slow++;
      const counts = isSlow ? slowCounts : normalCounts;
      for (const v of t.values) counts[v]!++;
    }
    const normal = this.traces.size - slow;
    const slowAttributes: SlowAttribute[] = [];
    if (slow > 0) {
      const candidates: (SlowAttribute & { lift: number })[] = [];
      for (let p = 0; p < this.pairs.length; p++) {
        const slowShare = slowCounts[p]! / slow;
        const normalShare = normal > 0 ? normalCounts[p]! / normal : 0;
        // Over-represented, and in enough of the slow traces to explain them (not one odd request).
        if (slowShare - normalShare < 0.1 || slowShare < 0.25) continue;
        candidates.push({ ...this.pairs[p]!, slowShare: Math.round(slowShare * 10000) / 10000, normalShare: Math.round(normalShare * 10000) / 10000, lift: slowShare - normalShare });
      }
      candidates.sort((x, y) => y.lift - x.lift || y.slowShare - x.slowShare || x.key.localeCompare(y.key) || x.value.localeCompare(y.value));
      for (const { lift: _lift, ...c } of candidates.slice(0, options.topAttributes ?? 20)) slowAttributes.push(c);
    } else if (this.traces.size > 0) notes.push('no trace is slower than the threshold: nothing to compare');
    if (this.pairsFull) notes.push(`more than ${MAX_PAIRS} distinct attribute values: values first seen after that were not counted`);

    return {
      traces: this.traces.size,
      operations,
      slowAttributes,
      rates,
      histogram: histogram(ids, durations, options.buckets ?? 24),
      thresholdMs: ms(thresholdUs),
      slowTraces: slow,
      windowMs: ms(windowUs),
      notes,
    };
  }
}

/** Log-spaced buckets between the fastest and the slowest request, each with up to 3 exemplars. */
export function histogram(ids: readonly string[], durationsUs: readonly number[], buckets: number): HistogramBucket[] {
  if (ids.length === 0) return [];
  let lo = Infinity;
  let hi = -Infinity;
  for (const d of durationsUs) {
    if (d < lo) lo = d;
    if (d > hi) hi = d;
  }
  lo = Math.max(1, lo);
  hi = Math.max(lo * 1.0001, hi);
  const n = Math.max(1, Math.min(buckets, ids.length));
  const logLo = Math.log(lo);
  const step = (Math.log(hi) - logLo) / n;
  const out: (HistogramBucket & { best: { id: string; d: number }[] })[] = [];
  for (let b = 0; b < n; b++) out.push({ fromMs: ms(Math.exp(logLo + b * step)), toMs: ms(Math.exp(logLo + (b + 1) * step)), count: 0, exemplars: [], best: [] });
  for (let i = 0; i < ids.length; i++) {
    const d = Math.max(lo, durationsUs[i]!);
    const b = Math.min(n - 1, Math.max(0, Math.floor((Math.log(d) - logLo) / step)));
    const bucket = out[b]!;
    bucket.count++;
    // The slowest three of the bucket, kept sorted.
    if (bucket.best.length < 3 || d > bucket.best[bucket.best.length - 1]!.d) {
      bucket.best.push({ id: ids[i]!, d });
      bucket.best.sort((x, y) => y.d - x.d);
      if (bucket.best.length > 3) bucket.best.pop();
    }
  }
  return out.map(({ best, ...b }) => ({ ...b, exemplars: best.map((x) => x.id) }));
}

/** Statistics of spans already in memory. */
export function aggregateSpans(spans: Iterable<Span>, options: AggregateOptions = {}): TraceStatsDetails {
  const agg = new TraceAggregator();
  for (const s of spans) agg.add(s);
  return agg.result(options);
}

/** Only the contract's fields, in the contract's order. */
export function statsJson(d: TraceStats): TraceStats {
  return {
    traces: d.traces,
    operations: d.operations.map((o) => ({ service: o.service, operation: o.operation, count: o.count, errorRate: o.errorRate, p50Ms: o.p50Ms, p95Ms: o.p95Ms, p99Ms: o.p99Ms })),
    slowAttributes: d.slowAttributes.map((a) => ({ key: a.key, value: a.value, slowShare: a.slowShare, normalShare: a.normalShare })),
  };
}
