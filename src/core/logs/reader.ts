/**
 * Streaming log reader: text chunks in, `LogRecord`s out, in constant memory. Lines are split as chunks
 * arrive; a line longer than the limit is dropped as it streams (never buffered whole) and counted. JSON
 * lines are parsed one by one; plain-text lines go through a small state machine that joins a log line
 * with the traceback printed under it. The two can be mixed in one file (stderr tracebacks between JSON
 * lines). Nothing here throws on content: every unusable line is counted in `SkipCounter`.
 */
import { chainFields, FIELD_SLOT, FieldResolver, mappingOf, noneOfHead, type CanonicalField, type FieldMapping, type FieldPart, type FieldsState, type InPlacePlan } from './fieldMapping';
import { expandJson, normaliseLevelCached, quickIsError, quickIsErrorOf, recordOf, toRecord } from './jsonRecord';
import { ERROR_KEY_SLOT, RAW_SLOTS, RawRecordFields, TIME_SLOT } from './rawRecord';
import type { MessageShape } from './jsonScan';
import { journalStart, looksLikeJournal, mayBeContainerLine, programLines, unwrapContainerLine } from './containerLogs';
import { syslogLine } from './syslogPrefix';
import { stripWorkerPrefix } from './workerPrefixes';
import { JUL_SECOND, julFirstLine } from './headerFormats';
import { SkipCounter } from './skips';
import { isChainLine, isTracebackStart, parseTraceback } from './traceback';
import { panicStart } from './panics';
import { isRubyUncaught } from './rubyBacktrace';
import { isFatalErrorLine } from './fatalError';
import { isJavaExceptionLine } from './javaStack';
import { exceptionOf, JS_ERROR_LINE, MAX_MORE, parseTextHeader, type TextHeader } from './textRecord';
import { ERROR_LEVELS, isErrorRecord, type LogRecord } from './types';
import { lastRewrite, parseTimestamp, pinoLevelName, stripAnsi } from './values';

export interface ReaderOptions {
  fields?: FieldMapping;
  /** Longest line read, in characters (default 1 Mi). Longer lines are skipped as they stream. */
  maxLineLength?: number;
  /** Every record (for correlation by trace id) instead of error records only. */
  allRecords?: boolean;
  signal?: AbortSignal;
  /** Count non-error JSON lines from their raw text when certain (default true); false parses every line. */
  fastPath?: boolean;
  /** For a part of a file read apart that starts in its middle: the file's JSON mode, from its first line. */
  jsonMode?: boolean;
}

/** What a part of a file read apart hands over (plain data) to be merged in input order (`ReaderMerge`). */
export interface ReaderPartState {
  lines: number;
  records: number;
  errorRecords: number;
  sources: number;
  jsonMode: boolean | undefined;
  fields: { order: CanonicalField[]; fields: Record<CanonicalField, FieldPart> };
  /** Times of every record read whole (min, max), not counting `rawFirst`. */
  min?: number;
  max?: number;
  /** The time of the first record counted from its raw time before any other time was seen in the part. */
  rawFirst?: number;
  /** The part's last record counted from its raw time: `time` when it had one. */
  rawLast?: { time?: number };
  releases: [string, { records: number; explicit?: number; created?: number }][];
  releasesCapped: boolean;
  skips: [import('./skips').SkipReason, number, string, number][];
}

export interface ReaderStats {
  lines: number;
  records: number;
  errorRecords: number;
  sources: number;
  /** Time of the earliest and latest record read (all records, not only errors), ms since the epoch. */
  firstTimestamp?: number;
  lastTimestamp?: number;
}

export class IngestCancelled extends Error {
  constructor() {
    super('Loading logs was cancelled.');
  }
}

/** Lines of one journal entry's message read at most (a record and its traceback fit many times over). */
const MAX_MESSAGE_LINES = 1000;

// Control characters other than tab, newline, carriage return, form feed and escape: binary data.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0e-\x1a\x1c-\x1f]/;
/** The fast path's looks in a row that took no line before it pauses, and its longest pause (see `push`). */
const FAST_MISSES = 64;
const FAST_PAUSE_MAX = 1024;

/** Reads one source (file). Feed it text with `push`, then call `end`. */
export class SourceReader {
  private carry = '';
  private skippingLong = false;
  private lineNo = 0;
  private jsonMode: boolean | undefined;
  private pending: TextHeader | undefined;
  /** The last line of the pending record (its header line, or the last line that continued it). */
  private pendingEnd = 0;
  private block: { lines: string[]; start: number; header: TextHeader | undefined; afterException: boolean; extra: number; time: number | undefined } | undefined;
  /**
   * The time of the last header line read (undefined when it had none): a traceback or crash report printed
   * with no log line of its own (an uncaught exception on stderr) happened then, as near as the log tells.
   * (A part of a file read apart starts at a header line and is never cut before a crash report, so the
   * parts see the same times as one read.)
   */
  private lastHeaderTime: number | undefined;
  private chunkHasReplacement = false;
  /** Whether the chunk (or the line carried into it) has a carriage return: only then are lines rewritten. */
  private chunkHasCR = false;
  private fastChecked = false;
  private lastLevelText: string | undefined;
  /** A container runtime's line cut short (see ./containerLogs.ts), waiting for its rest. */
  private runtimeCarry = '';
  /** The last java.util.logging first line (time and source), for the `LEVEL: message` line after it. */
  private julLine: { line: number; timestamp?: number; logger: string } | undefined;
  private lastLevelNonError = false;
  private levelKeyAt = 0;
  /**
   * Lines still to be parsed without the fast path's look (see `push`), the looks in a row that did not take
   * their line, and the current pause: a log that is all errors (or has no level key) paid the look on every
   * line for nothing.
   */
  private fastPause = 0;
  private fastMisses = 0;
  private fastBackoff = 0;

  constructor(
    readonly source: string,
    private readonly ctx: ReaderContext,
  ) {
    ctx.stats.sources++;
    this.jsonMode = ctx.initialJsonMode;
  }

