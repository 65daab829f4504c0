/**
 * The rows of a CSV held in memory, for callers that want a table (tests, small files). Readers of real
 * files stream through src/core/csv/records.ts instead.
 */
import { readCsvText, type CsvReadOptions } from '../csv/records';

export interface CsvTable {
  rows: string[][];
  /** 1-based line where each row starts. */
  lines: number[];
  unterminatedQuote: boolean;
}

export function parseCsv(text: string, options: CsvReadOptions = {}): CsvTable {
  const rows: string[][] = [];
  const lines: number[] = [];
  const read = readCsvText(
    text,
    (cells, line) => {
      rows.push(cells);
      lines.push(line);
    },
    options,
  );
  return { rows, lines, unterminatedQuote: read.unterminatedQuote };
}
