/**
 * Building blocks of the quick fixes, as pure text edits (offsets in UTF-16 code units, the unit of
 * JavaScript strings, VS Code's `positionAt` and tree-sitter's `startIndex` when parsing a string).
 */
import type { Node } from './parser';
import { children, dotted, lineEndOf, lineStartOf, named, stringValue } from './syntax';

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** Applies non-overlapping edits (any order) to `text`. Overlapping edits throw: fixes never produce them. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at || e.end < e.start || e.end > text.length) throw new Error(`overlapping or out-of-range edit at ${e.start}`);
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

// ---------------------------------------------------------------------------------------------------------
// Message conversion: f-strings, %-formatting and str.format() to a lazy "%s" template plus arguments.

export interface LazyMessage {
  /** The body of a double-quoted Python literal (already escaped). */
  format: string;
  args: string[];
}

interface Literal {
  quote: string;
  prefix: string;
}

function literalShape(node: Node): Literal | undefined {
  const start = children(node).find((c) => c.type === 'string_start')?.text;
  if (!start) return undefined;
  const m = /^([A-Za-z]*)("""|'''|"|')$/.exec(start);
  if (!m) return undefined;
  return { prefix: m[1]!.toLowerCase(), quote: m[2]! };
}

/** Literal text from a `'...'` or `"..."` literal, made valid inside `"..."` (escapes kept as written). */
function requote(raw: string, quote: string): string {
  if (quote !== "'") return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '\\') {
      out += ch + (raw[i + 1] ?? '');
      i++;
    } else out += ch === '"' ? '\\"' : ch;
  }
  return out;
}

const WRAP = new Set(['expression_list', 'lambda', 'named_expression', 'yield', 'generator_expression_bare']);
export function argText(node: Node): string {
  return WRAP.has(node.type) ? `(${node.text})` : node.text;
}

/** A str.format()/f-string replacement field's conversion and spec as a printf placeholder, if equivalent. */
export function printfSpec(conversion: string | undefined, spec: string): string | undefined {
  if (conversion && !/^[rsa]$/.test(conversion)) return undefined;
  if (spec === '') return `%${conversion ?? 's'}`;
  if (conversion) return undefined;
  const m = /^([+ ])?(#)?(0)?(\d+)?(?:\.(\d+))?([deEfFgGxXos])?$/.exec(spec);
  if (!m) return undefined;
  const [, sign = '', alt = '', zero = '', width = '', precision, type] = m;
  if (!type) return width || precision !== undefined ? undefined : '%s';
  // format() left-aligns strings in a width, printf right-aligns: not the same output.
  if (type === 's' && (width || zero || sign || alt)) return undefined;
  return `%${sign}${alt}${zero}${width}${precision !== undefined ? `.${precision}` : ''}${type}`;
}

function escapePercent(s: string): string {
  return s.replace(/%/g, '%%');
}

/** `f"a {x} b {y!r}"` -> `"a %s b %r", x, y`. */
export function lazyFromFString(node: Node): LazyMessage | undefined {
  const shape = literalShape(node);
  if (!shape || shape.quote.length !== 1 || /[rb]/.test(shape.prefix)) return undefined;
  let format = '';
  const args: string[] = [];
  for (const part of named(node)) {
    if (part.type === 'string_content') format += escapePercent(requote(part.text, shape.quote));
    else if (part.type === 'escape_interpolation') format += part.text.slice(0, 1);
    else if (part.type === 'interpolation') {
      const expr = part.childForFieldName('expression') ?? named(part)[0];
      if (!expr) return undefined;
      const conversion = part.childForFieldName('type_conversion')?.text.slice(1);
      const specNode = part.childForFieldName('format_specifier');
      if (specNode && named(specNode).length) return undefined; // nested {width} in the spec
      const spec = specNode ? specNode.text.replace(/^:/, '') : '';
      const selfDoc = children(part).find((c) => c.type === '=');
      if (selfDoc) {
        format += escapePercent(requote(part.text.slice(1, selfDoc.endIndex - part.startIndex), shape.quote));
        const placeholder = printfSpec(conversion ?? (spec ? undefined : 'r'), spec);
        if (!placeholder) return undefined;
        format += placeholder;
      } else {
        const placeholder = printfSpec(conversion, spec);
        if (!placeholder) return undefined;
        format += placeholder;
      }
      args.push(argText(expr));
    }
  }
  return { format, args };
}

/** Placeholders in a %-format string: how many positional, and whether any are named `%(key)s`. */
export function percentPlaceholders(value: string): { count: number; named: boolean } {
  let count = 0;
  let isNamed = false;
  for (let i = 0; i < value.length; i++) {
    if (value[i] !== '%') continue;
    if (value[i + 1] === '%') {
      i++;
      continue;
    }
    if (value[i + 1] === '(') isNamed = true;
    count++;
  }
  return { count, named: isNamed };
}

/** `"a %s" % x` -> the literal as written plus `x`; `% (a, b)` -> `a, b`. */
export function lazyFromPercent(op: Node): { literal: string; args: string[] } | undefined {
  const left = op.childForFieldName('left');
  const right = op.childForFieldName('right');
  if (!left || !right) return undefined;
  const value = stringValue(left);
  if (value === undefined) return undefined;
  const { count, named: isNamed } = percentPlaceholders(value);
  if (right.type === 'tuple') {
    const items = named(right);
    if (items.some((i) => i.type === 'list_splat')) return undefined;
    return { literal: left.text, args: items.map(argText) };
  }
  if (right.type === 'parenthesized_expression') {
    const inner = named(right)[0];
    if (!inner) return undefined;
    if (count === 1 || isNamed) return { literal: left.text, args: [argText(inner)] };
    return undefined;
  }
  if (right.type === 'dictionary' || isNamed || count === 1) return { literal: left.text, args: [argText(right)] };
  return undefined;
}

/** `"a {} {name}".format(x, name=y)` -> `"a %s %s", x, y`. */
export function lazyFromFormatCall(call: Node): LazyMessage | undefined {
  const fn = call.childForFieldName('function');
  const obj = fn?.childForFieldName('object');
  if (!obj || obj.type !== 'string') return undefined;
  const shape = literalShape(obj);
  const raw = stringValue(obj);
  if (!shape || raw === undefined || shape.quote.length !== 1 || /[rb]/.test(shape.prefix)) return undefined;
  const positional: string[] = [];
  const keywords = new Map<string, string>();
  for (const a of named(call.childForFieldName('arguments'))) {
    if (a.type === 'keyword_argument') {
      const value = a.childForFieldName('value');
      if (!value) return undefined;
      keywords.set(a.childForFieldName('name')?.text ?? '', argText(value));
    } else if (a.type === 'list_splat' || a.type === 'dictionary_splat') return undefined;
    else positional.push(argText(a));
  }
  let format = '';
  const args: string[] = [];
  let auto = 0;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '{' && raw[i + 1] === '{') {
      format += '{';
      i++;
    } else if (ch === '}' && raw[i + 1] === '}') {
      format += '}';
      i++;
    } else if (ch === '{') {
      const close = raw.indexOf('}', i);
      if (close === -1) return undefined;
      const field = raw.slice(i + 1, close);
      if (field.includes('{')) return undefined;
      const m = /^([A-Za-z_][A-Za-z0-9_]*|\d+)?(?:!([rsa]))?(?::(.*))?$/.exec(field);
      if (!m) return undefined;
      const [, name, conversion, spec = ''] = m;
      let value: string | undefined;
      if (name === undefined) value = positional[auto++];
      else if (/^\d+$/.test(name)) value = positional[Number(name)];
      else value = keywords.get(name);
      const placeholder = printfSpec(conversion, spec);
      if (value === undefined || !placeholder) return undefined;
      format += placeholder;
      args.push(value);
      i = close;
    } else if (ch === '}') return undefined;
    else if (ch === '\\') {
      format += ch + (raw[i + 1] ?? '');
      i++;
    } else format += ch === '%' ? '%%' : ch === '"' && shape.quote === "'" ? '\\"' : ch;
  }
  return { format, args };
}

/** A plain (non-f) single-line string literal's body, ready for a "..." literal with `%` escaped. */
export function plainLiteralBody(node: Node): string | undefined {
  const shape = literalShape(node);
  const raw = stringValue(node);
  if (!shape || raw === undefined || shape.quote.length !== 1 || /[rb]/.test(shape.prefix)) return undefined;
  return escapePercent(requote(raw, shape.quote));
}

// ---------------------------------------------------------------------------------------------------------
// The module logger: find `logger = logging.getLogger(...)` or create it (and `import logging`).

export interface ModuleLogger {
  name: string;
  /** Edits that create it; empty when the module already has one. */
  edits: TextEdit[];
}

const IMPORTS = new Set(['import_statement', 'import_from_statement', 'future_import_statement']);

/** After the module docstring and the leading imports (end of that line), else the top of the file. */
export function moduleLoggerInsertionPoint(root: Node, text: string): { offset: number; afterImports: boolean } {
  let after: Node | undefined;
  for (const [i, stmt] of named(root).entries()) {
    if (IMPORTS.has(stmt.type)) after = stmt;
    else if (i === 0 && stmt.type === 'expression_statement' && named(stmt)[0]?.type === 'string') after = stmt;
    else break;
  }
  if (after) return { offset: lineEndOf(text, after.endIndex), afterImports: true };
  const first = named(root)[0];
  return { offset: first ? lineStartOf(text, first.startIndex) : text.length, afterImports: false };
}

export function moduleLogger(root: Node, text: string, usedAt: number): ModuleLogger {
  let loggingAlias: string | undefined;
  let getLoggerName: string | undefined;
  for (const stmt of named(root)) {
    if (stmt.type === 'expression_statement') {
      const a = named(stmt)[0];
      if (a?.type === 'assignment') {
        const left = a.childForFieldName('left');
        const right = a.childForFieldName('right');
        const fn = right?.type === 'call' ? dotted(right.childForFieldName('function')) : undefined;
        if (left?.type === 'identifier' && fn && /(^|\.)(getLogger|get_logger)$/.test(fn)) return { name: left.text, edits: [] };
      }
    }
    if (stmt.type === 'import_statement') {
      for (const n of named(stmt)) {
        if (n.type === 'dotted_name' && n.text === 'logging') loggingAlias = 'logging';
        if (n.type === 'aliased_import' && n.childForFieldName('name')?.text === 'logging') loggingAlias = n.childForFieldName('alias')?.text;
      }
    }
    if (stmt.type === 'import_from_statement' && stmt.childForFieldName('module_name')?.text === 'logging') {
      for (const n of named(stmt).slice(1)) {
        if (n.type === 'dotted_name' && n.text === 'getLogger') getLoggerName = 'getLogger';
        if (n.type === 'aliased_import' && n.childForFieldName('name')?.text === 'getLogger') getLoggerName = n.childForFieldName('alias')?.text;
      }
    }
  }
  const factory = loggingAlias ? `${loggingAlias}.getLogger` : getLoggerName ?? 'logging.getLogger';
  const needImport = !loggingAlias && !getLoggerName;
  const statements = named(root);
  // After the leading docstring and imports; before the statement that will use the logger.
  let after: Node | undefined;
  for (const [i, stmt] of statements.entries()) {
    if (IMPORTS.has(stmt.type)) after = stmt;
    else if (i === 0 && stmt.type === 'expression_statement' && named(stmt)[0]?.type === 'string') after = stmt;
    else break;
  }
  const user = statements.find((s) => s.startIndex <= usedAt && usedAt < s.endIndex);
  const line = `logger = ${factory}(__name__)`;
  if (after && (!user || after.endIndex <= user.startIndex)) {
    const at = lineEndOf(text, after.endIndex);
    return { name: 'logger', edits: [{ start: at, end: at, text: `\n${needImport ? 'import logging\n' : ''}\n${line}` }] };
  }
  const before = user ?? statements[0];
  const at = before ? lineStartOf(text, before.startIndex) : text.length;
  return { name: 'logger', edits: [{ start: at, end: at, text: `${needImport ? 'import logging\n\n' : ''}${line}\n\n` }] };
}
