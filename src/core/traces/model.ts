/**
 * A trace as a tree ready to draw and analyse: rows in depth-first order by start time, self times, the
 * critical path (Jaeger UI's algorithm), and a report of what had to be repaired — orphans (parent missing)
 * and broken cycles hang under a synthetic root, duplicate span ids are renamed, clock skew is counted.
 */
import type { Span } from './types';

export interface TraceNode {
  span: Span;
  /** Parent row, -1 for the root. */
  parent: number;
  /** Child rows, by start time. */
  children: number[];
  depth: number;
  /** Duration minus the time covered by children (clipped to this span). */
  selfUs: number;
  /** Time this span itself holds the critical path. */
  criticalUs: number;
  orphan?: boolean;
  synthetic?: boolean;
  /** Starts before its parent or ends after it. */
  skew?: boolean;
  /** Its parent link was cut to break a cycle. */
  cycle?: boolean;
  /** This span's id was a duplicate and was renamed. */
  duplicate?: boolean;
}

export interface CriticalSection {
  row: number;
  spanId: string;
  startUs: number;
  endUs: number;
}

export interface TraceReport {
  orphans: number;
  cycles: number;
  duplicates: number;
  clockSkew: number;
  syntheticRoot: boolean;
}

export interface TraceModel {
  traceId: string;
  /** Depth-first rows; row 0 is the root (synthetic when the trace has several tops). */
  nodes: TraceNode[];
  startUs: number;
  endUs: number;
  durationUs: number;
  services: string[];
  errorCount: number;
  critical: CriticalSection[];
  /** Span ids on the critical path, in time order of their first section. */
  criticalPath: string[];
  report: TraceReport;
  /** Human sentences for the report, empty when nothing was repaired. */
  problems: string[];
}

export const SYNTHETIC_ROOT_ID = '(trace-root)';

function sameSpan(a: Span, b: Span): boolean {
  return a.startUs === b.startUs && a.endUs === b.endUs && a.name === b.name && a.service === b.service;
}

