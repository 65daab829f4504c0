/**
 * The crash reports of Go and Rust programs (sidecars, proxies and tools beside a Python service), read into
 * the exception chain Python's tracebacks give (frames outermost first, the panicking one last):
 *
 *   panic: runtime error: index out of range [3] with length 3       (Go; also `fatal error: …`)
 *
 *   goroutine 1 [running]:
 *   main.lookup(...)
 *   	/srv/app/main.go:10
 *   main.main()
 *   	/srv/app/main.go:18 +0x185
 *
 *   thread 'main' (3003) panicked at src/main.rs:3:5:                 (Rust 1.73+; before: `panicked at 'msg', file:line:col`)
 *   index out of bounds: the len is 3 but the index is 3
 *   stack backtrace:                                                  (with RUST_BACKTRACE)
 *      3: app::lookup
 *                at ./src/main.rs:3:5
 */
import type { ExceptionInfo, StackFrame } from './types';

const GO_PANIC = /^(panic|fatal error): (.*?)(?: \[recovered\])?$/;
const GO_GOROUTINE = /^goroutine \d+ \[[^\]]*\]:$/;
const GO_FILE = /^\t(.+):(\d+)(?: \+0x[0-9a-f]+)?$/;
const RUST_PANIC = /^thread '([^']*)'(?: \(\d+\))? panicked at (?:'(.*)', )?(.+?):(\d+):(\d+):?$/;
const RUST_FRAME = /^\s+\d+: (.*\S)\s*$/;
const RUST_AT = /^\s+at (.+?):(\d+):\d+\s*$/;
/** The frames of the panic's own machinery, above the program's. */
const RUST_MACHINERY = /^(?:std|core|alloc|__rustc|rust_begin_unwind)\b/;

/**
 * The longest first line looked at: Rust's expression has lazy parts whose time would grow with the square of
 * a hostile line's length; a real report's first line is far shorter.
 */
const MAX = 4096;

/** Which runtime's crash report `line` starts, if any. */
export function panicStart(line: string): 'go' | 'rust' | undefined {
  if (line.length > MAX) return undefined;
  const c = line.charCodeAt(0);
  if (c === 112 /* p */ || c === 102 /* f */) return GO_PANIC.test(line) ? 'go' : undefined;
  if (c === 116 /* t */) return RUST_PANIC.test(line) ? 'rust' : undefined;
  return undefined;
}

/** The crash `head` reports, with the lines under it; undefined when `head` starts none. */
export function parsePanic(head: string, more: readonly string[]): ExceptionInfo | undefined {
  const go = GO_PANIC.exec(head);
  if (go) return one(goType(go[1]!, go[2]!), goFrames(more));
  const rust = RUST_PANIC.exec(head);
  if (!rust) return undefined;
  const [, , oldMessage, file, line] = rust;
  const message = oldMessage ?? (more[0] !== undefined && !RUST_FRAME.test(more[0]) && more[0] !== 'stack backtrace:' ? more[0] : '');
  const frames = rustFrames(more);
  // The panic's place, when the backtrace does not have it (a release build has no file in its frames; without
  // RUST_BACKTRACE there is no backtrace): it is the innermost frame of the program's own code.
  if (!frames.some((f) => f.line === Number(line) && f.file.endsWith(file!.replace(/^\.\//, '')))) {
    const own = [...frames].reverse().find((f) => f.file === '<unknown>' && !RUST_MACHINERY.test(f.function));
    if (own) Object.assign(own, { file: file!, line: Number(line) });
    else frames.push({ file: file!, line: Number(line), function: '' });
  }
  return one({ type: 'panic', message }, frames);
}

function one(what: { type: string; message: string }, frames: StackFrame[]): ExceptionInfo {
  return { chain: [{ ...what, frames }], truncated: false };
}

/** `runtime error: index out of range …` is the runtime's; any other value was given to `panic()`. */
function goType(kind: string, message: string): { type: string; message: string } {
  if (kind === 'fatal error') return { type: 'fatal error', message };
  return message.startsWith('runtime error: ') ? { type: 'runtime error', message: message.slice(15) } : { type: 'panic', message };
}

/** The first goroutine's frames (the one that panicked). */
function goFrames(more: readonly string[]): StackFrame[] {
  const start = more.findIndex((l) => GO_GOROUTINE.test(l));
  return start === -1 ? [] : goStackFrames(more, start + 1);
}

/**
 * A Go stack's frames, outermost first: from `from`, each a function line then its `\tfile:line` (a
 * goroutine's in a panic, or zap's `stacktrace` field: `main.charge\n\t/srv/app/pay.go:42\n…`).
 */
export function goStackFrames(lines: readonly string[], from = 0): StackFrame[] {
  const frames: StackFrame[] = [];
  for (let i = from; i + 1 < lines.length; i += 2) {
    const at = GO_FILE.exec(lines[i + 1]!);
    const fn = lines[i]!;
    if (!at || fn.startsWith('\t') || fn === '') break;
    frames.push({ file: at[1]!, line: Number(at[2]), function: fn.replace(/^created by /, '').replace(/\((?:[^()]|\([^()]*\))*\)$/, '').replace(/ in goroutine \d+$/, '') });
  }
  return frames.reverse();
}

/**
 * A Go stack written as data, outermost first: zerolog's `stack` field (pkgerrors.MarshalStack), innermost
 * first, each `{"func": "charge", "line": "31", "source": "pay.go"}`; undefined when `value` is not one.
 */
export function goStackArrayFrames(value: readonly unknown[]): StackFrame[] | undefined {
  const frames: StackFrame[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null) return undefined;
    const f = item as Record<string, unknown>;
    if (typeof f.func !== 'string' || typeof f.source !== 'string') return undefined;
    const line = typeof f.line === 'number' ? f.line : typeof f.line === 'string' && /^\d+$/.test(f.line) ? Number(f.line) : undefined;
    frames.push({ file: f.source, function: f.func, ...(line !== undefined ? { line } : {}) });
  }
  return frames.length ? frames.reverse() : undefined;
}

/** RUST_BACKTRACE's frames: `N: path::function`, then `at file:line:col` when the build has debug info. */
function rustFrames(more: readonly string[]): StackFrame[] {
  const start = more.indexOf('stack backtrace:');
  const frames: StackFrame[] = [];
  if (start === -1) return frames;
  for (let i = start + 1; i < more.length; i++) {
    const fn = RUST_FRAME.exec(more[i]!);
    if (!fn) break;
    const at = i + 1 < more.length ? RUST_AT.exec(more[i + 1]!) : null;
    if (at) i++;
    frames.push(at ? { file: at[1]!, line: Number(at[2]), function: fn[1]! } : { file: '<unknown>', function: fn[1]! });
  }
  return frames.reverse();
}
