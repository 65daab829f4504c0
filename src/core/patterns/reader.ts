/**
 * Lines to log records for pattern mining: any log, not only Python errors. Text chunks go in, one record
 * per log event comes out, in constant memory.
 *
 * - JSON Lines (any logger; the message, level, time, service and version fields found by the same field
 *   mapping as the Errors view, src/core/logs/fieldMapping.ts). Once the fields are known and are top-level
 *   keys, a line is read without JSON.parse: the few values needed are cut out of the raw text when that is
 *   certain (see `RawJsonFields`); any doubt falls back to the full parse. OTLP/JSON log exports expand to
 *   their records.
 * - Plain text of any family (../logs/textHeader.ts reads the header); lines that start with whitespace and
 *   Python tracebacks belong to the record above them (`lines` mode: each physical line is its own record,
 *   for `--assign`).
 *
 * Nothing throws on content: binary lines, invalid UTF-8 and over-long lines are counted in `SkipCounter`.
 */
import { FieldResolver, type FieldMapping } from '../logs/fieldMapping';
import { expandJson, normaliseLevelCached } from '../logs/jsonRecord';
import { journalStart, looksLikeJournal, mayBeContainerLine, programLines, unwrapContainerLine } from '../logs/containerLogs';
import { syslogLine } from '../logs/syslogPrefix';
import { stripWorkerPrefix } from '../logs/workerPrefixes';
import { julFirstLine, splitJsonTail, splitMonologTail } from '../logs/headerFormats';
import { parseLogfmt } from '../logs/logfmt';
import { SkipCounter } from '../logs/skips';
import { asText, isoUtcIn, parseTimestamp, lastRewrite, pinoLevelName, stripAnsi } from '../logs/values';
import { parseTextHeader } from '../logs/textHeader';

export interface PatternRecord {
  source: string;
  /** 1-based line of the record's first line. */
  line: number;
  message: string;
  level?: string;
  timestamp?: number;
  service?: string;
  version?: string;
  logger?: string;
}

export interface PatternReaderOptions {
  fields?: FieldMapping;
  /** Longest line read, in characters (default 1 Mi); longer ones are skipped as they stream. */
  maxLineLength?: number;
  /** Every physical line is one record, blank lines included (for `--assign`). */
  lines?: boolean;
  signal?: AbortSignal;
  /** Read JSON fields from the raw text when certain (default true). */
  fastPath?: boolean;
}

