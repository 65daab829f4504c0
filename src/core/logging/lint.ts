/**
 * The logging linter: one tree-sitter parse per file, then each rule walks the nodes it cares about.
 * Findings carry their quick fixes as pure text edits so the editor, the CLI and the tests apply the same
 * change. Nodes inside a syntax error (`hasError`) produce no findings: where tree-sitter recovers, the rest
 * of the file is still checked; where it cannot, nothing is claimed.
 */
import { pythonLimitProblem } from './limits';
import {
  applyEdits,
  argText,
  lazyFromFString,
  lazyFromFormatCall,
  lazyFromPercent,
  moduleLogger,
  plainLiteralBody,
  type TextEdit,
} from './edits';
import { isSensitiveName } from '../redaction/fields';
import type { Node, PythonParser } from './parser';
import { RULES, severityOf, type RuleId, type RuleSeverities, type Severity } from './rules';
import {
  children,
  dotted,
  enclosingClass,
  enclosingExcept,
  enclosingFunction,
  exceptParts,
  indentationAt,
  isFString,
  isMainGuard,
  isStringish,
  lastName,
  lineStartOf,
  logCall,
  loggerNames,
  named,
  parentOf,
  resetParents,
  stringValue,
  words,
  type LogCall,
} from './syntax';

export type { TextEdit };
export { isSensitiveName };
export { applyEdits };

export interface Fix {
  id: string;
  title: string;
  edits: TextEdit[];
  /** The fix an editor offers first (VS Code's `isPreferred`). */
  preferred?: boolean;
}

export interface Finding {
  rule: RuleId;
  severity: Severity;
  message: string;
  /** 1-based line and column (UTF-16 code units) of the start; `end*` of the end. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Offsets in the text (UTF-16 code units). */
  start: number;
  end: number;
  fixes: Fix[];
}

/** What the project-level rule and the missing-context rule need to know about a file. */
export interface FileFacts {
  /** A JSON formatter is configured or defined here (a Formatter subclass that json.dumps, python-json-logger, structlog's JSONRenderer...). */
  jsonFormatter: boolean;
  /** A request/trace/user id context variable is set here (`request_id_var.set(...)`), structlog contextvars are bound, or OpenTelemetry's LoggingInstrumentor is used. */
  contextVarContext: boolean;
  /** The web-service markers: a framework import or an http.server handler class. */
  service: boolean;
  /** Where logging is configured (basicConfig/dictConfig/fileConfig), if here. */
  loggingConfig?: Span;
  /** `if __name__ == "__main__":`, if here. */
  entryPoint?: Span;
}

export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  start: number;
  end: number;
}

export interface LintOptions {
  severities?: RuleSeverities;
  /** The file's path (relative or absolute, `/`-separated); tells scripts and tests from modules. */
  path?: string;
  /** Names that count as request context in `extra` or structured keyword arguments. */
  contextFields?: readonly string[];
  /** Extra names treated as sensitive by `sensitive-data` (in addition to the built-in list). */
  sensitiveNames?: readonly string[];
  /** Facts from the rest of the project, e.g. a contextvar-based request id defined in another module. */
  project?: { contextVarContext?: boolean };
  /** Notebook cells: print() is how notebooks show output, so `print-logging` is skipped. */
  notebook?: boolean;
}

export interface LintResult {
  findings: Finding[];
  facts: FileFacts;
  /** Number of ERROR/MISSING nodes tree-sitter recovered from (0 for a clean parse). */
  syntaxErrors: number;
  /** Why the text was not parsed at all (it is beyond what CPython compiles); no findings then. */
  skipped?: string;
}

export const DEFAULT_CONTEXT_FIELDS = ['request_id', 'trace_id', 'span_id', 'correlation_id', 'user_id', 'session_id', 'tenant_id', 'job_id'];

const FRAMEWORKS = /^(flask|fastapi|django|starlette|aiohttp|tornado|bottle|sanic|falcon|quart|litestar|pyramid|http\.server|socketserver|wsgiref|grpc)(\.|$)/;
const ROUTE_DECORATORS = new Set(['route', 'get', 'post', 'put', 'delete', 'patch', 'head', 'options', 'websocket', 'api_route', 'api_view', 'view_config', 'action']);
const HTTP_METHODS = /^(do_[A-Z]+|get|post|put|patch|delete|head|options|dispatch|handle|list|create|retrieve|update|partial_update|destroy)$/;
const INDEXED = ['assignment', 'comment', 'call', 'import_statement', 'import_from_statement', 'class_definition', 'string_content', 'print_statement', 'except_clause', 'except_group_clause'];
const SUPPRESS = /#\s*iwb:\s*ignore(-file)?(?:\[([^\]]*)\])?/;

