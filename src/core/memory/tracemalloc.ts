/**
 * What python/iwb_tracemalloc.py prints for a tracemalloc snapshot, as a MemoryCapture. A snapshot is one
 * moment: the blocks still allocated when it was taken, by traceback. It has no peak of its own and cannot
 * tell what was freed before it, so both `peak` and `leaks` list what was live then and `temporary` is
 * unknown; comparing two snapshots shows what grew.
 */
import { frameKind, type Frame } from '../profile/model';
import { helperError } from './memrayJson';
import { MemoryParseError, viewTotal, type MemoryCapture, type StackValues } from './model';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function numbers(v: unknown, what: string, length?: number): number[] {
  if (!Array.isArray(v) || !v.every(finite)) throw new MemoryParseError(`the snapshot's conversion has no list of numbers for ${what}`);
  if (length !== undefined && v.length !== length) throw new MemoryParseError(`the snapshot's conversion has ${v.length} values for ${what}, expected ${length}`);
  return v;
}

export function parseTracemallocHelperOutput(text: string): MemoryCapture {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new MemoryParseError(`the snapshot's conversion is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  return tracemallocCapture(json);
}

export function tracemallocCapture(json: unknown): MemoryCapture {
  if (!isObject(json)) throw new MemoryParseError("the snapshot's conversion is not a JSON object");
  const err = helperError(json);
  if (err) throw new MemoryParseError(err.message);
  if (json.format !== 1 || json.tool !== 'tracemalloc') throw new MemoryParseError("the snapshot's conversion is not in the format this version of Incident Workbench reads");
  if (!Array.isArray(json.frames)) throw new MemoryParseError("the snapshot's conversion has no frame table");
  const frames: Frame[] = json.frames.map((f, i) => {
    if (!Array.isArray(f) || typeof f[0] !== 'string' || typeof f[1] !== 'string' || !finite(f[2])) throw new MemoryParseError(`the snapshot's conversion has a malformed frame #${i}`);
    return { name: f[0], file: f[1], line: f[2] > 0 ? Math.floor(f[2]) : 0, kind: frameKind(f[0], f[1]) };
  });
  const stackParent = numbers(json.stackParent, 'stack parents');
  const stackFrame = numbers(json.stackFrame, 'stack frames', stackParent.length);
  stackParent.forEach((p, i) => {
    if (!Number.isInteger(p) || p < -1 || p >= i) throw new MemoryParseError(`the snapshot's conversion has stack ${i} under stack ${p}`);
    const f = stackFrame[i]!;
    if (!Number.isInteger(f) || f < 0 || f >= frames.length) throw new MemoryParseError(`the snapshot's conversion has stack ${i} on an unknown frame`);
  });
  if (!isObject(json.live)) throw new MemoryParseError("the snapshot's conversion has no allocations");
  const stacks = numbers(json.live.stack, 'stacks');
  for (const s of stacks) if (!Number.isInteger(s) || s < -1 || s >= stackParent.length) throw new MemoryParseError(`the snapshot's conversion points at an unknown stack ${s}`);
  const live: StackValues = { stacks, bytes: numbers(json.live.bytes, 'bytes', stacks.length), counts: numbers(json.live.count, 'counts', stacks.length) };
  const total = viewTotal(live);
  const python = typeof json.python === 'string' ? json.python : '?';
  const limit = finite(json.tracebackLimit) ? json.tracebackLimit : undefined;
  const truncated = finite(json.truncated) ? json.truncated : 0;
  return {
    format: 'tracemalloc',
    tool: `read with Python ${python}`,
    peakBytes: total.bytes,
    totalAllocations: total.count,
    totalBytes: total.bytes,
    frames,
    stackParent,
    stackFrame,
    views: { peak: live, leaks: { stacks: [...live.stacks], bytes: [...live.bytes], counts: [...live.counts] }, temporary: undefined },
    notes: [
      'A tracemalloc snapshot is one moment: peak and leaks both show what was still allocated when it was taken, and the totals count those blocks.',
      'temporary: a snapshot cannot tell what was freed before it. Compare two snapshots to see what grew.',
      ...(limit !== undefined && limit <= 1 ? [`Tracebacks were recorded with tracemalloc.start(${limit}): only the allocating line, no callers. Start tracemalloc with a larger frame count (e.g. 25) for call paths.`] : []),
    ],
    warnings: truncated > 0 ? [`${truncated} traceback${truncated === 1 ? ' was' : 's were'} cut at tracemalloc's frame limit of ${limit ?? '?'}: their outermost callers are missing.`] : [],
  };
}
