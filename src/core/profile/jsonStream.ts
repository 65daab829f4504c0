/**
 * A streaming JSON reader for profile files too big to be one string (V8 strings top out near 512 MB;
 * torch.profiler traces reach that). It builds the document like JSON.parse, except that arrays the caller
 * names are not kept: their elements are handed over one by one and dropped. It also tolerates what
 * real profilers write and JSON.parse rejects: raw control characters inside strings, and the NaN /
 * Infinity that Python's json module emits.
 */
export type JsonPath = readonly (string | number)[];

export interface JsonStreamHandlers {
  /** Asked once per array outside streamed arrays; true: deliver its elements to onElement, keep none. */
  streamArray?(path: JsonPath): boolean;
  onElement?(path: JsonPath, value: unknown): void;
}

export interface JsonStreamResult {
  /** The document (streamed arrays left empty); on truncation, what was complete so far. */
  value: unknown;
  /** False when the input ended inside the document. */
  complete: boolean;
  /** Where the input ended, when incomplete, e.g. ['profiles', 0, 'samples']. */
  openPath: JsonPath;
  chars: number;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly line: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

interface Container {
  arr: boolean;
  value: unknown[] | Record<string, unknown>;
  key: string;
  index: number;
  streamed: boolean;
  path: JsonPath | undefined;
}

const enum S {
  Value, // a value is required
  ValueOrClose, // just after '['
  KeyOrClose, // just after '{'
  Key, // after ',' in an object
  Colon,
  CommaOrClose,
  End,
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

function unescape(raw: string): string {
  return raw.replace(/\\(u[0-9a-fA-F]{4}|.)/gs, (_, e: string) => (e.length === 5 ? String.fromCharCode(parseInt(e.slice(1), 16)) : (ESCAPES[e] ?? e)));
}

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff;
}

function numberChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 101 || c === 69;
}

function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/**
 * The longest single value (string, number or word) read across chunks. Nothing real is this long; a
 * decompressed run of zeros or an unclosed quote is, and holding it would take the heap.
 */
export const MAX_JSON_TOKEN_CHARS = 64 * 1024 * 1024;

