/**
 * CSV for every reader of the project (metrics, A/B tests), through csv-parse (RFC 4180: quoted fields
 * with "" escapes and embedded newlines, CRLF/LF/CR, a BOM) instead of hand-written splitters. Memory is
 * bounded for any input: a physical line longer than `maxLineChars` is dropped before the parser sees it
 * (reported with its line number), and a record that still grows past `maxRecordBytes` (an unterminated
 * quote swallowing the rest of the file) stops the read with a problem instead of filling the heap.
 * Records are handed to a callback one by one and never collected here, so a file of millions of rows
 * costs what the caller keeps.
 */
import { parse as parseStream, type Options } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { errorMessage } from '../util/errors';

/** A CSV row of metrics or A/B counts is a few hundred bytes; a megabyte is a broken or hostile file. */
export const MAX_CSV_LINE_CHARS = 1024 * 1024;

export interface CsvReadOptions {
  maxLineChars?: number;
  maxRecordBytes?: number;
  /** Streaming only: checked between chunks; true stops reading (e.g. the header shows the wrong file). */
  stop?: () => boolean;
}

export interface CsvProblem {
  /** 1-based line where the problem starts. */
  line: number;
  message: string;
}

export interface CsvReadSummary {
  records: number;
  problems: CsvProblem[];
  /** A quote was opened and never closed: the rest of the file from `problems`' line was not read. */
  unterminatedQuote: boolean;
}

/** Called per record with its cells and the 1-based line where it starts. */
export type CsvRecordHandler = (cells: string[], line: number) => void;

/**
 * Drops each physical line longer than the limit (its line break kept, so line numbers stay true) while the
 * text streams through: the start of a line is held back until its break arrives, never more than the limit.
 * A line ends at \n or \r (files from old Macs have only \r); lines are numbered by \n.
 */
class LineGuard {
  private pending: string[] = [];
  private pendingChars = 0;
  private dropping = false;
  private line = 1;
  readonly dropped: number[] = [];

  constructor(private readonly max: number) {}

  push(chunk: string): string {
    const out: string[] = [];
    // Complete lines of this chunk are emitted as one slice from here.
    let keptFrom = -1;
    let from = 0;
    let nextLf = chunk.indexOf('\n');
    let nextCr = chunk.indexOf('\r');
    const flushKept = (to: number) => {
      if (keptFrom >= 0 && to > keptFrom) out.push(chunk.slice(keptFrom, to));
      keptFrom = -1;
    };
    for (;;) {
      if (nextLf >= 0 && nextLf < from) nextLf = chunk.indexOf('\n', from);
      if (nextCr >= 0 && nextCr < from) nextCr = chunk.indexOf('\r', from);
      const end = nextLf < 0 ? nextCr : nextCr < 0 ? nextLf : Math.min(nextLf, nextCr);
      const stop = end < 0 ? chunk.length : end;
      if (!this.dropping && this.pendingChars + (stop - from) > this.max) {
        flushKept(from);
        this.pending = [];
        this.pendingChars = 0;
        this.dropping = true;
        this.dropped.push(this.line);
      }
      if (end < 0) {
        if (!this.dropping) {
          flushKept(from);
          if (stop > from) {
            this.pending.push(chunk.slice(from));
            this.pendingChars += stop - from;
          }
        }
        break;
      }
      if (this.dropping) {
        out.push(chunk[end]!);
        this.dropping = false;
      } else {
        if (this.pending.length > 0) {
          out.push(...this.pending);
          this.pending = [];
          this.pendingChars = 0;
        }
        if (keptFrom < 0) keptFrom = from;
      }
      if (chunk.charCodeAt(end) === 10) this.line++;
      from = end + 1;
    }
    return out.length === 1 ? out[0]! : out.join('');
  }

  /** The last line when the text does not end with a line break. */
  end(): string {
    const rest = this.dropping ? '' : this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    return rest;
  }
}

/** A line of the maximum length in UTF-8 (up to 4 bytes a character). */
function maxRecord(maxLineChars: number): number {
  return maxLineChars * 4;
}

