/** Normalising the values of log fields: levels, timestamps, ids. */

const SEVERITY_NUMBER_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

/** Level names upper-cased; OTel severity numbers (1–24) and Python levelno (10–50) mapped to names. */
/**
 * Other names of the same levels: .NET's and Serilog's (`Information`, `Verbose`) and the letters of MongoDB's
 * JSON logs (`"s": "E"`, D1–D5 its debug verbosities).
 */
const LEVEL_ALIASES: Record<string, string> = {
  WARN: 'WARNING',
  INFORMATION: 'INFO',
  VERBOSE: 'DEBUG',
  F: 'FATAL',
  E: 'ERROR',
  W: 'WARNING',
  I: 'INFO',
  D: 'DEBUG',
  D1: 'DEBUG',
  D2: 'DEBUG',
  D3: 'DEBUG',
  D4: 'DEBUG',
  D5: 'DEBUG',
};

export function normaliseLevel(v: unknown): string | undefined {
  if (typeof v === 'string') {
    if (v.length === 0) return undefined;
    const u = v.toUpperCase();
    const alias = LEVEL_ALIASES[u];
    if (alias !== undefined) return alias;
    if (/^\d+$/.test(u)) return normaliseLevel(Number(u));
    return u;
  }
  if (typeof v === 'number' && Number.isFinite(v)) {
    if (v >= 1 && v <= 24 && Number.isInteger(v)) {
      const name = SEVERITY_NUMBER_LEVELS[Math.floor((v - 1) / 4)]!;
      return name === 'WARN' ? 'WARNING' : name;
    }
    if (v >= 50) return 'CRITICAL';
    if (v >= 40) return 'ERROR';
    if (v >= 30) return 'WARNING';
    if (v >= 20) return 'INFO';
    if (v >= 0) return 'DEBUG';
  }
  return undefined;
}

/**
 * pino's and bunyan's numeric levels (Node.js): 10 trace … 30 info, 40 warn, 50 error, 60 fatal — ten below
 * Python's levelno for the same name, so a log is read on one scale or the other (see `isPinoRecord`).
 */
export function pinoLevelName(v: unknown): unknown {
  if (typeof v !== 'number') return v;
  return v >= 60 ? 'FATAL' : v >= 50 ? 'ERROR' : v >= 40 ? 'WARNING' : v >= 30 ? 'INFO' : v >= 20 ? 'DEBUG' : 'TRACE';
}

/** A record pino or bunyan wrote: a numeric `level` next to their `pid` and `hostname`, and a `time`. */
export function isPinoRecord(o: Record<string, unknown>): boolean {
  return typeof o.level === 'number' && 'pid' in o && 'hostname' in o && 'time' in o;
}

/** Epoch numbers by magnitude: seconds, milliseconds, microseconds or nanoseconds. */
function fromEpoch(n: number): number | undefined {
  if (!Number.isFinite(n) || n <= 0) return undefined;
  if (n < 1e11) return n * 1000;
  if (n < 1e14) return n;
  if (n < 1e17) return n / 1000;
  return n / 1e6;
}

const minuteCache = { key: '', base: 0 };

/**
 * `YYYY-MM-DDTHH:MM:SS[.fff…]Z`, the time most JSON loggers write, without Date.parse: the minute is parsed
 * once and cached (lines come in time order), the seconds and milliseconds are read from the digits.
 * Anything else returns undefined (the general parser takes it).
 */
function isoUtc(v: string): number | undefined {
  return isoUtcIn(v, 0, v.length);
}

/**
 * `isoUtc` of `text[from, to)`, read in place: a raw JSON line's time costs no substring (the minute's
 * characters are compared with the cached minute's one by one).
 */
export function isoUtcIn(text: string, from: number, to: number): number | undefined {
  const n = to - from;
  if (n < 20 || n > 30 || text.charCodeAt(from + 10) !== 84 /* T */ || text.charCodeAt(to - 1) !== 90 /* Z */ || text.charCodeAt(from + 16) !== 58 /* : */) return undefined;
  const s1 = text.charCodeAt(from + 17) - 48;
  const s2 = text.charCodeAt(from + 18) - 48;
  if (s1 < 0 || s1 > 5 || s2 < 0 || s2 > 9) return undefined;
  let ms = 0;
  if (text.charCodeAt(from + 19) === 46 /* . */) {
    let scale = 100;
    for (let i = from + 20; i < to - 1; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return undefined;
      if (scale >= 1) ms += d * scale;
      scale /= 10;
    }
  } else if (n !== 20) return undefined;
  const cached = minuteCache.key;
  let same = cached.length === 16;
  for (let i = 0; same && i < 16; i++) same = text.charCodeAt(from + i) === cached.charCodeAt(i);
  if (!same) {
    const key = text.slice(from, from + 16);
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(key)) return undefined;
    const base = Date.parse(`${key}:00Z`);
    if (Number.isNaN(base)) return undefined;
    minuteCache.key = key;
    minuteCache.base = base;
  }
  return minuteCache.base + (s1 * 10 + s2) * 1000 + Math.floor(ms);
}