  /** Whether the source was read as JSON lines (set by its first line that is not blank). */
  get readsJson(): boolean | undefined {
    return this.jsonMode;
  }

  /**
   * The next chunk of the source's text. `bytes`: the chunk's bytes when `text` is their one-byte reading
   * (ASCII), read only during this call (nodeSource.ts TextChunk): the JSON scanner copies them, not the text.
   */
  push(text: string, bytes?: Uint8Array): void {
    if (this.ctx.signal?.aborted) throw new IngestCancelled();
    this.scanBytes = bytes;
    this.chunkHasReplacement = text.includes('\uFFFD');
    this.chunkHasCR = text.includes('\r') || this.carry.includes('\r');
    const max = this.ctx.maxLineLength;
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
        this.lineNo++;
        this.ctx.stats.lines++;
        this.skippingLong = false;
        this.ctx.skips.add('tooLong', this.source, this.lineNo);
        this.carry = '';
        start = nl + 1;
        continue;
      }
      // Whether the fast path already looked at this line (an error line: json() need not look again), or
      // was paused: after FAST_MISSES looks in a row that took no line, the next lines are parsed without a
      // look, for a pause that doubles each time (up to FAST_PAUSE_MAX lines) until a look takes its line.
      // Either way a line gives what the full parse gives (the fast path only saves work).
      this.fastChecked = this.carry.length === 0 && !this.chunkHasReplacement && nl - start <= max;
      if (this.fastChecked) {
        if (this.fastPause > 0) this.fastPause--;
        else if (this.isCertainNonError(text, start, nl)) {
          this.fastMisses = 0;
          this.fastBackoff = 0;
          this.lineNo++;
          this.ctx.stats.lines++;
          if (this.jsonMode === undefined) this.jsonMode = true;
          this.countFast(text, start, nl);
          start = nl + 1;
          continue;
        } else if (++this.fastMisses >= FAST_MISSES) {
          this.fastMisses = 0;
          this.fastBackoff = Math.min(FAST_PAUSE_MAX, this.fastBackoff * 2 || FAST_MISSES);
          this.fastPause = this.fastBackoff;
        }
      }
      const whole = this.carry.length === 0;
      // A JSON line that `line` would hand as it is to `json`, and `json` to `rawJson`: read in place without
      // cutting it out of the chunk (rawJson is false, with nothing done, for a line it leaves to the parse).
      let tried = false;
      if (whole && this.inPlaceNext(text, start, nl)) {
        this.scanChunk = text;
        this.ctx.stats.lines++;
        if (this.rawJsonAt(start, nl, ++this.lineNo)) {
          start = nl + 1;
          continue;
        }
        // (`line` counts it)
        this.lineNo--;
        this.ctx.stats.lines--;
        tried = true;
      }
      let line = whole ? text.slice(start, nl) : this.carry + text.slice(start, nl);
      this.carry = '';
      const lineStart = start;
      start = nl + 1;
      if (line.length > max) {
        this.lineNo++;
        this.ctx.stats.lines++;
        this.ctx.skips.add('tooLong', this.source, this.lineNo);
        continue;
      }
      if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
      // (a line all in this chunk may be read from the chunk in place, see rawJson, unless it was just tried)
      if (whole && !tried) {
        this.scanChunk = text;
        this.scanLine = line;
        this.scanStart = lineStart;
      }
      this.line(line);
      this.scanLine = undefined;
    }
    this.scanChunk = undefined;
    this.scanBytes = undefined;
  }

  end(): void {
    this.fastChecked = false;
    if (this.skippingLong) {
      this.lineNo++;
      this.ctx.stats.lines++;
      this.ctx.skips.add('tooLong', this.source, this.lineNo);
    } else if (this.carry.length) {
      const last = this.carry;
      this.carry = '';
      this.chunkHasCR = last.includes('\r');
      this.line(last.charCodeAt(last.length - 1) === 13 ? last.slice(0, -1) : last);
    }
    this.flushBlock();
    this.flushPending();
  }

  private line(text: string): void {
    const n = ++this.lineNo;
    this.ctx.stats.lines++;
    const inner = mayBeContainerLine(text) || this.isJournalLine(text) ? unwrapContainerLine(text) : undefined;
    if (inner) {
      // What the program wrote, read as if from its own output (its traceback lines as a block, its time).
      const whole = this.runtimeCarry + inner.text;
      if (inner.partial) {
        this.runtimeCarry = whole.length > this.ctx.maxLineLength ? '' : whole;
        if (whole.length > this.ctx.maxLineLength) this.ctx.skips.add('tooLong', this.source, n);
        return;
      }
      this.runtimeCarry = '';
      // A journal entry of several lines is a whole record, and one of another program than the entry before
      // cannot continue that one's record: what was open ends here.
      if (inner.program !== undefined) {
        if (inner.program !== this.lastProgram || whole.includes('\n')) {
          this.flushBlock();
          this.flushPending();
        }
        this.lastProgram = inner.program;
      }
      const starts = (t: string) => {
        if (this.block || isTracebackStart(t) || isChainLine(t)) return false;
        const h = parseTextHeader(t, 0);
        return inner.header !== undefined ? journalStart(h, t) : h === undefined;
      };
      // (a journal entry of several lines, a record sent whole, is read a line at a time)
      for (const line of programLines(inner, whole, starts, MAX_MESSAGE_LINES)) this.programLine(line, n);
      return;
    }
    this.programLine(text, n);
  }

  /** The program of the last line with a syslog prefix (see `syslogContinuation`). */
  private syslogProgram: string | undefined;

  /**
   * What the program wrote, when a line with a syslog prefix (`Dec 07 05:29:10 vm checkout[9729]: …`, syslog's
   * files and journalctl's text) continues the record above it from the same program: a traceback under its
   * log line, its frames and its exception line, printed one prefixed line each. Otherwise undefined.
   */
  private syslogContinuation(text: string): string | undefined {
    if (!this.block && !this.pending) {
      this.syslogProgram = undefined;
      return undefined;
    }
    const line = syslogLine(text);
    const same = line !== undefined && line.program === this.syslogProgram;
    this.syslogProgram = line?.program;
    if (!same) return undefined;
    const rest = line.rest;
    const c = rest.charCodeAt(0);
    if (this.block) {
      if (c === 32 || c === 9 || isChainLine(rest) || isTracebackStart(rest)) return rest;
      // (the exception's own line, after the frames)
      return !this.block.afterException && parseTextHeader(rest, 0) === undefined ? rest : undefined;
    }
    return isTracebackStart(rest) ? rest : undefined;
  }

  /** Whether a source is a journal export (`journalctl -o json`), decided by its first JSON line. */
  private journal: boolean | undefined;
  /** The program of the journal entry before. */
  private lastProgram: string | undefined;

  private isJournalLine(text: string): boolean {
    if (text.charCodeAt(0) !== 123 /* { */) return false;
    if (this.journal === undefined) this.journal = looksLikeJournal(text);
    return this.journal;
  }

  /** A line as the program wrote it (unwrapped from a container runtime's or the journal's line). */
  private programLine(text: string, n: number): void {
    if (text.charCodeAt(0) !== 123 /* { */) text = stripWorkerPrefix(stripAnsi(this.chunkHasCR ? lastRewrite(text) : text));
    const rest = this.syslogContinuation(text);
    if (rest !== undefined) text = rest;
    if (this.chunkHasReplacement && text.includes('\uFFFD')) this.ctx.skips.add('notUtf8', this.source, n);
    if (this.block && this.continuesBlock(text)) {
      this.block.lines.push(text);
      return;
    }
    if (this.block) this.flushBlock();
    const first = text.charCodeAt(0);
    if (this.jsonMode === undefined && text.trim() !== '') this.jsonMode = startsJson(text);
    // (in a text log, a line in brackets is a header: `[2026-12-06 16:00:00 +0000] [1234] [ERROR] …`)
    if (first === 123 /* { */ || (first === 91 /* [ */ && this.jsonMode) || (first === 32 && text.trimStart().startsWith('{'))) {
      if (this.json(text, n)) return;
    }
    this.text(text, n);
  }

  /**
   * The fast path of errors-only reading: when the level is a top-level key (`"level":"INFO"`), its value is
   * read from the raw text and a record whose level is not an error is counted without JSON.parse (and, for
   * lines inside a chunk, without even cutting the line out of it). Only when the answer is certain: the
   * line starts with `{`, the key comes before any nested object or array, the value is a plain string or
   * number, and the line ends with `}`; anything else takes the full parse.
   */
  private isCertainNonError(text: string, start: number, end: number): boolean {
    const ctx = this.ctx;
    if (!ctx.fastPath || ctx.allRecords || ctx.stats.firstTimestamp === undefined || this.block) return false;
    if (text.charCodeAt(start) !== 123 /* { */) return false;
    const key = ctx.levelKey();
    if (key === undefined) return false;
    // Where the key was in the line before (loggers write the same fields in the same order, and a time of
    // fixed width first): one comparison instead of a search through the chunk.
    let at = start + this.levelKeyAt;
    if (at + key.length > end || !text.startsWith(key, at)) {
      at = text.indexOf(key, start);
      if (at === -1 || at >= end) return false;
      this.levelKeyAt = at - start;
    }
    let i = at + key.length;
    while (text.charCodeAt(i) === 32) i++;
    let value: string | number;
    if (text.charCodeAt(i) === 34 /* " */) {
      // The same level text as the line before (most lines): its answer is known.
      const last = this.lastLevelText;
      if (last !== undefined && text.charCodeAt(i + 1 + last.length) === 34 && text.startsWith(last, i + 1)) {
        if (!this.lastLevelNonError) return false;
        return this.topLevel(text, start, at) && this.closesOnce(text, start, end, at + key.length, key);
      }
      const q = text.indexOf('"', i + 1);
      if (q === -1 || q >= end || q - i > 40) return false;
      value = text.slice(i + 1, q);
      if (value.includes('\\')) return false;
    } else {
      let k = i;
      if (text.charCodeAt(k) === 45 /* - */) k++;
      const digits = k;
      while (k < end && text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57) k++;
      if (k === digits || k - i > 11) return false;
      // (a fraction or exponent after the digits: not read here)
      const after = text.charCodeAt(k);
      if (after !== 44 /* , */ && after !== 125 /* } */ && after !== 32) return false;
      value = Number(text.slice(i, k));
      if (ctx.fields.pinoLevels) value = pinoLevelName(value) as string;
    }
    const level = normaliseLevelCached(value);
    const nonError = level !== undefined && !ERROR_LEVELS.has(level);
    if (typeof value === 'string') {
      this.lastLevelText = value.length < 13 ? value : (value + ' ').slice(0, -1);
      this.lastLevelNonError = nonError;
    }
    if (!nonError) return false;
    return this.topLevel(text, start, at) && this.closesOnce(text, start, end, at + key.length, key);
  }

  /**
   * No nested object or array opens before the key (only the few characters before it are looked at). Looked
   * at only for lines the level says are not errors: an error line is parsed whole anyway.
   */
  private topLevel(text: string, start: number, at: number): boolean {
    for (let k = start + 1; k < at; k++) {
      const c = text.charCodeAt(k);
      if (c === 123 /* { */ || c === 91 /* [ */) return false;
    }
    return true;
  }

  /**
   * The line ends with `}` and has the level key once (JSON.parse keeps the last of a key given twice). Looked
   * at only for lines the level says are not errors: an error line is parsed whole anyway.
   */
  private closesOnce(text: string, start: number, end: number, after: number, key: string): boolean {
    const again = text.indexOf(key, after);
    if (again !== -1 && again < end) return false;
    let e = end - 1;
    for (let c = text.charCodeAt(e); e > start && (c === 32 || c === 9 || c === 13); c = text.charCodeAt(--e));
    return text.charCodeAt(e) === 125 /* } */;
  }

  /** Accounting of a line the fast path took. */
  private countFast(text: string, start: number, end: number): void {
    this.flushPending();
    this.ctx.stats.records++;
    this.ctx.noteRawLine(text, start, end);
    this.ctx.noteRawRelease(text, start, end);
  }

  private json(text: string, n: number): boolean {
    if (!this.fastChecked && this.isCertainNonError(text, 0, text.length)) {
      this.countFast(text, 0, text.length);
      return true;
    }
    if (this.scanLine === text && this.rawJson(text, n)) return true;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      if (CONTROL.test(text)) {
        this.ctx.skips.add('binary', this.source, n);
        return true;
      }
      if (this.jsonMode) {
        this.ctx.skips.add('notJson', this.source, n);
        return true;
      }
      return false;
    }
    this.flushPending();
    const ctx = this.ctx;
    const objects = typeof value === 'object' && value !== null && !Array.isArray(value) && !('resourceLogs' in value) ? [value as Record<string, unknown>] : expandJson(value);
    if (objects.length === 0) {
      ctx.skips.add('noFields', this.source, n);
      return true;
    }
    for (const o of objects) {
      ctx.fields.noteLevelScale(o);
      if (!ctx.allRecords) {
        const quick = quickIsError(o, ctx.fields);
        if (quick === 'noFields') {
          ctx.skips.add('noFields', this.source, n);
          continue;
        }
        if (!quick) {
          ctx.stats.records++;
          const rawTime = ctx.fields.get(o, 'timestamp');
          ctx.noteRawTime(rawTime);
          ctx.noteRelease(ctx.fields.get(o, 'version'), undefined, rawTime);
          continue;
        }
      }
      const record = toRecord(o, ctx.fields, this.source, n);
      if (!record) {
        ctx.skips.add('noFields', this.source, n);
        continue;
      }
      ctx.stats.records++;
      this.emit(record);
    }
    return true;
  }

  /** The chunk `push` is reading, and the line it gave `line` when that is `scanChunk[scanStart, …)` whole. */
  private scanChunk: string | undefined;
  /** The bytes of `scanChunk` when `push` was given them. */
  private scanBytes: Uint8Array | undefined;
  private scanLine: string | undefined;
  private scanStart = 0;
  private readonly rawValues = new Array<unknown>(RAW_SLOTS);

  /**
   * Whether the whole line `text[start, end)` is one that `line`, `programLine` and `json` would hand as it is
   * to `rawJson`, with nothing else done on the way: a line that starts with `{`, of a JSON source that is not
   * a journal export, not a container runtime's line, outside any traceback or record still open (then the
   * syslog program is forgotten, as `syslogContinuation` forgets it), in a chunk without CR or U+FFFD.
   */
  private inPlaceNext(text: string, start: number, end: number): boolean {
    if (this.jsonMode !== true || this.journal !== false || this.block || this.pending || this.chunkHasCR || this.chunkHasReplacement) return false;
    if (text.charCodeAt(start) !== 123 /* { */ || end - start > this.ctx.maxLineLength || mayBeContainerLine(text, start)) return false;
    this.syslogProgram = undefined;
    return true;
  }

  /**
   * A JSON line read as `json` reads it, from the chunk's text in place (./rawRecord.ts), once the fields have
   * settled on top-level keys; false when it is left to JSON.parse.
   */
  private rawJson(text: string, n: number): boolean {
    return this.rawJsonAt(this.scanStart, this.scanStart + text.length, n);
  }

  /** `rawJson` of the line `scanChunk[start, end)`; false, with nothing done, when it is left to JSON.parse. */
  private rawJsonAt(start: number, end: number, n: number): boolean {
    const ctx = this.ctx;
    const raw = ctx.rawRecord();
    const v = this.rawValues;
    if (raw === undefined || !raw.read(this.scanChunk!, start, end, v, this.scanBytes)) return false;
    // (fields are still looked for: `json` would count this line's misses, which it does by the level)
    const searchedLevel = raw.searching.length > 0 ? normaliseLevelCached(v[FIELD_SLOT.level]) : undefined;
    if (raw.searching.length > 0 && searchedLevel === undefined) return false;
    this.flushPending();
    if (searchedLevel !== undefined) ctx.fields.missedInPlace(ctx.allRecords || ERROR_LEVELS.has(searchedLevel));
    if (!ctx.allRecords) {
      const quick = quickIsErrorOf(v);
      if (quick === 'noFields') {
        ctx.skips.add('noFields', this.source, n);
        return true;
      }
      if (!quick) {
        ctx.stats.records++;
        ctx.noteRawTime(v[FIELD_SLOT.timestamp]);
        ctx.noteRelease(v[FIELD_SLOT.version], undefined, v[FIELD_SLOT.timestamp]);
        return true;
      }
    }
    if (noneOfHead(v)) {
      ctx.skips.add('noFields', this.source, n);
      return true;
    }
    ctx.stats.records++;
    ctx.readInPlace++;
    this.emit(recordOf(v, this.source, n, v[ERROR_KEY_SLOT], v[TIME_SLOT] as number | undefined), raw.messageShape());
    return true;
  }

  private text(text: string, n: number): void {
    if (isTracebackStart(text)) {
      // (after the header line, or after lines that continued it: Tornado writes the request between them)
      // (or on the same physical line: the lines of one journal entry's message)
      const header = this.pending && this.pendingEnd >= n - 1 ? this.pending : undefined;
      if (header) this.pending = undefined;
      else this.flushPending();
      this.block = { lines: [text], start: header?.line ?? n, header, afterException: false, extra: 0, time: this.lastHeaderTime };
      return;
    }
    if (text.trim() === '') return;
    // (IPython's rule above a traceback: nothing to read)
    if (text.charCodeAt(0) === 45 /* - */ && /^-{20,}\s*$/.test(text)) return;
    if (CONTROL.test(text)) {
      this.flushPending();
      this.ctx.skips.add('binary', this.source, n);
      return;
    }
    // A runtime's crash report (CPython's faulthandler, a Go or Rust panic), the JVM's or Ruby's report of an
    // exception nobody caught: a record of its own, whatever header-like first word it has; its stack follows.
    const crash = isFatalErrorLine(text) ? 'fatal' : panicStart(text) ? 'panic' : undefined;
    if (crash || text.startsWith('Exception in thread "') || isRubyUncaught(text)) {
      this.flushPending();
      this.pending = crash ? { line: n, message: text, level: crash === 'fatal' ? 'FATAL' : 'PANIC', raw: text, crash } : { line: n, message: '', raw: text, orphan: true };
      if (this.lastHeaderTime !== undefined) this.pending.timestamp = this.lastHeaderTime;
      this.pendingEnd = n;
      return;
    }
    const jul = julFirstLine(text);
    if (jul) {
      this.flushPending();
      this.julLine = { ...jul, line: n };
      this.lastHeaderTime = jul.timestamp;
      return;
    }
    const header = parseTextHeader(text, n);
    if (header) {
      this.flushPending();
      // The second line of a java.util.logging record (`SEVERE: message`): the first one gave its time.
      const first = this.julLine;
      if (first && first.line === n - 1 && header.level !== undefined && header.timestamp === undefined) {
        header.line = first.line;
        if (first.timestamp !== undefined) header.timestamp = first.timestamp;
        header.logger ??= first.logger;
      }
      header.raw = text;
      // (a line of words a header could start with and nothing after, `critical`, `Link error`: with no time
      // in it, the words are the message; read as a header, it would be blank)
      if (header.timestamp === undefined && header.message.trim() === '') header.message = text.trim();
      this.lastHeaderTime = header.timestamp;
      this.pending = header;
      this.pendingEnd = n;
      return;
    }
    if (this.jsonMode) {
      this.ctx.skips.add('notJson', this.source, n);
      return;
    }
    // A continuation of a multi-line text message.
    const p = this.pending;
    if (p) {
      p.head ??= p.message;
      if (p.message.length < 4000) p.message += `\n${text}`;
      if ((p.more ??= []).length < MAX_MORE) p.more.push(text);
      this.pendingEnd = n;
    } else if (isJavaExceptionLine(text) || JS_ERROR_LINE.test(text) || isRubyUncaught(text)) {
      // An exception printed without a log line of its own (Node.js's report of an uncaught one on stderr).
      this.pending = { line: n, message: '', raw: text, orphan: true, ...(this.lastHeaderTime !== undefined ? { timestamp: this.lastHeaderTime } : {}) };
      this.pendingEnd = n;
    }
  }

  private continuesBlock(text: string): boolean {
    const b = this.block!;
    if (text === '') return true;
    const c = text.charCodeAt(0);
    if (c === 32 || c === 9) {
      return true;
    }
    if (isChainLine(text) || isTracebackStart(text)) {
      b.afterException = false;
      return true;
    }
    if (c === 123 /* { */ || parseTextHeader(text, 0)) return false;
    if (!b.afterException) {
      b.afterException = true;
      return true;
    }
    // Lines of a multi-line exception message or its notes; bounded so a missing header cannot swallow a file.
    return ++b.extra <= 50;
  }

  private flushBlock(): void {
    const b = this.block;
    if (!b) return;
    this.block = undefined;
    const exception = parseTraceback(b.lines.join('\n'));
    const h = b.header;
    const last = exception?.chain[exception.chain.length - 1];
    const record: LogRecord = {
      source: this.source,
      line: b.start,
      level: h?.level ?? 'ERROR',
      message: h?.message ?? (last ? (last.message ? `${last.type}: ${last.message}` : last.type) : ''),
    };
    const time = h?.timestamp ?? b.time;
    if (time !== undefined) record.timestamp = time;
    if (h?.logger) record.logger = h.logger;
    if (exception) record.exception = exception;
    this.ctx.stats.records++;
    this.emit(record);
  }

  private flushPending(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    const { exception, message } = exceptionOf(p);
    if (p.orphan && !exception) return;
    this.ctx.stats.records++;
    const record: LogRecord = { source: this.source, line: p.line, message };
    if (exception) record.exception = exception;
    if (p.level) record.level = p.level;
    if (p.timestamp !== undefined) {
      record.timestamp = p.timestamp;
      this.ctx.noteTime(p.timestamp);
    }
    if (p.logger) record.logger = p.logger;
    if (this.ctx.allRecords || isErrorRecord(record)) this.emit(record);
  }

  private emit(record: LogRecord, shape?: MessageShape): void {
    if (record.timestamp !== undefined) this.ctx.noteTime(record.timestamp);
    if (record.exception?.truncated) this.ctx.skips.add('truncatedTraceback', record.source, record.line);
    if (isErrorRecord(record)) this.ctx.stats.errorRecords++;
    if (record.version !== undefined) this.ctx.noteRelease(record.version, record.timestamp);
    this.ctx.onRecord(record, shape);
  }
}

