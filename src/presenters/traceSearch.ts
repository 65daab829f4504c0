/** Pure builders of the Trace Search and Trace Comparison snapshots from core results. */
import type { TraceStatsDetails } from '../core/traces/aggregate';
import type { ComparisonDetails } from '../core/traces/compare';
import type { TraceSummary } from '../core/traces/import';
import type { TraceModel } from '../core/traces/model';
import type { StatsView, TraceCompareSnapshot, TraceRow } from '../protocol/traceSearch';

/** Results slowest first, with their start written out (UTC, to the millisecond). */
export function traceRows(traces: readonly TraceSummary[]): TraceRow[] {
  return [...traces]
    .sort((a, b) => b.durationUs - a.durationUs || a.traceId.localeCompare(b.traceId))
    .map((t) => ({
      traceId: t.traceId,
      startMs: Math.round(t.startUs / 1000),
      startText: new Date(t.startUs / 1000).toISOString().replace('T', ' ').replace('Z', ''),
      durationMs: Math.round(t.durationUs) / 1000,
      spanCount: t.spanCount,
      errors: t.errorCount,
      services: t.services,
      rootOperation: t.rootOperation ?? '',
    }));
}

function span(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

export function statsView(d: TraceStatsDetails, source: string, spans: number, file?: string): StatsView {
  const rate = new Map(d.rates.map((r) => [`${r.service}\u0000${r.operation}`, r.perSecond]));
  return {
    source,
    traces: d.traces,
    spans,
    windowText: span(d.windowMs),
    operations: d.operations.map((o) => ({ ...o, perSecond: rate.get(`${o.service}\u0000${o.operation}`) ?? 0 })),
    histogram: d.histogram,
    thresholdMs: d.thresholdMs,
    slowTraces: d.slowTraces,
    slowAttributes: d.slowAttributes,
    notes: d.notes,
    ...(file ? { file } : {}),
  };
}

export function compareSnapshot(a: TraceModel, b: TraceModel, d: ComparisonDetails, source: string, attached?: string): TraceCompareSnapshot {
  const count = (t: TraceModel) => t.nodes.filter((n) => !n.synthetic).length;
  return {
    a: { ...d.comparison.a, spanCount: count(a) },
    b: { ...d.comparison.b, spanCount: count(b) },
    onlyInA: d.comparison.onlyInA,
    onlyInB: d.comparison.onlyInB,
    changed: d.comparison.changed,
    matched: d.matched,
    criticalA: d.criticalA,
    criticalB: d.criticalB,
    nPlusOneChanges: d.nPlusOneChanges,
    superlinear: d.superlinear,
    source,
    ...(attached ? { attached } : {}),
  };
}

/**
 * A normal request to compare the slowest with: of the other traces with the slowest one's root operation
 * and no errors, the one at the 25th percentile of duration (a typical fast request, not the fastest
 * outlier). Undefined when there is no other trace.
 */
export function slowestAndTypical(rows: readonly TraceRow[]): { a: string; b: string } | undefined {
  if (rows.length < 2) return undefined;
  const slowest = rows.reduce((x, y) => (y.durationMs > x.durationMs ? y : x));
  let peers = rows.filter((r) => r.traceId !== slowest.traceId && r.rootOperation === slowest.rootOperation && r.errors === 0);
  if (peers.length === 0) peers = rows.filter((r) => r.traceId !== slowest.traceId);
  const sorted = [...peers].sort((x, y) => x.durationMs - y.durationMs);
  return { a: sorted[Math.floor((sorted.length - 1) / 4)]!.traceId, b: slowest.traceId };
}
