import { parseTree, findNodeAtLocation, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { errorMessage } from '../util/errors';
import { depthExceededAt, tooDeepMessage } from './depth';

/** 1-based line and column, as editors and `file:line:column` consumers expect. */
export interface Position {
  line: number;
  column: number;
}

export interface JsonSyntaxProblem extends Position {
  message: string;
  offset: number;
  length: number;
}

/** Maps character offsets to line/column in O(log lines). */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 /* \n */) this.starts.push(i + 1);
      else if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  positionAt(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
}

const SYNTAX_HINTS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'a property name in double quotes is expected',
  ValueExpected: 'a value is expected',
  ColonExpected: 'a colon is expected',
  CommaExpected: 'a comma is expected',
  CloseBraceExpected: 'a closing } is expected',
  CloseBracketExpected: 'a closing ] is expected',
  EndOfFileExpected: 'nothing may follow the top-level value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in string',
};

const MAX_SYNTAX_PROBLEMS = 20;

export interface ParsedJson {
  /** The parsed value; undefined when there were syntax errors (a half-parsed value is never used). */
  value: unknown;
  tree: Node | undefined;
  lines: LineIndex;
  syntaxErrors: JsonSyntaxProblem[];
}

/**
 * Strict JSON (no comments, no trailing commas) with a syntax tree, so every later problem can be reported
 * at a line and column instead of "invalid file".
 */
export function parseJsonWithPositions(text: string): ParsedJson {
  const lines = new LineIndex(text);
  const deep = depthExceededAt(text);
  if (deep >= 0) {
    // jsonc-parser and the walkers after it recurse per level; refuse before any of them overflows.
    return { value: undefined, tree: undefined, lines, syntaxErrors: [{ ...lines.positionAt(deep), offset: deep, length: 1, message: tooDeepMessage() }] };
  }
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  // A text that is not JSON at all (a log file opened by mistake) has an error per token; the first ones
  // say what is wrong, the rest are counted.
  const syntaxErrors = errors.slice(0, MAX_SYNTAX_PROBLEMS).map((e) => {
    const code = printParseErrorCode(e.error);
    return { ...lines.positionAt(e.offset), offset: e.offset, length: e.length, message: `JSON syntax error: ${SYNTAX_HINTS[code] ?? code}` };
  });
  if (errors.length > MAX_SYNTAX_PROBLEMS) {
    const next = errors[MAX_SYNTAX_PROBLEMS]!;
    syntaxErrors.push({ ...lines.positionAt(next.offset), offset: next.offset, length: next.length, message: `${errors.length - MAX_SYNTAX_PROBLEMS} more JSON syntax errors from here on` });
  }
  let value: unknown;
  if (syntaxErrors.length === 0) {
    try {
      value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (e) {
      // jsonc-parser and JSON.parse disagree only on exotic input; report it rather than guess.
      syntaxErrors.push({ line: 1, column: 1, offset: 0, length: 0, message: `JSON syntax error: ${errorMessage(e)}` });
    }
  }
  return { value, tree, lines, syntaxErrors };
}

/** RFC 6901 pointer ("/events/0/at") to a path of keys and indexes. */
export function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

/**
 * Where the value at `path` starts; when the path does not exist (a missing required property), the
 * deepest existing ancestor, so the problem still points at the object that lacks it.
 */
export function locate(parsed: ParsedJson, path: (string | number)[]): Position & { offset: number; length: number } {
  if (!parsed.tree) return { line: 1, column: 1, offset: 0, length: 0 };
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(parsed.tree, path.slice(0, n));
    if (node) {
      // Point at the property name when there is one: that is where a reader looks.
      const target = node.parent?.type === 'property' ? node.parent : node;
      return { ...parsed.lines.positionAt(target.offset), offset: target.offset, length: target.length };
    }
  }
  return { line: 1, column: 1, offset: 0, length: 0 };
}
