/**
 * Python source that CPython itself refuses to compile, found before tree-sitter sees it: tree-sitter's
 * parse stack grows with bracket nesting, and a file of millions of "(" exhausts the WebAssembly memory
 * (2 GB, then an abort that kills the parser for every later file). CPython's tokenizer stops at 200
 * nested brackets ("too many nested parentheses", MAXLEVEL in Parser/tokenizer.h) and 100 indentation
 * levels ("too many levels of indentation", MAXINDENT), and its compiler recurses once per unary operator
 * (`- - - … 1`, `not not … x`: a RecursionError past a few thousand), so no program that runs is refused here.
 */

export const MAX_BRACKET_NESTING = 200;
export const MAX_INDENT_LEVELS = 100;
/** CPython 3.11 compiles 2,500 unary operators in a row and fails at 3,000 (RecursionError). */
export const MAX_UNARY_RUN = 3000;

function isIdentifierChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c > 0x7f;
}

/**
 * Why the text cannot be a Python program, or undefined. Strings (with prefixes, triple quotes and
 * escapes) and comments are skipped, so brackets inside them do not count. Linear, no allocation per line.
 */
export function pythonLimitProblem(text: string): string | undefined {
  let depth = 0;
  let line = 1;
  const indents: number[] = [0];
  let atLineStart = true;
  let unary = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    if (atLineStart) {
      atLineStart = false;
      // Indentation counts only outside brackets, on lines that hold code.
      let width = 0;
      while (c === 0x20 || c === 0x09 || c === 0x0c) {
        width += c === 0x09 ? 8 - (width % 8) : 1;
        c = text.charCodeAt(++i);
      }
      if (depth === 0 && i < n && c !== 0x0a && c !== 0x0d && c !== 0x23 /* # */) {
        if (width > indents[indents.length - 1]!) {
          indents.push(width);
          if (indents.length - 1 > MAX_INDENT_LEVELS) return `more than ${MAX_INDENT_LEVELS} levels of indentation (line ${line}); CPython refuses it too ("too many levels of indentation")`;
        } else while (indents.length > 1 && width < indents[indents.length - 1]!) indents.pop();
      }
      if (i >= n) break;
    }
    if (c === 0x2d || c === 0x2b || c === 0x7e /* - + ~ */) {
      if (++unary > MAX_UNARY_RUN) return `more than ${MAX_UNARY_RUN} unary operators in a row (line ${line}); CPython refuses it too (RecursionError while compiling)`;
      continue;
    }
    if (c === 0x20 || c === 0x09) continue;
    if (c === 0x6e /* n */ && text.startsWith('not', i) && !isIdentifierChar(text.charCodeAt(i - 1)) && !isIdentifierChar(text.charCodeAt(i + 3))) {
      if (++unary > MAX_UNARY_RUN) return `more than ${MAX_UNARY_RUN} unary operators in a row (line ${line}); CPython refuses it too (RecursionError while compiling)`;
      i += 2;
      continue;
    }
    unary = 0;
    if (c === 0x0a) {
      line++;
      atLineStart = true;
    } else if (c === 0x5c && text.charCodeAt(i + 1) === 0x0a) {
      // A backslash continuation: the next line's leading blanks are not indentation.
      i++;
      line++;
    } else if (c === 0x23) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) break;
      i = nl - 1;
    } else if (c === 0x22 || c === 0x27) {
      const triple = text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c;
      if (triple) {
        const close = String.fromCharCode(c).repeat(3);
        let j = i + 3;
        for (;;) {
          const k = text.indexOf(close, j);
          if (k < 0) return undefined; // an unterminated string: tree-sitter copes, nothing nests after it
          let backslashes = 0;
          while (text.charCodeAt(k - 1 - backslashes) === 0x5c) backslashes++;
          if (backslashes % 2 === 0) {
            for (let m = i; m < k; m++) if (text.charCodeAt(m) === 0x0a) line++;
            i = k + 2;
            break;
          }
          j = k + 1;
        }
      } else {
        // A one-line string ends at its quote or at the end of the line (a syntax error CPython reports).
        for (i++; i < n; i++) {
          const d = text.charCodeAt(i);
          if (d === 0x5c) {
            if (text.charCodeAt(i + 1) === 0x0a) line++;
            i++;
          } else if (d === c) break;
          else if (d === 0x0a) {
            i--;
            break;
          }
        }
      }
    } else if (c === 0x28 || c === 0x5b || c === 0x7b) {
      if (++depth > MAX_BRACKET_NESTING) return `brackets nested more than ${MAX_BRACKET_NESTING} deep (line ${line}); CPython refuses it too ("too many nested parentheses")`;
    } else if (c === 0x29 || c === 0x5d || c === 0x7d) {
      if (depth > 0) depth--;
    }
  }
  return undefined;
}
