/**
 * A streamed JSON document whose bulk is a few big arrays (Jaeger's `{"data": [trace, …]}`, OTLP's
 * `{"resourceSpans": […]}`), read at JSON.parse's speed: a scanner that only tracks strings and brackets
 * finds each element's slice of the text, and JSON.parse reads that slice alone. The generic streaming
 * reader (profile/jsonStream) builds every value character by character in JavaScript, several times
 * slower; it stays the fallback for what JSON.parse refuses and that reader tolerates (NaN, raw control
 * characters), so the values, the errors and what a truncated document keeps are the same as with it.
 */
import { JsonSyntaxError, parseJsonStream, type JsonPath, type JsonStreamResult } from '../profile/jsonStream';

export interface ElementScanHandlers {
  /**
   * The arrays whose elements are handed over one by one (and not kept), each named by its path of object
   * keys from the root; `[]`: the document itself is that array. Objects on the way to one are walked key
   * by key; every other value is read whole.
   */
  streamed: readonly (readonly string[])[];
  onElement(path: JsonPath, value: unknown): void;
}

const WS_SPACE = 32;
const WS_LF = 10;
const WS_CR = 13;
const WS_TAB = 9;
const BOM = 0xfeff;
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const LBRACE = 123;
const RBRACE = 125;
const LBRACKET = 91;
const RBRACKET = 93;
const MINUS = 45;
const LOWER_I = 105;

function isWs(c: number): boolean {
  return c === WS_SPACE || c === WS_LF || c === WS_CR || c === WS_TAB || c === BOM;
}

function numberChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 101 || c === 69;
}

function letter(c: number): boolean {
  return (c | 32) >= 97 && (c | 32) <= 122;
}

function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

async function* once(text: string): AsyncIterable<string> {
  yield text;
}

/** How far a value was scanned when its chunk ended: the next chunk resumes from here (each character is looked at once). */
interface ScanState {
  kind: 'container' | 'string' | 'number' | 'word' | 'minus';
  depth: number;
  inString: boolean;
  /** The chunk ended on an odd run of backslashes inside a string: the next character is escaped. */
  escape: boolean;
}

/** Line breaks between values in text[from, to) (which starts between values or at a value's start). */
function linesIn(text: string, from: number, to: number): number {
  const first = text.indexOf('\n', from);
  if (first === -1 || first >= to) return 0;
  // The generic reader counts the line breaks between tokens, not the raw ones it tolerates in strings.
  let n = 0;
  let inString = false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === WS_LF) n++;
  }
  return n;
}

/**
 * The end (exclusive) of the value that `st` is in, scanning `b` from `i`; -1 when `b` ends first (`st`
 * then holds where the scan stands). `final`: nothing follows `b`.
 */
function scanFrom(b: string, i: number, st: ScanState, final: boolean): number {
  const n = b.length;
  if (st.kind === 'minus') {
    if (i >= n) return final ? n : -1;
    st.kind = (b.charCodeAt(i) | 32) === LOWER_I ? 'word' : 'number';
  }
  if (st.kind === 'number' || st.kind === 'word') {
    const word = st.kind === 'word';
    while (i < n) {
      const c = b.charCodeAt(i);
      if (word ? !letter(c) : !numberChar(c)) return i;
      i++;
    }
    return final ? n : -1;
  }
  let depth = st.depth;
  let inString = st.inString;
  if (inString && st.escape) {
    st.escape = false;
    i++;
  }
  while (i < n) {
    if (inString) {
      const q = b.indexOf('"', i);
      if (q === -1) {
        let k = n - 1;
        while (k >= i && b.charCodeAt(k) === BACKSLASH) k--;
        st.escape = (n - 1 - k) % 2 === 1;
        break;
      }
      // An odd run of backslashes before the quote escapes it (the run cannot start before `i`: `i` is
      // never right after an escaping backslash).
      let k = q - 1;
      while (k >= i && b.charCodeAt(k) === BACKSLASH) k--;
      i = q + 1;
      if ((q - 1 - k) % 2 === 1) continue;
      inString = false;
      if (depth === 0) return i;
      continue;
    }
    const c = b.charCodeAt(i);
    if (c === QUOTE) inString = true;
    else if (c === LBRACE || c === LBRACKET) depth++;
    else if ((c === RBRACE || c === RBRACKET) && --depth === 0) return i + 1;
    i++;
  }
  st.depth = depth;
  st.inString = inString;
  return -1;
}

class EndOfInput extends Error {}

/**
 * Reads the document like `parseJsonStream` with the same handlers' meaning (`streamArray(path)` is true
 * for the paths in `streamed`): same values, same result, same problems. Only arrays reached through
 * objects from the root can be streamed.
 */
