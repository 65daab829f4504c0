/**
 * What a trace says about a slow request: the slowest span and its share, a per-span breakdown, trace
 * statistics by service and operation (Jaeger UI's table), database spans grouped by statement template
 * (slow-query table) and N+1 patterns (one template repeated under one parent).
 */
import type { TraceModel, TraceNode } from './model';
import type { Span } from './types';
import { stringAttr } from './values';

const ms = (us: number) => Math.round(us) / 1000;
const pct = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10000) / 100 : 0);

export interface SlowestSpan {
  spanId: string;
  service: string;
  operation: string;
  durationMs: number;
  /** durationMs as a share of the trace. */
  percentage: number;
  selfMs: number;
  criticalMs: number;
}

/**
 * The span whose own work holds the largest part of the critical path (the root is always the longest span,
 * so "longest" names nothing). Without a critical path (empty trace), the largest self time.
 */
export function slowestSpan(trace: TraceModel): SlowestSpan | undefined {
  let best: TraceNode | undefined;
  for (const node of trace.nodes) {
    if (node.synthetic) continue;
    if (!best || node.criticalUs > best.criticalUs || (node.criticalUs === best.criticalUs && node.selfUs > best.selfUs)) best = node;
  }
  if (!best) return undefined;
  const d = best.span.endUs - best.span.startUs;
  return {
    spanId: best.span.spanId,
    service: best.span.service,
    operation: best.span.name,
    durationMs: ms(d),
    percentage: pct(d, trace.durationUs),
    selfMs: ms(best.selfUs),
    criticalMs: ms(best.criticalUs),
  };
}

export interface StatRow {
  service: string;
  operation: string;
  count: number;
  totalMs: number;
  avgMs: number;
  minMs: number;
  maxMs: number;
  selfMs: number;
  /** Self time as a share of the trace's duration (Jaeger's "ST in duration"). */
  selfPercent: number;
  /** Total time as a share of the trace's duration (may exceed 100 with concurrency or nesting). */
  percentOfTrace: number;
  errors: number;
}

/** Trace statistics grouped by service and operation, biggest self time first. */
export function traceStatistics(trace: TraceModel): StatRow[] {
  const groups = new Map<string, StatRow & { min: number; max: number; total: number; self: number }>();
  for (const node of trace.nodes) {
    if (node.synthetic) continue;
    const s = node.span;
    const key = `${s.service}\u0000${s.name}`;
    const d = s.endUs - s.startUs;
    let g = groups.get(key);
    if (!g) {
      g = { service: s.service, operation: s.name, count: 0, totalMs: 0, avgMs: 0, minMs: 0, maxMs: 0, selfMs: 0, selfPercent: 0, percentOfTrace: 0, errors: 0, min: Infinity, max: 0, total: 0, self: 0 };
      groups.set(key, g);
    }
    g.count++;
    g.total += d;
    g.self += node.selfUs;
    if (d < g.min) g.min = d;
    if (d > g.max) g.max = d;
    if (s.status === 'ERROR') g.errors++;
  }
  const rows: StatRow[] = [];
  for (const g of groups.values()) {
    rows.push({
      service: g.service,
      operation: g.operation,
      count: g.count,
      totalMs: ms(g.total),
      avgMs: ms(g.total / g.count),
      minMs: ms(g.min),
      maxMs: ms(g.max),
      selfMs: ms(g.self),
      selfPercent: pct(g.self, trace.durationUs),
      percentOfTrace: pct(g.total, trace.durationUs),
      errors: g.errors,
    });
  }
  rows.sort((a, b) => b.selfMs - a.selfMs || b.totalMs - a.totalMs);
  return rows;
}

export interface BreakdownRow {
  spanId: string;
  parentSpanId?: string;
  service: string;
  operation: string;
  startOffsetMs: number;
  durationMs: number;
  selfMs: number;
  percentage: number;
  critical: boolean;
  error: boolean;
}

export function breakdown(trace: TraceModel): BreakdownRow[] {
  return trace.nodes
    .filter((n) => !n.synthetic)
    .map((n) => ({
      spanId: n.span.spanId,
      ...(n.span.parentSpanId ? { parentSpanId: n.span.parentSpanId } : {}),
      service: n.span.service,
      operation: n.span.name,
      startOffsetMs: ms(n.span.startUs - trace.startUs),
      durationMs: ms(n.span.endUs - n.span.startUs),
      selfMs: ms(n.selfUs),
      percentage: pct(n.span.endUs - n.span.startUs, trace.durationUs),
      critical: n.criticalUs > 0,
      error: n.span.status === 'ERROR',
    }));
}

export interface SpanError {
  spanId: string;
  service: string;
  operation: string;
  timeMs: number;
  message: string;
  exceptionType?: string;
}