function isScriptPath(path: string | undefined): boolean {
  if (!path) return false;
  const p = path.replace(/\\/g, '/');
  const base = p.slice(p.lastIndexOf('/') + 1);
  return (
    /(^|\/)(scripts?|bin|tools|examples?|notebooks?|tests?|benchmarks?|docs)\//.test(p) ||
    /^(__main__|setup|conftest|manage|noxfile|fabfile|tasks)\.py$/.test(base) ||
    /^test_.*\.py$|_test\.py$/.test(base)
  );
}

class Context {
  readonly findings: Finding[] = [];
  readonly known: Set<string>;
  private lineStarts: number[] | undefined;
  private readonly ignoredLines = new Map<number, Set<string> | '*'>();
  private readonly ignoredFile = new Set<string>();
  private logger: { name: string; edits: TextEdit[] } | undefined;
  private fromImportsCache: Node[] | undefined;

  private readonly descendantsCache = new Map<string, Node[]>();
  /** Nodes of one type inside a function, looked up once per function however many log calls it has. */
  private descendantsIn(fn: Node, type: 'call' | 'assignment'): Node[] {
    const key = `${type}:${fn.id}`;
    let nodes = this.descendantsCache.get(key);
    if (!nodes) {
      nodes = fn.descendantsOfType(type).filter((c): c is Node => c !== null);
      this.descendantsCache.set(key, nodes);
    }
    return nodes;
  }

  callsIn(fn: Node): Node[] {
    return this.descendantsIn(fn, 'call');
  }

  assignmentsIn(fn: Node): Node[] {
    return this.descendantsIn(fn, 'assignment');
  }

  /** `from X import ...` statements anywhere in the file (looked up once). */
  fromImports(): Node[] {
    this.fromImportsCache ??= this.byType('import_from_statement');
    return this.fromImportsCache;
  }

  /** Nodes of the types the rules start from, found in one walk of the tree (each walk costs the whole file). */
  private readonly index = new Map<string, Node[]>();
  byType(...types: string[]): Node[] {
    return types.flatMap((t) => this.index.get(t) ?? []).sort((a, b) => a.startIndex - b.startIndex);
  }

  constructor(
    readonly root: Node,
    readonly text: string,
    readonly options: LintOptions,
  ) {
    for (const n of root.descendantsOfType(INDEXED)) {
      if (!n) continue;
      const list = this.index.get(n.type);
      if (list) list.push(n);
      else this.index.set(n.type, [n]);
    }
    this.known = loggerNames(this.byType('assignment'));
    for (const c of this.byType('comment')) {
      if (!c) continue;
      const m = SUPPRESS.exec(c.text);
      if (!m) continue;
      const rules = m[2] === undefined ? '*' : new Set(m[2].split(',').map((s) => s.trim()));
      if (m[1]) {
        for (const r of rules === '*' ? Object.keys(RULES) : rules) this.ignoredFile.add(r);
        continue;
      }
      const row = c.startPosition.row;
      const standalone = this.text.slice(lineStartOf(this.text, c.startIndex), c.startIndex).trim() === '';
      this.ignore(row, rules);
      if (standalone) this.ignore(row + 1, rules);
    }
  }

  private ignore(row: number, rules: Set<string> | '*'): void {
    const prev = this.ignoredLines.get(row);
    if (prev === '*' || rules === '*') this.ignoredLines.set(row, '*');
    else this.ignoredLines.set(row, new Set([...(prev ?? []), ...rules]));
  }

  suppressed(rule: RuleId, row: number): boolean {
    if (this.ignoredFile.has(rule)) return true;
    const set = this.ignoredLines.get(row);
    return set === '*' || (set !== undefined && set.has(rule));
  }

  /** A module logger to log with from a fix; the edits create it when the module has none. */
  moduleLogger(usedAt: number): { name: string; edits: TextEdit[] } {
    // Found loggers are cached; creation edits depend on where the logger is used, so they are not.
    if (this.logger && this.logger.edits.length === 0) return this.logger;
    this.logger = moduleLogger(this.root, this.text, usedAt);
    return this.logger;
  }

  span(start: number, end: number): Span {
    const a = this.position(start);
    const b = this.position(end);
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column, start, end };
  }

  private position(offset: number): { line: number; column: number } {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    }
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo]! + 1 };
  }

  report(rule: RuleId, node: Node, message: string, fixes: Fix[], range?: { start: number; end: number }): void {
    const severity = severityOf(rule, this.options.severities);
    if (!severity || node.hasError) return;
    const start = range?.start ?? node.startIndex;
    const end = range?.end ?? node.endIndex;
    const row = this.position(start).line - 1;
    if (this.suppressed(rule, row)) return;
    const suppress: Fix = {
      id: 'suppress',
      title: `Ignore ${rule} on this line (# iwb: ignore[${rule}])`,
      edits: [this.suppressionEdit(rule, start)],
    };
    this.findings.push({ rule, severity, message: `${message} ${RULES[rule].why}`, ...this.span(start, end), fixes: [...fixes, suppress] });
  }

  private suppressionEdit(rule: RuleId, start: number): TextEdit {
    const lineStart = lineStartOf(this.text, start);
    // At the end of the line of the finding, unless that line ends inside a multi-line string/expression:
    // then as a standalone comment above it, which applies to the next line.
    const lineEnd = this.text.indexOf('\n', start);
    const end = lineEnd === -1 ? this.text.length : lineEnd;
    const last = this.root.descendantForIndex(Math.max(lineStart, end - 1));
    const safeAtEnd = last && (last.type === 'comment' || last.endIndex <= end) && !/#/.test(this.text.slice(lineStart, end));
    if (safeAtEnd) return { start: end, end, text: `  # iwb: ignore[${rule}]` };
    const indent = indentationAt(this.text, start);
    return { start: lineStart, end: lineStart, text: `${indent}# iwb: ignore[${rule}]\n` };
  }
}

