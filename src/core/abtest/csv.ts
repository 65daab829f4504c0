/**
 * A small RFC 4180 CSV reader: quoted fields with "" escapes and embedded newlines, CRLF or LF, a BOM at the
 * start. Never throws: an unterminated quote ends the field at the end of the text and is reported.
 */
export interface CsvTable {
  rows: string[][];
  /** 1-based line where each row starts. */
  lines: number[];
  unterminatedQuote: boolean;
}

export function parseCsv(text: string): CsvTable {
  return text.includes('"') ? parseQuoted(text) : parseUnquoted(text);
}

/** The full reader (exported for the test that holds the fast path to it). */
export function parseQuoted(text: string): CsvTable {
  const rows: string[][] = [];
  const lines: number[] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  let line = 1;
  let rowLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let fieldStarted = false;
  let quotedRow = false;
  const endRow = () => {
    row.push(field);
    // A line with only blanks (no comma, no quote) is skipped, as in the fast path.
    if (!(row.length === 1 && row[0]!.trim() === '' && !quotedRow)) {
      rows.push(row);
      lines.push(rowLine);
    }
    row = [];
    field = '';
    fieldStarted = false;
    quotedRow = false;
  };
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field === '') {
      inQuotes = true;
      fieldStarted = true;
      quotedRow = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
      fieldStarted = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (field !== '' || row.length > 0 || fieldStarted) endRow();
  return { rows, lines, unterminatedQuote: inQuotes };
}

/** Fast path for the common case without quotes: split lines, then commas (same result as the full reader). */
function parseUnquoted(text: string): CsvTable {
  const rows: string[][] = [];
  const lines: number[] = [];
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const parts = body.split(/\r\n|\n|\r/);
  for (let i = 0; i < parts.length; i++) {
    const line = parts[i]!;
    if (line.trim() === '' && !line.includes(',')) continue;
    rows.push(line.split(','));
    lines.push(i + 1);
  }
  return { rows, lines, unterminatedQuote: false };
}
