/**
 * The memory page's snapshots from memory captures (pure: no VS Code): the capture as flame graph columns
 * (one thread per view and measure), its facts, memory over time with the allocation lifetimes, the leak
 * suspects; or two captures and their per-location changes.
 */
import { formatBytes, formatCount, leakSuspects, memoryAsProfile, type LeakSuspect } from '../core/memory/analysis';
import { diffView } from '../core/memory/diff';
import { MEMORY_FORMAT_LABELS, MEMORY_VIEWS, type MemoryCapture, type MemoryView } from '../core/memory/model';
import type { FlameData } from '../protocol/flamegraph';
import type { LifetimeColumns, MemoryFact, MemorySnapshot } from '../protocol/memory';
import { encodeFlameData } from './flamegraph';

/** The capture's frames, stacks and per view and measure weights as the page's columns. */
export function encodeMemoryData(capture: MemoryCapture, mine: (file: string) => boolean): FlameData {
  return encodeFlameData(memoryAsProfile(capture), mine, () => false);
}

function lifetimeColumns(capture: MemoryCapture): LifetimeColumns | undefined {
  const l = capture.lifetimes;
  if (!l) return undefined;
  return { stack: Int32Array.from(l.stack), allocatedBefore: Int32Array.from(l.allocatedBefore), deallocatedBefore: Int32Array.from(l.deallocatedBefore), count: Float64Array.from(l.count), bytes: Float64Array.from(l.bytes) };
}

