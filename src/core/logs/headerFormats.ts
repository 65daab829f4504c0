/**
 * Log headers of particular formats that the Errors and Patterns readers both know, and the year a header
 * does not write.
 */
import { parseTimestamp } from './values';

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
 * Monolog's (PHP) default line ends with the call's context and the processors' extra, each a JSON object or
 * array (`… Payment declined {"reason":"card_declined"} []`): the message without them, or undefined when the
 * message does not end with two JSON values.
 */
export function splitMonologTail(message: string): string | undefined {
  const extra = trailingJson(message, message.length);
  if (extra === undefined) return undefined;
  const context = trailingJson(message, extra);
  return context === undefined ? undefined : message.slice(0, context).trimEnd();
}

/** Where the JSON object or array that ends `message[0, end)` after a space starts (tried at a few places). */
function trailingJson(message: string, end: number): number | undefined {
  const last = message.charCodeAt(end - 1);
  if (last !== 93 /* ] */ && last !== 125 /* } */) return undefined;
  let at = end;
  for (let tries = 0; tries < 8; tries++) {
    at = Math.max(message.lastIndexOf(' {', at - 1), message.lastIndexOf(' [', at - 1));
    if (at === -1) return undefined;
    try {
      const v: unknown = JSON.parse(message.slice(at + 1, end));
      if (typeof v === 'object' && v !== null) return at;
    } catch {
      // not there: an earlier brace may open it
    }
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

/** A header read by one of the recognisers below: where the message starts, and what the header says. */
export interface KnownHeader {
  start: number;
  /** The level as the line writes it (`WARNING`, `warn`, `W`): callers normalise it. */
  level?: string;
  logger?: string;
  timestamp?: number;
}

export const LEVEL_WORDS = 'TRACE|DEBUG|INFO|NOTICE|WARNING|WARN|ERROR|ERR|CRITICAL|CRIT|FATAL|ALERT|EMERG|EXCEPTION|SEVERE|PANIC';

/** Python's `logging.basicConfig()` default, `%(levelname)s:%(name)s:%(message)s` (`ERROR:app.db:lookup failed`). */
const BASIC_CONFIG = new RegExp(`^(${LEVEL_WORDS}):([\\w.<>-]+):`);

export function basicConfigHeader(line: string): KnownHeader | undefined {
  const m = BASIC_CONFIG.exec(line);
  return m ? { start: m[0].length, level: m[1]!, logger: m[2]! } : undefined;
}

/** `06/Dec/2026:16:00:00 +0000`, the time of access logs. */
function clfTime(day: string, month: string, year: string, clock: string, zone: string): number | undefined {
  const mo = monthNumber(month);
  if (mo === undefined) return undefined;
  const t = Date.parse(`${year}-${String(mo).padStart(2, '0')}-${day}T${clock}${zone.slice(0, 3)}:${zone.slice(3)}`);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * The access logs of nginx and Apache (Common and Combined Log Format, and the many formats that start like
 * them): `client ident user [06/Dec/2026:16:00:00 +0000] "GET /x HTTP/1.1" 404 153 …`. The client, ident and
 * user are header; the message is the request and what follows. The level is the status class, as log
 * pipelines map it: 5xx an error, 4xx a warning, else info.
 */
const ACCESS = /^\S+ \S+ (?:"[^"]*"|\S+) \[(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?) ([+-]\d{4})\] (?=")/;
const REQUEST_STATUS = /^"(?:[^"\\]|\\.)*" (\d)\d\d\b/;

export function accessLogHeader(line: string): KnownHeader | undefined {
  const m = ACCESS.exec(line);
  if (!m) return undefined;
  const start = m[0].length;
  const status = REQUEST_STATUS.exec(line.slice(start, start + 2100));
  const level = status ? (status[1] === '5' ? 'ERROR' : status[1] === '4' ? 'WARNING' : 'INFO') : undefined;
  const t = clfTime(m[1]!, m[2]!, m[3]!, m[4]!, m[5]!);
  return { start, ...(level ? { level } : {}), ...(t !== undefined ? { timestamp: t } : {}) };
}

