/**
 * A Ruby exception in a log: Logger's `error(e)` writes `message (ArgumentError)` then the backtrace, one
 * frame a line (`/srv/app/app.rb:17:in 'Integer'`, backquoted before Ruby 3.4); an exception nobody rescued is
 * printed by the interpreter as `app.rb:3:in 'charge': boom (RuntimeError)` then `\tfrom …` frames. Read into
 * Python's order (the raising frame last).
 */
import type { ExceptionInfo, StackFrame } from './types';

// (a path has no colon but a Windows drive's: the expressions split a line in one way only, in one pass)
const FRAME = /^\s*(?:from )?((?:[A-Za-z]:)?[^:\s][^:]*):(\d+):in [`'](.*)'\s*$/;
/** The longest line looked at: a real report's lines are far shorter. */
const MAX = 4096;
const MESSAGE = /^(.*) \(([A-Z][\w:]*)\)$/s;
const UNCAUGHT = /^((?:[A-Za-z]:)?[^:\s][^:]*):(\d+):in [`']([^']*)': (.*) \(([A-Z][\w:]*)\)$/;

/** Whether `line` is the interpreter's report of an exception nobody rescued (its first line). */
export function isRubyUncaught(line: string): boolean {
  // (a log line's time comes first in most logs: a digit, never a Ruby path's first character here)
  const c = line.charCodeAt(0);
  return !(c >= 48 && c <= 57) && line.length <= MAX && line.includes(':in ') && UNCAUGHT.test(line);
}

/** Whether `line` is a backtrace frame. */
export function isRubyFrame(line: string): boolean {
  return line.length <= MAX && FRAME.test(line);
}

/**
 * The exception whose first line is `first` (`message (Type)`, or the uncaught form with the raising frame)
 * and whose frames are the lines of `more` that are frames, from its start; undefined when `first` is neither.
 */
export function parseRubyException(first: string, more: readonly string[]): ExceptionInfo | undefined {
  const frames: StackFrame[] = [];
  let type: string;
  let message: string;
  if (first.length > MAX) return undefined;
  const u = first.includes(':in ') ? UNCAUGHT.exec(first) : null;
  if (u) {
    frames.push({ file: u[1]!, line: Number(u[2]), function: u[3]! });
    [message, type] = [u[4]!, u[5]!];
  } else {
    if (!more.length || !isRubyFrame(more[0]!)) return undefined;
    const m = MESSAGE.exec(first);
    if (!m) return undefined;
    [message, type] = [m[1]!, m[2]!];
  }
  for (const line of more) {
    const f = line.length <= MAX ? FRAME.exec(line) : null;
    if (!f) break;
    frames.push({ file: f[1]!, line: Number(f[2]), function: f[3]! });
  }
  return { chain: [{ type, message, frames: frames.reverse() }], truncated: false };
}