/**
 * log4j's `yy/MM/dd HH:mm:ss` (Spark's and Hadoop's default layout). Only when the first field cannot be a
 * month: `12/06/26 16:00:00` is left to Date.parse, which reads it the US way (MM/dd/yy).
 */
const YY_MM_DD = /^(1[3-9]|[2-9]\d)\/(\d{2})\/(\d{2})[ T](\d{2}:\d{2}:\d{2})(?:[,.](\d{1,9}))?$/;
const PY_ASCTIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:[,.](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Timestamps as loggers write them: ISO 8601 (with or without zone), Python's asctime
 * (`2026-11-20 09:00:01,123`), epoch numbers in any unit, OTLP's decimal nanosecond strings. A time
 * without a zone is taken as UTC (servers log in UTC; say so in the README).
 */
export function parseTimestamp(v: unknown): number | undefined {
  if (typeof v === 'number') return fromEpoch(v);
  if (typeof v !== 'string' || v.length === 0) return undefined;
  const fast = isoUtc(v);
  if (fast !== undefined) return fast;
  if (/^\d{16,}$/.test(v)) {
    // Microseconds or nanoseconds as decimal strings (OTLP's timeUnixNano): beyond 2^53, so split the digits
    // instead of rounding the whole number.
    const cut = v.length >= 18 ? 6 : 3;
    const ms = Number(v.slice(0, v.length - cut)) + Number(v.slice(v.length - cut)) / 10 ** cut;
    return fromEpoch(ms);
  }
  if (/^\d+(?:\.\d+)?$/.test(v)) return fromEpoch(Number(v));
  const m = PY_ASCTIME.exec(v);
  if (m) {
    const frac = m[3] ? `.${m[3].slice(0, 3).padEnd(3, '0')}` : '';
    const zone = m[4] ? (m[4] === 'Z' ? 'Z' : m[4].length === 5 ? `${m[4].slice(0, 3)}:${m[4].slice(3)}` : m[4]) : 'Z';
    const t = Date.parse(`${m[1]}T${m[2]}${frac}${zone}`);
    return Number.isNaN(t) ? undefined : t;
  }
  const yy = YY_MM_DD.exec(v);
  if (yy) {
    const t = Date.parse(`20${yy[1]}-${yy[2]}-${yy[3]}T${yy[4]}${yy[5] ? `.${yy[5].slice(0, 3).padEnd(3, '0')}` : ''}Z`);
    return Number.isNaN(t) ? undefined : t;
  }
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

/** Ids as lower-case hex without `0x`; numbers and other strings as they are. */
export function normaliseId(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string' || v.length === 0) return undefined;
  // (most ids that are not hex, `req-…`, say so at their first character: no slice, no regex, per record)
  const c = v.charCodeAt(0) | 32;
  if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return v;
  const s = v.startsWith('0x') || v.startsWith('0X') ? v.slice(2) : v;
  return /^[0-9a-fA-F]+$/.test(s) ? s.toLowerCase() : v;
}

/** A scalar as display text; objects as compact JSON (bounded). */
export function asText(v: unknown, max = 2000): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  try {
    const s = JSON.stringify(v);
    return s.length > max ? `${s.slice(0, max)}…` : s;
  } catch {
    return undefined;
  }
}

/**
 * What a terminal shows of a line rewritten with carriage returns (tqdm's and Keras's progress bars, captured
 * from a training job's output): the text after the last `\r` that has any.
 */
export function lastRewrite(text: string): string {
  let cr = text.lastIndexOf('\r');
  if (cr === -1) return text;
  while (cr !== -1 && cr === text.length - 1) {
    text = text.slice(0, cr);
    cr = text.lastIndexOf('\r');
  }
  return cr === -1 ? text : text.slice(cr + 1);
}

/** Terminal colour and cursor codes (`ESC[31m`): coloured console logs read as the text they show. */
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
export function stripAnsi(text: string): string {
  return text.includes('\x1b') ? text.replace(ANSI, '') : text;
}
