/**
 * What a memory capture says: the biggest locations of each view (what `iwb memory summarize` prints),
 * the capture as a profile (one "thread" per view and measure, so the flame tree, line heat and the
 * summary code of CPU profiles serve memory too), the allocations made in a time range, and the leak
 * suspects: locations whose live bytes grow with time, ranked by how fast.
 *
 * A location is the innermost frame of a stack: the function, file and line that allocated.
 */
import type { Profile } from '../profile/model';
import { MEMORY_VIEWS, viewTotal, type MemoryCapture, type MemoryFormat, type MemoryView, type StackValues } from './model';

export interface LocationStat {
  function: string;
  file: string;
  line: number;
  bytes: number;
  allocations: number;
}

export interface MemorySummary {
  format: MemoryFormat;
  peakBytes: number;
  totalAllocations: number;
  totalBytes: number;
  peak: LocationStat[];
  leaks: LocationStat[];
  temporary: LocationStat[];
}

/** Where allocations with no Python frame (a C extension's own thread, the interpreter starting) go. */
export const NO_FRAME = { function: '<no Python frame>', file: '', line: 0 };

/** The location (innermost frame) of each stack, as an index into `locations`. */
export function stackLocations(capture: Pick<MemoryCapture, 'frames' | 'stackFrame'>): { of: Int32Array; locations: { function: string; file: string; line: number }[] } {
  const locations: { function: string; file: string; line: number }[] = [NO_FRAME];
  const ids = new Map<string, number>();
  const byFrame = new Int32Array(capture.frames.length).fill(-1);
  const of = new Int32Array(capture.stackFrame.length);
  for (let s = 0; s < capture.stackFrame.length; s++) {
    const f = capture.stackFrame[s]!;
    let id = byFrame[f]!;
    if (id < 0) {
      const frame = capture.frames[f]!;
      const key = `${frame.name}\u0000${frame.file}\u0000${frame.line}`;
      id = ids.get(key) ?? -1;
      if (id < 0) {
        id = locations.length;
        ids.set(key, id);
        locations.push({ function: frame.name, file: frame.file, line: frame.line });
      }
      byFrame[f] = id;
    }
    of[s] = id;
  }
  return { of, locations };
}

/** One view's bytes and allocations per location, biggest first (bytes, then count, then name). */
export function topLocations(capture: MemoryCapture, values: StackValues | undefined, top = Infinity): LocationStat[] {
  if (!values) return [];
  const { of, locations } = stackLocations(capture);
  const bytes = new Float64Array(locations.length);
  const counts = new Float64Array(locations.length);
  for (let i = 0; i < values.stacks.length; i++) {
    const s = values.stacks[i]!;
    const loc = s >= 0 ? of[s]! : 0;
    bytes[loc] += values.bytes[i]!;
    counts[loc] += values.counts[i]!;
  }
  const out: LocationStat[] = [];
  locations.forEach((l, i) => {
    if (bytes[i]! > 0 || counts[i]! > 0) out.push({ function: l.function, file: l.file, line: l.line, bytes: bytes[i]!, allocations: counts[i]! });
  });
  out.sort((a, b) => b.bytes - a.bytes || b.allocations - a.allocations || a.function.localeCompare(b.function) || a.file.localeCompare(b.file) || a.line - b.line);
  return out.slice(0, top);
}

export function summarizeMemory(capture: MemoryCapture, options: { top?: number } = {}): MemorySummary {
  const top = options.top ?? 20;
  return {
    format: capture.format,
    peakBytes: capture.peakBytes,
    totalAllocations: capture.totalAllocations,
    totalBytes: capture.totalBytes,
    peak: topLocations(capture, capture.views.peak, top),
    leaks: topLocations(capture, capture.views.leaks, top),
    temporary: topLocations(capture, capture.views.temporary, top),
  };
}

export type Measure = 'bytes' | 'allocations';

/** The profile "threads" of a capture, in this order: each view by bytes, then by allocations. */
export const VIEW_THREADS: readonly { view: MemoryView; measure: Measure }[] = MEMORY_VIEWS.flatMap((view) => [
  { view, measure: 'bytes' as const },
  { view, measure: 'allocations' as const },
]);

export function viewThread(view: MemoryView, measure: Measure): number {
  return VIEW_THREADS.findIndex((t) => t.view === view && t.measure === measure);
}

/**
 * The capture as a CPU-profile-shaped model: the same frames and stacks, one thread per view and measure
 * (VIEW_THREADS; empty when the format cannot tell that view). Pick one thread at a time: they are views
 * of the same memory, not parts of it.
 */
