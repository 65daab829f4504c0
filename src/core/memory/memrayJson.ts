/**
 * What python/iwb_memray.py prints (memray's own reader, run by the memray that reads the capture) as a
 * MemoryCapture. The JSON crosses a process boundary, so every field is checked; a shape that does not
 * fit is a MemoryParseError, never a crash.
 */
import { frameKind, type Frame } from '../profile/model';
import { MemoryParseError, type Lifetimes, type MemoryCapture, type MemoryTimeline, type StackValues } from './model';

/** The helper's output format this reader understands (its `format` field). */
export const MEMRAY_HELPER_FORMAT = 1;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function numbers(v: unknown, what: string, length?: number): number[] {
  if (!Array.isArray(v) || !v.every(finite)) throw new MemoryParseError(`memray's answer has no list of numbers for ${what}`);
  if (length !== undefined && v.length !== length) throw new MemoryParseError(`memray's answer has ${v.length} values for ${what}, expected ${length}`);
  return v;
}

/** An error the helper reported instead of a capture: its kind and message. */
export function helperError(json: unknown): { kind: string; message: string } | undefined {
  if (!isObject(json) || !isObject(json.error)) return undefined;
  const { kind, message } = json.error;
  return { kind: typeof kind === 'string' ? kind : 'unknown', message: typeof message === 'string' ? message : 'no message' };
}

function values(v: unknown, what: string, stacks: number): StackValues | undefined {
  if (v === null || v === undefined) return undefined;
  if (!isObject(v)) throw new MemoryParseError(`memray's answer has no ${what} view`);
  const s = numbers(v.stack, `${what} stacks`);
  const out = { stacks: s.map((x) => checkStack(x, stacks, what)), bytes: numbers(v.bytes, `${what} bytes`, s.length), counts: numbers(v.count, `${what} counts`, s.length) };
  return out;
}

function checkStack(s: number, stacks: number, what: string): number {
  if (!Number.isInteger(s) || s < -1 || s >= stacks) throw new MemoryParseError(`memray's answer points at stack ${s} in ${what}, outside its ${stacks} stacks`);
  return s;
}

/** Reads the helper's JSON text. */
export function parseMemrayHelperOutput(text: string): MemoryCapture {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new MemoryParseError(`memray's answer is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  return memrayCapture(json);
}

export function memrayCapture(json: unknown): MemoryCapture {
  if (!isObject(json)) throw new MemoryParseError("memray's answer is not a JSON object");
  const err = helperError(json);
  if (err) throw new MemoryParseError(err.message);
  if (json.format !== MEMRAY_HELPER_FORMAT) throw new MemoryParseError(`memray's answer has format ${JSON.stringify(json.format)}, this version of Incident Workbench reads ${MEMRAY_HELPER_FORMAT}`);
  if (!Array.isArray(json.frames)) throw new MemoryParseError("memray's answer has no frame table");
  const frames: Frame[] = json.frames.map((f, i) => {
    if (!Array.isArray(f) || typeof f[0] !== 'string' || typeof f[1] !== 'string' || !finite(f[2])) throw new MemoryParseError(`memray's answer has a malformed frame #${i}`);
    const line = f[2] > 0 ? Math.floor(f[2]) : 0;
    return { name: f[0], file: f[1], line, kind: frameKind(f[0], f[1]) };
  });
  const stackParent = numbers(json.stackParent, 'stack parents');
  const stackFrame = numbers(json.stackFrame, 'stack frames', stackParent.length);
  stackParent.forEach((p, i) => {
    if (!Number.isInteger(p) || p < -1 || p >= i) throw new MemoryParseError(`memray's answer has stack ${i} under stack ${p}`);
    const f = stackFrame[i]!;
    if (!Number.isInteger(f) || f < 0 || f >= frames.length) throw new MemoryParseError(`memray's answer has stack ${i} on frame ${f}, outside its ${frames.length} frames`);
  });
  const n = stackParent.length;
  const md = isObject(json.metadata) ? json.metadata : {};
  const totals = isObject(json.totals) ? json.totals : undefined;
  const warnings = Array.isArray(json.warnings) ? json.warnings.filter((w): w is string => typeof w === 'string') : [];
  const memray = typeof json.memray === 'string' ? json.memray : '?';
  const python = typeof json.python === 'string' ? json.python : '?';
  const start = finite(md.startTime) ? md.startTime : undefined;
  const end = finite(md.endTime) ? md.endTime : undefined;
  const capture: MemoryCapture = {
    format: 'memray',
    tool: `read with memray ${memray} (Python ${python})`,
    ...(start !== undefined ? { startTime: start } : {}),
    ...(start !== undefined && end !== undefined && end >= start ? { durationMs: end - start } : {}),
    ...(finite(md.pid) ? { pid: md.pid } : {}),
    ...(typeof md.command === 'string' ? { command: md.command } : {}),
    peakBytes: finite(md.peakMemory) ? md.peakMemory : 0,
    totalAllocations: totals && finite(totals.allocations) ? totals.allocations : 0,
    totalBytes: totals && finite(totals.bytes) ? totals.bytes : 0,
    frames,
    stackParent,
    stackFrame,
    views: { peak: values(json.peak, 'peak', n), leaks: values(json.leaks, 'leaks', n), temporary: values(json.temporary, 'temporary', n) },
    notes: [
      'peak: what was allocated and not yet freed at the moment the tracked heap was largest.',
      'leaks: allocated while memray tracked and not freed when tracking stopped.',
      'temporary: freed before any other allocation was made (churn).',
    ],
    warnings,
  };
  if (md.tracePythonAllocators !== true) capture.notes.push('Small Python objects come from pymalloc arenas (256 KiB each); record with --trace-python-allocators to see each object.');
  if (md.aggregated === true) capture.notes.push('Recorded with --aggregate: no temporary view and no memory over time.');
  const snapshots = json.snapshots;
  if (isObject(snapshots)) {
    const time = numbers(snapshots.time, 'snapshot times');
    const rss = numbers(snapshots.rss, 'snapshot RSS', time.length);
    const heap = numbers(snapshots.heap, 'snapshot heap', time.length);
    if (time.length > 0) {
      const t0 = start ?? time[0]!;
      const timeline: MemoryTimeline = {
        t: time.map((x) => x - t0),
        series: [
          { name: 'heap (tracked by memray)', values: heap },
          { name: 'RSS', values: rss },
        ],
        peakIndex: argMax(heap),
      };
      capture.timeline = timeline;
    }
  }
  if (isObject(json.lifetimes)) {
    const l = json.lifetimes;
    const stack = numbers(l.stack, 'lifetime stacks').map((s) => checkStack(s, n, 'lifetimes'));
    const lifetimes: Lifetimes = {
      stack,
      allocatedBefore: numbers(l.allocatedBefore, 'lifetime starts', stack.length),
      deallocatedBefore: numbers(l.deallocatedBefore, 'lifetime ends', stack.length),
      count: numbers(l.count, 'lifetime counts', stack.length),
      bytes: numbers(l.bytes, 'lifetime bytes', stack.length),
    };
    capture.lifetimes = lifetimes;
  }
  return capture;
}

export function argMax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
