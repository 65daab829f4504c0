/**
 * Two traces of the same endpoint side by side, as Jaeger's trace comparison does it — spans matched by
 * their path of operation names from the root — plus what the single-trace analyses add: the critical
 * path of each, the N+1 patterns whose count changed, and the spans whose time grew faster than the
 * work they were given (a quadratic step shows as time growing with the square of an N+1's count).
 */
import { detectNPlusOne, type NPlusOne } from './analysis';
import type { TraceModel, TraceNode } from './model';

export const PATH_SEPARATOR = ' > ';

const ms = (us: number) => Math.round(us) / 1000;

export interface PathStat {
  path: string;
  count: number;
  durationMs: number;
}

export interface ChangedPath {
  path: string;
  aMs: number;
  bMs: number;
  deltaMs: number;
}

/** The JSON of `iwb trace compare` (field names and order are a contract). */
export interface TraceComparison {
  a: { traceId: string; durationMs: number };
  b: { traceId: string; durationMs: number };
  onlyInA: PathStat[];
  onlyInB: PathStat[];
  changed: ChangedPath[];
}

interface PathAcc {
  count: number;
  totalUs: number;
  selfUs: number;
  criticalUs: number;
  service: string;
  operation: string;
}

/** Each span's path of operation names from the root (a synthetic root is not part of any path). */
export function spanPaths(trace: TraceModel): string[] {
  const paths: string[] = new Array<string>(trace.nodes.length);
  for (let i = 0; i < trace.nodes.length; i++) {
    const node = trace.nodes[i]!;
    const parent = node.parent >= 0 ? trace.nodes[node.parent]! : undefined;
    // Rows are depth first, so a parent's path is always known before its children's.
    paths[i] = node.synthetic ? '' : parent && !parent.synthetic ? `${paths[node.parent]}${PATH_SEPARATOR}${node.span.name}` : node.span.name;
  }
  return paths;
}

function byPath(trace: TraceModel): Map<string, PathAcc> {
  const paths = spanPaths(trace);
  const out = new Map<string, PathAcc>();
  trace.nodes.forEach((node: TraceNode, i) => {
    if (node.synthetic) return;
    const p = paths[i]!;
    let acc = out.get(p);
    if (!acc) {
      acc = { count: 0, totalUs: 0, selfUs: 0, criticalUs: 0, service: node.span.service, operation: node.span.name };
      out.set(p, acc);
    }
    acc.count++;
    acc.totalUs += node.span.endUs - node.span.startUs;
    acc.selfUs += node.selfUs;
    acc.criticalUs += node.criticalUs;
  });
  return out;
}

/** The comparison of `iwb trace compare --json`: paths only in A, only in B, and in both by |delta|. */
export function compareTraces(a: TraceModel, b: TraceModel): TraceComparison {
  return compareDetailed(a, b).comparison;
}

export interface CriticalStep {
  path: string;
  service: string;
  operation: string;
  /** Time this path holds the critical path. */
  criticalMs: number;
}

export interface NPlusOneChange {
  path: string;
  statement: string;
  aCount: number;
  bCount: number;
  aMs: number;
  bMs: number;
}

export interface Superlinear {
  path: string;
  aSelfMs: number;
  bSelfMs: number;
  /** Time grew as (count ratio)^exponent: 1 linear, 2 quadratic. */
  exponent: number;
  /** The N+1 whose count ratio is the size of the work. */
  drivenBy: string;
  kind: 'quadratic' | 'superlinear';
}

export interface PathCount {
  path: string;
  aCount: number;
  bCount: number;
  aSelfMs: number;
  bSelfMs: number;
}

export interface ComparisonDetails {
  comparison: TraceComparison;
  /** Count and self time of every matched path (the panel's table). */
  matched: PathCount[];
  criticalA: CriticalStep[];
  criticalB: CriticalStep[];
  nPlusOneA: NPlusOne[];
  nPlusOneB: NPlusOne[];
  /** N+1 patterns (by parent path and statement) whose count differs between the traces. */
  nPlusOneChanges: NPlusOneChange[];
  /** Paths whose own time grew faster than linearly with the N+1's count (the quadratic span). */
  superlinear: Superlinear[];
}

function critical(trace: TraceModel, stats: Map<string, PathAcc>): CriticalStep[] {
  const out: CriticalStep[] = [];
  for (const [path, acc] of stats) if (acc.criticalUs > 0) out.push({ path, service: acc.service, operation: acc.operation, criticalMs: ms(acc.criticalUs) });
  out.sort((x, y) => y.criticalMs - x.criticalMs || x.path.localeCompare(y.path));
  void trace;
  return out;
}

function nPlusOneByKey(trace: TraceModel, found: NPlusOne[]): Map<string, NPlusOne & { path: string }> {
  const paths = spanPaths(trace);
  const rowOf = new Map<string, number>();
  trace.nodes.forEach((n, i) => rowOf.set(n.span.spanId, i));
  const out = new Map<string, NPlusOne & { path: string }>();
  for (const n of found) {
    const path = paths[rowOf.get(n.parentSpanId) ?? -1] ?? n.parentOperation;
    const key = `${path}\u0000${n.statement}`;
    const seen = out.get(key);
    if (!seen || n.count > seen.count) out.set(key, { ...n, path });
  }
  return out;
}

