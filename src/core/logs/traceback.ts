/**
 * Parses Python tracebacks as CPython prints them (traceback.format_exception / the default excepthook,
 * 3.8–3.13): frames with source lines and 3.11+ caret lines, `[Previous line repeated N more times]`,
 * chained exceptions ("The above exception was the direct cause…", "During handling of the above
 * exception…"), SyntaxError locations with their caret, and ExceptionGroups drawn with `+`/`|` margins.
 * It never throws: a traceback cut in the middle comes back with `truncated: true`. A JavaScript error's stack
 * (V8's `    at fn (file:line:col)` lines, as Node.js loggers write it) is read too, as one exception, and so is a
 * JVM exception with its causes (./javaStack.ts).
 */
import { parseJavaStack } from './javaStack';
import type { ExceptionInfo, ParsedException, StackFrame } from './types';

export const CHAIN_CAUSE = 'The above exception was the direct cause of the following exception:';
export const CHAIN_CONTEXT = 'During handling of the above exception, another exception occurred:';

const FRAME_RE = /^(\s*)File "(.*)", line (\d+)(?:, in (.*?))?\s*$/;
const HEADER_RE = /^\s*(?:Exception Group )?Traceback \(most recent call last\):\s*$/;
/** IPython's and Jupyter's (papermill's jobs, a notebook's output): `ZeroDivisionError      Traceback (most recent call last)`. */
const IPYTHON_HEADER_RE = /^([A-Za-z_][\w.]*)\s+Traceback \(most recent call last\)\s*$/;
const IPYTHON_FRAME_RE = /^(?:File (.+?):(\d+)(?:, in (.+?))?|Cell (In\s?\[\d+\]), line (\d+)(?:, in (.+?))?)\s*$/;
const IPYTHON_ARROW_RE = /^-*> ?\d+\s?(.*)$/;
const GROUP_HEADER_RE = /^(\s*)[+|] Exception Group Traceback \(most recent call last\):\s*$/;
const REPEATED_RE = /^\s*\[Previous line repeated (\d+) more times?\]\s*$/;
const ELIDED_RE = /^\s*\.\.\.<\d+ lines>\.\.\.\s*$/;
const CARET_RE = /^\s*[~^]+\s*$/;
const TYPE_RE = /^[A-Za-z_][\w.]*$/;
const SEPARATOR_RE = /^\+-+ (?:\d+|\.\.\.) -+\s*$/;
const END_RE = /^\+-+\s*$/;

/** True for the first line of a printed traceback (plain, or an ExceptionGroup's `+ Exception Group…`). */
export function isTracebackStart(line: string): boolean {
  return HEADER_RE.test(line) || GROUP_HEADER_RE.test(line) || IPYTHON_HEADER_RE.test(line);
}

/** True for the lines that join two tracebacks of a chain. */
export function isChainLine(line: string): boolean {
  const t = line.trim();
  return t === CHAIN_CAUSE || t === CHAIN_CONTEXT;
}

export function parseTraceback(text: string): ExceptionInfo | undefined {
  const lines = text.split(/\r?\n/);
  const jvm = parseJavaStack(lines);
  if (jvm) return jvm;
  const v8 = parseV8Stack(lines);
  if (v8) return { chain: [v8], truncated: false };
  const chain = parseChain(lines);
  if (chain.length === 0) return undefined;
  return { chain, truncated: chain.some((e) => e.truncated === true) };
}

/** `    at fn (file:line:col)`, `    at file:line:col`, `    at async new Foo (…)`. */
const V8_FRAME_RE = /^\s+at (?:(.+?) \((.+?):(\d+):\d+\)|(.+?):(\d+):\d+)\s*$/;
const V8_FIRST_RE = /^([A-Za-z_$][\w$.]*)(?:: ?(.*))?$/;

/**
 * A JavaScript error's `stack` (V8's format, as pino, bunyan and winston log it): `Type: message`, then its
 * frames innermost first, turned around to Python's order (the raising frame last).
 */