/** Shared by every source of one load: field detection, counters, the consumer. */
export class ReaderContext {
  readonly fields: FieldResolver;
  readonly skips = new SkipCounter();
  readonly stats: ReaderStats = { lines: 0, records: 0, errorRecords: 0, sources: 0 };
  readonly maxLineLength: number;
  readonly allRecords: boolean;
  readonly signal: AbortSignal | undefined;
  readonly fastPath: boolean;
  readonly initialJsonMode: boolean | undefined;
  /** Min and max of the times noted from records read whole; `rawFirst` is the one raw time parsed early. */
  private notedMin: number | undefined;
  private notedMax: number | undefined;
  private rawFirst: number | undefined;
  private releasesCapped = false;
  /** Per release: the earliest time given with a record, and the time parsed when it was first seen. */
  private readonly releaseTimes = new Map<string, { explicit?: number; created?: number }>();
  lastSource: SourceReader | undefined;

  constructor(
    /** `shape`: of the record's message, when the reader knows it (see ./jsonScan.ts `MessageShape`). */
    readonly onRecord: (record: LogRecord, shape?: MessageShape) => void,
    options: ReaderOptions = {},
  ) {
    this.initialJsonMode = options.jsonMode;
    this.fields = new FieldResolver(options.fields);
    this.maxLineLength = options.maxLineLength ?? 1024 * 1024;
    this.allRecords = options.allRecords ?? false;
    this.signal = options.signal;
    this.fastPath = options.fastPath ?? true;
  }