/** The comparison with its explanation: critical paths, N+1 changes, superlinear growth. */
export function compareDetailed(a: TraceModel, b: TraceModel, nPlusOneThreshold = 5): ComparisonDetails {
  const sa = byPath(a);
  const sb = byPath(b);
  const onlyInA: PathStat[] = [];
  const onlyInB: PathStat[] = [];
  const changed: ChangedPath[] = [];
  const matched: PathCount[] = [];
  for (const [path, x] of sa) {
    const y = sb.get(path);
    if (!y) onlyInA.push({ path, count: x.count, durationMs: ms(x.totalUs) });
    else {
      const aMs = ms(x.totalUs);
      const bMs = ms(y.totalUs);
      changed.push({ path, aMs, bMs, deltaMs: Math.round((bMs - aMs) * 1000) / 1000 });
      matched.push({ path, aCount: x.count, bCount: y.count, aSelfMs: ms(x.selfUs), bSelfMs: ms(y.selfUs) });
    }
  }
  for (const [path, y] of sb) if (!sa.has(path)) onlyInB.push({ path, count: y.count, durationMs: ms(y.totalUs) });
  const bigFirst = (x: PathStat, y: PathStat) => y.durationMs - x.durationMs || x.path.localeCompare(y.path);
  onlyInA.sort(bigFirst);
  onlyInB.sort(bigFirst);
  changed.sort((x, y) => Math.abs(y.deltaMs) - Math.abs(x.deltaMs) || x.path.localeCompare(y.path));
  matched.sort((x, y) => Math.abs(y.bSelfMs - y.aSelfMs) - Math.abs(x.bSelfMs - x.aSelfMs) || x.path.localeCompare(y.path));

  const nA = detectNPlusOne(a, nPlusOneThreshold);
  const nB = detectNPlusOne(b, nPlusOneThreshold);
  const ka = nPlusOneByKey(a, nA);
  const kb = nPlusOneByKey(b, nB);
  const nPlusOneChanges: NPlusOneChange[] = [];
  for (const key of new Set([...ka.keys(), ...kb.keys()])) {
    const x = ka.get(key);
    const y = kb.get(key);
    const aCount = x?.count ?? 0;
    const bCount = y?.count ?? 0;
    if (aCount === bCount) continue;
    nPlusOneChanges.push({ path: (x ?? y)!.path, statement: (x ?? y)!.statement, aCount, bCount, aMs: x?.totalMs ?? 0, bMs: y?.totalMs ?? 0 });
  }
  nPlusOneChanges.sort((x, y) => Math.abs(y.bCount - y.aCount) - Math.abs(x.bCount - x.aCount));

  // The work's size changed by the N+1's count ratio r; a span whose own time changed by r^k with k well
  // above 1 does more than linear work in it (k ≈ 2: the pairwise loop over the loaded items).
  const superlinear: Superlinear[] = [];
  const driver = nPlusOneChanges.find((c) => c.aCount > 0 && c.bCount > 0);
  if (driver) {
    const r = driver.bCount / driver.aCount;
    for (const m of matched) {
      if (m.aSelfMs <= 0 || m.bSelfMs <= 0 || m.aCount !== m.bCount) continue;
      const g = m.bSelfMs / m.aSelfMs;
      // Both ratios must point the same way and be far enough from 1 to read an exponent from.
      if (Math.abs(Math.log(r)) < Math.log(1.2) || Math.abs(Math.log(g)) < Math.log(1.2) || Math.sign(Math.log(g)) !== Math.sign(Math.log(r))) continue;
      const exponent = Math.log(g) / Math.log(r);
      if (exponent < 1.4) continue;
      // Tiny spans swing by noise; only those that matter to the request are named.
      if (Math.max(m.aSelfMs, m.bSelfMs) < 0.05 * Math.max(a.durationUs, b.durationUs) / 1000) continue;
      superlinear.push({ path: m.path, aSelfMs: m.aSelfMs, bSelfMs: m.bSelfMs, exponent: Math.round(exponent * 100) / 100, drivenBy: `${driver.path} (${driver.aCount} → ${driver.bCount} × ${driver.statement})`, kind: exponent >= 1.6 && exponent <= 2.6 ? 'quadratic' : 'superlinear' });
    }
    superlinear.sort((x, y) => Math.abs(y.bSelfMs - y.aSelfMs) - Math.abs(x.bSelfMs - x.aSelfMs));
  }
  return {
    comparison: { a: { traceId: a.traceId, durationMs: ms(a.durationUs) }, b: { traceId: b.traceId, durationMs: ms(b.durationUs) }, onlyInA, onlyInB, changed },
    matched,
    criticalA: critical(a, sa),
    criticalB: critical(b, sb),
    nPlusOneA: nA,
    nPlusOneB: nB,
    nPlusOneChanges,
    superlinear,
  };
}