/** Where in `lines` a JavaScript error with V8's frames under it starts, or -1. */
export function v8StackStart(lines: readonly string[]): number {
  for (let i = 0; i + 1 < lines.length; i++) if (V8_FRAME_RE.test(lines[i + 1]!) && V8_FIRST_RE.test(lines[i]!.trim())) return i;
  return -1;
}

/** The JavaScript error starting at `lines[from]` (V8's frames up to the first line that is not one). */
export function parseV8Exception(lines: readonly string[], from: number): ExceptionInfo | undefined {
  let end = from + 1;
  while (end < lines.length && V8_FRAME_RE.test(lines[end]!)) end++;
  const e = parseV8Stack(lines.slice(from, end));
  return e ? { chain: [e], truncated: false } : undefined;
}

function parseV8Stack(lines: readonly string[]): ParsedException | undefined {
  if (lines.length < 2 || !V8_FRAME_RE.test(lines[1]!)) return undefined;
  const first = V8_FIRST_RE.exec(lines[0]!.trim());
  if (!first) return undefined;
  const frames: StackFrame[] = [];
  for (const line of lines.slice(1)) {
    const m = V8_FRAME_RE.exec(line);
    if (!m) continue;
    frames.push(m[2] !== undefined ? { file: m[2], line: Number(m[3]), function: m[1]! } : { file: m[4]!, line: Number(m[5]), function: '<anonymous>' });
  }
  return { type: first[1]!, message: first[2] ?? '', frames: frames.reverse() };
}

function trimBlank(lines: string[]): string[] {
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a]!.trim() === '') a++;
  while (b > a && lines[b - 1]!.trim() === '') b--;
  return lines.slice(a, b);
}

function parseChain(lines: string[]): ParsedException[] {
  const chain: ParsedException[] = [];
  let segment: string[] = [];
  const flush = (link?: 'cause' | 'context') => {
    const seg = trimBlank(segment);
    segment = [];
    if (seg.length === 0) return;
    const e = parseSegment(seg);
    if (!e) return;
    if (link) e.linkToNext = link;
    chain.push(e);
  };
  for (const line of lines) {
    const t = line.trimEnd();
    if (t === CHAIN_CAUSE) flush('cause');
    else if (t === CHAIN_CONTEXT) flush('context');
    else segment.push(line);
  }
  flush();
  return chain;
}

function parseSegment(lines: string[]): ParsedException | undefined {
  const g = GROUP_HEADER_RE.exec(lines[0]!);
  if (g) return parseGroup(lines, g[1]!.length);
  // (IPython rules a line of dashes above each traceback of a chain)
  const at = /^-{20,}\s*$/.test(lines[0]!) ? 1 : 0;
  if (at < lines.length && IPYTHON_HEADER_RE.test(lines[at]!)) return parseIPython(lines.slice(at));
  return parsePlain(lines);
}

/**
 * IPython's verbose traceback: the type and `Traceback (most recent call last)` on one line, then each frame
 * as `File /srv/app/job.py:7, in normalise(xs)` (or a notebook cell's `Cell In[3], line 2`) over its numbered
 * source lines, the current one marked `---->`, and the exception's `Type: message` last.
 */
function parseIPython(lines: string[]): ParsedException {
  const frames: StackFrame[] = [];
  let i = 1;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const f = IPYTHON_FRAME_RE.exec(line);
    if (f) {
      // (a cell has no file: named as IPython names it, in brackets, so it is not taken for a workspace path)
      frames.push(f[1] !== undefined ? { file: f[1], line: Number(f[2]), function: f[3]?.replace(/\(.*\)$/, '') ?? '<module>' } : { file: `<Cell ${f[4]!.replace(/\s/g, '')}>`, line: Number(f[5]), function: f[6]?.replace(/\(.*\)$/, '') ?? '<module>' });
      continue;
    }
    const arrow = IPYTHON_ARROW_RE.exec(line);
    if (arrow && frames.length) {
      frames[frames.length - 1]!.source = arrow[1]!.trim();
      continue;
    }
    if (line.trim() === '' || /^\s/.test(line) || /^\.\.\./.test(line)) continue;
    break;
  }
  const last = (lines[i] ?? '').trim();
  const colon = last.indexOf(':');
  const head = colon === -1 ? last : last.slice(0, colon);
  const type = TYPE_RE.test(head) ? head : IPYTHON_HEADER_RE.exec(lines[0]!)![1]!;
  const message = TYPE_RE.test(head) ? (colon === -1 ? '' : last.slice(colon + 1).replace(/^ /, '')) : last;
  return { type, message, frames, ...(i >= lines.length ? { truncated: true } : {}) };
}