/**
 * Tornado's LogFormatter (Tornado, Jupyter): `[I 261206 16:00:00 web:2239] message`, with `%Y-%m-%d %H:%M:%S.%f`
 * times in Jupyter (`[W 2026-12-06 16:00:00.123 ServerApp] …`). The letter is the level.
 */
const TORNADO = /^\[([DIWEC]) (?:(\d{2})(\d{2})(\d{2}) (\d{2}:\d{2}:\d{2})|(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)) ([^\]\s]+)\]\s?/;
const TORNADO_LEVELS: Record<string, string> = { D: 'DEBUG', I: 'INFO', W: 'WARNING', E: 'ERROR', C: 'CRITICAL' };

export function tornadoHeader(line: string): KnownHeader | undefined {
  const m = TORNADO.exec(line);
  if (!m) return undefined;
  const iso = m[2] !== undefined ? `20${m[2]}-${m[3]}-${m[4]}T${m[5]}Z` : `${m[6]}T${m[7]!.length > 12 ? m[7]!.slice(0, 12) : m[7]}Z`;
  const t = Date.parse(iso);
  return { start: m[0].length, level: TORNADO_LEVELS[m[1]!]!, logger: m[8]!.replace(/:\d+$/, ''), ...(Number.isNaN(t) ? {} : { timestamp: t }) };
}

/**
 * PyTorch's C++ messages without a time (c10's own logging, torch < 2.4 and some builds since): `[W socket.cpp:663]
 * [c10d] The client socket has failed to connect …`, `[E ProcessGroupNCCL.cpp:475] [Rank 1] Watchdog caught …`.
 */
const C10 = /^\[([DIWEF]) ([\w./-]+\.\w+):\d+\]\s?/;

export function c10Header(line: string): KnownHeader | undefined {
  const m = C10.exec(line);
  if (!m) return undefined;
  const file = m[2]!;
  return { start: m[0].length, level: m[1] === 'F' ? 'FATAL' : TORNADO_LEVELS[m[1]!]!, logger: file.slice(file.lastIndexOf('/') + 1) };
}

/**
 * NCCL's debug lines (`NCCL_DEBUG=INFO|WARN`): `node01:4242:4300 [1] NCCL WARN NET/Socket : message too big`,
 * with the place in NCCL's source before `NCCL` on warnings (`[1] include/socket.h:409 NCCL WARN …`).
 */
const NCCL = /^[\w.-]+:\d+:\d+ \[\d+\] (?:[\w./-]+:\d+ )?NCCL (INFO|WARN|ERROR|TRACE|ABORT) /;

export function ncclHeader(line: string): KnownHeader | undefined {
  const m = NCCL.exec(line);
  if (!m) return undefined;
  return { start: m[0].length, level: m[1] === 'ABORT' ? 'FATAL' : m[1]!, logger: 'NCCL' };
}

/**
 * A program's own `name: level: message` with no time (argparse's `prog: error: …`, Slurm's `srun: error: …`
 * and `slurmstepd: error: *** JOB … CANCELLED …`, wandb's `wandb: ERROR …`): a lower-case name (a script's `train.py` too), then a level
 * word in capitals or followed by a colon. (A Python exception's `ValueError: …` has a capital.)
 */
const PROGRAM_LEVEL = /^([a-z][a-z0-9_.-]{0,39}): (?:(DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|CRITICAL|FATAL)\b:?|(debug|info|notice|warn|warning|error|critical|fatal):) ?/;

export function programLevelHeader(line: string): KnownHeader | undefined {
  const m = PROGRAM_LEVEL.exec(line);
  if (!m || m[0].length >= line.length) return undefined;
  return { start: m[0].length, level: (m[2] ?? m[3])!, logger: m[1]! };
}

