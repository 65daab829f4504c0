/**
 * Two memory captures compared (before and after a fix): per view, each location's bytes and allocations
 * in both, biggest absolute change first. Unlike CPU profiles (compared by share of time, since runs differ
 * in length), memory is compared in bytes: a leak that is gone after the fix should read "−48 MiB", not
 * "−12 percentage points".
 */
import { topLocations } from './analysis';
import { MEMORY_VIEWS, type MemoryCapture, type MemoryFormat, type MemoryView } from './model';

export interface MemoryDiffRow {
  function: string;
  file: string;
  line: number;
  beforeBytes: number;
  afterBytes: number;
  deltaBytes: number;
  beforeAllocations: number;
  afterAllocations: number;
}

export interface CaptureFacts {
  format: MemoryFormat;
  peakBytes: number;
  totalAllocations: number;
  totalBytes: number;
}

export interface MemoryDiff {
  before: CaptureFacts;
  after: CaptureFacts;
  peakBytesDelta: number;
  peak: MemoryDiffRow[];
  leaks: MemoryDiffRow[];
  temporary: MemoryDiffRow[];
}

const facts = (c: MemoryCapture): CaptureFacts => ({ format: c.format, peakBytes: c.peakBytes, totalAllocations: c.totalAllocations, totalBytes: c.totalBytes });

export function diffView(before: MemoryCapture, after: MemoryCapture, view: MemoryView): MemoryDiffRow[] {
  const rows = new Map<string, MemoryDiffRow>();
  // `0 - x`, not `-x`: a location with nothing in it changed by 0, not -0 (JSON and equality differ).
  const key = (f: string, file: string, line: number) => `${f}\u0000${file}\u0000${line}`;
  for (const s of topLocations(before, before.views[view])) {
    rows.set(key(s.function, s.file, s.line), { function: s.function, file: s.file, line: s.line, beforeBytes: s.bytes, afterBytes: 0, deltaBytes: 0 - s.bytes, beforeAllocations: s.allocations, afterAllocations: 0 });
  }
  for (const s of topLocations(after, after.views[view])) {
    const k = key(s.function, s.file, s.line);
    const r = rows.get(k) ?? { function: s.function, file: s.file, line: s.line, beforeBytes: 0, afterBytes: 0, deltaBytes: 0, beforeAllocations: 0, afterAllocations: 0 };
    r.afterBytes = s.bytes;
    r.afterAllocations = s.allocations;
    r.deltaBytes = r.afterBytes - r.beforeBytes;
    rows.set(k, r);
  }
  return [...rows.values()].sort(
    (a, b) => Math.abs(b.deltaBytes) - Math.abs(a.deltaBytes) || Math.abs(b.afterAllocations - b.beforeAllocations) - Math.abs(a.afterAllocations - a.beforeAllocations) || a.function.localeCompare(b.function) || a.file.localeCompare(b.file) || a.line - b.line,
  );
}

export function diffMemory(before: MemoryCapture, after: MemoryCapture, options: { top?: number } = {}): MemoryDiff {
  const top = options.top ?? Infinity;
  const views = Object.fromEntries(MEMORY_VIEWS.map((v) => [v, diffView(before, after, v).slice(0, top)])) as Record<MemoryView, MemoryDiffRow[]>;
  return { before: facts(before), after: facts(after), peakBytesDelta: after.peakBytes - before.peakBytes, ...views };
}