/** Builds the model of one trace's spans (the caller picks the trace; mixed ids are kept together). */
export function buildTrace(input: readonly Span[], traceId?: string): TraceModel {
  const problems: string[] = [];
  // 1. Unique ids.
  const spans: Span[] = [];
  const dupFlags: boolean[] = [];
  const byId = new Map<string, number>();
  let duplicates = 0;
  let exactDuplicates = 0;
  for (const s of input) {
    const seen = byId.get(s.spanId);
    if (seen === undefined) {
      byId.set(s.spanId, spans.length);
      spans.push(s);
      dupFlags.push(false);
      continue;
    }
    duplicates++;
    if (sameSpan(spans[seen]!, s)) {
      exactDuplicates++;
      continue;
    }
    let n = 2;
    while (byId.has(`${s.spanId}#${n}`)) n++;
    const renamed: Span = { ...s, spanId: `${s.spanId}#${n}` };
    byId.set(renamed.spanId, spans.length);
    spans.push(renamed);
    dupFlags.push(true);
  }
  if (duplicates) {
    const renamed = duplicates - exactDuplicates;
    problems.push(
      `${duplicates} span${duplicates === 1 ? '' : 's'} repeated an id already seen: ${exactDuplicates} identical cop${exactDuplicates === 1 ? 'y' : 'ies'} dropped, ${renamed} kept with "#n" added to the id (children attach to the first)`,
    );
  }

  // 2. Parents.
  const n = spans.length;
  const parent = new Int32Array(n).fill(-1);
  const orphan = new Uint8Array(n);
  let orphans = 0;
  for (let i = 0; i < n; i++) {
    const p = spans[i]!.parentSpanId;
    if (!p) continue;
    const j = byId.get(p);
    if (j === undefined) {
      orphan[i] = 1;
      orphans++;
    } else parent[i] = j;
  }
  // 3. Cycles: walk up from every span; a walk that meets itself is cut at its earliest-starting span.
  const state = new Uint8Array(n);
  const cycleCut = new Uint8Array(n);
  let cycles = 0;
  const path: number[] = [];
  for (let i = 0; i < n; i++) {
    if (state[i]) continue;
    path.length = 0;
    let j = i;
    while (j !== -1 && state[j] === 0) {
      state[j] = 1;
      path.push(j);
      j = parent[j]!;
    }
    if (j !== -1 && state[j] === 1) {
      const from = path.indexOf(j);
      let cut = j;
      for (let k = from; k < path.length; k++) if (spans[path[k]!]!.startUs < spans[cut]!.startUs) cut = path[k]!;
      parent[cut] = -1;
      cycleCut[cut] = 1;
      cycles++;
    }
    for (const k of path) state[k] = 2;
  }
  if (orphans) problems.push(`${orphans} span${orphans === 1 ? "'s" : "s'"} parent is not in the file; shown under a synthetic root`);
  if (cycles) problems.push(`${cycles} parent cycle${cycles === 1 ? '' : 's'} broken; the earliest span of each is shown under the root`);

  // 4. Children and tops.
  const kids: number[][] = Array.from({ length: n }, () => []);
  const tops: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    if (p === -1) tops.push(i);
    else kids[p]!.push(i);
  }
  const byStart = (a: number, b: number) => spans[a]!.startUs - spans[b]!.startUs || spans[b]!.endUs - spans[a]!.endUs;
  for (const k of kids) if (k.length > 1) k.sort(byStart);
  tops.sort(byStart);

  let start = Infinity;
  let end = -Infinity;
  const serviceSet = new Set<string>();
  let errorCount = 0;
  for (const s of spans) {
    if (s.startUs < start) start = s.startUs;
    if (s.endUs > end) end = s.endUs;
    serviceSet.add(s.service);
    if (s.status === 'ERROR') errorCount++;
  }
  if (n === 0) start = end = 0;
  const id = traceId ?? spans[0]?.traceId ?? '';
  const synthetic = tops.length !== 1 || orphans > 0 || cycles > 0;

  // 5. Rows, depth first.
  const nodes: TraceNode[] = [];
  const stack: { i: number; parentRow: number; depth: number }[] = [];
  if (synthetic) {
    nodes.push({
      span: {
        traceId: id,
        spanId: SYNTHETIC_ROOT_ID,
        name: tops.length === 0 ? '(empty trace)' : `(trace root: ${tops.length} top-level span${tops.length === 1 ? '' : 's'})`,
        service: '',
        kind: 'INTERNAL',
        startUs: start,
        endUs: end,
        status: 'UNSET',
        attributes: {},
        events: [],
        links: [],
      },
      parent: -1,
      children: [],
      depth: 0,
      selfUs: 0,
      criticalUs: 0,
      synthetic: true,
    });
    for (let k = tops.length - 1; k >= 0; k--) stack.push({ i: tops[k]!, parentRow: 0, depth: 1 });
  } else if (tops.length === 1) stack.push({ i: tops[0]!, parentRow: -1, depth: 0 });
  while (stack.length) {
    const { i, parentRow, depth } = stack.pop()!;
    const row = nodes.length;
    const node: TraceNode = { span: spans[i]!, parent: parentRow, children: [], depth, selfUs: 0, criticalUs: 0 };
    if (orphan[i]) node.orphan = true;
    if (cycleCut[i]) node.cycle = true;
    if (dupFlags[i]) node.duplicate = true;
    nodes.push(node);
    if (parentRow >= 0) nodes[parentRow]!.children.push(row);
    const k = kids[i]!;
    for (let c = k.length - 1; c >= 0; c--) stack.push({ i: k[c]!, parentRow: row, depth: depth + 1 });
  }

  // 6. Self time and skew.
  let clockSkew = 0;
  for (const node of nodes) {
    const s = node.span;
    let covered = 0;
    let cursor = s.startUs;
    for (const c of node.children) {
      const cs = nodes[c]!.span;
      if (!node.synthetic && blocks(node, nodes[c]!) && (cs.startUs < s.startUs || cs.endUs > s.endUs)) {
        if (!nodes[c]!.skew) clockSkew++;
        nodes[c]!.skew = true;
      }
      const from = Math.max(cs.startUs, cursor);
      const to = Math.min(cs.endUs, s.endUs);
      if (to > from) {
        covered += to - from;
        cursor = to;
      }
    }
    node.selfUs = Math.max(0, s.endUs - s.startUs - covered);
  }
  if (clockSkew) problems.push(`${clockSkew} span${clockSkew === 1 ? ' starts or ends' : 's start or end'} outside ${clockSkew === 1 ? 'its' : 'their'} parent (clock skew between hosts?); critical path clips them to the parent`);

  const critical = criticalPath(nodes);
  for (const c of critical) nodes[c.row]!.criticalUs += c.endUs - c.startUs;
  const seen = new Set<string>();
  const ordered = [...critical].sort((a, b) => a.startUs - b.startUs || a.endUs - b.endUs || a.row - b.row);
  const criticalIds: string[] = [];
  for (const c of ordered) {
    if (nodes[c.row]!.synthetic || seen.has(c.spanId)) continue;
    seen.add(c.spanId);
    criticalIds.push(c.spanId);
  }
  return {
    traceId: id,
    nodes,
    startUs: start,
    endUs: end,
    durationUs: end - start,
    services: [...serviceSet].sort(),
    errorCount,
    critical: ordered,
    criticalPath: criticalIds,
    report: { orphans, cycles, duplicates, clockSkew, syntheticRoot: synthetic },
    problems,
  };
}

