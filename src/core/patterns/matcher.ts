/**
 * A pattern as a matcher, for filtering elsewhere (a log store query, issue #20; a grep): the template's
 * tokens with `null` for each variable, and the same as a regular expression over a whole message.
 * Constants are matched literally; a variable token matches one run of non-space characters, except `<str>`
 * (a quoted value, spaces allowed), `<obj>` (a printed object, spaces allowed), `<size>` and `<duration>` (a
 * number and its unit) — so the regex accepts every line the pattern was mined from.
 */
import { hasPlaceholder } from './masking';

export interface PatternMatcher {
  /** Template tokens: a constant, or null for a variable. Tokens are separated by whitespace. */
  tokens: (string | null)[];
  /** A JavaScript regular expression (no flags) over the whole message. */
  regex: string;
}

/** A printed object, from its opening bracket to its closing one (quoted too, `'Error('no such key')'`). */
const OBJ = `['"]?[\\w.]*[<{[(].*?[>}\\])]['"]?`;

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The regex of one template token: literal text around each placeholder. */
function tokenRegex(token: string): string {
  if (!hasPlaceholder(token)) return escape(token);
  let out = '';
  let i = 0;
  for (const m of token.matchAll(/<[^<>\s]*>/g)) {
    out += escape(token.slice(i, m.index));
    // `<str>` is a quoted value that may hold spaces; every other placeholder is one run without spaces.
    // `<size>` and `<duration>` may be a number and its unit (`512 KB`).
    // `<*>` stands for values of any kind: a quoted one (with spaces) too, and a size or a duration with its unit
    // (a column where `0 ms` and `10.0.0.1` were merged).
    // `<obj>` is a printed object or data structure, spaces and all, from its opening bracket to its closing one.
    out += m[0] === '<str>' ? '[^"\']*' : m[0] === '<*>' ? `(?:"[^"]*"|'[^']*'|${OBJ}|\\S*?(?:\\s+\\S+?)?)` : m[0] === '<obj>' ? OBJ : m[0] === '<size>' || m[0] === '<duration>' ? '\\S+?(?:\\s+\\S+?)?' : '\\S+?';
    i = m.index! + m[0].length;
  }
  return out + escape(token.slice(i));
}

export function matcherOf(template: string[]): PatternMatcher {
  return {
    tokens: template.map((t) => (hasPlaceholder(t) ? null : t)),
    regex: `^\\s*${template.map(tokenRegex).join('\\s+')}\\s*$`,
  };
}