export function memoryAsProfile(capture: MemoryCapture): Profile {
  return {
    format: 'speedscope-sampled',
    unit: 'bytes',
    exporter: capture.tool,
    frames: capture.frames,
    stackParent: capture.stackParent,
    stackFrame: capture.stackFrame,
    threads: VIEW_THREADS.map(({ view, measure }) => {
      const v = capture.views[view];
      const weights = v ? (measure === 'bytes' ? v.bytes : v.counts) : [];
      const keep = weights.map((w) => w > 0);
      return {
        name: `${view} (${measure})`,
        // Stack -1 (no Python frame) stays: the flame tree counts it at the root, so the root is the view's total.
        stacks: (v?.stacks ?? []).filter((_, i) => keep[i]),
        weights: weights.filter((_, i) => keep[i]),
        samples: v ? viewTotal(v).count : 0,
      };
    }),
    warnings: capture.warnings,
  };
}

/**
 * The allocations made between snapshot `from` and snapshot `to` (the range `(from, to]` of allocation
 * times), per stack; `live` is the part still allocated when tracking stopped. Only allocations that
 * lived across a snapshot boundary are known (see Lifetimes).
 */
export function rangeValues(capture: Pick<MemoryCapture, 'lifetimes'>, from: number, to: number): { allocated: StackValues; live: StackValues } {
  const allocated = new Map<number, [number, number]>();
  const live = new Map<number, [number, number]>();
  const l = capture.lifetimes;
  if (l) {
    for (let i = 0; i < l.stack.length; i++) {
      const a = l.allocatedBefore[i]!;
      if (a <= from || a > to) continue;
      const s = l.stack[i]!;
      const acc = allocated.get(s) ?? [0, 0];
      acc[0] += l.bytes[i]!;
      acc[1] += l.count[i]!;
      allocated.set(s, acc);
      if (l.deallocatedBefore[i]! < 0) {
        const lv = live.get(s) ?? [0, 0];
        lv[0] += l.bytes[i]!;
        lv[1] += l.count[i]!;
        live.set(s, lv);
      }
    }
  }
  const values = (m: Map<number, [number, number]>): StackValues => ({ stacks: [...m.keys()], bytes: [...m.values()].map((v) => v[0]), counts: [...m.values()].map((v) => v[1]) });
  return { allocated: values(allocated), live: values(live) };
}

export interface LeakSuspect {
  function: string;
  file: string;
  line: number;
  /** Bytes per second the location's live memory grew by (least-squares slope over the capture). */
  growthPerSecond?: number;
  /** How straight the growth is: R² of that line (1: steady growth). */
  steadiness?: number;
  /** Live bytes (and allocations) from this location when the capture ended. */
  liveBytes: number;
  liveAllocations: number;
  /** Live bytes over time (at most SERIES_POINTS points), for a sparkline. */
  series?: number[];
}

export const SERIES_POINTS = 48;

/**
 * Locations whose live bytes grow with time, fastest first. From memray's lifetimes: the live bytes of
 * each location at every snapshot, a least-squares line through them; a suspect grows (slope > 0), ends
 * with bytes still live, grows steadily enough (R² ≥ `minSteadiness`) not to be a one-off buffer, and
 * at least a hundredth as fast as the fastest.
 * Formats without time: mprof ranks the calls that kept memory by bytes kept per second of the run;
 * memory_profiler lists the lines that kept memory, without a rate; a tracemalloc snapshot has none.
 */
export function leakSuspects(capture: MemoryCapture, options: { top?: number; minSteadiness?: number } = {}): LeakSuspect[] {
  const top = options.top ?? 20;
  const minSteadiness = options.minSteadiness ?? 0.3;
  const l = capture.lifetimes;
  const t = capture.timeline?.t;
  if (l && t && t.length >= 3) return lifetimeSuspects(capture, top, minSteadiness);
  if (capture.format === 'mprof' || capture.format === 'memory_profiler') {
    const seconds = capture.durationMs !== undefined && capture.durationMs > 0 ? capture.durationMs / 1000 : undefined;
    return topLocations(capture, capture.views.leaks, top).map((s) => ({
      function: s.function,
      file: s.file,
      line: s.line,
      ...(seconds !== undefined ? { growthPerSecond: s.bytes / seconds } : {}),
      liveBytes: s.bytes,
      liveAllocations: s.allocations,
    }));
  }
  return [];
}

