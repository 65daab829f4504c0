/**
 * Small helpers over tree-sitter-python nodes: what is a logging call, where is the enclosing handler or
 * function, how names are spelled. Everything works on the syntax tree; source text is only read back for
 * the spans of nodes the tree found.
 */
import { nameWords } from '../redaction/fields';
import type { Node } from './parser';

export const LOG_METHODS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'fatal', 'log']);
const LOGGERISH = /^_*(log|logger|logging|lgr|LOG|LOGGER)$|logger$|Logger$|LOGGER$|_log$|_LOG$/;
const LEVEL_NUMBERS: Record<string, number> = { DEBUG: 10, INFO: 20, WARNING: 30, WARN: 30, ERROR: 40, CRITICAL: 50, FATAL: 50 };
const METHOD_LEVELS: Record<string, number> = { debug: 10, info: 20, warning: 30, warn: 30, error: 40, exception: 40, critical: 50, fatal: 50 };

export function named(node: Node | null | undefined): Node[] {
  return (node?.namedChildren ?? []).filter((c): c is Node => c !== null && c.type !== 'comment');
}

export function children(node: Node | null | undefined): Node[] {
  return (node?.children ?? []).filter((c): c is Node => c !== null);
}

/** The last name of `a.b.c` / `c` / `f().c`, or undefined. */
export function lastName(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') return node.childForFieldName('attribute')?.text;
  return undefined;
}

/** `a.b.c` as a dotted string when the expression is only names and attributes. */
export function dotted(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') {
    const left = dotted(node.childForFieldName('object'));
    const right = node.childForFieldName('attribute')?.text;
    return left && right ? `${left}.${right}` : undefined;
  }
  return undefined;
}

export interface LogCall {
  call: Node;
  method: string;
  receiver: Node;
  /** Numeric level (10 DEBUG … 50 CRITICAL) when it can be told from the call, else undefined. */
  level: number | undefined;
  args: Node;
  positional: Node[];
  keywords: Map<string, Node>;
  /** `*args` or `**kwargs` in the call: what it passes cannot be known. */
  splat: boolean;
  /** The message argument (the first positional, the second for `.log(level, msg)`). */
  message: Node | undefined;
  /** Positional arguments after the message. */
  rest: Node[];
}

/** Names assigned from getLogger()/get_logger()/LoggerAdapter()/.bind() anywhere in the file. */
export function loggerNames(assignments: readonly Node[]): Set<string> {
  const names = new Set<string>();
  for (const a of assignments) {
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right');
    if (!left || right?.type !== 'call') continue;
    const fn = lastName(right.childForFieldName('function'));
    if (fn && /^(getLogger|get_logger|getChild|LoggerAdapter|bind|new|wrap_logger|get_task_logger)$/.test(fn)) {
      const target = lastName(left);
      if (target) names.add(target);
    }
  }
  return names;
}

export function isLoggerReceiver(receiver: Node, known: ReadonlySet<string>): boolean {
  if (receiver.type === 'call') {
    const fn = lastName(receiver.childForFieldName('function'));
    return !!fn && /^(getLogger|get_logger|bind|opt|getChild)$/.test(fn);
  }
  const name = lastName(receiver);
  if (!name) return false;
  return LOGGERISH.test(name) || known.has(name);
}

export function logCall(call: Node, known: ReadonlySet<string>): LogCall | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute') return undefined;
  const method = fn.childForFieldName('attribute')?.text;
  const receiver = fn.childForFieldName('object');
  if (!method || !receiver || !LOG_METHODS.has(method) || !isLoggerReceiver(receiver, known)) return undefined;
  const args = call.childForFieldName('arguments');
  if (!args || args.type !== 'argument_list') return undefined;
  const positional: Node[] = [];
  const keywords = new Map<string, Node>();
  let splat = false;
  for (const a of named(args)) {
    if (a.type === 'keyword_argument') {
      const name = a.childForFieldName('name')?.text;
      if (name) keywords.set(name, a);
    } else if (a.type === 'list_splat' || a.type === 'dictionary_splat') splat = true;
    else positional.push(a);
  }
  let level: number | undefined = METHOD_LEVELS[method];
  let message = positional[0];
  let rest = positional.slice(1);
  if (method === 'log') {
    const lv = positional[0];
    const lvName = lastName(lv);
    level = lv?.type === 'integer' ? Number(lv.text) : lvName ? LEVEL_NUMBERS[lvName] : undefined;
    message = positional[1];
    rest = positional.slice(2);
    // `math.log(x)`-like calls on a logger-named object have one argument; a logger's log needs two.
    if (positional.length < 2 && !splat) return undefined;
  }
  return { call, method, receiver, level, args, positional, keywords, splat, message, rest };
}

