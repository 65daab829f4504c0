/**
 * From a log line to the code that wrote it: the Python logging calls of a workspace, each turned into a
 * matcher of the messages it can produce, and the lookup from a message (or a pattern's samples) to the
 * calls that match it.
 *
 * A call is found with the logging linter's parser and its notion of a logging call (src/core/logging):
 * `logger.info("user %s failed after %d retries", …)`, `log.warning(f"… {x} …")`, `"… {} …".format(…)`,
 * string concatenation, and structlog event names (`log.info("payment_failed", order=…)`). The message's
 * literal parts stay, each `%s` / `{…}` / `+ x` becomes "anything", and the regex is anchored at both ends.
 * A call whose message is not a literal (`logger.info(msg)`) can match nothing and is left out.
 */
import type { Node, PythonParser } from '../logging/parser';
import { children, logCall, loggerNames, named } from '../logging/syntax';

export interface LogCallSite {
  /** As given to `indexLogCalls` (relative to the folder indexed). */
  file: string;
  /** 1-based line and column of the call. */
  line: number;
  column: number;
  /** The logging method: info, warning, exception, … */
  method: string;
  /** The message with `<*>` for each value, e.g. `user <*> failed after <*> retries`. */
  template: string;
  /** Regex source matching the messages the call writes. */
  regex: string;
  /** Characters of literal text: more is more specific. */
  literalLength: number;
  /** The longest literal part, used to rule calls out quickly. */
  anchor: string;
}

type Part = { literal: string } | { value: true };

const PERCENT = /%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsab%]/g;
const BRACES = /\{\{|\}\}|\{[^{}]*\}/g;

function percentParts(text: string): Part[] {
  const out: Part[] = [];
  let i = 0;
  for (const m of text.matchAll(PERCENT)) {
    if (m.index! > i) out.push({ literal: text.slice(i, m.index) });
    out.push(m[0] === '%%' ? { literal: '%' } : { value: true });
    i = m.index! + m[0].length;
  }
  if (i < text.length) out.push({ literal: text.slice(i) });
  return out;
}

function braceParts(text: string): Part[] {
  const out: Part[] = [];
  let i = 0;
  for (const m of text.matchAll(BRACES)) {
    if (m.index! > i) out.push({ literal: text.slice(i, m.index) });
    out.push(m[0] === '{{' ? { literal: '{' } : m[0] === '}}' ? { literal: '}' } : { value: true });
    i = m.index! + m[0].length;
  }
  if (i < text.length) out.push({ literal: text.slice(i) });
  return out;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };

/** The text of a string node's content and escapes, with f-string interpolations as values. */
function stringParts(node: Node): Part[] | undefined {
  if (node.type === 'concatenated_string') {
    const all: Part[] = [];
    for (const s of named(node)) {
      const p = stringParts(s);
      if (!p) return undefined;
      all.push(...p);
    }
    return all;
  }
  if (node.type !== 'string') return undefined;
  const start = children(node).find((c) => c.type === 'string_start')?.text ?? '';
  if (/[bB]/.test(start)) return undefined;
  const raw = /[rR]/.test(start);
  const out: Part[] = [];
  for (const c of named(node)) {
    if (c.type === 'string_content') out.push({ literal: raw ? c.text : c.text.replace(/\\(.)/gs, (_m, ch: string) => ESCAPES[ch] ?? `\\${ch}`) });
    else if (c.type === 'escape_sequence') out.push({ literal: ESCAPES[c.text.slice(1)] ?? c.text });
    else if (c.type === 'interpolation') out.push({ value: true });
    else if (c.type === 'escape_interpolation') out.push({ literal: c.text.slice(0, 1) });
  }
  return out;
}