export async function parseJsonStream(chunks: AsyncIterable<string>, handlers: JsonStreamHandlers = {}): Promise<JsonStreamResult> {
  const stack: Container[] = [];
  let root: unknown = undefined;
  let hasRoot = false;
  let state: S = S.Value;
  let consumed = 0; // characters before `buf`
  let line = 1;
  let insideStreamed = 0; // depth below a streamed array's elements (no nested streaming there)
  let buf = '';
  // When a value is cut off by the end of a chunk, how far into `buf` it was already scanned: the next
  // chunk resumes there instead of scanning the value again from its start (quadratic for long values).
  let scanned = 0;

  const pathOf = (): (string | number)[] => stack.map((c) => (c.arr ? c.index : c.key));
  const fail = (pos: number, what: string): never => {
    const near = JSON.stringify(buf.slice(pos, pos + 12));
    throw new JsonSyntaxError(`invalid JSON at line ${line} (character ${consumed + pos + 1}): ${what} near ${near}`, consumed + pos, line);
  };

  const emit = (value: unknown): void => {
    const top = stack[stack.length - 1];
    if (!top) {
      root = value;
      hasRoot = true;
      state = S.End;
      return;
    }
    if (top.arr) {
      if (top.streamed) handlers.onElement?.(top.path!, value);
      else (top.value as unknown[]).push(value);
      top.index++;
    } else setKey(top.value as Record<string, unknown>, top.key, value);
    state = S.CommaOrClose;
  };

  const open = (arr: boolean): void => {
    const parent = stack[stack.length - 1];
    let streamed = false;
    let path: JsonPath | undefined;
    if (arr && insideStreamed === 0 && handlers.streamArray) {
      path = pathOf();
      streamed = handlers.streamArray(path);
    }
    if (parent?.streamed || insideStreamed > 0) insideStreamed++;
    const value: unknown[] | Record<string, unknown> = arr ? [] : {};
    // Attach before filling, so a truncated document still holds what was read.
    if (!parent) {
      root = value;
      hasRoot = true;
    } else if (!parent.streamed) {
      if (parent.arr) (parent.value as unknown[]).push(value);
      else setKey(parent.value as Record<string, unknown>, parent.key, value);
    }
    stack.push({ arr, value, key: '', index: 0, streamed, path });
    state = arr ? S.ValueOrClose : S.KeyOrClose;
  };

  const close = (): void => {
    const done = stack.pop()!;
    if (insideStreamed > 0) insideStreamed--;
    const top = stack[stack.length - 1];
    if (!top) {
      state = S.End;
      return;
    }
    if (top.arr) {
      if (top.streamed) handlers.onElement?.(top.path!, done.value);
      top.index++;
    }
    state = S.CommaOrClose;
  };

  /** Keeps the unfinished value at `i` for the next chunk, remembering how much of it was scanned. */
  const suspend = (i: number): void => {
    if (buf.length - i > MAX_JSON_TOKEN_CHARS) fail(i, `a single value longer than ${MAX_JSON_TOKEN_CHARS / 1048576} MB`);
    buf = buf.slice(i);
    consumed += i;
    scanned = buf.length;
  };

  const process = (final: boolean): void => {
    const n = buf.length;
    let i = 0;
    // Only the value at the start of `buf` was scanned before; it resumes from `resume`.
    const resume = scanned;
    scanned = 0;
    while (i < n) {
      const c = buf.charCodeAt(i);
      if (isWs(c)) {
        if (c === 10) line++;
        i++;
        continue;
      }
      switch (state) {
        case S.End:
          fail(i, 'unexpected data after the end of the document');
          break;
        case S.Colon:
          if (c !== 58) fail(i, "expected ':'");
          i++;
          state = S.Value;
          continue;
        case S.CommaOrClose: {
          const top = stack[stack.length - 1]!;
          if (c === 44) {
            i++;
            state = top.arr ? S.Value : S.Key;
          } else if (c === (top.arr ? 93 : 125)) {
            i++;
            close();
          } else fail(i, top.arr ? "expected ',' or ']'" : "expected ',' or '}'");
          continue;
        }
        case S.KeyOrClose:
        case S.Key: {
          if (c === 125 && state === S.KeyOrClose) {
            i++;
            close();
            continue;
          }
          if (c !== 34) fail(i, 'expected a property name in double quotes');
          const r = readString(i, i === 0 ? resume - 1 : i + 1);
          if (r === undefined) {
            if (final) fail(i, 'unterminated string');
            return suspend(i);
          }
          stack[stack.length - 1]!.key = r.value;
          i = r.end;
          state = S.Colon;
          continue;
        }
        case S.Value:
        case S.ValueOrClose: {
          if (c === 93 && state === S.ValueOrClose) {
            i++;
            close();
            continue;
          }
          if (c === 123 || c === 91) {
            i++;
            open(c === 91);
            continue;
          }
          if (c === 34) {
            const r = readString(i, i === 0 ? resume - 1 : i + 1);
            if (r === undefined) {
              if (final) fail(i, 'unterminated string');
              return suspend(i);
            }
            i = r.end;
            emit(r.value);
            continue;
          }
          // numbers and literals (true, false, null, NaN, Infinity, -Infinity)
          let j = i;
          if (c >= 48 && c <= 57) {
            // Fast path for the plain integers that fill sample arrays: no substring, no Number().
            let v = c - 48;
            j = i + 1;
            let d = j < n ? buf.charCodeAt(j) : -1;
            while (d >= 48 && d <= 57 && j - i < 15) {
              v = v * 10 + (d - 48);
              d = ++j < n ? buf.charCodeAt(j) : -1;
            }
            if (j < n && !numberChar(d) && !(c === 48 && j - i > 1)) {
              i = j;
              emit(v);
              continue;
            }
            j = i;
          }
          if (numberChar(c)) {
            // Resume only over a run of number characters (not a "-In" of -Infinity cut short).
            if (i === 0 && resume > 1 && numberChar(buf.charCodeAt(resume - 1))) j = resume - 1;
            while (j < n && numberChar(buf.charCodeAt(j))) j++;
            if (j < n && buf.charCodeAt(j) === 73 /* I */ && j === i + 1 && c === 45) {
              j = i + 9; // -Infinity
              if (j > n && !final) {
                return suspend(i);
              }
              if (buf.slice(i, j) !== '-Infinity') fail(i, 'invalid literal');
              i = j;
              emit(-Infinity);
              continue;
            }
            if (j === n && !final) {
              return suspend(i);
            }
            const num = Number(buf.slice(i, j));
            if (Number.isNaN(num)) fail(i, 'invalid number');
            i = j;
            emit(num);
            continue;
          }
          if (i === 0 && resume > 1 && (buf.charCodeAt(resume - 1) | 32) >= 97 && (buf.charCodeAt(resume - 1) | 32) <= 122) j = resume - 1;
          while (j < n && ((buf.charCodeAt(j) | 32) >= 97 && (buf.charCodeAt(j) | 32) <= 122)) j++;
          if (j === n && !final) {
            return suspend(i);
          }
          const word = buf.slice(i, j);
          const literal = word === 'true' ? true : word === 'false' ? false : word === 'null' ? null : word === 'NaN' ? NaN : word === 'Infinity' ? Infinity : undefined;
          if (literal === undefined) fail(i, 'unexpected character');
          i = j;
          emit(literal);
          continue;
        }
      }
    }
    consumed += n;
    buf = '';
  };

  /** A string starting at `start` (a quote): its value and the index after it, or undefined if cut off. */
  const readString = (start: number, from = start + 1): { value: string; end: number } | undefined => {
    let j = Math.max(start + 1, from);
    for (;;) {
      const q = buf.indexOf('"', j);
      if (q === -1) return undefined;
      let backslashes = 0;
      for (let k = q - 1; k > start && buf.charCodeAt(k) === 92; k--) backslashes++;
      if (backslashes % 2 === 1) {
        j = q + 1;
        continue;
      }
      const raw = buf.slice(start + 1, q);
      return { value: raw.indexOf('\\') === -1 ? raw : unescape(raw), end: q + 1 };
    }
  };

  for await (const chunk of chunks) {
    buf = buf === '' ? chunk : buf + chunk;
    process(false);
  }
  process(true);
  if (!hasRoot) throw new JsonSyntaxError('empty input: no JSON value', consumed, line);
  return { value: root, complete: stack.length === 0, openPath: pathOf(), chars: consumed };
}