function lifetimeSuspects(capture: MemoryCapture, top: number, minSteadiness: number): LeakSuspect[] {
  const l = capture.lifetimes!;
  const t = capture.timeline!.t;
  const S = t.length;
  const { of, locations } = stackLocations(capture);
  // Live bytes per location at each snapshot: +bytes from the snapshot it was allocated before, -bytes
  // from the one it was freed before; a running sum gives the series (one difference row per location).
  const rows = new Map<number, Float64Array>();
  const liveEnd = new Float64Array(locations.length);
  const liveCount = new Float64Array(locations.length);
  for (let i = 0; i < l.stack.length; i++) {
    const s = l.stack[i]!;
    const loc = s >= 0 ? of[s]! : 0;
    let row = rows.get(loc);
    if (!row) rows.set(loc, (row = new Float64Array(S + 1)));
    const a = Math.max(0, l.allocatedBefore[i]!);
    const d = l.deallocatedBefore[i]!;
    if (a < S) row[a] += l.bytes[i]!;
    if (d >= 0) {
      if (d < S) row[d] -= l.bytes[i]!;
    } else {
      liveEnd[loc] += l.bytes[i]!;
      liveCount[loc] += l.count[i]!;
    }
  }
  const seconds = t.map((ms) => ms / 1000);
  let mx = 0;
  for (const x of seconds) mx += x;
  mx /= S;
  let sxx = 0;
  for (const x of seconds) sxx += (x - mx) ** 2;
  const out: LeakSuspect[] = [];
  for (const [loc, row] of rows) {
    if (liveEnd[loc]! <= 0) continue;
    const series = new Float64Array(S);
    let run = 0;
    let my = 0;
    for (let k = 0; k < S; k++) {
      run += row[k]!;
      series[k] = run;
      my += run;
    }
    my /= S;
    let sxy = 0;
    let syy = 0;
    for (let k = 0; k < S; k++) {
      sxy += (seconds[k]! - mx) * (series[k]! - my);
      syy += (series[k]! - my) ** 2;
    }
    if (!(sxx > 0) || !(syy > 0)) continue;
    const slope = sxy / sxx;
    const r2 = (sxy * sxy) / (sxx * syy);
    if (slope <= 0 || r2 < minSteadiness) continue;
    const loc0 = locations[loc]!;
    out.push({ function: loc0.function, file: loc0.file, line: loc0.line, growthPerSecond: slope, steadiness: r2, liveBytes: liveEnd[loc]!, liveAllocations: liveCount[loc]!, series: downsample(series, SERIES_POINTS) });
  }
  out.sort((a, b) => b.growthPerSecond! - a.growthPerSecond! || b.liveBytes - a.liveBytes || a.function.localeCompare(b.function));
  // Growth a hundred times slower than the fastest is noise next to it (a log buffer, a lazily built table).
  const floor = (out[0]?.growthPerSecond ?? 0) * MIN_RELATIVE_GROWTH;
  return out.filter((x) => x.growthPerSecond! >= floor).slice(0, top);
}

/** Suspects growing slower than this share of the fastest one are left out. */
export const MIN_RELATIVE_GROWTH = 0.01;

/** At most `points` values: the largest of each bucket, so a spike is not averaged away. */
export function downsample(values: ArrayLike<number>, points: number): number[] {
  const n = values.length;
  if (n <= points) return Array.from(values);
  const out: number[] = [];
  for (let b = 0; b < points; b++) {
    const from = Math.floor((b * n) / points);
    const to = Math.floor(((b + 1) * n) / points);
    let m = -Infinity;
    for (let i = from; i < to; i++) m = Math.max(m, values[i]!);
    out.push(m);
  }
  return out;
}

/**
 * `Math.round(n).toLocaleString('en')` ("1,234,567") without Intl: the first toLocaleString of a page
 * loads ICU's number data, which cost the memory view's first paint tens of milliseconds.
 */
export function formatCount(n: number): string {
  const r = Math.round(n);
  if (!Number.isFinite(r) || Math.abs(r) >= 1e21) return r.toLocaleString('en');
  const digits = String(Math.abs(r));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return r < 0 || Object.is(r, -0) ? `-${out}` : out;
}

/** "12.3 MiB": binary units, three significant digits, as memray and memory_profiler print them. */
export function formatBytes(bytes: number): string {
  const sign = bytes < 0 ? '−' : '';
  let v = Math.abs(bytes);
  if (!Number.isFinite(v)) return String(bytes);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const text = u === 0 ? String(Math.round(v)) : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
  return `${sign}${text} ${units[u]}`;
}