/** The parts of a message expression, or undefined when it has no literal text to match. */
function messageParts(node: Node, percentStyle: boolean): Part[] | undefined {
  if (node.type === 'parenthesized_expression') {
    const inner = named(node)[0];
    return inner ? messageParts(inner, percentStyle) : undefined;
  }
  if (node.type === 'string' || node.type === 'concatenated_string') {
    const parts = stringParts(node);
    if (!parts) return undefined;
    const isF = /[fF]/.test(children(node).find((c) => c.type === 'string_start')?.text ?? '');
    if (isF || !percentStyle) return parts;
    // Lazy %-formatting: placeholders in the literal text.
    return parts.flatMap((p) => ('literal' in p ? percentParts(p.literal) : [p]));
  }
  if (node.type === 'call') {
    // "...".format(...)
    const fn = node.childForFieldName('function');
    if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'format') {
      const obj = fn.childForFieldName('object');
      const parts = obj ? stringParts(obj) : undefined;
      return parts?.flatMap((p) => ('literal' in p ? braceParts(p.literal) : [p]));
    }
    return [{ value: true }];
  }
  if (node.type === 'binary_operator') {
    const op = children(node).find((c) => c.type === '+' || c.type === '%');
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (!left || !right || !op) return [{ value: true }];
    if (op.type === '%') {
      // Eager "…%s…" % (x,): the left side's placeholders are values.
      const l = left.type === 'string' || left.type === 'concatenated_string' ? stringParts(left) : undefined;
      return l?.flatMap((p) => ('literal' in p ? percentParts(p.literal) : [p]));
    }
    return [...(messageParts(left, false) ?? [{ value: true }]), ...(messageParts(right, false) ?? [{ value: true }])];
  }
  return [{ value: true }];
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function siteOf(parts: Part[], file: string, node: Node, method: string, structlogEvent: boolean): LogCallSite | undefined {
  // Adjacent values and literals merged; whitespace in literals matches any run of whitespace.
  const merged: Part[] = [];
  for (const p of parts) {
    const prev = merged[merged.length - 1];
    if ('literal' in p && prev && 'literal' in prev) prev.literal += p.literal;
    else if ('value' in p && prev && 'value' in prev) continue;
    else merged.push('literal' in p ? { literal: p.literal } : p);
  }
  let literalLength = 0;
  let anchor = '';
  let regex = '';
  let template = '';
  for (const p of merged) {
    if ('literal' in p) {
      const text = p.literal.split('\n')[0]!;
      literalLength += text.trim().length;
      for (const piece of text.split(/\s+/)) if (piece.length > anchor.length) anchor = piece;
      regex += text.split(/\s+/).map(escapeRegex).join('\\s+');
      template += text;
      if (p.literal.includes('\n')) break;
    } else {
      regex += '[\\s\\S]*?';
      template += '<*>';
    }
  }
  if (literalLength < 3) return undefined;
  // A structlog event name is the message alone in JSON, or followed by key=value pairs in text renderers.
  const tail = structlogEvent ? '(?:\\s.*)?' : '\\s*';
  return { file, line: node.startPosition.row + 1, column: node.startPosition.column + 1, method, template: template.trim(), regex: `^\\s*${regex}${tail}$`, literalLength, anchor };
}

/** The logging calls of one Python file whose message can be matched. */
export function indexLogCalls(parser: PythonParser, text: string, file: string): LogCallSite[] {
  return parser.withTree(text, (tree) => {
    const root = tree.rootNode;
    const known = loggerNames(root.descendantsOfType('assignment').filter((n): n is Node => n !== null));
    const out: LogCallSite[] = [];
    for (const call of root.descendantsOfType('call')) {
      if (!call) continue;
      const lc = logCall(call, known);
      if (!lc || !lc.message) continue;
      // structlog: an event name with keyword arguments and no %-arguments.
      const structlogEvent = lc.rest.length === 0 && lc.keywords.size > 0 && [...lc.keywords.keys()].some((k) => k !== 'exc_info' && k !== 'extra' && k !== 'stack_info' && k !== 'stacklevel');
      const parts = messageParts(lc.message, lc.rest.length > 0);
      if (!parts || !parts.some((p) => 'literal' in p)) continue;
      const site = siteOf(parts, file, call, lc.method, structlogEvent);
      if (site) out.push(site);
    }
    return out;
  });
}

/** All calls of a workspace, with a lookup from a message to the calls that can have written it. */
export class CallSiteIndex {
  private readonly compiled: { site: LogCallSite; re: RegExp }[];

  constructor(readonly sites: readonly LogCallSite[]) {
    this.compiled = sites.map((site) => ({ site, re: new RegExp(site.regex, 's') }));
    // Most specific first: the first match is the best one.
    this.compiled.sort((a, b) => b.site.literalLength - a.site.literalLength);
  }

  /** The calls that match the message, most specific first (only those as specific as the best). */
  match(message: string): LogCallSite[] {
    const out: LogCallSite[] = [];
    for (const { site, re } of this.compiled) {
      if (out.length && site.literalLength < out[0]!.literalLength) break;
      if (site.anchor && !message.includes(site.anchor)) continue;
      if (re.test(message)) out.push(site);
    }
    return out;
  }

  /** The calls behind a pattern: those matching most of its sample messages. */
  matchPattern(samples: readonly string[]): LogCallSite[] {
    const votes = new Map<LogCallSite, number>();
    for (const m of samples) for (const s of this.match(m)) votes.set(s, (votes.get(s) ?? 0) + 1);
    if (votes.size === 0) return [];
    const best = Math.max(...votes.values());
    return [...votes].filter(([, v]) => v === best).map(([s]) => s);
  }
}
