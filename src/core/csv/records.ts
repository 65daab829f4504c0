/**
 * CSV for every reader of the project (metrics, A/B tests). Quoting is csv-parse's job (RFC 4180: quoted
 * fields with "" escapes and embedded line breaks, a quote inside an unquoted field kept as a character):
 * a line that holds a quote goes to it, with the lines after it in batches of 64 KB. A line without any quote
 * has nothing to interpret, and is split at its commas here — bench/csv.bench.mjs measured csv-parse about
 * 10× slower than that split on such lines, which are almost every line of an A/B file.
 *
 * Memory is bounded for any input: a line longer than `maxLineChars` is dropped while it streams in
 * (reported with its number; only its first part is ever held), and a quoted stretch that grows past
 * `maxRecordChars` (a quote never closed, swallowing the rest of the file) stops the read with a problem.
 * Records go to a callback one by one and are never collected, so millions of rows cost what the caller keeps.
 */
import { parse as parseSync } from 'csv-parse/sync';
import { errorMessage } from '../util/errors';

/** A CSV row of metrics or A/B counts is a few hundred bytes; a megabyte is a broken or hostile file. */
export const MAX_CSV_LINE_CHARS = 1024 * 1024;

export interface CsvReadOptions {
  maxLineChars?: number;
  /** The longest quoted stretch (a multi-line field and the lines read with it). Default 4 × maxLineChars. */
  maxRecordChars?: number;
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
  /** A quote was opened and never closed: the rest of the file from that line was not read. */
  unterminatedQuote: boolean;
}

/** Called per record with its cells and the 1-based line where it starts. */
export type CsvRecordHandler = (cells: string[], line: number) => void;

/** Lines gathered behind a line with a quote before csv-parse reads them together. */
const STRETCH_BATCH_CHARS = 64 * 1024;

const QUOTE_ERRORS = new Set(['CSV_QUOTE_NOT_CLOSED', 'CSV_MAX_RECORD_SIZE']);

function countOf(text: string, char: string): number {
  let n = 0;
  for (let i = text.indexOf(char); i >= 0; i = text.indexOf(char, i + 1)) n++;
  return n;
}

/** A line of blanks is not a row (an editor's trailing spaces), as an empty line is not. */
function isBlankRecord(cells: readonly string[]): boolean {
  return cells.length === 1 && cells[0]!.trim() === '';
}

class CsvReader {
  records = 0;
  readonly problems: CsvProblem[] = [];
  unterminatedQuote = false;
  stopped = false;

  private readonly maxLine: number;
  private readonly maxStretch: number;
  /** Number of the line being read (lines end at \n, \r\n or \r). */
  private line = 1;
  private started = false;
  /** A \r at the end of a chunk: a line break, or the first half of \r\n; decided by the next chunk. */
  private carry = '';
  private partial: string[] = [];
  private partialChars = 0;
  private dropping = false;
  /** The quoted stretch: lines with their breaks, handed to csv-parse together. */
  private stretch: string[] | undefined;
  private stretchChars = 0;
  private stretchLine = 0;
  private triedAt = 0;
  private stretchBreak: string | undefined;
  private mixedBreaks = false;

  constructor(
    private readonly onRecord: CsvRecordHandler,
    limits: CsvReadOptions,
  ) {
    this.maxLine = limits.maxLineChars ?? MAX_CSV_LINE_CHARS;
    this.maxStretch = limits.maxRecordChars ?? this.maxLine * 4;
  }