/** Lints one Python source text. Never throws for any input text. */
export function lintPython(parser: PythonParser, text: string, options: LintOptions = {}): LintResult {
  const refused = pythonLimitProblem(text);
  if (refused) return { findings: [], facts: { jsonFormatter: false, contextVarContext: false, service: false }, syntaxErrors: 0, skipped: refused };
  return parser.withTree(text, (tree) => lintTree(tree.rootNode, text, options));
}

export function lintTree(root: Node, text: string, options: LintOptions = {}): LintResult {
  resetParents(root);
  const ctx = new Context(root, text, options);
  const facts = collectFacts(root, ctx);
  const calls = ctx.byType('call');
  const logCalls: LogCall[] = [];
  for (const call of calls) {
    const lc = logCall(call, ctx.known);
    if (lc) logCalls.push(lc);
  }
  if (!options.notebook) checkPrints(root, calls, ctx);
  for (const lc of logCalls) {
    checkTraceback(lc, ctx);
    checkEager(lc, ctx);
    checkSensitive(lc, ctx);
    checkContext(lc, ctx, facts);
  }
  checkSwallowed(ctx);
  ctx.findings.sort((a, b) => a.start - b.start || a.rule.localeCompare(b.rule));
  // ERROR cannot share a descendantsOfType walk with named types (web-tree-sitter then finds nothing): its own walk, only for broken files.
  const syntaxErrors = root.hasError ? root.descendantsOfType('ERROR').length + countMissing(root) : 0;
  return { findings: ctx.findings, facts, syntaxErrors };
}

function countMissing(root: Node): number {
  let n = 0;
  const cursor = root.walk();
  // Only descend into subtrees that contain an error: a clean file costs nothing here.
  const visit = (): void => {
    do {
      const node = cursor.currentNode;
      if (node.isMissing) n++;
      if (node.hasError && cursor.gotoFirstChild()) {
        visit();
        cursor.gotoParent();
      }
    } while (cursor.gotoNextSibling());
  };
  visit();
  cursor.delete();
  return n;
}

// ---------------------------------------------------------------------------------------------------------
// Facts

function collectFacts(root: Node, ctx: Context): FileFacts {
  const facts: FileFacts = { jsonFormatter: false, contextVarContext: false, service: false };
  for (const stmt of ctx.byType('import_statement', 'import_from_statement')) {
    const modules =
      stmt.type === 'import_from_statement'
        ? [stmt.childForFieldName('module_name')?.text ?? '']
        : named(stmt).map((n) => (n.type === 'aliased_import' ? n.childForFieldName('name')?.text ?? '' : n.text));
    if (modules.some((m) => FRAMEWORKS.test(m))) facts.service = true;
    if (modules.some((m) => /^(pythonjsonlogger|json_log_formatter|ecs_logging)(\.|$)/.test(m))) facts.jsonFormatter = true;
    if (stmt.type === 'import_from_statement') {
      const names = named(stmt).slice(1).map((n) => n.text);
      if (modules[0] === 'opentelemetry.instrumentation.logging' && names.some((n) => /LoggingInstrumentor/.test(n))) facts.contextVarContext = true;
    }
  }
  for (const cls of ctx.byType('class_definition')) {
    const supers = cls.childForFieldName('superclasses')?.text ?? '';
    if (/BaseHTTPRequestHandler|RequestHandler\b/.test(supers)) facts.service = true;
    if (/Formatter\b/.test(supers)) {
      const dumps = cls.descendantsOfType('call').some((c) => c && /(^|\.)dumps$/.test(dotted(c.childForFieldName('function')) ?? ''));
      if (dumps) facts.jsonFormatter = true;
    }
  }
  const contextNames = new Set((ctx.options.contextFields ?? DEFAULT_CONTEXT_FIELDS).map((f) => words(f).join('')));
  for (const call of ctx.byType('call')) {
    const fn = dotted(call.childForFieldName('function')) ?? '';
    const name = fn.slice(fn.lastIndexOf('.') + 1);
    if (/^(basicConfig|dictConfig|fileConfig)$/.test(name) && !facts.loggingConfig) facts.loggingConfig = ctx.span(call.startIndex, call.endIndex);
    // A request-id context variable only helps once something sets it (a handler or a middleware):
    // `request_id_var.set(...)`. Defining one that nobody sets carries nothing into the log.
    if (name === 'set' && fn.includes('.')) {
      const receiver = fn.slice(0, fn.lastIndexOf('.'));
      const last = receiver.slice(receiver.lastIndexOf('.') + 1);
      if ([...contextNames].some((c) => words(last).join('').includes(c))) facts.contextVarContext = true;
    }
    if (/^(merge_contextvars|bind_contextvars)$/.test(name)) facts.contextVarContext = true;
    if (name === 'LoggingInstrumentor') facts.contextVarContext = true;
    if (/^(JSONRenderer|JsonFormatter|JSONFormatter)$/.test(name)) facts.jsonFormatter = true;
  }
  for (const s of ctx.byType('string_content')) {
    // dictConfig written as data: {"()": "pythonjsonlogger.jsonlogger.JsonFormatter"}
    if (/jsonlogger|JsonFormatter|JSONFormatter|json_log_formatter|ecs_logging/.test(s.text)) facts.jsonFormatter = true;
  }
  const guard = named(root).find(isMainGuard);
  if (guard) facts.entryPoint = ctx.span(guard.startIndex, guard.childForFieldName('condition')?.endIndex ?? guard.endIndex);
  return facts;
}