const SCOPES = new Set(['function_definition', 'class_definition', 'lambda', 'module']);

/**
 * Parents, cached by node id. tree-sitter nodes do not store their parent: `node.parent` searches down from
 * the root, which costs the number of top-level statements each time (quadratic on a 5,000-function module).
 * The cache answers a node's siblings from one lookup and the root's children without any.
 */
let parents = new Map<number, Node | null>();

export function resetParents(root: Node): void {
  parents = new Map([[root.id, null]]);
  for (const c of root.children) if (c) parents.set(c.id, root);
}

export function parentOf(node: Node): Node | null {
  const hit = parents.get(node.id);
  if (hit !== undefined) return hit;
  const p = node.parent;
  if (p) for (const c of p.children) if (c) parents.set(c.id, p);
  parents.set(node.id, p);
  return p;
}

/** The nearest except clause around `node` within the same function, if any. */
export function enclosingExcept(node: Node): Node | undefined {
  for (let n = parentOf(node); n; n = parentOf(n)) {
    if (n.type === 'except_clause' || n.type === 'except_group_clause') return n;
    if (SCOPES.has(n.type)) return undefined;
  }
  return undefined;
}

export function enclosingFunction(node: Node): Node | undefined {
  for (let n = parentOf(node); n; n = parentOf(n)) {
    if (n.type === 'function_definition') return n;
    if (n.type === 'class_definition' || n.type === 'module') return undefined;
  }
  return undefined;
}

export function enclosingClass(fn: Node): Node | undefined {
  // function_definition -> block -> class_definition (possibly through decorated_definition)
  let n = parentOf(fn);
  if (n?.type === 'decorated_definition') n = parentOf(n);
  const cls = n?.type === 'block' ? parentOf(n) : null;
  if (cls?.type === 'class_definition') return cls;
  return undefined;
}

/** The except clause's caught types (empty for a bare `except:`) and the `as` name. */
export function exceptParts(clause: Node): { types: Node[]; alias: string | undefined; body: Node | undefined } {
  let types: Node[] = [];
  let alias: string | undefined;
  let body: Node | undefined;
  for (const c of named(clause)) {
    if (c.type === 'block') body = c;
    else if (c.type === 'as_pattern') {
      const [type, target] = named(c);
      if (type) types = type.type === 'tuple' || type.type === 'parenthesized_expression' ? named(type) : [type];
      alias = target?.type === 'as_pattern_target' ? named(target)[0]?.text : target?.text;
    } else if (!body && !types.length) types = c.type === 'tuple' || c.type === 'parenthesized_expression' ? named(c) : [c];
    else if (!body && types.length && c.type === 'identifier') alias = c.text; // `value`/`alias` field form
  }
  const aliasField = clause.childForFieldName('alias');
  if (aliasField) alias = aliasField.text;
  return { types, alias, body };
}

/** `if __name__ == "__main__":` */
export function isMainGuard(node: Node): boolean {
  if (node.type !== 'if_statement') return false;
  const cond = node.childForFieldName('condition');
  if (cond?.type !== 'comparison_operator') return false;
  const parts = named(cond);
  if (parts.length !== 2) return false;
  const texts = parts.map((p) => (p.type === 'string' ? stringValue(p) : p.text));
  return texts.includes('__name__') && texts.includes('__main__');
}

/** The value of a simple (non-f, non-concatenated) string literal, raw escapes kept; undefined otherwise. */
export function stringValue(node: Node): string | undefined {
  if (node.type !== 'string') return undefined;
  const start = children(node).find((c) => c.type === 'string_start')?.text ?? '';
  if (/[fFbB]/.test(start)) return undefined;
  return named(node)
    .filter((c) => c.type === 'string_content')
    .map((c) => c.text)
    .join('');
}

export function isFString(node: Node): boolean {
  if (node.type !== 'string') return false;
  const start = children(node).find((c) => c.type === 'string_start')?.text ?? '';
  return /[fF]/.test(start);
}

export function isStringish(node: Node | undefined): boolean {
  return !!node && (node.type === 'string' || node.type === 'concatenated_string');
}

/** Words of an identifier: `apiKey` -> [api, key], `X_AUTH_TOKEN` -> [x, auth, token] (memoised: names repeat). */
const wordCache = new Map<string, string[]>();
export function words(name: string): string[] {
  let w = wordCache.get(name);
  if (!w) {
    w = nameWords(name);
    if (wordCache.size > 50_000) wordCache.clear();
    wordCache.set(name, w);
  }
  return w;
}

/** Column of the first non-blank character of the line `offset` is on, and that line's indentation text. */
export function indentationAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let i = lineStart;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return text.slice(lineStart, i);
}

export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export function lineEndOf(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  return i === -1 ? text.length : i;
}