/**
 * Python's warnings as `warnings.showwarning` prints them on stderr (FutureWarning and DeprecationWarning from
 * torch, transformers and friends fill training logs): `/srv/app/train.py:9: FutureWarning: message`, then the
 * source line indented. The place is header; the category stays in the message, which it names.
 */
const PY_WARNING = /^([^\s:]+\.py):\d+: (?=[A-Z]\w*Warning: )/;

export function pyWarningHeader(line: string): KnownHeader | undefined {
  const m = PY_WARNING.exec(line);
  if (!m || m[0].length >= line.length) return undefined;
  const file = m[1]!;
  return { start: m[0].length, level: 'WARNING', logger: file.slice(file.lastIndexOf('/') + 1) };
}

/**
 * Redis: `1234:M 06 Dec 2026 16:00:00.123 * Ready to accept connections` (pid, role, time, then a mark for the
 * level: `.` debug, `-` verbose, `*` notice, `#` warning).
 */
const REDIS = /^(\d+):([XCSM]) (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?) ([.\-*#]) /;
const REDIS_LEVELS: Record<string, string> = { '.': 'DEBUG', '-': 'DEBUG', '*': 'INFO', '#': 'WARNING' };

export function redisHeader(line: string): KnownHeader | undefined {
  const m = REDIS.exec(line);
  if (!m) return undefined;
  const mo = monthNumber(m[4]!);
  const t = mo === undefined ? NaN : Date.parse(`${m[5]}-${String(mo).padStart(2, '0')}-${m[3]}T${m[6]!.length > 12 ? m[6]!.slice(0, 12) : m[6]}Z`);
  return { start: m[0].length, level: REDIS_LEVELS[m[7]!]!, ...(Number.isNaN(t) ? {} : { timestamp: t }) };
}

/** Ruby's Logger: `I, [2026-12-06T16:00:00.123456 #1234]  INFO -- progname: message` (the progname may be empty). */
const RUBY = /^[DIWEFA], \[(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)(?:Z|[+-]\d{2}:?\d{2})? #\d+\]\s+([A-Z]+) -- ([^:]*): /;

export function rubyLoggerHeader(line: string): KnownHeader | undefined {
  const m = RUBY.exec(line);
  if (!m) return undefined;
  const clock = m[1]!.length > 23 ? m[1]!.slice(0, 23) : m[1]!;
  const t = Date.parse(`${clock}Z`);
  return { start: m[0].length, level: m[2]!, ...(m[3] ? { logger: m[3] } : {}), ...(Number.isNaN(t) ? {} : { timestamp: t }) };
}

/**
 * Bracket groups side by side (log4j2 as Elasticsearch and OpenSearch write it):
 * `[2026-12-06T16:00:00,123][INFO ][o.e.n.Node               ] [node-1] started`. The groups are the time,
 * the level and the logger; one more group after a space (the node) is header too.
 */
const BRACKET_RUN = /^\[([^\][]+)\]\[\s*([A-Za-z]+)\s*\]\[\s*([^\][]+?)\s*\](?: \[[^\][]*\])?\s?/;
const LEVEL_WORD = new RegExp(`^(?:${LEVEL_WORDS})$`, 'i');

export function bracketRunHeader(line: string): KnownHeader | undefined {
  const m = BRACKET_RUN.exec(line);
  if (!m || !LEVEL_WORD.test(m[2]!)) return undefined;
  const t = parseTimestamp(m[1]!);
  if (t === undefined) return undefined;
  return { start: m[0].length, level: m[2]!, logger: m[3]!, timestamp: t };
}

/**
 * Spring Boot's default line after its level: `1234 --- [           main] o.s.b.w.e.t.TomcatWebServer  : Tomcat
 * started…` (pid, `---`, the thread and, from Spring Boot 3.2, the application name in brackets, the logger,
 * then ` : `). Returns the offset of the message from `from`, and the logger.
 */
const SPRING_TAIL = /^\s*\d+ --- (?:\[[^\]]*\]\s*)+([\w.$[\]/-]+)\s+: /;

export function springTail(line: string, from: number): { start: number; logger: string } | undefined {
  // (the pid and ` --- ` come right after the level: other lines leave before the expression runs)
  const dashes = line.indexOf(' --- ', from);
  if (dashes === -1 || dashes > from + 24) return undefined;
  const m = SPRING_TAIL.exec(line.slice(from, from + 400));
  return m ? { start: from + m[0].length, logger: m[1]! } : undefined;
}

/**
 * Hugging Face Transformers' scripts (`[%(levelname)s|%(filename)s:%(lineno)s] %(asctime)s >> %(message)s`):
 * `[INFO|trainer.py:2345] 2026-12-06 16:00:00,123 >> ***** Running training *****`.
 */
const TRANSFORMERS = new RegExp(`^\\[(${LEVEL_WORDS})\\|([^\\]\\s|]+)\\] (\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(?:[.,]\\d{1,6})?) >> `);

export function transformersHeader(line: string): KnownHeader | undefined {
  const m = TRANSFORMERS.exec(line);
  if (!m) return undefined;
  const t = Date.parse(`${m[3]!.replace(' ', 'T').replace(',', '.')}Z`);
  return { start: m[0].length, level: m[1]!, logger: m[2]!.replace(/:\d+$/, ''), ...(Number.isNaN(t) ? {} : { timestamp: t }) };
}

/**
 * Ray's C++ components (raylet, GCS, core workers): `[2026-12-06 16:00:00,123 E 1234 1234] (raylet)
 * node_manager.cc:123: message` — time, level letter, pid and thread, the component, the place in the code.
 */
const RAY = /^\[(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}),(\d{3}) ([DIWEF]) \d+ \d+\] (?:\(([\w-]+)\) )?(?:[\w./-]+:\d+: )?/;
const RAY_LEVELS: Record<string, string> = { D: 'DEBUG', I: 'INFO', W: 'WARNING', E: 'ERROR', F: 'FATAL' };

export function rayHeader(line: string): KnownHeader | undefined {
  const m = RAY.exec(line);
  if (!m) return undefined;
  const t = Date.parse(`${m[1]}T${m[2]}.${m[3]}Z`);
  return { start: m[0].length, level: RAY_LEVELS[m[4]!]!, ...(m[5] ? { logger: m[5] } : {}), ...(Number.isNaN(t) ? {} : { timestamp: t }) };
}

/**
 * The recognisers above, for a line whose format is not known: the first character picks the candidates, so a
 * line of another format pays one or two failed matches. `access`: also access logs (their status class as the
 * level: the Patterns view; the Errors view does not count 5xx access lines as error events).
 */
export function knownHeader(line: string, access: boolean): KnownHeader | undefined {
  const c = line.charCodeAt(0);
  let h: KnownHeader | undefined;
  if (c === 91 /* [ */) h = tornadoHeader(line) ?? c10Header(line) ?? bracketRunHeader(line) ?? transformersHeader(line) ?? rayHeader(line);
  else if (c >= 65 && c <= 90 /* A-Z */) h = basicConfigHeader(line) ?? rubyLoggerHeader(line) ?? ncclHeader(line);
  else if (c >= 97 && c <= 122 /* a-z */) h = programLevelHeader(line) ?? ncclHeader(line) ?? pyWarningHeader(line);
  else if (c === 47 /* / */ || c === 46 /* . */) h = pyWarningHeader(line);
  else if (c >= 48 && c <= 57 /* 0-9 */) h = redisHeader(line);
  if (h || !access) return h;
  // (an access line has ` [` before its time: most lines of other logs fail this before the expression runs)
  const bracket = line.indexOf(' [');
  return bracket !== -1 && bracket < 400 ? accessLogHeader(line) : undefined;
}

/** java.util.logging's second line (`SEVERE: message`); Python's basicConfig writes `ERROR:name:message`. */
export const JUL_SECOND = /^(?:SEVERE|WARNING|INFO|CONFIG|FINE|FINER|FINEST): /;
