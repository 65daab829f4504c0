/**
 * A Ruby exception in a log: Logger's `error(e)` writes `message (ArgumentError)` then the backtrace, one
 * frame a line (`/srv/app/app.rb:17:in 'Integer'`, backquoted before Ruby 3.4); an exception nobody rescued is
 * printed by the interpreter as `app.rb:3:in 'charge': boom (RuntimeError)` then `\tfrom …` frames. Read into
 * Python's order (the raising frame last).
 */
import type { ExceptionInfo, StackFrame } from './types';

const FRAME = /^\s*(?:from )?(\S.*?):(\d+):in [`'](.*)'\s*$/;
const MESSAGE = /^(.*) \(([A-Z][\w:]*)\)$/s;
const UNCAUGHT = /^(\S.*?):(\d+):in [`'](.*?)': (.*) \(([A-Z][\w:]*)\)$/;

/** Whether `line` is the interpreter's report of an exception nobody rescued (its first line). */
export function isRubyUncaught(line: string): boolean {
  // (a log line's time comes first in most logs: a digit, never a Ruby path's first character here)
  const c = line.charCodeAt(0);
  return !(c >= 48 && c <= 57) && line.includes(':in ') && UNCAUGHT.test(line);
}

/** Whether `line` is a backtrace frame. */
export function isRubyFrame(line: string): boolean {
  return FRAME.test(line);
}

/**
 * The exception whose first line is `first` (`message (Type)`, or the uncaught form with the raising frame)
 * and whose frames are the lines of `more` that are frames, from its start; undefined when `first` is neither.
 */
export function parseRubyException(first: string, more: readonly string[]): ExceptionInfo | undefined {
  const frames: StackFrame[] = [];
  let type: string;
  let message: string;
  const u = first.includes(':in ') ? UNCAUGHT.exec(first) : null;
  if (u) {
    frames.push({ file: u[1]!, line: Number(u[2]), function: u[3]! });
    [message, type] = [u[4]!, u[5]!];
  } else {
    if (!more.length || !FRAME.test(more[0]!)) return undefined;
    const m = MESSAGE.exec(first);
    if (!m) return undefined;
    [message, type] = [m[1]!, m[2]!];
  }
  for (const line of more) {
    const f = FRAME.exec(line);
    if (!f) break;
    frames.push({ file: f[1]!, line: Number(f[2]), function: f[3]! });
  }
  return { chain: [{ type, message, frames: frames.reverse() }], truncated: false };
}