// ---------------------------------------------------------------------------------------------------------
// print-logging

function checkPrints(root: Node, calls: Node[], ctx: Context): void {
  if (isScriptPath(ctx.options.path) || ctx.text.startsWith('#!')) return;
  const guard = named(root).find(isMainGuard);
  // Functions the __main__ block calls directly (main(), cli()) are the script part of the module.
  const mainCalls = new Set<string>();
  if (guard) for (const c of guard.descendantsOfType('call')) if (c && c.childForFieldName('function')?.type === 'identifier') mainCalls.add(c.childForFieldName('function')!.text);
  const inScriptPart = (node: Node): boolean => {
    if (guard && node.startIndex >= guard.startIndex && node.endIndex <= guard.endIndex) return true;
    for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
      if (!enclosingClass(fn) && mainCalls.has(fn.childForFieldName('name')?.text ?? '') && parentOf(fn)?.type !== 'block') return true;
      const up = parentOf(fn);
      if (up?.type === 'module' || (up && parentOf(up)?.type === 'module')) break;
    }
    return false;
  };
  for (const call of calls) {
    const fn = call.childForFieldName('function');
    if (fn?.type !== 'identifier' || fn.text !== 'print') continue;
    const args = call.childForFieldName('arguments');
    if (args?.type !== 'argument_list') continue;
    const file = named(args).find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'file');
    const fileTarget = file?.childForFieldName('value')?.text;
    if (file && fileTarget !== 'sys.stderr' && fileTarget !== 'sys.stdout') continue; // writing to a file, not logging
    if (inScriptPart(call)) continue;
    const level = fileTarget === 'sys.stderr' ? 'warning' : 'info';
    const fixes: Fix[] = [];
    const converted = printArguments(named(args));
    const logger = converted && ctx.moduleLogger(call.startIndex);
    if (converted && logger) {
      fixes.push({
        id: 'print-to-logger',
        title: `Replace print() with ${logger.name}.${level}(...)${logger.edits.length ? ' and add a module logger' : ''}`,
        edits: [...logger.edits, { start: call.startIndex, end: call.endIndex, text: `${logger.name}.${level}(${converted})` }],
        preferred: true,
      });
    }
    ctx.report('print-logging', call, `print() in a module that is not a script.`, fixes);
  }
  for (const stmt of ctx.byType('print_statement')) {
    if (inScriptPart(stmt)) continue;
    // Python 2 `print x, y`: same finding; the fix also makes it Python 3.
    const items = named(stmt);
    const fixes: Fix[] = [];
    const converted = items.some((i) => i.type === 'chevron') ? undefined : printArguments(items);
    if (converted !== undefined) {
      const logger = ctx.moduleLogger(stmt.startIndex);
      fixes.push({ id: 'print-to-logger', title: `Replace print with ${logger.name}.info(...)`, edits: [...logger.edits, { start: stmt.startIndex, end: stmt.endIndex, text: `${logger.name}.info(${converted})` }], preferred: true });
    }
    ctx.report('print-logging', stmt, `Python 2 print statement used for output.`, fixes);
  }
}

