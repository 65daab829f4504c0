/**
 * The header of a plain-text log line: the time, level, process and logger fields a logging library puts
 * before the message. Read with one small grammar that covers the common families without per-log
 * configuration — Python logging, log4j/Java, Go, syslog (RFC 3164), Apache error logs, Android logcat,
 * pipe-separated fields — so that templates are mined from the message alone (a host name or a pid in the
 * header is not part of any template), and so that lines get their time and level:
 *
 *   [time…] [level] [bracketed context] [logger/process[pid]:] message
 *
 * Everything here is positional and cheap: a line is looked at token by token from its start, and the header
 * ends at the first token that cannot be part of one. A line without a recognisable time or level prefix has
 * no header (its message is the whole line).
 */
import { CALLER, glogHeader, knownHeader, monthNumber, springTail, yearless } from './headerFormats';
import { parseTimestamp } from './values';

export interface TextHeader {
  /** Offset in the line where the message starts. */
  start: number;
  timestamp?: number;
  level?: string;
  /** The logger, process or component named in the header. */
  logger?: string;
}

const LEVELS: Record<string, string> = {
  TRACE: 'TRACE',
  DEBUG: 'DEBUG',
  DBG: 'DEBUG',
  FINE: 'DEBUG',
  FINER: 'DEBUG',
  FINEST: 'DEBUG',
  INFO: 'INFO',
  // PostgreSQL's ordinary messages
  LOG: 'INFO',
  INF: 'INFO',
  NOTICE: 'NOTICE',
  // MariaDB's and MySQL's `[Note]`
  NOTE: 'NOTICE',
  WARN: 'WARNING',
  WARNING: 'WARNING',
  WRN: 'WARNING',
  ERROR: 'ERROR',
  ERR: 'ERROR',
  SEVERE: 'ERROR',
  CRITICAL: 'CRITICAL',
  CRIT: 'CRITICAL',
  FATAL: 'FATAL',
  ALERT: 'ALERT',
  EMERG: 'EMERG',
  PANIC: 'PANIC',
};
/** logcat's one-letter levels, only taken right after a time. */
const LETTER_LEVELS: Record<string, string> = { V: 'TRACE', D: 'DEBUG', I: 'INFO', W: 'WARNING', E: 'ERROR', F: 'FATAL', A: 'FATAL' };

