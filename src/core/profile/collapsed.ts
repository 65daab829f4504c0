import { ProfileBuilder, ProfileParseError, type Profile } from './model';

/**
 * Collapsed ("folded") stacks, Brendan Gregg's format and py-spy's `--format raw`: one line per unique
 * stack, root first, frames joined by ';', a space, then the count. py-spy frames are `name (file:line)`,
 * `name (file)` or `name`; `--threads` adds a root `thread (0x…)` and `--subprocesses` a root
 * `process PID:"cmdline"` (benfred/py-spy src/flamegraph.rs, src/main.rs). Those become thread names
 * here, not frames, so per-thread views and merges work the same as for speedscope files.
 */

const PY_SPY_FRAME = /^(.*) \(([^()]*)\)$/;
const THREAD_FRAME = /^thread \((0x[0-9a-fA-F]+|\d+)\)(?:: (.*))?$/s;
const PROCESS_FRAME = /^process (\d+):"(.*)"$/s;

export interface ParsedFrame {
  name: string;
  file: string;
  line: number;
}

/** Splits `name (file:line)` / `name (file)` / `name`. */
export function parseFrameText(text: string): ParsedFrame {
  const m = PY_SPY_FRAME.exec(text);
  if (!m) return { name: text, file: '', line: 0 };
  const inner = m[2]!;
  const colon = inner.lastIndexOf(':');
  if (colon > 0 && /^\d+$/.test(inner.slice(colon + 1))) {
    return { name: m[1]!, file: inner.slice(0, colon), line: Number(inner.slice(colon + 1)) };
  }
  return { name: m[1]!, file: inner, line: 0 };
}

/** True when the text looks like collapsed stacks (used by format detection on the first lines). */
export function looksCollapsed(head: string): boolean {
  const first = head.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '').slice(0, 5);
  const complete = head.includes('\n') ? first.slice(0, Math.max(1, first.length - 1)) : first;
  return complete.length > 0 && complete.every((l) => /\S \d+(\.\d+)?$/.test(l));
}

export async function parseCollapsed(chunks: AsyncIterable<string>): Promise<Profile> {
  const b = new ProfileBuilder();
  const frameCache = new Map<string, number>();
  const threadOfRoots = new Map<string, number>();
  let pySpyFrames = 0;
  let good = 0;
  let bad = 0;
  let firstBad: string | undefined;
  let lineNo = 0;
  const defaultThread = b.thread('all');
  // The previous line, to reuse the stacks of a shared prefix: py-spy and flamegraph.pl write lines whose
  // stacks share long prefixes, and comparing characters is much cheaper than splitting and hashing frames.
  let prevStart = -1;
  const prevFrames: string[] = [];
  const prevStacks: number[] = [];

  const frameId = (ft: string): number => {
    let f = frameCache.get(ft);
    if (f === undefined) {
      const p = parseFrameText(ft);
      if (p.file !== '') pySpyFrames++;
      f = b.frame(p.name, p.file, p.line);
      frameCache.set(ft, f);
    }
    return f;
  };

  /** Synthetic roots from py-spy: processes (nested with -s), then the thread (`thread (TID): NAME` in 0.4). */
  const roots = (text: string, space: number): { start: number; thread: number } => {
    const c = text.charCodeAt(0);
    if (c !== 112 /* p */ && c !== 116 /* t */) return { start: 0, thread: defaultThread };
    let start = 0;
    let process: string | undefined;
    let threadName: string | undefined;
    for (;;) {
      let end = text.indexOf(';', start);
      if (end === -1 || end > space) end = space;
      const part = text.slice(start, end);
      const m = process === undefined || threadName === undefined ? PROCESS_FRAME.exec(part) : null;
      if (m && threadName === undefined) {
        process = m[2] ? `${m[1]} ${m[2]}` : `${m[1]}`;
        start = end + 1;
        continue;
      }
      const t = threadName === undefined ? THREAD_FRAME.exec(part) : null;
      if (t) {
        threadName = t[2] ? `${t[2]} (${t[1]})` : `thread ${t[1]}`;
        start = end + 1;
      }
      break;
    }
    if (start === 0) return { start: 0, thread: defaultThread };
    const key = text.slice(0, start);
    let thread = threadOfRoots.get(key);
    if (thread === undefined) {
      const name = process === undefined ? threadName! : threadName === undefined ? `process ${process}` : `process ${process} · ${threadName}`;
      thread = b.thread(name);
      threadOfRoots.set(key, thread);
    }
    return { start: Math.min(start, space), thread };
  };

  const line = (text: string, terminated: boolean): void => {
    lineNo++;
    if (text === '' || text.trim() === '') return;
    const space = text.lastIndexOf(' ');
    const countText = space === -1 ? '' : text.slice(space + 1);
    const count = Number(countText);
    if (space <= 0 || countText === '' || !Number.isFinite(count) || count < 0) {
      bad++;
      firstBad ??= `line ${lineNo}: ${!terminated ? 'the last line is cut off (truncated file?)' : `no sample count at the end of "${text.slice(0, 60)}"`}`;
      return;
    }
    good++;
    const { start, thread } = roots(text, space);
    // Frames shared with the previous line keep their stacks: startsWith compares natively, no slicing.
    let k = 0;
    let pos = start;
    if (start === prevStart) {
      while (k < prevFrames.length) {
        const f = prevFrames[k]!;
        if (!text.startsWith(f, pos)) break;
        const after = pos + f.length;
        if (text.charCodeAt(after) === 59 /* ; */ && after < space) pos = after + 1;
        else if (after === space) pos = space;
        else break;
        k++;
      }
    }
    prevFrames.length = k;
    prevStacks.length = k;
    let stack = k > 0 ? prevStacks[k - 1]! : -1;
    while (pos < space) {
      let end = text.indexOf(';', pos);
      if (end === -1 || end > space) end = space;
      const ft = text.slice(pos, end);
      stack = b.stack(stack, frameId(ft));
      prevFrames.push(ft);
      prevStacks.push(stack);
      pos = end + 1;
    }
    prevStart = start;
    b.add(thread, stack, count, count);
  };

  let rest = '';
  for await (const chunk of chunks) {
    const buf = rest === '' ? chunk : rest + chunk;
    let from = 0;
    for (;;) {
      const nl = buf.indexOf('\n', from);
      if (nl === -1) break;
      line(buf.slice(from, nl > from && buf.charCodeAt(nl - 1) === 13 ? nl - 1 : nl), true);
      from = nl + 1;
    }
    rest = buf.slice(from);
  }
  if (rest !== '') line(rest.endsWith('\r') ? rest.slice(0, -1) : rest, false);

  if (good === 0) {
    if (bad === 0) throw new ProfileParseError('the profile is empty: no stacks');
    throw new ProfileParseError(`not a collapsed-stack profile: ${firstBad}`);
  }
  if (bad > 0) b.warn(`${bad} line${bad === 1 ? '' : 's'} skipped (${firstBad})`);
  const profile = b.build(pySpyFrames > 0 ? 'pyspy-raw' : 'collapsed', 'samples');
  profile.threads = profile.threads.filter((t) => t.samples > 0);
  return profile;
}