  push(input: string): void {
    if (this.stopped) return;
    let chunk = this.carry + input;
    this.carry = '';
    if (!this.started && chunk !== '') {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    if (chunk.endsWith('\r')) {
      this.carry = '\r';
      chunk = chunk.slice(0, -1);
    }
    let from = 0;
    let nextLf = chunk.indexOf('\n');
    let nextCr = chunk.indexOf('\r');
    while (!this.stopped) {
      if (nextLf >= 0 && nextLf < from) nextLf = chunk.indexOf('\n', from);
      if (nextCr >= 0 && nextCr < from) nextCr = chunk.indexOf('\r', from);
      const end = nextLf < 0 ? nextCr : nextCr < 0 ? nextLf : Math.min(nextLf, nextCr);
      if (end < 0) {
        this.keepPartial(chunk.slice(from));
        return;
      }
      const breakLength = chunk.charCodeAt(end) === 13 && chunk.charCodeAt(end + 1) === 10 ? 2 : 1;
      this.completeLine(chunk.slice(from, end), chunk.slice(end, end + breakLength));
      from = end + breakLength;
    }
  }

  end(): void {
    if (this.carry) {
      this.carry = '';
      this.completeLine('', '\r');
    }
    if (!this.stopped && (this.partialChars > 0 || this.dropping)) this.completeLine('', '');
    if (!this.stopped && this.stretch) this.parseStretch(true);
  }

  private keepPartial(text: string): void {
    if (this.dropping || text === '') return;
    if (this.partialChars + text.length > this.maxLine) this.startDropping();
    else {
      this.partial.push(text);
      this.partialChars += text.length;
    }
  }

  private noteBreak(lineBreak: string): void {
    if (lineBreak === '') return;
    if (this.stretchBreak === undefined) this.stretchBreak = lineBreak;
    else if (lineBreak !== this.stretchBreak) this.mixedBreaks = true;
  }

  private startDropping(): void {
    this.dropping = true;
    this.partial = [];
    this.partialChars = 0;
    this.problems.push({ line: this.line, message: `line ${this.line} is longer than ${this.maxLine.toLocaleString('en-US')} characters; skipped` });
  }

  private completeLine(tail: string, lineBreak: string): void {
    const n = this.line;
    if (!this.dropping && this.partialChars + tail.length > this.maxLine) this.startDropping();
    if (lineBreak !== '') this.line++;
    if (this.dropping) {
      this.dropping = false;
      // The dropped line still ends a row inside a quoted stretch; outside one it is simply gone.
      if (this.stretch) {
        this.noteBreak(lineBreak);
        this.addToStretch(lineBreak);
      }
      return;
    }
    const text = this.partial.length ? this.partial.join('') + tail : tail;
    this.partial = [];
    this.partialChars = 0;
    if (this.stretch) {
      this.noteBreak(lineBreak);
      this.addToStretch(text + lineBreak);
    } else if (text.indexOf('"') < 0) {
      const cells = text.split(',');
      if (!isBlankRecord(cells)) this.emit(cells, n);
    } else {
      this.stretch = [];
      this.stretchChars = 0;
      this.stretchLine = n;
      this.stretchBreak = undefined;
      this.mixedBreaks = false;
      this.triedAt = STRETCH_BATCH_CHARS / 2;
      this.noteBreak(lineBreak);
      this.addToStretch(text + lineBreak);
    }
  }

  private addToStretch(text: string): void {
    this.stretch!.push(text);
    this.stretchChars += text.length;
    // Where a quoted field ends is csv-parse's call. It is asked once a batch of lines has gathered (one call
    // per line was 10× slower than csv-parse on the whole file), then each time the open remainder has
    // doubled, so a long quoted field costs a logarithmic number of parses; past the limit the answer is final.
    if (this.stretchChars >= this.triedAt * 2 || this.stretchChars > this.maxStretch) {
      this.parseStretch(false);
      if (this.stretch && this.stretchChars > this.maxStretch) this.parseStretch(true);
    }
  }

  private parseStretch(final: boolean): void {
    const text = this.stretch!.join('');
    const found: [string[], number][] = [];
    let error: unknown;
    try {
      parseSync(text, {
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: true,
        max_record_size: this.maxStretch * 4,
        // context.lines is the line where the record ends.
        on_record: (record: string[], context: { lines: number }) => {
          found.push([record, context.lines]);
          return null;
        },
      });
    } catch (e) {
      error = e;
    }
    const open = error !== undefined && QUOTE_ERRORS.has(String((error as { code?: unknown }).code));
    const first = this.stretchLine;
    if (open && !final) {
      // The records before the open quote are complete: hand them on and keep only the lines from there.
      // Only where csv-parse counts lines as this reader does (one kind of line break in the stretch).
      const last = found.length ? found[found.length - 1]![1] : 0;
      if (last > 0 && !this.mixedBreaks) {
        this.emitFound(found, first);
        this.stretch = this.stretch!.slice(last);
        this.stretchChars = this.stretch.reduce((n, l) => n + l.length, 0);
        this.stretchLine = first + last;
      }
      this.triedAt = Math.max(this.stretchChars, STRETCH_BATCH_CHARS / 2);
      return;
    }
    this.stretch = undefined;
    this.emitFound(found, first);
    if (error === undefined) return;
    this.stopped = true;
    if (open) {
      this.unterminatedQuote = true;
      this.problems.push({ line: first, message: `a quoted field that starts at line ${first} is never closed (or runs past ${this.maxStretch.toLocaleString('en-US')} characters); the rest of the file was not read` });
    } else this.problems.push({ line: first, message: `the CSV cannot be read past line ${first}: ${errorMessage(error)}` });
  }

  /** Records csv-parse found in the stretch starting at line `first`, each with the line where it ends. */
  private emitFound(found: readonly [string[], number][], first: number): void {
    for (const [cells, end] of found) {
      if (isBlankRecord(cells)) continue;
      let breaks = 0;
      for (const cell of cells) breaks += countOf(cell, '\n');
      this.emit(cells, first + end - 1 - breaks);
    }
  }

  private emit(cells: string[], line: number): void {
    this.records++;
    this.onRecord(cells, line);
  }

  summary(): CsvReadSummary {
    return { records: this.records, problems: this.problems, unterminatedQuote: this.unterminatedQuote };
  }
}

/** Reads CSV text held in memory, record by record. Never throws for bad content. */
export function readCsvText(text: string, onRecord: CsvRecordHandler, limits: CsvReadOptions = {}): CsvReadSummary {
  const reader = new CsvReader(onRecord, limits);
  reader.push(text);
  reader.end();
  return reader.summary();
}

/** Streams CSV text chunks (a file read piece by piece) record by record. Never throws for bad content. */
export async function readCsvStream(chunks: AsyncIterable<string>, onRecord: CsvRecordHandler, limits: CsvReadOptions = {}): Promise<CsvReadSummary> {
  const reader = new CsvReader(onRecord, limits);
  for await (const chunk of chunks) {
    if (reader.stopped || limits.stop?.()) break;
    reader.push(chunk);
  }
  reader.end();
  return reader.summary();
}