/** print()'s arguments as logging arguments: `"a", x` -> `"a %s", x`; undefined when it cannot be said. */
function printArguments(args: Node[]): string | undefined {
  const parts: string[] = [];
  const values: string[] = [];
  for (const a of args) {
    if (a.type === 'keyword_argument') {
      const name = a.childForFieldName('name')?.text;
      if (name === 'sep' || !['end', 'flush', 'file'].includes(name ?? '')) return undefined;
      continue;
    }
    if (a.type === 'list_splat' || a.type === 'dictionary_splat') return undefined;
    if (a.type === 'string' && isFString(a)) {
      const lazy = lazyFromFString(a);
      if (!lazy) return undefined;
      parts.push(lazy.format);
      values.push(...lazy.args);
    } else if (a.type === 'string') {
      const body = plainLiteralBody(a);
      if (body === undefined) {
        parts.push('%s');
        values.push(a.text);
      } else parts.push(body);
    } else {
      parts.push('%s');
      values.push(argText(a));
    }
  }
  return [`"${parts.join(' ')}"`, ...values].join(', ');
}

// ---------------------------------------------------------------------------------------------------------
// exception-without-traceback

function lastArgumentEdit(lc: LogCall, text: string): TextEdit {
  const close = children(lc.args).at(-1)!;
  const inner = children(lc.args).filter((c) => c.type !== '(' && c.type !== ')' && c.type !== 'comment');
  const last = inner.at(-1);
  if (!last) return { start: close.startIndex, end: close.startIndex, text };
  if (last.type === ',') return { start: last.endIndex, end: last.endIndex, text: ` ${text}` };
  return { start: last.endIndex, end: last.endIndex, text: `, ${text}` };
}

function reraises(body: Node | undefined): boolean {
  return named(body).some((s) => s.type === 'raise_statement');
}

function checkTraceback(lc: LogCall, ctx: Context): void {
  if (lc.method === 'exception' || (lc.level ?? 0) < 40 || lc.splat) return;
  if (lc.keywords.has('exc_info')) return;
  const clause = enclosingExcept(lc.call);
  if (!clause) return;
  const { alias, body } = exceptParts(clause);
  if (reraises(body)) return;
  const fixes: Fix[] = [];
  const methodNode = lc.call.childForFieldName('function')!.childForFieldName('attribute')!;
  if (lc.method === 'error') {
    fixes.push({ id: 'use-exception', title: `Use ${lc.receiver.text}.exception(...) (logs the traceback)`, edits: [{ start: methodNode.startIndex, end: methodNode.endIndex, text: 'exception' }], preferred: true });
  }
  fixes.push({ id: 'add-exc-info', title: 'Add exc_info=True', edits: [lastArgumentEdit(lc, 'exc_info=True')], preferred: lc.method !== 'error' });
  const what = alias ? `\`${alias}\`` : 'the exception';
  ctx.report('exception-without-traceback', lc.call, `${lc.receiver.text}.${lc.method}() in an except block logs ${what} without its traceback.`, fixes);
}

// ---------------------------------------------------------------------------------------------------------
// eager-formatting

function checkEager(lc: LogCall, ctx: Context): void {
  const msg = lc.message;
  if (!msg) return;
  let kind: string | undefined;
  let lazy: { literal: string; args: string[] } | undefined;
  if (msg.type === 'string' && isFString(msg) && named(msg).some((p) => p.type === 'interpolation')) {
    kind = 'an f-string';
    const l = lazyFromFString(msg);
    if (l) lazy = { literal: `"${l.format}"`, args: l.args };
  } else if (msg.type === 'binary_operator' && msg.childForFieldName('operator')?.text === '%' && isStringish(msg.childForFieldName('left') ?? undefined)) {
    kind = '%-formatting';
    lazy = lazyFromPercent(msg);
  } else if (msg.type === 'call' && lastName(msg.childForFieldName('function')) === 'format' && isStringish(msg.childForFieldName('function')?.childForFieldName('object') ?? undefined)) {
    kind = 'str.format()';
    const l = lazyFromFormatCall(msg);
    if (l) lazy = { literal: `"${l.format}"`, args: l.args };
  } else if (msg.type === 'binary_operator' && msg.childForFieldName('operator')?.text === '+' && hasStringOperand(msg)) {
    kind = 'string concatenation';
  }
  if (!kind) return;
  const fixes: Fix[] = [];
  if (lazy && lc.rest.length === 0) {
    fixes.push({ id: 'lazy-args', title: 'Pass the values as logging arguments (lazy %s formatting)', edits: [{ start: msg.startIndex, end: msg.endIndex, text: [lazy.literal, ...lazy.args].join(', ') }], preferred: true });
  }
  ctx.report('eager-formatting', msg, `The message of ${lc.receiver.text}.${lc.method}() is built with ${kind}.`, fixes);
}