interface ReadState {
  records: number;
  /** Last line of the last record read: a quote never closed opens after it. */
  lastEnd: number;
}

function options(limits: CsvReadOptions, onRecord: CsvRecordHandler, state: ReadState): Options {
  return {
    bom: true,
    relax_column_count: true,
    // A quote inside an unquoted field (5" screen) is a character, as spreadsheets write it.
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: limits.maxRecordBytes ?? maxRecord(limits.maxLineChars ?? MAX_CSV_LINE_CHARS),
    on_record: (record: string[], context: { lines: number }) => {
      // A line of blanks is not a row (an editor's trailing spaces), as an empty line is not.
      if (record.length === 1 && record[0]!.trim() === '') return null;
      let newlines = 0;
      for (const cell of record) for (let i = cell.indexOf('\n'); i >= 0; i = cell.indexOf('\n', i + 1)) newlines++;
      state.records++;
      state.lastEnd = context.lines;
      onRecord(record, context.lines - newlines);
      // Nothing is collected: the caller keeps what it needs.
      return null;
    },
  };
}

function summaryProblems(guard: LineGuard, max: number, error: unknown, state: ReadState): CsvReadSummary['problems'] {
  const problems: CsvProblem[] = guard.dropped.map((line) => ({ line, message: `line ${line} is longer than ${max.toLocaleString('en-US')} characters; skipped` }));
  if (error !== undefined) {
    if (isQuoteProblem(error)) {
      const line = state.lastEnd + 1;
      problems.push({ line, message: `a quoted field that starts at line ${line} or later is never closed (or runs past ${Math.round(maxRecord(max) / 1048576)} MB); the rest of the file was not read` });
    } else {
      const lines = (error as { lines?: unknown }).lines;
      const line = typeof lines === 'number' ? lines : state.lastEnd + 1;
      problems.push({ line, message: `the CSV cannot be read past line ${line}: ${errorMessage(error)}` });
    }
  }
  return problems;
}

function isQuoteProblem(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'CSV_QUOTE_NOT_CLOSED' || code === 'CSV_MAX_RECORD_SIZE';
}

/** Reads CSV text held in memory, record by record. Never throws for bad content. */
export function readCsvText(text: string, onRecord: CsvRecordHandler, limits: CsvReadOptions = {}): CsvReadSummary {
  const max = limits.maxLineChars ?? MAX_CSV_LINE_CHARS;
  const guard = new LineGuard(max);
  const state: ReadState = { records: 0, lastEnd: 0 };
  let error: unknown;
  try {
    parseSync(guard.push(text) + guard.end(), options(limits, onRecord, state));
  } catch (e) {
    error = e;
  }
  return { records: state.records, problems: summaryProblems(guard, max, error, state), unterminatedQuote: isQuoteProblem(error) };
}

/** Streams CSV text chunks (a file read piece by piece) record by record. Never throws for bad content. */
export async function readCsvStream(chunks: AsyncIterable<string>, onRecord: CsvRecordHandler, limits: CsvReadOptions = {}): Promise<CsvReadSummary> {
  const max = limits.maxLineChars ?? MAX_CSV_LINE_CHARS;
  const guard = new LineGuard(max);
  const state: ReadState = { records: 0, lastEnd: 0 };
  let error: unknown;
  const parser = parseStream(options(limits, onRecord, state));
  const done = new Promise<void>((resolve) => {
    parser.on('error', (e) => {
      error ??= e;
      resolve();
    });
    parser.on('end', () => resolve());
  });
  // Records are consumed in on_record; the readable side only has to flow for 'end' to come.
  parser.resume();
  for await (const chunk of chunks) {
    if (error !== undefined || limits.stop?.()) break;
    const text = guard.push(chunk);
    if (text !== '' && !parser.write(text)) {
      await new Promise<void>((resolve) => {
        parser.once('drain', resolve);
        parser.once('error', () => resolve());
      });
    }
  }
  if (error === undefined) {
    const rest = guard.end();
    if (rest !== '') parser.write(rest);
    parser.end();
  }
  await done;
  return { records: state.records, problems: summaryProblems(guard, max, error, state), unterminatedQuote: isQuoteProblem(error) };
}