  /**
   * Records per release (the `version` field: release, version, service.version, …) and the earliest time
   * seen for each: the traffic each release had, errors or not, so a cluster's absence from a release means
   * something. Fast-path lines are counted from their raw text (`noteRawRelease`).
   */
  readonly releases = new Map<string, { records: number; first?: number }>();
  private lastRelease: { name: string; entry: { records: number; first?: number } } | undefined;
  private releaseKeyCache: { path: string | undefined; key: string | undefined } = { path: undefined, key: undefined };

  /** A record's release; `time` when parsed, else the raw time (parsed only for a release's first record). */
  noteRelease(value: unknown, time?: number, rawTime?: unknown): void {
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const name = String(value).trim();
    if (name === '') return;
    let entry = this.lastRelease?.name === name ? this.lastRelease.entry : this.releases.get(name);
    if (!entry) {
      if (this.releases.size >= 1000) return void (this.releasesCapped = true);
      this.releases.set(name, (entry = { records: 0 }));
      if (time === undefined && rawTime !== undefined) {
        time = parseTimestamp(rawTime);
        if (time !== undefined) this.releaseTimes.set(name, { created: time });
      } else if (time !== undefined) this.releaseTimes.set(name, { explicit: time });
    } else if (time !== undefined) {
      const t = this.releaseTimes.get(name);
      if (!t) this.releaseTimes.set(name, { explicit: time });
      else if (t.explicit === undefined || time < t.explicit) t.explicit = time;
    }
    entry.records++;
    if (time !== undefined && (entry.first === undefined || time < entry.first)) entry.first = time;
    this.lastRelease = { name, entry };
  }