function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return i;
}

function parsePlain(lines: string[]): ParsedException | undefined {
  let i = 0;
  const sawHeader = HEADER_RE.test(lines[0]!);
  if (sawHeader) i++;
  const frames: StackFrame[] = [];
  let location: ParsedException['location'];
  const n = lines.length;
  while (i < n) {
    const line = lines[i]!;
    const m = FRAME_RE.exec(line);
    if (m) {
      const indent = m[1]!.length;
      i++;
      const body: string[] = [];
      // The frame's source and caret lines: more indented, and neither a frame nor a repeat marker.
      while (i < n) {
        const next = lines[i]!;
        const ind = indentOf(next);
        if (ind <= indent || ind === next.length || next.startsWith('File "', ind) || next.startsWith('[Previous line', ind)) break;
        body.push(next);
        i++;
      }
      const file = m[2]!;
      const lineNo = Number(m[3]);
      if (m[4] !== undefined) {
        const src = body.find((b) => !CARET_RE.test(b));
        frames.push({ file, line: lineNo, function: m[4], ...(src !== undefined ? { source: src.trim() } : {}) });
      } else {
        // A SyntaxError's location: `File "x.py", line 3` (no function), the offending text, a caret line.
        const textLine = body.find((b) => !CARET_RE.test(b));
        const caretLine = body.find((b) => CARET_RE.test(b));
        location = { file, line: lineNo };
        if (textLine !== undefined) location.text = textLine.trim();
        if (textLine !== undefined && caretLine !== undefined) location.caret = Math.max(0, caretLine.indexOf('^') - indentOf(textLine));
      }
      continue;
    }
    const r = REPEATED_RE.exec(line);
    if (r) {
      const last = frames[frames.length - 1];
      if (last) last.repeated = Number(r[1]);
      i++;
      continue;
    }
    if (ELIDED_RE.test(line) || (line.trim() === '' && i < n - 1)) {
      i++;
      continue;
    }
    if (indentOf(line) > 0 && frames.length > 0 && i < n - 1 && !/^\s*[A-Za-z_][\w.]*(?::|$)/.test(line)) {
      i++;
      continue;
    }
    break;
  }
  if (i >= n) {
    if (!sawHeader && frames.length === 0 && !location) return undefined;
    return { type: '', message: '', frames, truncated: true, ...(location ? { location } : {}) };
  }
  const first = lines[i]!.trim();
  const rest = lines.slice(i + 1);
  const colon = first.indexOf(':');
  const head = colon === -1 ? first : first.slice(0, colon);
  let type = '';
  let message = first;
  if (TYPE_RE.test(head)) {
    type = head;
    message = colon === -1 ? '' : first.slice(colon + 1).replace(/^ /, '');
  }
  const more = trimBlank(rest);
  if (more.length) message = [message, ...more].join('\n');
  return { type, message, frames, ...(location ? { location } : {}) };
}

/**
 * An ExceptionGroup: its own traceback in a margin at column `c` (`+` on the first line, `|` after), then
 * `+-+---- 1 ----` and the sub-exceptions in a margin at `c + 2`, separated by `+---- N ----` and closed
 * by `+--------`. Nested groups repeat the pattern two columns further in.
 */