export class PatternReadCancelled extends Error {
  constructor() {
    super('Reading logs was cancelled.');
  }
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0e-\x1a\x1c-\x1f]/;
// (and a JVM exception's causes: `Caused by: java.io.IOException: …`, its frames are indented; the threads of
// CPython's crash report: `Current thread 0x00007f… (most recent call first):`; Go's `goroutine 1 [running]:`
// and Rust's `stack backtrace:` under a panic; a Ruby backtrace's `/srv/app/app.rb:17:in 'charge'`; IPython's
// rule, `Type   Traceback (most recent call last)`, `File /srv/app/job.py:7, in f(x)`, `Cell In[3], line 2` and
// `---> 7 …`)
const TRACEBACK_LINE = /^(?:Traceback \(most recent call last\):|-{20,}\s*$|[\w.]+\s+Traceback \(most recent call last\)|File \S+:\d+(?:, in |$)|Cell In\s?\[\d+\], line \d+|-+> ?\d+|\S+:\d+:in [`'][^']*'$|\s+File "|During handling of the above exception|The above exception was the direct cause|Caused by: [\w$.]+|(?:Current thread|Thread) 0x[0-9a-fA-F]+ |goroutine \d+ \[|stack backtrace:$|[\w.]+(?:Error|Exception|Warning|Exit|Interrupt)(?::|$))/;

// The logger is not read on the raw path: nothing in the pattern statistics uses it.
const RAW_FIELDS = ['message', 'level', 'timestamp', 'service', 'version'] as const;
type RawField = (typeof RAW_FIELDS)[number];

/**
 * The top-level keys of the fields a record needs, once detection has settled on them. A value is read
 * from the raw line only when certain: no `{` opens between the line's start and the keys, each value is a
 * plain string (escapes are decoded by JSON.parse of that string alone), a number or null, and the line
 * ends with `}`; anything else sends the line to JSON.parse.
 */
class RawJsonFields {
  readonly keys: { field: RawField; needle: string }[];
  constructor(fields: FieldResolver) {
    this.keys = [];
    for (const f of RAW_FIELDS) {
      const path = fields.lockedPath(f);
      if (path && !path.includes('.') && !/["\\]/.test(path)) this.keys.push({ field: f, needle: `"${path}":` });
    }
  }

  /** Keys in the order the logger writes them (learnt from the lines read): each search starts after the last. */
  private order: number[] | undefined;

  /** The time of the line just read when it was an ISO UTC string read in place (then `out.timestamp` is unset). */
  time: number | undefined;

  /** The next backslash of the line at or after the last place looked (-1: none), so each value need not look. */
  private bs = -1;
  private bsFrom = 0;
  /** The string last read for each field but the message: levels, services and releases repeat line after line. */
  private readonly last: Partial<Record<RawField, string>> = {};

  /** Reads the values into `out`; false when the line needs the full parse. */
  read(text: string, start: number, end: number, out: Partial<Record<RawField, string | number>>): boolean {
    this.time = undefined;
    this.bsFrom = start;
    this.bs = text.indexOf('\\', start);
    if (text.charCodeAt(start) !== 123 /* { */) return false;
    let e = end - 1;
    while (e > start && (text.charCodeAt(e) === 32 || text.charCodeAt(e) === 13 || text.charCodeAt(e) === 9)) e--;
    if (text.charCodeAt(e) !== 125 /* } */) return false;
    const order = this.order ?? this.keys.map((_, i) => i);
    let from = start;
    let lastKey = start;
    let inOrder = true;
    // The keys' order is learnt from the first line read (later lines search each key after the one before).
    const learn = this.order === undefined ? new Array<number>(order.length).fill(Infinity) : undefined;
    for (let o = 0; o < order.length; o++) {
      const k = order[o]!;
      const { field, needle } = this.keys[k]!;
      let at = text.indexOf(needle, from);
      if (at === -1 || at >= end) {
        if (from === start) continue;
        // Not after the previous key: the order differs on this line; search from the start.
        at = text.indexOf(needle, start);
        if (at === -1 || at >= end) continue;
        inOrder = false;
      }
      if (learn) learn[o] = at;
      if (at > lastKey) lastKey = at;
      const next = this.value(text, at + needle.length, end, field, out);
      if (next === -1) return false;
      if (inOrder) from = next;
    }
    if (learn && learn.some((at) => at !== Infinity)) this.order = order.map((k, i) => [k, learn[i]!] as const).sort((a, b) => a[1] - b[1]).map(([k]) => k);
    // A key after a nested object's `{` may be that object's: no `{` may open before the last key found.
    // (Arrays do not matter on their own: a key inside one is inside an object in it.)
    // (The first `{` after the line's own is looked for forward: a backward search from the key is several
    // times slower, and a forward one stops at the next line's `{` at the latest.)
    const brace = text.indexOf('{', start + 1);
    if (brace !== -1 && brace < lastKey) return false;
    return true;
  }

  /** Reads one value at `i`; returns the offset after it, or -1 when it is not a plain string or number. */
  private value(text: string, i: number, end: number, field: RawField, out: Partial<Record<RawField, string | number>>): number {
    while (text.charCodeAt(i) === 32) i++;
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      let q = text.indexOf('"', i + 1);
      if (q === -1 || q >= end) return -1;
      if (this.bs !== -1 && this.bs <= i) {
        this.bsFrom = i + 1;
        this.bs = text.indexOf('\\', i + 1);
      } else if (this.bsFrom > i + 1) {
        // (keys out of order: look again from here)
        this.bsFrom = i + 1;
        this.bs = text.indexOf('\\', i + 1);
      }
      const slash = this.bs;
      if (slash !== -1 && slash < q) {
        // Escapes: find the real closing quote, then let JSON.parse decode the string alone.
        q = i + 1;
        for (;;) {
          if (q >= end) return -1;
          const ch = text.charCodeAt(q);
          if (ch === 92) q += 2;
          else if (ch === 34) break;
          else q++;
        }
        try {
          out[field] = JSON.parse(text.slice(i, q + 1)) as string;
        } catch {
          return -1;
        }
      } else if (field === 'timestamp') {
        // The usual ISO time is read in place; any other form is cut out for the general parser.
        const t = isoUtcIn(text, i + 1, q);
        if (t !== undefined) this.time = t;
        else out[field] = text.slice(i + 1, q);
      } else if (field === 'message') out[field] = text.slice(i + 1, q);
      else {
        const last = this.last[field];
        if (last !== undefined && last.length === q - i - 1 && text.startsWith(last, i + 1)) out[field] = last;
        else out[field] = this.last[field] = text.slice(i + 1, q);
      }
      return q + 1;
    }
    if ((c >= 48 && c <= 57) || c === 45) {
      let k = i + 1;
      while (k < end) {
        const d = text.charCodeAt(k);
        if ((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45) k++;
        else break;
      }
      const n = Number(text.slice(i, k));
      if (!Number.isFinite(n)) return -1;
      out[field] = n;
      return k;
    }
    if (c === 110 /* n */ && text.startsWith('null', i)) return i + 4;
    return -1;
  }
}

/** Shared by every source of one read: field detection, counters, the consumer. */
export class PatternReaderContext {
  readonly fields: FieldResolver;
  readonly skips = new SkipCounter();
  readonly stats = { lines: 0, records: 0, sources: 0 };
  readonly maxLineLength: number;
  readonly linesMode: boolean;
  readonly signal: AbortSignal | undefined;
  readonly fastPath: boolean;
  raw: RawJsonFields | undefined;
  jsonSeen = 0;

  constructor(
    readonly onRecord: (record: PatternRecord) => void,
    options: PatternReaderOptions = {},
  ) {
    this.fields = new FieldResolver(options.fields);
    this.maxLineLength = options.maxLineLength ?? 1024 * 1024;
    this.linesMode = options.lines ?? false;
    this.signal = options.signal;
    this.fastPath = options.fastPath ?? true;
  }

  source(name: string): PatternSourceReader {
    return new PatternSourceReader(name, this);
  }
}

/**
 * The message of a text line without the context its logger added: a logfmt line's `msg` (its time and
 * level too, when the header had none), and not zap's JSON object of fields after a tab (`Starting…\t{"port":
 * 16686}`). The context is the call's values, as a JSON line's other fields are: kept in the template, a run of
 * constant context keys would outweigh the few words that tell the logging calls apart.
 */
function contextFree(r: PatternRecord): void {
  const m = r.message;
  const kv = parseLogfmt(m);
  if (kv) {
    r.message = kv.message.includes('\n') ? firstLine(kv.message) : kv.message;
    if (r.level === undefined && kv.level !== undefined) {
      const level = normaliseLevelCached(kv.level);
      if (level) r.level = level;
    }
    if (r.timestamp === undefined && kv.time !== undefined) {
      const t = parseTimestamp(kv.time);
      if (t !== undefined) r.timestamp = t;
    }
    if (r.logger === undefined && kv.logger) r.logger = kv.logger;
    return;
  }
  const tail = splitJsonTail(m);
  if (tail) r.message = tail.head;
  else {
    const head = splitMonologTail(m);
    if (head) r.message = head;
  }
}

function firstLine(s: string): string {
  const nl = s.indexOf('\n');
  return nl === -1 ? s : s.slice(0, nl).replace(/\r$/, '');
}

/** Reads one source. Feed it text with `push`, then call `end`. */
export class PatternSourceReader {
  private carry = '';
  private skippingLong = false;
  private lineNo = 0;
  private pending: PatternRecord | undefined;
  private chunkHasReplacement = false;
  /** Whether the chunk (or the line carried into it) has a carriage return: only then are lines rewritten. */
  private chunkHasCR = false;
  private readonly raw: Partial<Record<RawField, string | number>> = {};
  /** A container runtime's line cut short (see ../logs/containerLogs.ts), waiting for its rest. */
  private runtimeCarry = '';
  /** A java.util.logging record's first line, waiting for its `LEVEL: message` line. */
  private jul: { line: number; text: string; timestamp?: number; logger: string } | undefined;

  constructor(
    readonly source: string,
    private readonly ctx: PatternReaderContext,
  ) {
    ctx.stats.sources++;
  }

  push(text: string): void {
    const ctx = this.ctx;
    if (ctx.signal?.aborted) throw new PatternReadCancelled();
    this.chunkHasReplacement = text.includes('\uFFFD');
    this.chunkHasCR = text.includes('\r') || this.carry.includes('\r');
    const max = ctx.maxLineLength;
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) {
        if (this.skippingLong) return;
        this.carry += text.slice(start);
        if (this.carry.length > max) {
          this.skippingLong = true;
          this.carry = '';
        }
        return;
      }
      if (this.skippingLong) {
        this.skipLong();
        start = nl + 1;
        continue;
      }
      if (this.carry.length === 0) {
        if (nl - start > max) {
          this.skipLong();
          start = nl + 1;
          continue;
        }
        this.line(text, start, nl);
      } else {
        const line = this.carry + text.slice(start, nl);
        this.carry = '';
        if (line.length > max) this.skipLong();
        else this.line(line, 0, line.length);
      }
      start = nl + 1;
    }
  }

  end(): void {
    if (this.skippingLong) this.skipLong();
    else if (this.carry.length) {
      const last = this.carry;
      this.carry = '';
      this.chunkHasCR = last.includes('\r');
      this.line(last, 0, last.length);
    }
    this.flush();
    if (this.jul) {
      this.emitJulAlone(this.jul);
      this.jul = undefined;
    }
  }

  private skipLong(): void {
    this.skippingLong = false;
    this.carry = '';
    const n = ++this.lineNo;
    this.ctx.stats.lines++;
    this.ctx.skips.add('tooLong', this.source, n);
    if (this.ctx.linesMode) this.emit({ source: this.source, line: n, message: '' });
  }

  /** One physical line, `text[start, end)`. */
  private line(text: string, start: number, end: number): void {
    const ctx = this.ctx;
    const n = ++this.lineNo;
    ctx.stats.lines++;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    const inner = mayBeContainerLine(text, start) || this.isJournalLine(text, start, end) ? unwrapContainerLine(start === 0 && end === text.length ? text : text.slice(start, end)) : undefined;
    if (inner) {
      // What the program wrote, read as if from its own output (its traceback under its log line, its time).
      const whole = this.runtimeCarry + inner.text;
      if (inner.partial && !ctx.linesMode) {
        this.runtimeCarry = whole.length > ctx.maxLineLength ? '' : whole;
        if (whole.length > ctx.maxLineLength) ctx.skips.add('tooLong', this.source, n);
        return;
      }
      this.runtimeCarry = '';
      // (a journal entry of several lines, or of another program than the one before, starts afresh)
      if (inner.program !== undefined) {
        if (inner.program !== this.lastProgram || whole.includes('\n')) this.flush();
        this.lastProgram = inner.program;
      }
      const starts = (t: string) => {
        if (TRACEBACK_LINE.test(t)) return false;
        const h = parseTextHeader(t);
        return inner.header !== undefined ? journalStart(h, t) : h === undefined;
      };
      // (a journal entry of several lines is read a line at a time, or only its first where each physical line
      // gives one record)
      for (const line of programLines(inner, whole, starts, ctx.linesMode ? 1 : 1000)) this.programLine(line, 0, line.length, n);
      return;
    }
    this.programLine(text, start, end, n);
  }

  /** The program of the last line with a syslog prefix (continuation lines of the same program are skipped). */
  private syslogProgram: string | undefined;

  /** Whether a source is a journal export (`journalctl -o json`), decided by its first JSON line. */
  private journal: boolean | undefined;
  /** The program of the journal entry before. */
  private lastProgram: string | undefined;

  private isJournalLine(text: string, start: number, end: number): boolean {
    if (text.charCodeAt(start) !== 123 /* { */) return false;
    if (this.journal === undefined) this.journal = looksLikeJournal(text, start, end);
    return this.journal;
  }

  /** A line as the program wrote it (unwrapped from a container runtime's or the journal's line), `text[start, end)`. */
  private programLine(text: string, start: number, end: number, n: number): void {
    const ctx = this.ctx;
    const c = text.charCodeAt(start);
    if (c === 123 /* { */) {
      // A slice of the chunk (no copy): searches for keys stop at the end of the line.
      const line = start === 0 && end === text.length ? text : text.slice(start, end);
      if (ctx.raw && this.fast(line, 0, line.length, n)) return;
      if (this.json(line, n)) return;
      this.text(line, n);
      return;
    }
    this.text(start === 0 && end === text.length ? text : text.slice(start, end), n);
  }

  private fast(text: string, start: number, end: number, n: number): boolean {
    const raw = this.raw;
    raw.message = raw.level = raw.timestamp = raw.service = raw.version = undefined;
    const fields = this.ctx.raw!;
    if (!fields.read(text, start, end, raw)) return false;
    if (raw.message === undefined && raw.level === undefined) return false;
    this.flush();
    const m = raw.message as string | number | undefined;
    const r: PatternRecord = { source: this.source, line: n, message: typeof m === 'string' ? (m.includes('\n') ? firstLine(m) : m) : m === undefined ? '' : String(m) };
    if (this.chunkHasReplacement && r.message.includes('\uFFFD')) this.ctx.skips.add('notUtf8', this.source, n);
    if (raw.level !== undefined) {
      const level = normaliseLevelCached(this.ctx.fields.pinoLevels ? pinoLevelName(raw.level) : raw.level);
      if (level) r.level = level;
    }
    if (fields.time !== undefined) r.timestamp = fields.time;
    else if (raw.timestamp !== undefined) {
      const t = fastTime(raw.timestamp);
      if (t !== undefined) r.timestamp = t;
    }
    if (typeof raw.service === 'string' && raw.service) r.service = raw.service;
    if (raw.version !== undefined && raw.version !== '') r.version = String(raw.version);
    this.ctx.stats.records++;
    this.emit(r);
    return true;
  }

  private json(line: string, n: number): boolean {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return false;
    }
    const ctx = this.ctx;
    const objects = typeof value === 'object' && value !== null && !Array.isArray(value) && !('resourceLogs' in value) ? [value as Record<string, unknown>] : expandJson(value);
    if (objects.length === 0) return false;
    this.flush();
    let emitted = false;
    for (const o of objects) {
      ctx.fields.noteLevelScale(o);
      const messageRaw = ctx.fields.get(o, 'message');
      const levelRaw = ctx.fields.get(o, 'level');
      if (messageRaw === undefined && levelRaw === undefined) {
        ctx.skips.add('noFields', this.source, n);
        continue;
      }
      const message = asText(messageRaw) ?? '';
      const r: PatternRecord = { source: this.source, line: n, message: message.includes('\n') ? firstLine(message) : message };
      if (this.chunkHasReplacement && message.includes('\uFFFD')) ctx.skips.add('notUtf8', this.source, n);
      const level = normaliseLevelCached(levelRaw);
      if (level) r.level = level;
      const t = parseTimestamp(ctx.fields.get(o, 'timestamp'));
      if (t !== undefined) r.timestamp = t;
      const service = asText(ctx.fields.get(o, 'service'), 200);
      if (service) r.service = service;
      const version = asText(ctx.fields.get(o, 'version'), 200);
      if (version) r.version = version;
      const logger = asText(ctx.fields.get(o, 'logger'), 200);
      if (logger) r.logger = logger;
      ctx.stats.records++;
      if (!ctx.linesMode || !emitted) this.emit(r);
      emitted = true;
    }
    if (!emitted && ctx.linesMode) this.emit({ source: this.source, line: n, message: '' });
    // After enough whole parses the fields have settled: later lines may take the raw path.
    if (ctx.fastPath && !ctx.raw && ++ctx.jsonSeen >= 20) {
      const raw = new RawJsonFields(ctx.fields);
      if (raw.keys.some((k) => k.field === 'message')) ctx.raw = raw;
    }
    return true;
  }

  private text(line: string, n: number): void {
    const ctx = this.ctx;
    line = stripWorkerPrefix(stripAnsi(this.chunkHasCR ? lastRewrite(line) : line));
    if (line.trim() === '') {
      if (ctx.linesMode) this.emit({ source: this.source, line: n, message: '' });
      return;
    }
    if (CONTROL.test(line)) {
      ctx.skips.add('binary', this.source, n);
      if (ctx.linesMode) this.emit({ source: this.source, line: n, message: '' });
      return;
    }
    if (this.chunkHasReplacement && line.includes('\uFFFD')) ctx.skips.add('notUtf8', this.source, n);
    if (!ctx.linesMode && this.pending) {
      const c = line.charCodeAt(0);
      // Continuation lines (indented, or a traceback under its log line) belong to the record above; so do
      // they behind a syslog prefix of the same program (`Dec 07 05:29:10 vm checkout[9729]:   File …`).
      if (c === 32 || c === 9 || TRACEBACK_LINE.test(line)) return;
      const sys = syslogLine(line);
      const same = sys !== undefined && sys.program === this.syslogProgram;
      this.syslogProgram = sys?.program;
      if (same && sys.rest !== '' && (sys.rest.charCodeAt(0) === 32 || sys.rest.charCodeAt(0) === 9 || TRACEBACK_LINE.test(sys.rest))) return;
    } else this.syslogProgram = ctx.linesMode ? undefined : syslogLine(line)?.program;
    const jul = this.jul;
    if (jul) this.jul = undefined;
    if (!ctx.linesMode) {
      const first = julFirstLine(line);
      if (first) {
        this.flush();
        if (jul) this.emitJulAlone(jul);
        this.jul = { ...first, line: n, text: line };
        return;
      }
    }
    const h = parseTextHeader(line);
    // A line of words a header could start with and nothing after (`warning`, `Link error`, `critical`): with
    // no time in it, the words are the message (its level stays); read as a header, it would be blank.
    const rest = h ? line.slice(h.start) : line;
    const r: PatternRecord = { source: this.source, line: n, message: h && h.timestamp === undefined && rest.trim() === '' ? line.trim() : rest };
    if (h?.level) r.level = h.level;
    if (h?.timestamp !== undefined) r.timestamp = h.timestamp;
    if (h?.logger) r.logger = h.logger;
    if (jul) {
      // The second line of a java.util.logging record (`INFO: message`): the first one gave its time.
      if (jul.line === n - 1 && h?.level !== undefined && h.timestamp === undefined && !h.logger) {
        r.line = jul.line;
        if (jul.timestamp !== undefined) r.timestamp = jul.timestamp;
        r.logger = jul.logger;
      } else {
        this.flush();
        this.emitJulAlone(jul);
      }
    }
    contextFree(r);
    ctx.stats.records++;
    if (ctx.linesMode) this.emit(r);
    else {
      this.flush();
      this.pending = r;
    }
  }

  /** A java.util.logging first line that was not followed by its message line is a record of its own. */
  private emitJulAlone(jul: { line: number; text: string; timestamp?: number; logger: string }): void {
    this.ctx.stats.records++;
    this.emit({ source: this.source, line: jul.line, message: jul.text, logger: jul.logger, ...(jul.timestamp !== undefined ? { timestamp: jul.timestamp } : {}) });
  }

  private flush(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.emit(p);
  }

  private emit(r: PatternRecord): void {
    this.ctx.onRecord(r);
  }
}

/** Times as JSON loggers write them (the ISO `…Z` form is read without Date.parse, see parseTimestamp). */
export function fastTime(v: string | number): number | undefined {
  return parseTimestamp(v);
}