export async function scanJsonElements(chunks: AsyncIterable<string>, handlers: ElementScanHandlers): Promise<JsonStreamResult> {
  const iterator = chunks[Symbol.asyncIterator]();
  const isStreamed = (path: readonly string[]) => handlers.streamed.some((p) => p.length === path.length && path.every((k, i) => p[i] === k));
  const onTheWay = (path: readonly string[]) => handlers.streamed.some((p) => p.length > path.length && path.every((k, i) => p[i] === k));

  let buf = '';
  let pos = 0;
  /** Characters before `buf`, and the line `buf` starts on. */
  let consumed = 0;
  let line = 1;
  let ended = false;
  /** The open path, for a truncated document (keys and element indices). */
  const openPath: (string | number)[] = [];
  let root: unknown;
  let hasRoot = false;

  /**
   * The line of buf[at] (between values), counted on from the last place asked: `pos` only moves forward,
   * and a text without line breaks (every trace answer) costs one indexOf per chunk.
   */
  const lines = { at: 0, line: 1, next: -1 };
  const setBuf = (text: string): void => {
    buf = text;
    lines.at = 0;
    lines.line = line;
    lines.next = text.indexOf('\n');
  };
  const lineOf = (at: number): number => {
    if (at < lines.at) return line + linesIn(buf, 0, at);
    if (lines.next !== -1 && lines.next < at) {
      lines.line += linesIn(buf, lines.at, at);
      lines.next = buf.indexOf('\n', at);
    }
    lines.at = at;
    return lines.line;
  };

  /** The text an error at `at` quotes (the generic reader may quote less of it: it stops at a chunk's end). */
  const near = (text: string, at: number): string => JSON.stringify(text.slice(at, at + 12));

  const fail = (at: number, what: string): never => {
    const l = lineOf(at);
    throw new JsonSyntaxError(`invalid JSON at line ${l} (character ${consumed + at + 1}): ${what} near ${near(buf, at)}`, consumed + at, l);
  };

  /** The next chunk, after what is left of `buf` from `pos` (between values: a little white space at most). */
  const more = async (): Promise<boolean> => {
    if (ended) return false;
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      return false;
    }
    line = lineOf(pos);
    consumed += pos;
    setBuf(pos < buf.length ? buf.slice(pos) + next.value : next.value);
    pos = 0;
    return true;
  };

  /** The next character that is not white space (pos left on it), or -1 at the end of the input. */
  const peek = async (): Promise<number> => {
    for (;;) {
      while (pos < buf.length) {
        const c = buf.charCodeAt(pos);
        if (!isWs(c)) return c;
        pos++;
      }
      if (!(await more())) return -1;
    }
  };

  /** A value's text, where it starts in the whole text, and its line. */
  interface Raw {
    text: string;
    offset: number;
    line: number;
  }

  /** JSON.parse of a value's text; what it refuses goes to the tolerant reader, its errors placed in the whole text. */
  const parseRaw = async (raw: Raw): Promise<unknown> => {
    try {
      return JSON.parse(raw.text) as unknown;
    } catch {
      try {
        return (await parseJsonStream(once(raw.text))).value;
      } catch (e) {
        throw relocate(e, raw);
      }
    }
  };

  const relocate = (e: unknown, raw: Raw): unknown => {
    if (!(e instanceof JsonSyntaxError)) return e;
    const l = raw.line + e.line - 1;
    const offset = raw.offset + e.offset;
    const message = e.message.replace(/^invalid JSON at line \d+ \(character \d+\)(.*) near ".*"$/s, (_, what: string) => `invalid JSON at line ${l} (character ${offset + 1})${what} near ${near(raw.text, e.offset)}`);
    return new JsonSyntaxError(message, offset, l);
  };

  /** A value cut off by the end of the input, as the generic reader leaves it (what was complete of it). */
  let truncatedValue: unknown;

  /**
   * The text of the value at `pos` (which is not white space), pos moved past it. A value longer than
   * what is left of the chunk collects the chunks it spans and joins them once. At the end of the input
   * inside it: EndOfInput, with what the generic reader would keep of it in `truncatedValue` and the open
   * path below it added to `openPath`.
   */
  const readRaw = async (): Promise<Raw> => {
    const c = buf.charCodeAt(pos);
    const st: ScanState = {
      kind: c === LBRACE || c === LBRACKET ? 'container' : c === QUOTE ? 'string' : c === MINUS ? 'minus' : numberChar(c) ? 'number' : 'word',
      depth: c === LBRACE || c === LBRACKET ? 1 : 0,
      inString: c === QUOTE,
      escape: false,
    };
    const start = { offset: consumed + pos, line: lineOf(pos) };
    let from = pos;
    const pieces: string[] = [];
    for (;;) {
      const end = scanFrom(buf, pieces.length === 0 ? pos + 1 : 0, st, ended);
      if (end !== -1) {
        const text = pieces.length === 0 ? buf.slice(from, end) : pieces.join('') + buf.slice(0, end);
        if (pieces.length === 0) {
          pos = end;
          return { text, ...start };
        }
        // `buf` is the chunk the value ends in: it now starts after the value (line counts need to start
        // between values).
        line = start.line + linesIn(text, 0, text.length);
        consumed = start.offset + text.length;
        setBuf(buf.slice(end));
        pos = 0;
        return { text, ...start };
      }
      pieces.push(from === 0 ? buf : buf.slice(from));
      const next = ended ? undefined : await iterator.next();
      if (!next || next.done) {
        ended = true;
        const text = pieces.join('');
        setBuf('');
        pos = 0;
        consumed = start.offset + text.length;
        line = start.line + linesIn(text, 0, text.length);
        // A number or a word ends with the input; a string or a container is cut off.
        if (st.kind !== 'container' && st.kind !== 'string') return { text, ...start };
        truncatedValue = await parsePartial({ text, ...start });
        throw new EndOfInput();
      }
      setBuf(next.value);
      from = 0;
    }
  };

  const parsePartial = async (raw: Raw): Promise<unknown> => {
    try {
      const r = await parseJsonStream(once(raw.text));
      if (!r.complete) openPath.push(...r.openPath);
      return r.value;
    } catch (e) {
      throw relocate(e, raw);
    }
  };

  /** Elements of a streamed array (pos on its '['). Cut off between elements, the open path ends with the next index. */
  const streamArray = async (path: string[]): Promise<void> => {
    pos++;
    let index = 0;
    const cut = (): never => {
      openPath.push(index);
      throw new EndOfInput();
    };
    let c = await peek();
    if (c === RBRACKET) {
      pos++;
      return;
    }
    for (;;) {
      if (c === -1) cut();
      openPath.push(index);
      handlers.onElement(path, await parseRaw(await readRaw()));
      openPath.pop();
      index++;
      c = await peek();
      if (c === COMMA) {
        pos++;
        c = await peek();
        continue;
      }
      if (c === RBRACKET) {
        pos++;
        return;
      }
      if (c === -1) cut();
      fail(pos, "expected ',' or ']'");
    }
  };

  /** An object on the way to a streamed array (pos on its '{'), built into `obj`. Cut off between members, the open path ends with the last key. */
  const walkObject = async (path: string[], obj: Record<string, unknown>): Promise<void> => {
    pos++;
    let key = '';
    const cut = (): never => {
      openPath.push(key);
      throw new EndOfInput();
    };
    let c = await peek();
    if (c === RBRACE) {
      pos++;
      return;
    }
    for (;;) {
      if (c === -1) cut();
      if (c !== QUOTE) fail(pos, 'expected a property name in double quotes');
      key = (await parseRaw(await readRaw())) as string;
      c = await peek();
      if (c === -1) cut();
      if (c !== COLON) fail(pos, "expected ':'");
      pos++;
      c = await peek();
      if (c === -1) cut();
      const childPath = [...path, key];
      openPath.push(key);
      if (c === LBRACKET && isStreamed(childPath)) {
        setKey(obj, key, []);
        await streamArray(childPath);
      } else if (c === LBRACE && onTheWay(childPath)) {
        const child: Record<string, unknown> = {};
        setKey(obj, key, child);
        await walkObject(childPath, child);
      } else {
        try {
          setKey(obj, key, await parseRaw(await readRaw()));
        } catch (e) {
          if (e instanceof EndOfInput) setKey(obj, key, truncatedValue);
          throw e;
        }
      }
      openPath.pop();
      c = await peek();
      if (c === COMMA) {
        pos++;
        c = await peek();
        continue;
      }
      if (c === RBRACE) {
        pos++;
        return;
      }
      if (c === -1) cut();
      fail(pos, "expected ',' or '}'");
    }
  };

  let complete = true;
  try {
    const c = await peek();
    if (c === -1) throw new JsonSyntaxError('empty input: no JSON value', consumed + pos, line);
    if (c === LBRACE && onTheWay([])) {
      const obj: Record<string, unknown> = {};
      root = obj;
      hasRoot = true;
      await walkObject([], obj);
    } else if (c === LBRACKET && isStreamed([])) {
      root = [];
      hasRoot = true;
      await streamArray([]);
    } else {
      try {
        root = await parseRaw(await readRaw());
        hasRoot = true;
      } catch (e) {
        if (e instanceof EndOfInput) {
          root = truncatedValue;
          hasRoot = true;
        }
        throw e;
      }
    }
    if ((await peek()) !== -1) fail(pos, 'unexpected data after the end of the document');
  } catch (e) {
    if (!(e instanceof EndOfInput)) throw e;
    if (!hasRoot) throw new JsonSyntaxError('empty input: no JSON value', consumed + pos, line);
    complete = false;
  }
  return { value: root, complete, openPath: complete ? [] : openPath, chars: consumed + buf.length };
}