// Whole names or abbreviations only: `declined` and `Monitor` are words.
const MONTHS = /^(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?,?$/i;
const WEEKDAYS = /^(?:Mon(?:day)?|Tue(?:s(?:day)?)?|Wed(?:nesday)?|Thu(?:rs(?:day)?)?|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?),?$/i;
/** Date or time pieces: 2026-11-20, 17/06/09, 20171223-22:15:29:606, 09:00:01,123, 2005.06.03, 081109. */
const TIMEISH = /^\d{1,4}(?:[-/.:T]\d{1,9}){1,6}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?,?$|^\d{6,8}(?:[-T]\d{6}(?:[.,:]\d{1,9})?)?,?$|^\d{8}[-T]\d{1,2}(?::\d{1,2}){1,2}(?:[.,:]\d{1,9})?$/;
/** A lower-case word after a number: what it counts (`1365301360 double-hummer alignment exceptions`). */
const COUNTED = /^[a-z][a-z-]*[a-z]$/;
const NUMBER = /^\d{1,19}[.,]?$/;
const DASHES = /^[-|:]{1,2}$/;
// (and Rust's module paths, `myapp::db:`, as tracing and env_logger name the target)
/** A dotted logger name and its colon (`checkout.pay:`, `shop:`), as Python's `%(name)s: ` writes it. */
const DOTTED_LOGGER_COLON = /^[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*:$/;
const LOGGER_COLON = /^[\w.$@/<>~-]+(?:::[\w.$@/<>~-]+)*(?:\([\w.$ -]+\))?(?:\[[\w./: -]*\])?(?:\([^)]*\))?:$/;
/** Monolog's `channel.LEVEL:` (its level names in capitals). */
const MONOLOG_CHANNEL = /^([\w.-]+)\.([A-Z]+):$/;
/** Rust tracing's spans before the target: `request{method=GET uri=/x}:handler{id=7}:` (their fields are values). */
const TRACING_SPANS = /(?:[A-Za-z_][\w:]*\{[^{}\n]*\}:)+(?=\s)/y;

/** The end of Rust tracing's spans at `from` (see TRACING_SPANS), or -1 when none start there. */
export function tracingSpansEnd(text: string, from: number): number {
  if (text.indexOf('{', from) === -1) return -1;
  TRACING_SPANS.lastIndex = from;
  return TRACING_SPANS.test(text) ? TRACING_SPANS.lastIndex : -1;
}
const DOTTED = /^[A-Za-z_$][\w$]*(?:\.[\w$]+)+(?:\[[\w./: -]*\])?:?$/;
const SYSLOG_PRI = /^<(\d{1,3})>(?:1 )?/;
export const SYSLOG_SEVERITIES = ['EMERG', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'];

/** RFC 3164's `Dec  6 12:00:10` (a weekday may come first): no year either. */
const SYSLOG_TIME = /^(?:[A-Za-z]{3,9},?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2})\s+(\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)$/;

const HOSTISH = /^[\w.*@#-]*\d[\w./:@#-]*$|^[A-Za-z][\w.@-]*(?::\d{1,5})?$|^[\w.$-]+\[\d+\]$/;

function levelOf(word: string, letters: boolean): string | undefined {
  let w = word;
  if (w.endsWith(':') || w.endsWith(',')) w = w.slice(0, -1);
  // (structlog pads the level inside its brackets: `[info     ]`)
  if (w.startsWith('[') && w.endsWith(']')) {
    w = w.slice(1, -1).trim();
    // Apache 2.4's `[module:level]` (`[core:error]`, `[mpm_event:notice]`)
    const colon = w.lastIndexOf(':');
    if (colon > 0 && /^[\w.-]+$/.test(w.slice(0, colon))) w = w.slice(colon + 1);
  }
  if (w.startsWith('<') && w.endsWith('>')) w = w.slice(1, -1);
  const l = LEVELS[w.toUpperCase()];
  if (l) return l;
  return letters && w.length === 1 ? LETTER_LEVELS[w] : undefined;
}

interface Tok {
  text: string;
  start: number;
  end: number;
}

/** The next whitespace-separated token from `i`, a bracketed group counting as one (up to 120 chars). */
function nextToken(line: string, i: number): Tok | undefined {
  const n = line.length;
  while (i < n && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  if (i >= n) return undefined;
  const c = line[i];
  if (c === '[' || c === '(') {
    const close = c === '[' ? ']' : ')';
    let depth = 0;
    for (let j = i; j < n && j - i < 400; j++) {
      const d = line[j];
      if (d === c) depth++;
      else if (d === close && --depth === 0) {
        let e = j + 1;
        // `[pid]:` and `]:` stay with the group; whitespace ends it.
        while (e < n && line.charCodeAt(e) !== 32 && line.charCodeAt(e) !== 9) e++;
        return { text: line.slice(i, e), start: i, end: e };
      }
    }
  }
  let e = i;
  while (e < n && line.charCodeAt(e) !== 32 && line.charCodeAt(e) !== 9) e++;
  return { text: line.slice(i, e), start: i, end: e };
}

const NGINX_PID = /^\d+#\d+:$/;
const DOTTED_NAME = /^[A-Za-z_]\w*(?:\.\w+)+$/;
/** A zone after the clock (`2026-12-06 16:00:00 +0000 - dagster - …`). */
const ZONE = /^(?:[+-]\d{2}:?\d{2}|UTC|GMT|Z)$/;
const LOGURU_CALLER = /^[\w.<>-]+:[\w.<>-]+:\d{1,6}$/;
const CALLER_CLOSE = /^\S*[\w-]\.\w{1,5}:\d{1,6}\]$/;
/** vLLM's `%m-%d %H:%M:%S` (no year). */
const MONTH_DAY = /^(\d{2})-(\d{2}) (\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?)$/;

/** Airflow's `{taskinstance.py:1234}`: the place in the code, in braces. */
const BRACED_CALLER = /^\{[\w.\-/]+(?::\d+)?\}:?$/;

function isBracketed(t: string): boolean {
  return (t.startsWith('[') && /\]:?$/.test(t)) || (t.startsWith('(') && /\):?$/.test(t));
}