function hasStringOperand(op: Node): boolean {
  for (const side of [op.childForFieldName('left'), op.childForFieldName('right')]) {
    if (!side) continue;
    if (isStringish(side)) return true;
    if (side.type === 'binary_operator' && side.childForFieldName('operator')?.text === '+' && hasStringOperand(side)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------
// sensitive-data

interface Sensitive {
  node: Node;
  name: string;
  /** The replacement text for the redact fix. */
  replacement: string;
}

const NOT_DATA = new Set(['exc_info', 'stack_info', 'stacklevel', 'extra']);

function sensitiveExpression(node: Node, extra: readonly string[]): string | undefined {
  switch (node.type) {
    case 'identifier':
      return isSensitiveName(node.text, extra) ? node.text : undefined;
    case 'attribute': {
      const name = node.childForFieldName('attribute')?.text;
      return name && isSensitiveName(name, extra) ? node.text : undefined;
    }
    case 'subscript': {
      const key = node.childForFieldName('subscript');
      const value = key ? stringValue(key) : undefined;
      return value && isSensitiveName(value, extra) ? node.text : undefined;
    }
    case 'call': {
      const fn = node.childForFieldName('function');
      const fname = lastName(fn);
      const first = named(node.childForFieldName('arguments'))[0];
      if (fname === 'get' && first) {
        const value = stringValue(first);
        return value && isSensitiveName(value, extra) ? node.text : undefined;
      }
      if ((fname === 'str' || fname === 'repr') && first && fn?.type === 'identifier') return sensitiveExpression(first, extra);
      return undefined;
    }
    default:
      return undefined;
  }
}

function checkSensitive(lc: LogCall, ctx: Context): void {
  const extra = ctx.options.sensitiveNames ?? [];
  const found: Sensitive[] = [];
  const consider = (node: Node | undefined | null, replacement = '"[REDACTED]"') => {
    if (!node) return;
    const name = sensitiveExpression(node, extra);
    if (name) found.push({ node, name, replacement });
  };
  const msg = lc.message;
  if (msg?.type === 'string' && isFString(msg)) {
    for (const part of named(msg)) {
      if (part.type !== 'interpolation') continue;
      const expr = part.childForFieldName('expression') ?? named(part)[0];
      if (expr && sensitiveExpression(expr, extra)) found.push({ node: part, name: expr.text, replacement: '[REDACTED]' });
    }
  } else if (msg?.type === 'binary_operator' && msg.childForFieldName('operator')?.text === '%') {
    const right = msg.childForFieldName('right');
    if (right?.type === 'tuple') named(right).forEach((n) => consider(n));
    else consider(right);
  } else if (msg?.type === 'call' && lastName(msg.childForFieldName('function')) === 'format') {
    for (const a of named(msg.childForFieldName('arguments'))) consider(a.type === 'keyword_argument' ? a.childForFieldName('value') : a);
  }
  lc.rest.forEach((n) => consider(n));
  for (const [name, kw] of lc.keywords) {
    if (NOT_DATA.has(name)) continue;
    const value = kw.childForFieldName('value');
    if (isSensitiveName(name, extra) && value && !isRedactedLiteral(value)) found.push({ node: value, name, replacement: '"[REDACTED]"' });
    else consider(value);
  }
  const extraArg = lc.keywords.get('extra')?.childForFieldName('value');
  if (extraArg?.type === 'dictionary') {
    for (const pair of named(extraArg)) {
      if (pair.type !== 'pair') continue;
      const key = pair.childForFieldName('key');
      const value = pair.childForFieldName('value');
      const keyName = key ? stringValue(key) : undefined;
      if (keyName && isSensitiveName(keyName, extra) && value && !isRedactedLiteral(value)) found.push({ node: value, name: keyName, replacement: '"[REDACTED]"' });
      else consider(value);
    }
  } else if (extraArg?.type === 'call' && lastName(extraArg.childForFieldName('function')) === 'dict') {
    for (const kw of named(extraArg.childForFieldName('arguments'))) {
      if (kw.type !== 'keyword_argument') continue;
      const name = kw.childForFieldName('name')?.text ?? '';
      const value = kw.childForFieldName('value');
      if (isSensitiveName(name, extra) && value && !isRedactedLiteral(value)) found.push({ node: value, name, replacement: '"[REDACTED]"' });
      else consider(value);
    }
  }
  if (found.length === 0) return;
  const unique = found.filter((f, i) => found.findIndex((g) => g.node.startIndex === f.node.startIndex) === i);
  const names = [...new Set(unique.map((f) => f.name))].map((n) => `\`${n}\``).join(', ');
  ctx.report('sensitive-data', lc.call, `${lc.receiver.text}.${lc.method}() logs ${names}.`, [
    { id: 'redact-argument', title: `Redact ${names} in this log call`, edits: unique.map((f) => ({ start: f.node.startIndex, end: f.node.endIndex, text: f.replacement })), preferred: true },
  ]);
}

function isRedactedLiteral(node: Node): boolean {
  const v = stringValue(node);
  return v !== undefined && /redacted|\*\*\*/i.test(v);
}

// ---------------------------------------------------------------------------------------------------------
// missing-context

interface Handler {
  fn: Node;
  framework: 'http.server' | 'flask' | 'fastapi' | 'django' | 'view';
}

function requestHandler(node: Node, ctx: Context): Handler | undefined {
  const fn = enclosingFunction(node);
  if (!fn) return undefined;
  const name = fn.childForFieldName('name')?.text ?? '';
  const params = named(fn.childForFieldName('parameters')).map((p) => (p.type === 'identifier' ? p.text : (p.childForFieldName('name') ?? named(p)[0])?.text ?? ''));
  const up = parentOf(fn);
  const decorated = up?.type === 'decorated_definition' ? up : undefined;
  if (decorated) {
    for (const d of named(decorated).filter((c) => c.type === 'decorator')) {
      const expr = named(d)[0];
      const callee = expr?.type === 'call' ? expr.childForFieldName('function') : expr;
      const method = lastName(callee);
      if (method && ROUTE_DECORATORS.has(method) && callee?.type === 'attribute') {
        const usesFastapi = ctx.fromImports().some((s) => s.childForFieldName('module_name')?.text.startsWith('fastapi'));
        return { fn, framework: usesFastapi ? 'fastapi' : 'flask' };
      }
      if (method === 'api_view' || method === 'require_http_methods' || method === 'login_required') return { fn, framework: 'django' };
    }
  }
  const cls = enclosingClass(fn);
  if (cls) {
    const supers = cls.childForFieldName('superclasses')?.text ?? '';
    if (/BaseHTTPRequestHandler|SimpleHTTPRequestHandler|StreamRequestHandler/.test(supers) && /^do_[A-Z]+$/.test(name)) return { fn, framework: 'http.server' };
    if (/View|ViewSet|APIView|Resource|RequestHandler|HTTPEndpoint|MethodView/.test(supers) && HTTP_METHODS.test(name)) return { fn, framework: params[1] === 'request' ? 'django' : 'view' };
    return undefined;
  }
  if (params[0] === 'request') return { fn, framework: 'django' };
  return undefined;
}

function checkContext(lc: LogCall, ctx: Context, facts: FileFacts): void {
  if ((lc.level ?? 0) < 40 || lc.splat) return;
  if (facts.contextVarContext || ctx.options.project?.contextVarContext) return;
  const fields = new Set((ctx.options.contextFields ?? DEFAULT_CONTEXT_FIELDS).map((f) => words(f).join('')));
  const isContext = (name: string) => fields.has(words(name).join(''));
  // A logger bound with context (structlog .bind(), LoggerAdapter) carries it.
  if (lc.receiver.type === 'call') return;
  for (const [name, kw] of lc.keywords) {
    if (isContext(name)) return;
    if (name === 'extra') {
      const value = kw.childForFieldName('value');
      if (value?.type !== 'dictionary' && !(value?.type === 'call' && lastName(value.childForFieldName('function')) === 'dict')) return; // a variable: cannot tell
      const keys = value.type === 'dictionary'
        ? named(value).filter((p) => p.type === 'pair').map((p) => stringValue(p.childForFieldName('key')!) ?? '')
        : named(value.childForFieldName('arguments')).filter((k) => k.type === 'keyword_argument').map((k) => k.childForFieldName('name')?.text ?? '');
      if (keys.some(isContext)) return;
    }
  }
  const handler = requestHandler(lc.call, ctx);
  if (!handler) return;
  // The handler sets a context variable itself (request_id_var.set(...)).
  const calls = ctx.callsIn(handler.fn);
  if (calls.some((c) => lastName(c.childForFieldName('function')) === 'set' && isContext(lastName(c.childForFieldName('function')?.childForFieldName('object')) ?? ''))) return;
  if (calls.some((c) => /set.*(request|trace|correlation).*id|bind_contextvars/i.test(lastName(c.childForFieldName('function')) ?? ''))) return;
  // ... or binds it through a helper: `with log_context(request_id=rid):`, `set_context(user_id=...)`, `log.bind(...)`.
  const binds = (c: Node) =>
    !logCall(c, ctx.known) &&
    named(c.childForFieldName('arguments')).some((a) => a.type === 'keyword_argument' && isContext(a.childForFieldName('name')?.text ?? ''));
  if (calls.some((c) => c.endIndex <= lc.call.startIndex && binds(c))) return;

  const entries = contextEntries(lc, handler, ctx, isContext);
  const fixes: Fix[] = [];
  if (entries.length) {
    const body = entries.map(([k, v]) => `"${k}": ${v}`).join(', ');
    const extraKw = lc.keywords.get('extra')?.childForFieldName('value');
    let edit: TextEdit;
    if (extraKw?.type === 'dictionary') {
      const close = children(extraKw).at(-1)!;
      const items = named(extraKw);
      const trailingComma = children(extraKw).at(-2)?.type === ',';
      edit = { start: close.startIndex, end: close.startIndex, text: items.length === 0 ? body : `${trailingComma ? ' ' : ', '}${body}` };
    } else edit = lastArgumentEdit(lc, `extra={${body}}`);
    fixes.push({ id: 'add-context', title: `Add ${entries.map(([k]) => k).join(', ')} in extra={...}`, edits: [edit], preferred: true });
  }
  const fnName = handler.fn.childForFieldName('name')?.text ?? 'handler';
  ctx.report('missing-context', lc.call, `${lc.receiver.text}.${lc.method}() in request handler \`${fnName}\` carries no request id, trace id or user id.`, fixes);
}

/** Context values in scope: names used in the message, parameters and locals named like context fields; else the request's X-Request-ID header. */
function contextEntries(lc: LogCall, handler: Handler, ctx: Context, isContext: (n: string) => boolean): [string, string][] {
  const entries = new Map<string, string>();
  const add = (name: string, expr: string) => {
    const key = words(name).join('_');
    if (!entries.has(key)) entries.set(key, expr);
  };
  for (const id of lc.call.descendantsOfType('identifier')) if (id && isContext(id.text) && parentOf(id)?.type !== 'keyword_argument') add(id.text, id.text);
  for (const p of named(handler.fn.childForFieldName('parameters'))) {
    const name = p.type === 'identifier' ? p.text : (p.childForFieldName('name') ?? named(p)[0])?.text;
    if (name && isContext(name)) add(name, name);
  }
  for (const a of ctx.assignmentsIn(handler.fn)) {
    const left = a?.childForFieldName('left');
    if (a && left?.type === 'identifier' && isContext(left.text) && a.endIndex <= lc.call.startIndex) add(left.text, left.text);
  }
  if (entries.size === 0) {
    const header = '"X-Request-ID"';
    if (handler.framework === 'http.server') add('request_id', `self.headers.get(${header})`);
    else {
      const params = named(handler.fn.childForFieldName('parameters')).map((p) => (p.type === 'identifier' ? p.text : (p.childForFieldName('name') ?? named(p)[0])?.text));
      const flaskRequest = ctx.fromImports().some((s) => /^(flask|quart)$/.test(s.childForFieldName('module_name')?.text ?? '') && named(s).slice(1).some((n) => n.text === 'request'));
      if (params.includes('request') || flaskRequest) add('request_id', `request.headers.get(${header})`);
    }
  }
  return [...entries];
}

// ---------------------------------------------------------------------------------------------------------
// swallowed-exception

const BROAD = new Set(['Exception', 'BaseException', 'builtins.Exception', 'builtins.BaseException']);

function checkSwallowed(ctx: Context): void {
  for (const clause of ctx.byType('except_clause', 'except_group_clause')) {
    const { types, body } = exceptParts(clause);
    if (!body) continue;
    const broad = types.length === 0 || types.some((t) => BROAD.has(t.text));
    if (!broad) continue;
    const stmts = named(body);
    const empty = stmts.length > 0 && stmts.every((s) =>
      s.type === 'pass_statement' ||
      s.type === 'continue_statement' ||
      (s.type === 'expression_statement' && named(s)[0]?.type === 'ellipsis') ||
      (s.type === 'return_statement' && (named(s).length === 0 || named(s)[0]?.type === 'none')));
    if (!empty) continue;
    const colon = children(clause).find((c) => c.type === ':');
    const header = { start: clause.startIndex, end: colon?.endIndex ?? clause.endIndex };
    const first = stmts[0]!;
    const logger = ctx.moduleLogger(clause.startIndex);
    const fn = enclosingFunction(clause)?.childForFieldName('name')?.text;
    const line = `${logger.name}.exception("${fn ? `Unexpected error in ${fn}` : 'Unexpected error'}")`;
    const indent = indentationAt(ctx.text, first.startIndex);
    const sameLine = ctx.text.slice(lineStartOf(ctx.text, first.startIndex), first.startIndex).trim() !== '';
    const edit: TextEdit = first.type === 'pass_statement' || (first.type === 'expression_statement' && stmts.length === 1)
      ? { start: first.startIndex, end: first.endIndex, text: line }
      : sameLine
        ? { start: first.startIndex, end: first.startIndex, text: `${line}; ` }
        : { start: first.startIndex, end: first.startIndex, text: `${line}\n${indent}` };
    const what = types.length === 0 ? 'A bare `except:`' : `\`except ${types.map((t) => t.text).join(', ')}\``;
    const does = stmts.map((s) => s.type.replace(/_statement$/, '').replace('expression', '...')).join('/');
    ctx.report('swallowed-exception', clause, `${what} that only does \`${does}\` hides every error it catches.`, [
      { id: 'log-exception', title: `Log it with ${logger.name}.exception(...)${logger.edits.length ? ' (adds a module logger)' : ''}`, edits: [...logger.edits, edit], preferred: true },
    ], header);
  }
}
