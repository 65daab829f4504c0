/**
 * Log headers of particular formats that the Errors and Patterns readers both know, and the year a header
 * does not write.
 */

/**
 * glog, absl and klog (TensorFlow, JAX, PyTorch's C++ side, Kubernetes): `I1206 12:00:00.123456 140234
 * train.py:42] message`, also in brackets (`[W1206 12:00:03.123456 1234 ProcessGroupNCCL.cpp:1234] …`).
 */
const GLOG = /^\[?([IWEF])(\d{2})(\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)\s+(?:\d+\s+)?[^\s\]]+:\d+\]\s?/;
const GLOG_LEVELS: Record<string, string> = { I: 'INFO', W: 'WARNING', E: 'ERROR', F: 'FATAL' };

export function glogHeader(line: string): { start: number; level: string; timestamp?: number } | undefined {
  const m = GLOG.exec(line);
  if (!m) return undefined;
  const t = yearless(Number(m[2]), Number(m[3]), m[4]!);
  return { start: m[0].length, level: GLOG_LEVELS[m[1]!]!, ...(t !== undefined ? { timestamp: t } : {}) };
}

/**
 * A time written without its year (glog's `1206 12:00:00.123456`, syslog's `Dec  6 12:00:10`; UTC, as the
 * writers' default): this year's, or last year's when that would be in the future (a log of late December
 * read in January); `year` when the line gives it elsewhere.
 */
export function yearless(month: number, day: number, clock: string, year?: number): number | undefined {
  const now = new Date();
  const at = (y: number) => Date.parse(`${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T${clock.length > 12 ? clock.slice(0, 12) : clock}Z`);
  if (year !== undefined) {
    const t = at(year);
    return Number.isNaN(t) ? undefined : t;
  }
  const t = at(now.getUTCFullYear());
  if (Number.isNaN(t)) return undefined;
  return t > now.getTime() + 86_400_000 ? at(now.getUTCFullYear() - 1) : t;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** 1–12 for a month's name or abbreviation (`Dec`, `december`), else undefined. */
export function monthNumber(name: string): number | undefined {
  const i = MONTHS.indexOf(name.slice(0, 3).toLowerCase());
  return i === -1 ? undefined : i + 1;
}

/**
 * java.util.logging's SimpleFormatter writes a record on two lines, the time and the source first
 * (`Dec 06, 2026 12:47:01 PM com.example.Shop main`), then `LEVEL: message`: this reads the first one.
 */
const JUL_FIRST = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{1,2}), (\d{4}) (\d{1,2}):(\d{2}):(\d{2}) ([AP]M) (\S+)(?: \S+)?$/;

export function julFirstLine(line: string): { timestamp?: number; logger: string } | undefined {
  const m = JUL_FIRST.exec(line);
  if (!m) return undefined;
  const hour = (Number(m[4]) % 12) + (m[7] === 'PM' ? 12 : 0);
  const t = yearless(monthNumber(m[1]!)!, Number(m[2]), `${String(hour).padStart(2, '0')}:${m[5]}:${m[6]}`, Number(m[3]));
  return { logger: m[8]!, ...(t !== undefined ? { timestamp: t } : {}) };
}

/** A source file and line: `main.go:513`, `/src/app/jobs.py:88` (zap and Python formats put it in the header). */
export const CALLER = /^\S*[\w-]\.(?:go|py|java|kt|scala|js|mjs|cjs|ts|rs|c|cc|cpp|h|hpp|rb|cs|php|swift|ex|exs|erl|lua|pl):\d{1,6}:?$/;

/**
 * zap's console encoder ends a line with the call's fields as one JSON object after a tab
 * (`Starting…\t{"port": 16686}`): the message before it, and the fields.
 */
export function splitJsonTail(message: string): { head: string; fields: Record<string, unknown> } | undefined {
  const tab = message.indexOf('\t{');
  if (tab === -1 || message.charCodeAt(message.length - 1) !== 125 /* } */) return undefined;
  try {
    const o: unknown = JSON.parse(message.slice(tab + 1));
    if (typeof o === 'object' && o !== null && !Array.isArray(o)) return { head: message.slice(0, tab).trimEnd(), fields: o as Record<string, unknown> };
  } catch {
    // not a JSON object: the tab and braces are the message's own
  }
  return undefined;
}

/**
 * The message of a zap console line after its level (`app/server.go:88\tfailed to flush\t{"error": "…"}`):
 * without the caller and the fields, and with the error field as Go loggers mean it (`failed to flush: …`).
 */
export function zapMessage(message: string): string {
  const tab = message.indexOf('\t');
  if (tab === -1) return message;
  const m = CALLER.test(message.slice(0, tab)) ? message.slice(tab + 1) : message;
  const tail = splitJsonTail(m);
  if (!tail) return m;
  const err = tail.fields.error ?? tail.fields.err;
  return withGoError(tail.head, typeof err === 'string' ? err : undefined);
}

/** A Go logger's message with its error field as they mean it: what failed, then why (`msg: err`). */
export function withGoError(message: string, error: string | undefined): string {
  if (error === undefined || error === '') return message;
  return message === '' ? error : `${message}: ${error}`;
}