/** An IPv4 address (with a port) has the shape of a dotted date: it starts a message, not a header. */
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?,?$/;

/** A clock that ends the header with a colon (`update-alternatives 2025-06-24 14:36:29: run with …`). */
const CLOCK_COLON = /^\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,9})?:$/;

function isTimeToken(t: string): boolean {
  return (TIMEISH.test(t) && !IPV4.test(t)) || MONTHS.test(t) || WEEKDAYS.test(t) || CLOCK_COLON.test(t);
}

/**
 * A time-like token after words that followed the header's time goes on with the header only when it reads as
 * a date or a clock (`… dn228 Nov 9 12:01:01`, `… R02-M1-N0 2005-06-03-15.42.50.675872`); a version number has
 * the same digits and dots (dpkg's `… configure libksba8:amd64 1.6.3-2 <none>`) and belongs to the message.
 */
const DATE_OR_CLOCK = /^(?:\d{4}([-/.])\d{2}\1\d{2}(?:[-T_.]\d{2}[.:]\d{2}(?:[.:]\d{2}(?:[.,]\d{1,9})?)?)?|\d{2}([-/.])\d{2}\2\d{2,4}|\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,9})?)(?:Z|[+-]\d{2}:?\d{2})?[,:]?$/;
function continuesTime(t: string): boolean {
  return MONTHS.test(t) || WEEKDAYS.test(t) || DATE_OR_CLOCK.test(t);
}

/**
 * `2286759 full partition status 1061219795 -1 running`, `91679 3440 boot_cmd success 1109728975 1 Command …`
 * (records exported with their fields before the message: a record id, then fields without spaces — a host, a
 * component, a state — then the time in epoch seconds and a flag). A leading number of up to nine digits is a
 * record id when a time in epoch seconds of this century follows within five such fields; a small signed
 * number right after the time (a flag) is header too, unless it is all that is left. A field that is a level
 * word (a state `error`) is the level.
 */
function recordIdThenEpoch(line: string, first: Tok): TextHeader | undefined {
  if (!/^\d{1,9}$/.test(first.text)) return undefined;
  let level: string | undefined;
  let tok: Tok | undefined = first;
  for (let k = 1; k <= 5; k++) {
    tok = nextToken(line, tok.end);
    if (!tok) return undefined;
    const t = tok.text;
    if (t.length === 10 && /^\d{10}$/.test(t)) {
      const n = Number(t);
      if (n < 946_684_800 || n >= 4_102_444_800) return undefined;
      let end = tok.end;
      const flag = nextToken(line, end);
      if (flag && /^-?\d{1,3}$/.test(flag.text) && nextToken(line, flag.end)) end = flag.end;
      let start = end;
      while (start < line.length && (line.charCodeAt(start) === 32 || line.charCodeAt(start) === 9)) start++;
      if (start >= line.length) return undefined;
      return { start, timestamp: n * 1000, ...(level ? { level } : {}) };
    }
    if (isBracketed(t) || t.endsWith(':') || (!NUMBER.test(t) && !HOSTISH.test(t))) return undefined;
    level ??= levelOf(t, false);
  }
  return undefined;
}

/**
 * Formats whose header the grammar below would read wrong (a level word glued to a logger, a level letter, a
 * client address before the time): recognised whole first (logs/headerFormats.ts).
 */
