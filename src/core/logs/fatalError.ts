/**
 * CPython's report of a crash in a log (faulthandler, on by `-X faulthandler`, `PYTHONFAULTHANDLER`, or
 * `faulthandler.enable()` as torch's launchers and many training scripts do): a segfault in an extension, an
 * abort in CUDA or NCCL code, a deadlock killed by a timeout's SIGABRT.
 *
 *   Fatal Python error: Segmentation fault
 *
 *   Current thread 0x00007f7fa5611b80 (most recent call first):
 *     File "/app/train.py", line 12 in step
 *     File "/app/train.py", line 15 in <module>
 *
 * read as an exception of type `Fatal Python error` whose frames are the crashing thread's, outermost first
 * (the other threads' stacks are for `iwb stacks`).
 */
import type { ExceptionInfo, StackFrame } from './types';

const FATAL = /^Fatal Python error: (.*)$/;
const THREAD = /^(Current thread|Thread) 0x[0-9a-fA-F]+ (?:\[[^\]]*\] )?\(most recent call first\):\s*$/;
const FRAME = /^\s+File "(.*)", line (\d+) in (.*?)\s*$/;

export function isFatalErrorLine(line: string): boolean {
  return line.startsWith('Fatal Python error: ');
}

/** The crash reported by `head` (its first line) with `more` (the lines under it), or undefined. */
export function parseFatalError(head: string, more: readonly string[]): ExceptionInfo | undefined {
  const m = FATAL.exec(head.trimEnd());
  if (!m) return undefined;
  // The thread that crashed, or the first one printed when none is marked (a dump of all threads).
  let at = more.findIndex((l) => THREAD.exec(l)?.[1] === 'Current thread');
  if (at === -1) at = more.findIndex((l) => THREAD.test(l));
  const frames: StackFrame[] = [];
  for (let i = at === -1 ? more.length : at + 1; i < more.length; i++) {
    const f = FRAME.exec(more[i]!);
    if (!f) break;
    frames.push({ file: f[1]!, line: Number(f[2]), function: f[3]! });
  }
  return { chain: [{ type: 'Fatal Python error', message: m[1]!, frames: frames.reverse() }], truncated: false };
}