function parseGroup(lines: string[], c: number): ParsedException | undefined {
  const own: string[] = [lines[0]!.slice(c + 2)];
  let i = 1;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.slice(c).startsWith('+-+')) break;
    own.push(line.slice(c + 2));
  }
  const head = parsePlain(trimBlank(own)) ?? { type: 'ExceptionGroup', message: '', frames: [], truncated: true };
  const subs: string[][] = [];
  let current: string[] | undefined;
  let closed = false;
  for (; i < lines.length; i++) {
    const m = lines[i]!.slice(c + 2);
    if (SEPARATOR_RE.test(m)) {
      if (current) subs.push(current);
      current = [];
    } else if (END_RE.test(m)) {
      if (current) subs.push(current);
      current = undefined;
      closed = true;
      break;
    } else if (current) current.push(m);
  }
  if (current) subs.push(current);
  const group: ParsedException[] = [];
  for (const rel of subs) {
    const body = trimBlank(rel);
    if (body.length === 0) continue;
    if (/^\|\s*and \d+ more exceptions?\s*$/.test(body[0]!)) continue;
    if (GROUP_HEADER_RE.test(body[0]!)) {
      const sub = parseGroup(body, 0);
      if (sub) group.push(sub);
      continue;
    }
    const chain = parseChain(body.map((l) => l.slice(2)));
    const last = chain[chain.length - 1];
    if (last) group.push(last);
  }
  const result: ParsedException = { ...head, group };
  if (!closed) result.truncated = true;
  return result;
}

/** structlog's `dict_tracebacks`: a list of exceptions, the raised one first, each with structured frames. */
export function fromStructuredExceptions(value: unknown): ExceptionInfo | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const chain: ParsedException[] = [];
  for (const item of value) {
    const e = fromStructuredException(item);
    if (e) chain.push(e);
  }
  if (chain.length === 0) return undefined;
  // structlog lists the raised exception first and its causes after; print order is the reverse.
  chain.reverse();
  for (let k = 0; k < chain.length - 1; k++) {
    const raw = value[value.length - 1 - k] as { is_cause?: unknown };
    chain[k]!.linkToNext = raw && raw.is_cause === true ? 'cause' : 'context';
  }
  return { chain, truncated: false };
}

function fromStructuredException(item: unknown): ParsedException | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const o = item as Record<string, unknown>;
  const type = typeof o.exc_type === 'string' ? o.exc_type : typeof o.type === 'string' ? o.type : undefined;
  if (type === undefined) return undefined;
  const message = typeof o.exc_value === 'string' ? o.exc_value : typeof o.value === 'string' ? o.value : typeof o.message === 'string' ? o.message : '';
  const frames: StackFrame[] = [];
  if (Array.isArray(o.frames)) {
    for (const f of o.frames) {
      if (typeof f !== 'object' || f === null) continue;
      const fr = f as Record<string, unknown>;
      const file = typeof fr.filename === 'string' ? fr.filename : typeof fr.file === 'string' ? fr.file : undefined;
      if (file === undefined) continue;
      const line = typeof fr.lineno === 'number' ? fr.lineno : typeof fr.line === 'number' ? fr.line : undefined;
      const fn = typeof fr.name === 'string' ? fr.name : typeof fr.function === 'string' ? fr.function : '?';
      frames.push({ file, function: fn, ...(line !== undefined ? { line } : {}), ...(typeof fr.module === 'string' ? { module: fr.module } : {}) });
    }
  }
  const result: ParsedException = { type, message, frames };
  const se = o.syntax_error as Record<string, unknown> | null | undefined;
  if (se && typeof se === 'object' && typeof se.filename === 'string') {
    result.location = { file: se.filename, ...(typeof se.lineno === 'number' ? { line: se.lineno } : {}), ...(typeof se.text === 'string' ? { text: se.text.trim() } : {}) };
  }
  if (Array.isArray(o.exceptions) && o.exceptions.length > 0) {
    result.group = [];
    for (const sub of o.exceptions) {
      const info = fromStructuredExceptions(sub);
      const last = info?.chain[info.chain.length - 1];
      if (last) result.group.push(last);
    }
  }
  return result;
}
