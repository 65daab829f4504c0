/**
 * One memory capture model for every input: a memray capture (read through memray itself), a tracemalloc
 * snapshot (converted by Python), a memory_profiler line report and an mprof time series. Like the CPU
 * profile model it has a frames table and a stack table (root first, a stack's parent has a smaller index),
 * and per view the bytes and allocation count of each stack:
 *
 * - peak: what was live at the high-water mark;
 * - leaks: allocated while tracked and never freed;
 * - temporary: freed right after being allocated (churn).
 *
 * A view a format cannot tell is undefined (and `notes` says why). memray also gives the memory over time
 * and the lifetimes of allocations between its snapshots, from which a time range and leak suspects come.
 */
import type { Frame } from '../profile/model';

export type MemoryFormat = 'memray' | 'tracemalloc' | 'memory_profiler' | 'mprof';

export const MEMORY_FORMAT_LABELS: Record<MemoryFormat, string> = {
  memray: 'memray capture',
  tracemalloc: 'tracemalloc snapshot',
  memory_profiler: 'memory_profiler line report',
  mprof: 'mprof time series',
};

export const MEMORY_VIEWS = ['peak', 'leaks', 'temporary'] as const;
export type MemoryView = (typeof MEMORY_VIEWS)[number];

/** Bytes and allocation count per stack of one view (parallel arrays; stack -1: no Python frame). */
export interface StackValues {
  stacks: number[];
  bytes: number[];
  counts: number[];
}

/** Memory over time: times in ms since the capture started, series in bytes. */
export interface MemoryTimeline {
  t: number[];
  series: { name: string; values: number[] }[];
  /** Index into `t` of the high-water mark of the first series that has one. */
  peakIndex: number;
}

/**
 * memray's allocation lifetimes between memory snapshots: each entry is `count` allocations of `bytes` in
 * total from `stack`, made before snapshot `allocatedBefore` (after the one before it) and freed before
 * snapshot `deallocatedBefore` (-1: never freed while tracked). Allocations made and freed between two
 * consecutive snapshots are not in it (memray's temporal data does not keep them).
 */
export interface Lifetimes {
  stack: number[];
  allocatedBefore: number[];
  deallocatedBefore: number[];
  count: number[];
  bytes: number[];
}

export interface MemoryCapture {
  format: MemoryFormat;
  /** What wrote or read it, e.g. "memray 1.20.0 (Python 3.11.7)". */
  tool: string;
  /** Wall-clock start (ms since the epoch) and length of the capture, when known. */
  startTime?: number;
  durationMs?: number;
  pid?: number;
  command?: string;
  /** The high-water mark: for memray the tracked heap's peak, for line reports and mprof the RSS peak. */
  peakBytes: number;
  /** Allocations and bytes allocated over the whole capture; 0 when the format cannot count them. */
  totalAllocations: number;
  totalBytes: number;
  frames: Frame[];
  stackParent: number[];
  stackFrame: number[];
  views: Record<MemoryView, StackValues | undefined>;
  timeline?: MemoryTimeline;
  lifetimes?: Lifetimes;
  /** What the views mean for this format (a snapshot has no peak of its own, ...), one line each. */
  notes: string[];
  /** Recoverable problems met while reading. */
  warnings: string[];
}

/** A capture that cannot be read; the message says why (the caller names the file). */
export class MemoryParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MemoryParseError';
  }
}

/** Interns frames and stacks for the line-based formats (memray and tracemalloc come with their own tables). */
export class MemoryTables {
  readonly frames: Frame[] = [];
  readonly stackParent: number[] = [];
  readonly stackFrame: number[] = [];
  private readonly frameIds = new Map<string, number>();
  private readonly stackIds = new Map<string, number>();

  frame(name: string, file: string, line: number, kind: Frame['kind'] = /\.py[xiw]?$/i.test(file) ? 'python' : file === '' ? 'other' : 'native'): number {
    const key = `${name}\u0000${file}\u0000${line}`;
    let id = this.frameIds.get(key);
    if (id === undefined) {
      id = this.frames.length;
      this.frames.push({ name, file, line: Number.isFinite(line) && line > 0 ? Math.floor(line) : 0, kind });
      this.frameIds.set(key, id);
    }
    return id;
  }

  /** The stack of `frames` (root first); -1 for none. */
  stack(frames: readonly number[]): number {
    let node = -1;
    for (const f of frames) {
      const key = `${node}:${f}`;
      let id = this.stackIds.get(key);
      if (id === undefined) {
        id = this.stackParent.length;
        this.stackParent.push(node);
        this.stackFrame.push(f);
        this.stackIds.set(key, id);
      }
      node = id;
    }
    return node;
  }
}

export function emptyValues(): StackValues {
  return { stacks: [], bytes: [], counts: [] };
}

/** Adds bytes and a count to a stack's entry in `values`, creating the entry on the stack's first sight. */
export function addToStack(values: StackValues, stack: number, bytes: number, count: number): void {
  const i = values.stacks.indexOf(stack);
  if (i >= 0) {
    values.bytes[i] += bytes;
    values.counts[i] += count;
  } else {
    values.stacks.push(stack);
    values.bytes.push(bytes);
    values.counts.push(count);
  }
}

export function viewTotal(values: StackValues | undefined): { bytes: number; count: number } {
  let bytes = 0;
  let count = 0;
  if (values) for (let i = 0; i < values.bytes.length; i++) {
    bytes += values.bytes[i]!;
    count += values.counts[i]!;
  }
  return { bytes, count };
}
