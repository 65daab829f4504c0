/**
 * Container runtimes' log files wrap each line a program wrote: Docker's json-file driver as
 * `{"log":"…\n","stream":"stderr","time":"2026-12-06T12:00:01.002234567Z"}`, containerd and CRI-O (Kubernetes'
 * /var/log/containers/*.log) as `2026-12-06T12:00:01.002234567Z stderr F …`. Both readers unwrap the line the
 * program wrote, so its own header, JSON and tracebacks are read as if from the program's output. A line the
 * runtime cut (over 16 KiB: Docker's line without its newline, CRI's `P` tag) continues in the next.
 *
 * systemd's journal, exported with `journalctl -o json`, wraps each line of a service's output (and each
 * syslog message) the same way, one JSON object a line: `MESSAGE`, `__REALTIME_TIMESTAMP` (microseconds),
 * `PRIORITY` (syslog's 0–7) and `SYSLOG_IDENTIFIER`, its keys in no fixed order. Its entries are unwrapped too
 * (a source is taken for a journal export from its first JSON line, `looksLikeJournal`): a traceback a
 * service printed to stderr is one entry a line, and is read whole again.
 */

import { JUL_SECOND } from './headerFormats';
import { SYSLOG_SEVERITIES } from './textHeader';

export interface ContainerLine {
  /** The program's line, without its newline (a journal entry's message may hold several). */
  text: string;
  /** The runtime's time for it (RFC 3339 with nanoseconds). */
  time: string;
  /** The runtime cut the line here: it continues in the next one. */
  partial: boolean;
  /**
   * A journal entry's level and program as a header would give them (`ERROR shopd:`), for a line that has no
   * header of its own.
   */
  header?: string;
  /** A journal entry's program (`SYSLOG_IDENTIFIER`, `_PID`): entries of several programs interleave. */
  program?: string;
}

const JOURNAL_TIME = '"__REALTIME_TIMESTAMP":"';
const IDENT = /^[\w.@-]{1,80}$/;

/** Whether the line in `text[start, end)` is an entry of `journalctl -o json` (asked of a source's first JSON line). */
export function looksLikeJournal(text: string, start = 0, end = text.length): boolean {
  if (text.charCodeAt(start) !== 123 /* { */) return false;
  const at = text.indexOf(JOURNAL_TIME, start);
  if (at === -1 || at >= end) return false;
  const m = text.indexOf('"MESSAGE":', start);
  return m !== -1 && m < end;
}

/** A journal entry's line (`journalctl -o json`), or undefined when the line is not one. */
function unwrapJournalLine(line: string): ContainerLine | undefined {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return undefined;
  const r = o as Record<string, unknown>;
  const us = r.__REALTIME_TIMESTAMP;
  if (typeof us !== 'string' || !/^\d{1,17}$/.test(us) || !('MESSAGE' in r)) return undefined;
  const ms = Math.floor(Number(us) / 1000);
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return undefined;
  // (a message of several lines, a traceback sent whole to the journal, keeps them: the readers split it)
  const text = journalMessage(r.MESSAGE).replace(/\r?\n$/, '');
  const priority = typeof r.PRIORITY === 'string' && /^[0-7]$/.test(r.PRIORITY) ? SYSLOG_SEVERITIES[Number(r.PRIORITY)] : undefined;
  const ident = [r.SYSLOG_IDENTIFIER, r._COMM].find((v): v is string => typeof v === 'string' && IDENT.test(v));
  const header = [priority, ident !== undefined ? `${ident}:` : undefined].filter((x) => x !== undefined).join(' ');
  const pid = typeof r._PID === 'string' ? r._PID : '';
  return { text, time: date.toISOString(), partial: false, header, program: `${ident ?? ''}[${pid}]` };
}

/**
 * A journal entry's MESSAGE: a string, or (for one that is not valid UTF-8) its bytes as an array of numbers,
 * read as UTF-8 with replacement characters; null when it was too large to export.
 */
function journalMessage(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length <= 1 << 20 && v.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 255)) {
    return new TextDecoder('utf-8').decode(Uint8Array.from(v as number[]));
  }
  return '';
}

const CRI = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})) (stdout|stderr) ([FP]) ?/;
const DOCKER_KEYS = new Set(['log', 'stream', 'time', 'attrs']);

/**
 * Whether the line at `start` may be a runtime's line, from two characters (no copy, no parse): the readers ask
 * this of every line before `unwrapContainerLine`.
 */
export function mayBeContainerLine(text: string, start = 0): boolean {
  const c = text.charCodeAt(start);
  return c === 123 /* { */ ? text.startsWith('{"log":', start) : c >= 48 && c <= 57 && text.charCodeAt(start + 10) === 84 /* T */;
}

/** The program's line inside a container runtime's log line, or undefined when the line is not one. */
export function unwrapContainerLine(line: string): ContainerLine | undefined {
  const c = line.charCodeAt(0);
  if (c === 123 /* { */) {
    if (!line.startsWith('{"log":')) return looksLikeJournal(line) ? unwrapJournalLine(line) : undefined;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      return undefined;
    }
    if (typeof o !== 'object' || o === null) return undefined;
    const r = o as Record<string, unknown>;
    if (typeof r.log !== 'string' || typeof r.time !== 'string' || (r.stream !== 'stdout' && r.stream !== 'stderr')) return undefined;
    if (!Object.keys(r).every((k) => DOCKER_KEYS.has(k))) return undefined;
    const log = r.log;
    const partial = !log.endsWith('\n');
    return { text: partial ? log : log.slice(0, log.endsWith('\r\n') ? -2 : -1), time: r.time, partial };
  }
  if (c < 48 || c > 57) return undefined;
  const m = CRI.exec(line);
  if (!m) return undefined;
  return { text: line.slice(m[0].length), time: m[1]!, partial: m[3] === 'P' };
}

/**
 * The program's line as a reader should see it: with the runtime's time in front when the line has no time of
 * its own and starts a record (a line of a traceback, an indented or a JSON line is left as it is).
 */
export function withRuntimeTime(text: string, time: string, startsRecordWithoutTime: (text: string) => boolean | 'untimed', header?: string): string {
  if (text === '') return text;
  const c = text.charCodeAt(0);
  if (c === 32 || c === 9 || c === 123 || c === 91) return text;
  const starts = startsRecordWithoutTime(text);
  // ('untimed': the line has a header of its own, without a time: the time goes in front of it)
  if (starts === 'untimed') return `${time} ${text}`;
  return starts ? `${time} ${header ? `${header} ` : ''}${text}` : text;
}

/**
 * For a journal entry's line (`withRuntimeTime`'s test): a line with no header starts a record; so does one
 * whose header has no time (`INFO:shop:…`, `ERROR shop: …`), which takes the entry's — but not
 * java.util.logging's second line (`SEVERE: …`), whose time is on the line above.
 */
export function journalStart(header: { timestamp?: number } | undefined, text: string): boolean | 'untimed' {
  if (header === undefined) return true;
  return header.timestamp === undefined && !JUL_SECOND.test(text) ? 'untimed' : false;
}

/**
 * The lines a reader reads for an unwrapped line (`withRuntimeTime` on the first): one, or those of a journal
 * entry's message of several (a record sent whole, its traceback under it), at most `max`.
 */
export function programLines(inner: ContainerLine, whole: string, starts: (text: string) => boolean | 'untimed', max: number): string[] {
  const lines = whole.includes('\n') ? whole.split(/\r?\n/, max) : [whole];
  lines[0] = withRuntimeTime(lines[0]!, inner.time, starts, inner.header);
  return lines;
}