export function memoryFacts(capture: MemoryCapture): MemoryFact[] {
  const facts: MemoryFact[] = [{ label: 'Peak', value: formatBytes(capture.peakBytes), title: `${formatCount(capture.peakBytes)} bytes` }];
  if (capture.totalAllocations > 0) {
    facts.push({ label: capture.format === 'tracemalloc' ? 'Blocks live' : 'Allocations', value: formatCount(capture.totalAllocations) });
    facts.push({ label: capture.format === 'tracemalloc' ? 'Bytes live' : 'Allocated in total', value: formatBytes(capture.totalBytes), title: `${formatCount(capture.totalBytes)} bytes` });
  }
  if (capture.durationMs !== undefined) facts.push({ label: 'Duration', value: `${(capture.durationMs / 1000).toFixed(capture.durationMs < 10_000 ? 2 : 1)} s` });
  if (capture.startTime !== undefined) facts.push({ label: 'Started', value: new Date(capture.startTime).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC'), title: new Date(capture.startTime).toISOString() });
  if (capture.pid !== undefined) facts.push({ label: 'PID', value: String(capture.pid) });
  if (capture.command) facts.push({ label: 'Command', value: capture.command.length > 120 ? `${capture.command.slice(0, 119)}…` : capture.command, title: capture.command });
  return facts;
}

export function describeCapture(capture: MemoryCapture): string {
  return `${MEMORY_FORMAT_LABELS[capture.format]}${capture.tool ? ` · ${capture.tool}` : ''}`;
}

function suspectsNote(capture: MemoryCapture, suspects: LeakSuspect[]): string {
  if (capture.lifetimes && capture.timeline) {
    return suspects.length
      ? 'Locations whose live memory grew during the capture, fastest first (a least-squares line through their live bytes at each snapshot).'
      : 'No location grew steadily during the capture: nothing looks like a leak. A longer capture under load shows slow leaks.';
  }
  if (capture.format === 'mprof') return suspects.length ? 'Profiled functions that kept memory, by bytes kept per second of the run.' : 'No profiled function kept memory.';
  if (capture.format === 'memory_profiler') return suspects.length ? 'Lines that kept memory their function did not give back (no rate: the report has no time).' : 'No line kept memory.';
  return 'Leak suspects need memory over time (a memray capture or an mprof file); compare two snapshots to see what grew.';
}

/** What a capture's snapshot says besides its columns, worked out once when the capture is read. */
export interface PreparedCapture {
  description: string;
  facts: MemoryFact[];
  lifetimes?: LifetimeColumns;
  suspects: LeakSuspect[];
  suspectsNote: string;
}

/**
 * The suspects' least squares over every lifetime, the lifetimes as columns and the facts: done once per
 * read, so a snapshot (sent on every `ready` and heat change) only assembles them.
 */
export function prepareCapture(capture: MemoryCapture): PreparedCapture {
  const suspects = leakSuspects(capture);
  const lifetimes = lifetimeColumns(capture);
  return { description: describeCapture(capture), facts: memoryFacts(capture), ...(lifetimes ? { lifetimes } : {}), suspects, suspectsNote: suspectsNote(capture, suspects) };
}

/** A capture as read for the page: its model and columns when it could be read, else why not. */
export interface ReadCapture {
  /** Changes with every read. */
  version: string;
  capture?: MemoryCapture;
  data?: FlameData;
  /** prepareCapture(capture), when the reader kept it. */
  prepared?: PreparedCapture;
  error?: string;
}

const available = (c: MemoryCapture | undefined) => Object.fromEntries(MEMORY_VIEWS.map((v) => [v, !!c?.views[v]])) as Record<MemoryView, boolean>;

export function memorySnapshot(doc: ReadCapture, title: string, heat: { on: boolean; shown: boolean }): MemorySnapshot {
  const c = doc.capture;
  const p = c ? (doc.prepared ?? prepareCapture(c)) : undefined;
  return {
    id: doc.version,
    mode: 'capture',
    title,
    description: p?.description ?? '',
    facts: p?.facts ?? [],
    ...(doc.data && c ? { data: doc.data } : {}),
    available: available(c),
    notes: c?.notes ?? [],
    ...(c?.timeline ? { timeline: c.timeline } : {}),
    ...(p?.lifetimes ? { lifetimes: p.lifetimes } : {}),
    suspects: p?.suspects ?? [],
    suspectsNote: p?.suspectsNote ?? '',
    warnings: c?.warnings ?? [],
    ...(doc.error ? { error: doc.error } : !c ? { error: 'Nothing to show.' } : {}),
    heatOn: heat.on,
    heatShown: heat.shown,
  };
}

/** The diff tables are cut to the biggest changes; the flame graph shows everything. */
export const MEMORY_DIFF_ROWS = 200;

export function memoryDiffSnapshot(before: ReadCapture, after: ReadCapture, names: { title: string; before: string; after: string }, heat: { on: boolean; shown: boolean }): MemorySnapshot {
  const error = before.error ?? after.error;
  const b = before.capture;
  const a = after.capture;
  const both = !error && a && b;
  const delta = both ? a.peakBytes - b.peakBytes : 0;
  return {
    id: `${before.version}|${after.version}`,
    mode: 'diff',
    title: `Memory diff: ${names.title}`,
    description: `Colour: bytes grew (red) or fell (blue) from ${names.before} to ${names.after}, per location of the view chosen below.`,
    facts: both
      ? [
          { label: 'Peak before', value: formatBytes(b.peakBytes) },
          { label: 'Peak after', value: formatBytes(a.peakBytes) },
          { label: 'Change', value: `${delta > 0 ? '+' : ''}${formatBytes(delta)}`, title: `${delta} bytes` },
          { label: 'Before', value: describeCapture(b) },
          { label: 'After', value: describeCapture(a) },
        ]
      : [],
    ...(both && after.data ? { data: after.data } : {}),
    ...(both && before.data ? { base: before.data } : {}),
    available: Object.fromEntries(MEMORY_VIEWS.map((v) => [v, !!(a?.views[v] && b?.views[v])])) as Record<MemoryView, boolean>,
    notes: [],
    suspects: [],
    suspectsNote: '',
    ...(both ? { diffRows: Object.fromEntries(MEMORY_VIEWS.map((v) => [v, diffView(b, a, v).slice(0, MEMORY_DIFF_ROWS)])) as Record<MemoryView, ReturnType<typeof diffView>> } : {}),
    warnings: [...(b?.warnings ?? []).map((w) => `before: ${w}`), ...(a?.warnings ?? []).map((w) => `after: ${w}`)],
    ...(error ? { error } : {}),
    heatOn: heat.on,
    heatShown: heat.shown,
  };
}