/** Spans with ERROR status, with the exception event's type and message when there is one. */
export function traceErrors(trace: TraceModel): SpanError[] {
  const out: SpanError[] = [];
  for (const n of trace.nodes) {
    const s = n.span;
    if (s.status !== 'ERROR') continue;
    const exc = s.events.find((e) => e.name === 'exception');
    const type = stringAttr(exc?.attributes, 'exception.type') ?? stringAttr(s.attributes, 'exception.type', 'error.type');
    const message = stringAttr(exc?.attributes, 'exception.message') ?? s.statusMessage ?? stringAttr(s.attributes, 'exception.message', 'error.message', 'error') ?? 'error';
    out.push({ spanId: s.spanId, service: s.service, operation: s.name, timeMs: (exc && Number.isFinite(exc.timeUs) ? exc.timeUs : s.startUs) / 1000, message, ...(type ? { exceptionType: type } : {}) });
  }
  return out;
}

// ---------- database spans ----------

export function dbStatement(span: Span): string | undefined {
  const a = span.attributes;
  const text = stringAttr(a, 'db.query.text', 'db.statement', 'db.query.summary');
  if (text) return text;
  if (a['db.system'] !== undefined || a['db.system.name'] !== undefined) return span.name;
  return undefined;
}

/** A statement with its literals masked: numbers, strings, lists in IN (…), bind markers → `?`. */
export function statementTemplate(statement: string): string {
  return statement
    .replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, '?')
    .replace(/\$\d+|:[A-Za-z_]\w*|%\(\w+\)s|%s/g, '?')
    .replace(/(?<![\w$])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b/g, '?')
    .replace(/\(\s*\?(?:\s*,\s*\?)*\s*\)/g, '(?)')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface SlowQuery {
  statement: string;
  system?: string;
  count: number;
  totalMs: number;
  meanMs: number;
  p95Ms: number;
  maxMs: number;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export function slowQueries(trace: TraceModel | readonly Span[]): SlowQuery[] {
  const spans = Array.isArray(trace) ? (trace as readonly Span[]) : (trace as TraceModel).nodes.map((n) => n.span);
  const groups = new Map<string, { system?: string; durations: number[] }>();
  for (const s of spans) {
    const st = dbStatement(s);
    if (st === undefined) continue;
    const t = statementTemplate(st);
    let g = groups.get(t);
    if (!g) {
      const system = stringAttr(s.attributes, 'db.system.name', 'db.system');
      g = { ...(system ? { system } : {}), durations: [] };
      groups.set(t, g);
    }
    g.durations.push(s.endUs - s.startUs);
  }
  const out: SlowQuery[] = [];
  for (const [statement, g] of groups) {
    g.durations.sort((a, b) => a - b);
    const total = g.durations.reduce((a, b) => a + b, 0);
    out.push({
      statement,
      ...(g.system ? { system: g.system } : {}),
      count: g.durations.length,
      totalMs: ms(total),
      meanMs: ms(total / g.durations.length),
      p95Ms: ms(percentile(g.durations, 0.95)),
      maxMs: ms(g.durations[g.durations.length - 1]!),
    });
  }
  out.sort((a, b) => b.totalMs - a.totalMs);
  return out;
}

export interface NPlusOne {
  parentSpanId: string;
  parentOperation: string;
  service: string;
  statement: string;
  count: number;
  totalMs: number;
  /** Share of the parent's duration spent in these queries. */
  percentOfParent: number;
  /** The first few span ids, to select them. */
  spanIds: string[];
}

/** The same statement template issued at least `threshold` times directly under one parent span. */
export function detectNPlusOne(trace: TraceModel, threshold = 5): NPlusOne[] {
  const out: NPlusOne[] = [];
  for (const node of trace.nodes) {
    if (node.children.length < threshold) continue;
    const groups = new Map<string, { count: number; total: number; ids: string[]; service: string }>();
    for (const c of node.children) {
      const s = trace.nodes[c]!.span;
      const st = dbStatement(s);
      if (st === undefined) continue;
      const t = statementTemplate(st);
      let g = groups.get(t);
      if (!g) {
        g = { count: 0, total: 0, ids: [], service: s.service };
        groups.set(t, g);
      }
      g.count++;
      g.total += s.endUs - s.startUs;
      if (g.ids.length < 20) g.ids.push(s.spanId);
    }
    for (const [statement, g] of groups) {
      if (g.count < threshold) continue;
      out.push({
        parentSpanId: node.span.spanId,
        parentOperation: node.span.name,
        service: g.service,
        statement,
        count: g.count,
        totalMs: ms(g.total),
        percentOfParent: pct(g.total, node.span.endUs - node.span.startUs),
        spanIds: g.ids,
      });
    }
  }
  out.sort((a, b) => b.count - a.count);
  return out;
}

/** A span's source location from `code.file.path`/`code.filepath` and `code.line.number`/`code.lineno`. */
export function codeLocation(span: Span): { file: string; line?: number; function?: string } | undefined {
  const file = stringAttr(span.attributes, 'code.file.path', 'code.filepath');
  if (!file) return undefined;
  const lineValue = span.attributes['code.line.number'] ?? span.attributes['code.lineno'];
  const line = typeof lineValue === 'number' ? lineValue : typeof lineValue === 'string' && /^\d+$/.test(lineValue) ? Number(lineValue) : undefined;
  const fn = stringAttr(span.attributes, 'code.function.name', 'code.function');
  return { file, ...(line !== undefined && line > 0 ? { line } : {}), ...(fn ? { function: fn } : {}) };
}