function knownTextHeader(line: string): TextHeader | undefined {
  const h = knownHeader(line, true);
  if (!h) return undefined;
  const level = h.level !== undefined ? levelOf(h.level, true) : undefined;
  return { start: h.start, ...(level ? { level } : {}), ...(h.logger ? { logger: h.logger } : {}), ...(h.timestamp !== undefined ? { timestamp: h.timestamp } : {}) };
}

/**
 * Reads the header of one line. Returns undefined when the line does not start like a log header (then the
 * whole line is the message).
 */
export function parseTextHeader(line: string): TextHeader | undefined {
  const glog = glogHeader(line);
  if (glog) return glog;
  const known = knownTextHeader(line);
  if (known) return known;
  // A syslog priority (`<14>`, RFC 5424's `<165>1 `) says the severity; the header follows it.
  const pri = SYSLOG_PRI.exec(line);
  if (pri) {
    const rest = parseTextHeader(line.slice(pri[0].length));
    const level = SYSLOG_SEVERITIES[Number(pri[1]) % 8]!;
    return rest ? { ...rest, start: rest.start + pri[0].length, level: rest.level ?? level } : { start: pri[0].length, level };
  }
  let tok = nextToken(line, 0);
  if (!tok) return undefined;
  const exported = recordIdThenEpoch(line, tok);
  if (exported) return exported;
  // Pipe-separated fields (time|component|pid|message): the fields before the message have no spaces.
  const firstPipe = tok.text.indexOf('|');
  if (firstPipe > 0 && TIMEISH.test(tok.text.slice(0, firstPipe))) {
    let start = 0;
    let fields = 0;
    for (let p = line.indexOf('|'); p !== -1 && fields < 6; p = line.indexOf('|', p + 1)) {
      const field = line.slice(start, p);
      if (/\s/.test(field.trim()) || field.length > 80) break;
      start = p + 1;
      fields++;
    }
    const t = parseTimestamp(line.slice(0, firstPipe));
    return { start, ...(t !== undefined ? { timestamp: t } : {}) };
  }
  let time = false;
  let timeStart = -1;
  let timeEnd = -1;
  // A bracketed time group parsed whole (`[2026-12-06 12:00:04 +0000]`), while it is all of the header's time.
  let bracketTime: number | undefined;
  let bracketEnd = -1;
  let level: string | undefined;
  let logger: string | undefined;
  let end = 0;
  // Where the header ended before its last element: the message starts there when the header would take the
  // whole line (`… 1 warning`, `… boot  (command 1911)`: the last words are the message, not a level or context).
  let prevEnd = 0;
  let words = 0;
  let pendingWords: Tok[] = [];
  let count = 0;
  let afterLevel = 0;
  let levelFirst = false;
  for (; tok && count < 16; tok = nextToken(line, tok.end), count++) {
    const t = tok.text;
    if (count === 0 && isBracketed(t) && t.slice(1, -1).split(/\s+/).some((w) => TIMEISH.test(w))) {
      time = true;
      timeStart = tok.start + 1;
      timeEnd = tok.end - 1;
      // `[2026-12-06 12:00:06,123: INFO/MainProcess]` (Celery): the time is the group's first words, and a
      // level may be in it too.
      const inner = line.slice(timeStart, timeEnd);
      bracketTime = parseTimestamp(inner.replace(/[,:]$/, ''));
      bracketEnd = timeEnd;
      if (bracketTime === undefined) {
        const m = /^\S+(?:\s+\d{1,2}:\d{2}\S*)?/.exec(inner);
        if (m) timeEnd = timeStart + m[0].length;
        for (const w of inner.slice(m ? m[0].length : 0).split(/[\s/:]+/)) {
          const lv = w ? levelOf(w, false) : undefined;
          if (lv) {
            level = lv;
            break;
          }
        }
      }
      prevEnd = end;
      end = tok.end;
      continue;
    }
    // A leading number is a time when it reads as one — epoch seconds or milliseconds of this century, or a
    // compact date followed by more time (`081109 203615`) — or a record id when a node id follows
    // (`134681 node-246 …`). A count that starts a message (`640404 floating point alignment exceptions`) is
    // neither.
    let epoch = false;
    // (after one word, only epoch seconds or milliseconds: BGL's alert tag before its time, `KERNDTLB 1118536327 …`)
    const tagged = count === 1 && pendingWords.length === 1;
    if (!time && !level && (pendingWords.length === 0 || tagged) && NUMBER.test(t)) {
      const digits = t.replace(/[.,]$/, '');
      const after = nextToken(line, tok.end)?.text ?? '';
      const n = Number(digits);
      // (a count in the same range is no time: `1365301360 double-hummer alignment exceptions`, beside BGL's
      // `63543 double-hummer …`; a bare integer time is followed by more header, a date, a level or a name)
      if ((digits.length === 10 && n >= 946_684_800 && n < 4_102_444_800) || (digits.length === 13 && n >= 946_684_800_000 && n < 4_102_444_800_000)) epoch = !COUNTED.test(after);
      else if (tagged) epoch = false;
      else if (digits.length >= 6 && digits.length <= 8 && (NUMBER.test(after) || TIMEISH.test(after))) epoch = true;
      else if (count === 0 && /\d/.test(after) && !NUMBER.test(after)) epoch = true;
    }
    // (A bare number before any time is one only by the rules above: `640404 floating point …` is a count.)
    if ((isTimeToken(t) && (time || !NUMBER.test(t))) || (time && NUMBER.test(t)) || (time && timeEnd === tok.start - 1 && ZONE.test(t)) || epoch) {
      // (a time after a level that began the line is header: vLLM's `INFO 12-06 16:00:00 [engine.py:123] …`)
      if (level && !(levelFirst && afterLevel === 0)) break;
      if (time && pendingWords.length > 0 && !NUMBER.test(t) && !continuesTime(t)) break;
      if (!time && timeStart === -1) timeStart = tok.start;
      if (epoch) time = true;
      if (isTimeToken(t)) {
        time = true;
        timeEnd = tok.end;
      } else if (timeEnd === tok.start - 1 && ZONE.test(t)) timeEnd = tok.end;
      prevEnd = end;
      end = tok.end;
      pendingWords = [];
      continue;
    }
    if (DASHES.test(t) && (time || level || count === 0)) {
      prevEnd = end;
      end = tok.end;
      if (level || logger || pendingWords.length) {
        // `time level [ctx] - message` and `program - message`: a dash after the fields ends the header.
        if (pendingWords.length) logger = pendingWords[pendingWords.length - 1]!.text;
        // loguru's default `time | LEVEL    | module:function:line - message`, Prefect's `time | LEVEL | logger -
        // message`: the place in the code, or the dotted logger, and its dash are header.
        const caller = level && t === '|' ? nextToken(line, tok.end) : undefined;
        const callerDash = caller && (LOGURU_CALLER.test(caller.text) || DOTTED_NAME.test(caller.text)) ? nextToken(line, caller.end) : undefined;
        if (callerDash && callerDash.text === '-' && nextToken(line, callerDash.end)) {
          logger = caller!.text.replace(/:.*$/, '');
          end = callerDash.end;
          break;
        }
        // The logging HOWTO's `%(asctime)s - %(name)s - %(levelname)s - %(message)s` (Dask, many scripts):
        // the level and its dash after the logger's dash are header too.
        const lvTok = !level ? nextToken(line, tok.end) : undefined;
        const lvAfter = lvTok ? levelOf(lvTok.text, false) : undefined;
        const dash = lvAfter ? nextToken(line, lvTok!.end) : undefined;
        if (lvAfter && dash && DASHES.test(dash.text) && nextToken(line, dash.end)) {
          level = lvAfter;
          end = dash.end;
        }
        break;
      }
      continue;
    }
    const lv = !level ? levelOf(t, time && !pendingWords.length) : undefined;
    if (lv) {
      level = lv;
      levelFirst = count === 0;
      prevEnd = end;
      end = tok.end;
      pendingWords = [];
      afterLevel = 0;
      if (t.endsWith(':')) break;
      continue;
    }
    if ((isBracketed(t) || BRACED_CALLER.test(t)) && (time || level)) {
      prevEnd = end;
      end = tok.end;
      if (t.endsWith(':')) {
        if (pendingWords.length) logger = pendingWords[pendingWords.length - 1]!.text;
        break;
      }
      pendingWords = [];
      if (level) afterLevel++;
      continue;
    }
    if (!time && !level) {
      // A file or host name before the time (`nova-api.log.1 2017-05-16 …`).
      if (count === 0 && HOSTISH.test(t)) {
        pendingWords.push(tok);
        continue;
      }
      break;
    }
    const spansEnd = level && afterLevel === 0 && t.includes('{') ? tracingSpansEnd(line, tok.start) : -1;
    if (spansEnd !== -1) {
      prevEnd = end;
      end = spansEnd;
      tok = { text: line.slice(tok.start, end), start: tok.start, end };
      afterLevel++;
      continue;
    }
    // Words in the header: a host name, a component, a logger. They count only when the header goes on to
    // a level, a `logger:` token, a bracketed context or a dash; otherwise they are the message's first words.
    if (LOGGER_COLON.test(t) && (pendingWords.length <= 1 || level)) {
      logger = t.replace(/(?:\[[^\]]*\])?(?:\([^)]*\))?:$/, '').replace(/\[.*$/, '');
      // Monolog's (PHP) `channel.LEVEL:`: the level is the name's last part.
      const channel = !level && time ? MONOLOG_CHANNEL.exec(t) : null;
      const channelLevel = channel ? levelOf(channel[2]!, false) : undefined;
      if (channelLevel) {
        level = channelLevel;
        logger = channel![1]!;
      }
      prevEnd = end;
      end = tok.end;
      // `logger: [ERROR] message` (torch.distributed.elastic's agent), syslog's `app[1234]: ERROR message`
      // (a program that writes its own level: a level word in capitals, or followed by a colon as in sshd's
      // `error: …`; `Error in …` is the message's first word): the level is header too.
      const after = !level ? nextToken(line, tok.end) : undefined;
      const lvAfter = after && (isBracketed(after.text) || /^(?:[A-Z]+|[A-Za-z]+:)$/.test(after.text)) ? levelOf(after.text, false) : undefined;
      if (lvAfter && nextToken(line, after!.end)) {
        level = lvAfter;
        end = after!.end;
        // (and the program's own logger after its level: a Python service under systemd writes
        // `checkout[9729]: INFO checkout.pay: charged order 0`)
        const own = nextToken(line, after!.end);
        if (own && DOTTED_LOGGER_COLON.test(own.text) && nextToken(line, own.end)) {
          logger = own.text.slice(0, -1);
          end = own.end;
        }
      }
      break;
    }
    if (level) {
      // Django's documented `{levelname} {asctime} {module} {process:d} {thread:d} {message}`: the module, pid and
      // thread after a level and time that began the line.
      if (levelFirst && time && afterLevel === 0 && /^[A-Za-z_]\w*$/.test(t)) {
        const pid = nextToken(line, tok.end);
        const thread = pid && /^\d+$/.test(pid.text) ? nextToken(line, pid.end) : undefined;
        if (thread && /^\d+$/.test(thread.text) && nextToken(line, thread.end)) {
          logger = t;
          prevEnd = end;
          end = thread.end;
          break;
        }
      }
      // nginx's error log: `[error] 1234#1234: *5 open() …` (pid#thread, then the connection number).
      if (afterLevel === 0 && NGINX_PID.test(t)) {
        prevEnd = end;
        end = tok.end;
        const conn = nextToken(line, tok.end);
        if (conn && /^\*\d+$/.test(conn.text)) end = conn.end;
        break;
      }
      // TensorFlow's and XLA's C++ logs: `… I tensorflow/core/platform/cpu_feature_guard.cc:182] message`.
      if (afterLevel < 2 && CALLER_CLOSE.test(t)) {
        prevEnd = end;
        end = tok.end;
        break;
      }
      // After the level: the place in the code (zap's `extensions/extensions.go:44`, `%(filename)s:%(lineno)d`).
      if (afterLevel < 2 && CALLER.test(t)) {
        prevEnd = end;
        end = tok.end;
        afterLevel++;
        if (t.endsWith(':')) break;
        continue;
      }
      // After the level: one dotted logger name (`nova.compute.manager`) or a bracketed context.
      if (afterLevel < 2 && DOTTED.test(t)) {
        logger = t.replace(/:$/, '');
        prevEnd = end;
      end = tok.end;
        afterLevel++;
        if (t.endsWith(':')) break;
        continue;
      }
      // A column-aligned component (`Info   CBS    Loaded …`): one word followed by a run of spaces.
      if (afterLevel === 0 && /^[A-Za-z][\w.-]*$/.test(t) && line.startsWith('  ', tok.end)) {
        logger = t;
        prevEnd = end;
      end = tok.end;
        break;
      }
      break;
    }
    if (HOSTISH.test(t) && pendingWords.length < 3 && words < 5) {
      pendingWords.push(tok);
      words++;
      continue;
    }
    break;
  }
  if (!time && !level) return undefined;
  if (end === 0) return undefined;
  let start = end;
  while (start < line.length && (line.charCodeAt(start) === 32 || line.charCodeAt(start) === 9)) start++;
  if (start >= line.length && prevEnd > 0) {
    start = prevEnd;
    while (start < line.length && (line.charCodeAt(start) === 32 || line.charCodeAt(start) === 9)) start++;
  }
  // Spring Boot's `1234 --- [main] logger : ` after the level.
  const spring = level ? springTail(line, start) : undefined;
  if (spring) {
    start = spring.start;
    logger = spring.logger;
  }
  const header: TextHeader = { start };
  if (level) header.level = level;
  if (logger) header.logger = logger;
  if (time && timeStart !== -1) {
    const text = line
      .slice(timeStart, timeEnd)
      .replace(/^\[|\]$/g, '')
      .replace(/[,:]$/, '')
      .replace(/(\d) ([+-]\d{2}:?\d{2})$/, '$1$2');
    const md = MONTH_DAY.exec(text);
    const noYear = SYSLOG_TIME.exec(text);
    // (ctime's `Sun Dec 04 04:47:44 2005`: the year after the clock)
    const year = noYear ? /^\s+((?:19|20)\d{2})(?!\S)/.exec(line.slice(timeEnd, timeEnd + 12)) : null;
    const month = noYear ? monthNumber(noYear[1]!) : undefined;
    const t = md
      ? yearless(Number(md[1]), Number(md[2]), md[3]!.replace(',', '.'))
      : month !== undefined
        ? yearless(month, Number(noYear![2]), noYear![3]!, year ? Number(year[1]) : undefined)
        : bracketTime !== undefined && timeEnd === bracketEnd
          ? bracketTime
          : parseTimestamp(text);
    // (a run that starts with epoch seconds or milliseconds and goes on with other fields: BGL's
    // `1118536327 2005.06.11 R30-M0-N9-C:J16-U01 2005-06-11-17.32.07.581048`)
    const epoch = t === undefined ? /^(\d{10}|\d{13})(?=\s)/.exec(text) : null;
    const time = t ?? (epoch ? parseTimestamp(Number(epoch[1])) : undefined);
    if (time !== undefined) header.timestamp = time;
  }
  return header;
}
