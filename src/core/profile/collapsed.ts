import { lines } from './input';
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
  let pySpyFrames = 0;
  let good = 0;
  let bad = 0;
  let firstBad: string | undefined;
  let lineNo = 0;
  const defaultThread = 'all';

  for await (const { text, terminated } of lines(chunks)) {
    lineNo++;
    if (text === '' || text.trim() === '') continue;
    const space = text.lastIndexOf(' ');
    const countText = space === -1 ? '' : text.slice(space + 1);
    const count = Number(countText);
    if (space <= 0 || countText === '' || !Number.isFinite(count) || count < 0) {
      bad++;
      firstBad ??= `line ${lineNo}: ${!terminated ? 'the last line is cut off (truncated file?)' : `no sample count at the end of "${text.slice(0, 60)}"`}`;
      continue;
    }
    good++;
    const parts = text.slice(0, space).split(';');
    let thread = defaultThread;
    let first = 0;
    // Synthetic roots from py-spy: processes (nested with -s), then the thread (`thread (TID): NAME` in 0.4).
    let process: string | undefined;
    for (let m = PROCESS_FRAME.exec(parts[first] ?? ''); m; m = PROCESS_FRAME.exec(parts[first] ?? '')) {
      process = m[2] ? `${m[1]} ${m[2]}` : `${m[1]}`;
      first++;
    }
    const t = THREAD_FRAME.exec(parts[first] ?? '');
    if (t) first++;
    const threadName = t ? (t[2] ? `${t[2]} (${t[1]})` : `thread ${t[1]}`) : undefined;
    if (process !== undefined || threadName !== undefined) {
      thread = process === undefined ? threadName! : threadName === undefined ? `process ${process}` : `process ${process} · ${threadName}`;
    }
    let stack = -1;
    for (let i = first; i < parts.length; i++) {
      const ft = parts[i]!;
      let f = frameCache.get(ft);
      if (f === undefined) {
        const p = parseFrameText(ft);
        if (p.file !== '') pySpyFrames++;
        f = b.frame(p.name, p.file, p.line);
        frameCache.set(ft, f);
      }
      stack = b.stack(stack, f);
    }
    b.add(b.thread(thread), stack, count, count);
  }
  if (good === 0) {
    if (bad === 0) throw new ProfileParseError('the profile is empty: no stacks');
    throw new ProfileParseError(`not a collapsed-stack profile: ${firstBad}`);
  }
  if (bad > 0) b.warn(`${bad} line${bad === 1 ? '' : 's'} skipped (${firstBad})`);
  return b.build(pySpyFrames > 0 ? 'pyspy-raw' : 'collapsed', 'samples');
}
