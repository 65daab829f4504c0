/**
 * A plain-text log record as the Errors reader builds it, line by line: its header line (time, level, logger,
 * message — read by two quick expressions, the formats known by name, or the grammar the Patterns view
 * reads headers with) and, when the record ends, the exception in the lines under it (a JVM, JavaScript or
 * Ruby exception, a runtime's crash report). Python tracebacks are blocks of their own (./traceback.ts).
 */
import { glogHeader, knownHeader, LEVEL_WORDS, withGoError, zapMessage } from './headerFormats';
import { normaliseLevelCached } from './jsonRecord';
import { parseLogfmt } from './logfmt';
import { parseTextHeader as grammarHeader, tracingSpansEnd } from './textHeader';
import { parseV8Exception, v8StackStart } from './traceback';
import { parsePanic } from './panics';
import { parseRubyException } from './rubyBacktrace';
import { parseFatalError } from './fatalError';
import { javaExceptionWithoutFrames, javaStackStart, parseJavaStack } from './javaStack';
import type { ExceptionInfo } from './types';
import { parseTimestamp } from './values';

const TEXT_TS = /^\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?)\]?\s*/;
const LEVEL_NEAR_START = new RegExp(`^(.{0,60}?)\\[?\\b(${LEVEL_WORDS})\\b\\]?:?\\s*(.*)$`, 'i');

export interface TextHeader {
  line: number;
  timestamp?: number;
  level?: string;
  logger?: string;
  message: string;
  /** The header line's own message, once lines continue it (they are appended to `message`, bounded). */
  head?: string;
  /** The record's first line as written (an exception's type may be in what the header took as a level). */
  raw?: string;
  /**
   * The lines that continued the header line (at most MAX_MORE): a JVM or JavaScript exception among them is
   * read at the end.
   */
  more?: string[];
  /** An exception's first line with no header line above it: a record only if frames follow. */
  orphan?: boolean;
  /** A runtime's crash report: CPython's (./fatalError.ts), Go's or Rust's (./panics.ts). */
  crash?: 'fatal' | 'panic';
}

export const MAX_MORE = 1000;
const MAX_STACK_LINE = 4096;
/** A JavaScript error's first line (`TypeError: cannot read …`): a record when V8's frames follow it. */
export const JS_ERROR_LINE = /^[A-Z][\w$]*(?:Error|Exception)(?::|$)/;

/** A plain-text log line's time, level, logger and message, when it looks like one. */
export function parseTextHeader(text: string, line: number): TextHeader | undefined {
  const kv = parseLogfmt(text);
  if (kv) {
    const header: TextHeader = { line, message: withGoError(kv.message, kv.error) };
    const level = kv.level !== undefined ? normaliseLevelCached(kv.level) : undefined;
    if (level) header.level = level;
    const t = kv.time !== undefined ? parseTimestamp(kv.time) : undefined;
    if (t !== undefined) header.timestamp = t;
    if (kv.logger) header.logger = kv.logger;
    return header;
  }
  const glog = glogHeader(text);
  if (glog) return { line, level: glog.level, message: text.slice(glog.start), ...(glog.timestamp !== undefined ? { timestamp: glog.timestamp } : {}) };
  const known = knownHeader(text, false);
  if (known) return headerAt(text, line, known);
  const ts = TEXT_TS.exec(text);
  const rest = ts ? text.slice(ts[0].length) : text;
  const lv = LEVEL_NEAR_START.exec(rest);
  if (!ts && !(lv && lv[1] === '')) return otherHeader(text, line);
  // (no level after the time: the header grammar reads the fields it may have, a host and a program's
  // `name[pid]:` as syslog and journalctl's `-o short-iso` write them)
  if (ts && !lv) {
    const other = otherHeader(text, line);
    if (other?.logger !== undefined) return other;
  }
  const header: TextHeader = { line, message: rest };
  if (ts) {
    const t = parseTimestamp(ts[1]);
    if (t !== undefined) header.timestamp = t;
  }
  if (lv) {
    header.level = normaliseLevelCached(lv[2]!.toUpperCase());
    let msg = lv[3]!;
    // (Rust tracing's spans before the target: `request{method=GET}: myapp::db: message`)
    const spans = tracingSpansEnd(msg, 0);
    if (spans !== -1) msg = msg.slice(spans).trimStart();
    // (loguru's `| module:function:line - message`; a Rust module path as tracing and env_logger name targets)
    const name = msg.charCodeAt(0) === 124 /* | */ ? /^\|\s*([\w.<>-]+):[\w.<>-]+:\d+ - (.*)$/s.exec(msg) : /^([\w.<>-]+(?:::[\w.<>-]+)*): (.*)$/s.exec(msg);
    if (name) {
      header.logger = name[1]!;
      msg = name[2]!;
    }
    header.message = zapMessage(msg.replace(/^[-:|\]]\s*/, ''));
  }
  // What the quick reading leaves out, the grammar the Patterns view reads headers with may read: a level
  // after more than a time (PostgreSQL's `… UTC [3279] LOG:`, TensorFlow's `time: E file.cc:282]`), a time
  // after a level (vLLM's `ERROR 12-06 16:00:00 [engine.py:123]`). (Only then: it costs more than the rest of
  // the line's reading.)
  if (!header.level || header.timestamp === undefined) {
    const g = otherHeader(text, line);
    if (g?.level && (!header.level || g.timestamp !== undefined)) return { ...g, message: zapMessage(g.message) };
  }
  return header;
}