/** Does this child block its parent? Not when it follows from it, or consumes what the parent produced. */
function blocks(parent: TraceNode, child: TraceNode): boolean {
  if (child.span.followsFrom) return false;
  if (parent.span.kind === 'PRODUCER' && child.span.kind === 'CONSUMER') return false;
  return true;
}

/**
 * Jaeger UI's critical path, iteratively (traces can be deep): from a span's end, walk back; the child that
 * finished last before the cursor is on the path (descend into it, clipped to the parent), the parent owns
 * the gaps between such children. Children are clipped to their parent's window; those entirely outside
 * it are dropped.
 */
export function criticalPath(nodes: readonly TraceNode[]): CriticalSection[] {
  const out: CriticalSection[] = [];
  if (nodes.length === 0) return out;
  interface Kid {
    row: number;
    s: number;
    e: number;
  }
  interface Frame {
    row: number;
    s: number;
    boundary: number;
    kids: Kid[];
    ptr: number;
  }
  const prepare = (row: number, s: number, e: number): Kid[] => {
    const node = nodes[row]!;
    const kids: Kid[] = [];
    for (const c of node.children) {
      const child = nodes[c]!;
      if (!blocks(node, child)) continue;
      if (child.span.startUs > e || child.span.endUs < s) continue;
      kids.push({ row: c, s: Math.max(child.span.startUs, s), e: Math.min(child.span.endUs, e) });
    }
    kids.sort((a, b) => b.e - a.e || b.s - a.s);
    return kids;
  };
  const push = (row: number, startUs: number, endUs: number) => out.push({ row, spanId: nodes[row]!.span.spanId, startUs, endUs });
  const root = nodes[0]!;
  const stack: Frame[] = [{ row: 0, s: root.span.startUs, boundary: root.span.endUs, kids: prepare(0, root.span.startUs, root.span.endUs), ptr: 0 }];
  while (stack.length) {
    const f = stack[stack.length - 1]!;
    while (f.ptr < f.kids.length && f.kids[f.ptr]!.e > f.boundary) f.ptr++;
    if (f.ptr < f.kids.length) {
      const k = f.kids[f.ptr++]!;
      if (k.e < f.boundary) push(f.row, k.e, f.boundary);
      f.boundary = Math.min(f.boundary, k.s);
      stack.push({ row: k.row, s: k.s, boundary: k.e, kids: prepare(k.row, k.s, k.e), ptr: 0 });
    } else {
      if (f.boundary > f.s || f.kids.length === 0) push(f.row, f.s, Math.max(f.s, f.boundary));
      stack.pop();
    }
  }
  return out;
}
