/**
 * How deeply a JSON text nests, found without parsing it. Recursive readers (jsonc-parser's tree, schema
 * validation, the walkers that render or redact a document) overflow the stack somewhere past a few
 * thousand levels, and no file this project reads nests more than a few dozen: a text deeper than the
 * limit is refused with a problem that says so, before any recursive reader sees it.
 */

/** Far above any real incident, post-mortem, trace or metrics file; far below where recursion fails. */
export const MAX_JSON_DEPTH = 512;

/**
 * The offset of the bracket that opens level `max + 1`, or -1 when the text stays within `max`. Strings
 * (with their escapes) are skipped, so brackets inside them do not count; the text need not be valid JSON.
 */
export function depthExceededAt(text: string, max = MAX_JSON_DEPTH): number {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Jump to the closing quote; a backslash escapes the next character, whatever it is.
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) return i;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      if (depth > 0) depth--;
    }
  }
  return -1;
}

/** The sentence every reader uses for a text that nests too deeply. */
export function tooDeepMessage(max = MAX_JSON_DEPTH): string {
  return `JSON nested more than ${max} levels deep; no file of this kind nests like that, so it is not read`;
}

/** Thrown by `parseJsonBounded` with the same shape of message as JSON.parse's SyntaxError. */
export class JsonTooDeepError extends SyntaxError {
  constructor(
    readonly offset: number,
    max = MAX_JSON_DEPTH,
  ) {
    super(`${tooDeepMessage(max)} (at character ${offset + 1})`);
    this.name = 'JsonTooDeepError';
  }
}

/**
 * JSON.parse for documents that a recursive walker will read afterwards: a text nested deeper than `max`
 * throws a SyntaxError (so every existing `catch` around JSON.parse reports it as unreadable JSON).
 */
export function parseJsonBounded(text: string, max = MAX_JSON_DEPTH): unknown {
  const at = depthExceededAt(text, max);
  if (at >= 0) throw new JsonTooDeepError(at, max);
  return JSON.parse(text);
}