/**
 * Headers that neither start with an ISO time nor with a level — syslog, Apache's error log, Spark's and
 * Hadoop's `yy/MM/dd HH:mm:ss LEVEL Component:`, ctime and month-name times, a host before the time — read
 * by the grammar the Patterns view reads them with (./textHeader.ts), so a log gives its error lines to both
 * views. A line that starts with white space continues the one above.
 */
function otherHeader(text: string, line: number): TextHeader | undefined {
  const c = text.charCodeAt(0);
  if (c === 32 || c === 9) return undefined;
  const h = grammarHeader(text);
  return h && h.start < text.length ? headerAt(text, line, h) : undefined;
}

/** The record a recogniser read: its message from `start` on, the level named as the Errors view names levels. */
function headerAt(text: string, line: number, h: { start: number; level?: string; logger?: string; timestamp?: number }): TextHeader {
  const header: TextHeader = { line, message: text.slice(h.start) };
  const level = h.level !== undefined ? normaliseLevelCached(h.level) : undefined;
  if (level) header.level = level;
  if (h.logger) header.logger = h.logger;
  if (h.timestamp !== undefined) header.timestamp = h.timestamp;
  return header;
}

/**
 * A pending record's exception and message. A crash report is read whole; otherwise the first JVM or
 * JavaScript exception with frames in its lines (the first line included: `Error: boom` is a level to the
 * header grammar) is the record's exception, and the lines above it the rest of its message.
 */
export function exceptionOf(p: TextHeader): { exception?: ExceptionInfo; message: string } {
  // (a line with nothing under it, most lines of most logs, has no exception)
  if (!p.more?.length && !p.crash && !p.orphan) return { message: p.message };
  // No stack's line is this long; the stack expressions' lazy parts would take time growing with the square
  // of a hostile line's length.
  const more = (p.more ?? []).map((l) => (l.length > MAX_STACK_LINE ? '' : l));
  if (p.crash) {
    const exception = p.crash === 'fatal' ? parseFatalError(p.raw!, more) : parsePanic(p.raw!, more);
    const thrown = exception?.chain[0];
    return { exception, message: p.crash === 'fatal' || !thrown ? p.raw! : thrown.message ? `${thrown.type}: ${thrown.message}` : thrown.type };
  }
  const lines = [p.raw ?? p.message, ...more];
  const jvm = more.length ? javaStackStart(lines) : -1;
  const js = more.length ? v8StackStart(lines) : -1;
  let at = jvm !== -1 && (js === -1 || jvm <= js) ? jvm : js;
  let exception = at === -1 ? undefined : at === jvm ? parseJavaStack(lines, at) : parseV8Exception(lines, at);
  // (right under the header line: further down, a line like it is more likely the message's own text)
  if (!exception && more.length && !p.orphan && (exception = javaExceptionWithoutFrames(more[0]!))) at = 1;
  // A Ruby exception: Logger's `message (Type)` with the backtrace under it, or the interpreter's report.
  const ruby = exception ? undefined : parseRubyException(p.orphan ? p.raw! : (p.head ?? p.message), more);
  if (ruby) return { exception: ruby, message: p.orphan ? `${ruby.chain[0]!.type}: ${ruby.chain[0]!.message}` : (p.head ?? p.message) };
  if (!exception) return { message: p.message };
  const thrown = exception.chain[exception.chain.length - 1]!;
  const own = thrown.message ? `${thrown.type}: ${thrown.message}` : thrown.type;
  return { exception, message: p.orphan || at === 0 ? own : [p.head ?? p.message, ...more.slice(0, at - 1)].join('\n').slice(0, 4000) };
}