  /** `"release":` when the release field is a top-level key, else undefined. */
  private releaseKey(): string | undefined {
    // (a field's lock never moves once found: only an unlocked field is looked up again)
    if (this.releaseKeyCache.path !== undefined) return this.releaseKeyCache.key;
    const path = this.fields.lockedPath('version');
    if (path !== this.releaseKeyCache.path) {
      this.releaseKeyCache = { path, key: path && !path.includes('.') && !/["\\]/.test(path) ? `"${path}":` : undefined };
    }
    return this.releaseKeyCache.key;
  }

  /**
   * The release of a line the fast path counted, read from its raw text: the value after the release key
   * (`"version": "1.8.0"`). A new release's first line is parsed to learn its time. A line without the key has
   * no release; a key that only exists nested (`resource.service.version`) is not read here, so such logs
   * count the traffic of their error events only.
   */
  noteRawRelease(text: string, start: number, end: number): void {
    const key = this.releaseKey();
    if (key === undefined) {
      // Not found in the lines parsed so far: parse this one too while the field is still looked for.
      if (this.fields.searching('version')) this.parseRelease(text, start, end);
      return;
    }
    // From the end: loggers put the release among the last fields (service, version, context), after the message.
    const at = text.lastIndexOf(key, end - key.length);
    if (at < start) return;
    let i = at + key.length;
    while (text.charCodeAt(i) === 32) i++;
    const c = text.charCodeAt(i);
    if (c !== 34 /* " */) {
      // A release written as a number (rare): the line is parsed for it.
      if (c === 45 || (c >= 48 && c <= 57)) this.parseRelease(text, start, end);
      return;
    }
    const last = this.lastRelease;
    if (last && text.charCodeAt(i + 1 + last.name.length) === 34 && text.startsWith(last.name, i + 1)) {
      last.entry.records++;
      return;
    }
    const q = text.indexOf('"', i + 1);
    if (q === -1 || q >= end) return;
    const name = text.slice(i + 1, q);
    // (escapes in the name: the line is parsed for it)
    if (name.includes('\\')) return void this.parseRelease(text, start, end);
    if (this.releases.has(name)) return this.noteRelease(name);
    // A release seen for the first time: its time is wanted, so this one line is parsed.
    if (!this.parseRelease(text, start, end)) this.noteRelease(name);
  }

  private parseRelease(text: string, start: number, end: number): boolean {
    try {
      const o = JSON.parse(text.slice(start, end)) as Record<string, unknown>;
      this.noteRelease(this.fields.get(o, 'version'), undefined, this.fields.get(o, 'timestamp'));
      return true;
    } catch {
      return false; // the fast path checked its shape only; a line that does not parse has no release to offer
    }
  }

  private rawReader: { plan: InPlacePlan; fields: RawRecordFields | undefined } | undefined;
  /** Records read whole from their line in place, without JSON.parse (see `rawRecord`). */
  readInPlace = 0;

  /** The reader of JSON lines in place for the fields found so far (see ./rawRecord.ts), or undefined. */
  rawRecord(): RawRecordFields | undefined {
    if (!this.fastPath || !this.fields.levelScaleKnown) return undefined;
    const plan = this.fields.inPlacePlan();
    if (plan === undefined) return undefined;
    if (this.rawReader?.plan !== plan) this.rawReader = { plan, fields: RawRecordFields.of(plan, this.fields.pinoLevels) };
    return this.rawReader.fields;
  }

  private lastRaw: unknown;
  /** The last fast-path line, as a range of the chunk it is in (no copy per line). */
  private lastRawLine: { text: string; start: number; end: number } | undefined;
  private levelKeyCache: { path: string | undefined; key: string | undefined } = { path: undefined, key: undefined };

  /** `"level":` when the level field is a top-level key (for the raw-text fast path), else undefined. */
  levelKey(): string | undefined {
    // (a field's lock never moves once found: only an unlocked field is looked up again)
    if (this.levelKeyCache.path !== undefined) return this.levelKeyCache.key;
    const path = this.fields.lockedPath('level');
    if (path !== this.levelKeyCache.path) {
      this.levelKeyCache = { path, key: path && !path.includes('.') && !/["\\]/.test(path) ? `"${path}":` : undefined };
    }
    return this.levelKeyCache.key;
  }

  /** A record read by the fast path: its time is taken from the last such line at the end. */
  noteRawLine(text: string, start: number, end: number): void {
    if (this.lastRawLine) {
      this.lastRawLine.text = text;
      this.lastRawLine.start = start;
      this.lastRawLine.end = end;
    } else this.lastRawLine = { text, start, end };
    this.lastRaw = undefined;
  }

  /** A record's time, parsed: widens the time range. */
  noteTime(t: number): void {
    if (this.notedMin === undefined || t < this.notedMin) this.notedMin = t;
    if (this.notedMax === undefined || t > this.notedMax) this.notedMax = t;
    this.widen(t);
  }

  private widen(t: number): void {
    const s = this.stats;
    if (s.firstTimestamp === undefined || t < s.firstTimestamp) s.firstTimestamp = t;
    if (s.lastTimestamp === undefined || t > s.lastTimestamp) s.lastTimestamp = t;
  }

  /**
   * A non-error record's raw time: only the first is parsed at once; the latest raw value is kept and parsed
   * once at the end (`timeRange`), so millions of records cost one lookup each, not a date parse.
   */
  noteRawTime(raw: unknown): void {
    if (raw === undefined) return;
    if (this.stats.firstTimestamp === undefined) {
      const t = parseTimestamp(raw);
      if (t !== undefined) {
        this.rawFirst = t;
        this.widen(t);
      }
    }
    this.lastRaw = raw;
    this.lastRawLine = undefined;
  }

  /** The time span of everything read, for rates over the whole log (spikes need the quiet part too). */
  timeRange(): { first: number; last: number } | undefined {
    if (this.lastRawLine !== undefined) {
      try {
        const { text, start, end } = this.lastRawLine;
        const o = JSON.parse(text.slice(start, end)) as Record<string, unknown>;
        this.lastRaw = this.fields.get(o, 'timestamp');
      } catch {
        // the fast path checked its shape only; a line that does not parse has no time to offer
      }
      this.lastRawLine = undefined;
    }
    if (this.lastRaw !== undefined) {
      const t = parseTimestamp(this.lastRaw);
      if (t !== undefined) this.noteTime(t);
      this.lastRaw = undefined;
    }
    const { firstTimestamp: first, lastTimestamp: last } = this.stats;
    return first !== undefined && last !== undefined ? { first, last } : undefined;
  }

  source(name: string): SourceReader {
    return (this.lastSource = new SourceReader(name, this));
  }

  /** This read's state as data, once its one source has ended (a part of a file read apart). */
  partState(): ReaderPartState {
    // (before the lookup below: one read looks the time up after it reports its fields)
    const fields = this.fields.partState();
    // (what timeRange would parse at the end: the last record counted from its raw time)
    let rawLast: ReaderPartState['rawLast'];
    if (this.lastRawLine !== undefined) {
      let raw: unknown;
      try {
        const { text, start, end } = this.lastRawLine;
        raw = this.fields.get(JSON.parse(text.slice(start, end)) as Record<string, unknown>, 'timestamp');
      } catch {
        // the fast path checked its shape only; a line that does not parse has no time to offer
      }
      rawLast = { time: raw === undefined ? undefined : parseTimestamp(raw) };
    } else if (this.lastRaw !== undefined) rawLast = { time: parseTimestamp(this.lastRaw) };
    return {
      lines: this.stats.lines,
      records: this.stats.records,
      errorRecords: this.stats.errorRecords,
      sources: this.stats.sources,
      jsonMode: this.lastSource?.readsJson,
      fields,
      ...(this.notedMin !== undefined ? { min: this.notedMin, max: this.notedMax } : {}),
      ...(this.rawFirst !== undefined ? { rawFirst: this.rawFirst } : {}),
      ...(rawLast ? { rawLast } : {}),
      releases: [...this.releases].map(([name, e]) => [name, { records: e.records, ...this.releaseTimes.get(name) }]),
      releasesCapped: this.releasesCapped,
      skips: this.skips.summaries().map((x) => [x.reason, x.count, x.first.source, x.first.line]),
    };
  }

  /** Reads a whole source given as text chunks (strings already decoded). */
  async read(name: string, chunks: AsyncIterable<string> | Iterable<string>): Promise<void> {
    const reader = this.source(name);
    for await (const chunk of chunks) reader.push(chunk);
    reader.end();
  }
}

/** Convenience for tests and small inputs: every record of a text. */
export function readText(text: string, options: ReaderOptions & { source?: string } = {}): { records: LogRecord[]; context: ReaderContext } {
  const records: LogRecord[] = [];
  const context = new ReaderContext((r) => records.push(r), options);
  const reader = context.source(options.source ?? 'input');
  reader.push(text);
  reader.end();
  return { records, context };
}

/**
 * The JSON mode a source gets from its first lines (as `SourceReader.line` sets it: the first line that is
 * not blank, of at most `maxLineLength` characters, written as whole lines here); undefined when the text
 * has none.
 */
export function jsonModeOf(lines: string[], maxLineLength = 1024 * 1024): boolean | undefined {
  for (let text of lines) {
    if (text.length > maxLineLength) continue;
    if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    // (a container runtime's line: the reader sees what the program wrote)
    text = unwrapContainerLine(text)?.text ?? text;
    if (text.trim() !== '') return startsJson(text);
  }
  return undefined;
}

/**
 * Whether a log whose first line is `text` is read as JSON: an object line, or a line in brackets that parses
 * as JSON (an array); `[2026-12-06 16:00:00 +0000] [1234] [INFO] …` (gunicorn, Kafka, Airflow, Tornado) is text.
 */
function startsJson(text: string): boolean {
  const first = text.charCodeAt(0);
  if (first === 123 /* { */ || (first === 32 && text.trimStart().startsWith('{'))) return true;
  if (first !== 91 /* [ */) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a reader of a source in this JSON mode is in the same state after reading up to this line as a
 * fresh one: the line closes any traceback or multi-line message before it (a JSON object line in JSON
 * mode, a log header line in text mode), so a part of a file can start there.
 */
export function startsCleanly(text: string, jsonMode: boolean): boolean {
  if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
  // A container runtime's line: what the program wrote decides (a traceback's line is no place to cut).
  const inner = unwrapContainerLine(text);
  // (a line with no header of its own may continue a traceback block: not a place to cut either)
  if (inner) return !inner.partial && startsCleanly(inner.text, inner.text.charCodeAt(0) === 123 /* { */);
  // (a worker's line behind a launcher's prefix, as the reader sees it: `[rank0]:2026-12-06 … INFO …`)
  if (!jsonMode) text = stripWorkerPrefix(text);
  const c = text.charCodeAt(0);
  if (jsonMode) {
    if (c !== 123) return false;
    try {
      const v: unknown = JSON.parse(text);
      return typeof v === 'object' && v !== null;
    } catch {
      return false;
    }
  }
  if (c === 123 || c === 32 || c === 9 || Number.isNaN(c)) return false;
  if (CONTROL.test(text) || isChainLine(text) || isTracebackStart(text)) return false;
  // (a traceback's line behind a syslog prefix continues the record above, as the reader joins it)
  const sys = syslogLine(text);
  if (sys) {
    const r = sys.rest.charCodeAt(0);
    if (r === 32 || r === 9 || isChainLine(sys.rest) || isTracebackStart(sys.rest) || EXCEPTION_LINE.test(sys.rest)) return false;
  }
  // A crash report takes the time of the header line above it: never a place to cut.
  if (isFatalErrorLine(text) || panicStart(text) || text.startsWith('Exception in thread "') || isRubyUncaught(text)) return false;
  // A java.util.logging record starts at its time line; its `LEVEL: message` line needs the line above.
  if (julFirstLine(text)) return true;
  if (JUL_SECOND.test(text)) return false;
  return parseTextHeader(text, 0) !== undefined;
}

/** An exception's own line (`ValueError: card declined`, `KeyError: 'total'`). */
const EXCEPTION_LINE = /^[\w.]+(?:Error|Exception|Warning|Exit|Interrupt)(?::|$)/;


/**
 * The state of one read of the whole input from the states of its parts read apart, added in input order
 * (`absorb`); `failed` says when a part could have been read differently in order (the parts' results then
 * do not stand for one read).
 */
export class ReaderMerge {
  readonly stats: ReaderStats = { lines: 0, records: 0, errorRecords: 0, sources: 0 };
  readonly skips = new SkipCounter();
  readonly releases = new Map<string, { records: number; first?: number }>();
  private readonly created = new Set<string>();
  private fields: FieldsState;
  private min: number | undefined;
  private max: number | undefined;
  private rawLast: { time?: number } | undefined;
  failed: string | undefined;

  constructor(mapping: FieldMapping = {}) {
    this.fields = new FieldResolver(mapping).state();
  }

  /** `fileStart`: the part starts its file (its JSON mode is its own); `lines`: lines of its file before it. */
  absorb(p: ReaderPartState, lines: number, fileStart: boolean): void {
    if (this.failed) return;
    const fields = chainFields(this.fields, p.fields);
    if (!fields) return void (this.failed = 'a field was found differently');
    if (p.releasesCapped) return void (this.failed = 'the release table is full');
    this.fields = fields;
    const s = this.stats;
    s.lines += p.lines;
    s.records += p.records;
    s.errorRecords += p.errorRecords;
    if (fileStart) s.sources += p.sources;
    for (const [reason, count, source, line] of p.skips) this.skips.absorb(reason, count, source, line + lines);
    // A raw time is parsed early only while no time at all has been seen, in the whole input.
    if (p.rawFirst !== undefined && this.min === undefined) this.note(p.rawFirst);
    if (p.min !== undefined) this.note(p.min);
    if (p.max !== undefined) this.note(p.max);
    if (p.rawLast) this.rawLast = p.rawLast;
    for (const [name, r] of p.releases) {
      let into = this.releases.get(name);
      if (!into) {
        if (this.releases.size >= 1000) return void (this.failed = 'the release table is full');
        this.releases.set(name, (into = { records: 0 }));
        this.created.add(name);
        if (r.created !== undefined) into.first = r.created;
      }
      into.records += r.records;
      if (r.explicit !== undefined && (into.first === undefined || r.explicit < into.first)) into.first = r.explicit;
    }
  }

  private note(t: number): void {
    if (this.min === undefined || t < this.min) this.min = t;
    if (this.max === undefined || t > this.max) this.max = t;
  }

  /** The time span of everything read (ReaderContext `timeRange` of one read). */
  timeRange(): { first: number; last: number } | undefined {
    let { min, max } = this;
    const t = this.rawLast?.time;
    if (t !== undefined) {
      min = min === undefined || t < min ? t : min;
      max = max === undefined || t > max ? t : max;
    }
    return min !== undefined && max !== undefined ? { first: min, last: max } : undefined;
  }

  mapping(): FieldMapping {
    return mappingOf(this.fields);
  }
}
