/**
 * Which cluster an event belongs to, after Sentry's order (shared/docs/REFERENCE.md, "Error grouping"):
 * rule → stack → exception type + message → message template.
 *
 * - Stack: for each exception of the chain (causes included), its type and its frames as
 *   `file basename (or module):function` — never line numbers — using only in-app frames when the chain
 *   has any (workspace code rather than the standard library or site-packages); recursion is collapsed
 *   (each frame counted once, in first-seen order). An ExceptionGroup counts by its own frames and type.
 * - Without any frame: exception type + normalised message.
 * - Without an exception: the Drain template of the message (the caller passes it).
 *
 * `components` are the human-readable reasons, shown as "why are these events together".
 */
import type { LogRecord, ParsedException, StackFrame } from '../logs/types';
import { isLibraryPath } from '../paths/pathMappings';
import { fnv1a64 } from './hash';
import { normalizeMessage } from './normalize';

export type FingerprintKind = 'stack' | 'exception' | 'message' | 'rule';

export interface Fingerprint {
  kind: FingerprintKind;
  components: string[];
  /** 16 hex digits. */
  hash: string;
}

export function basename(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i === -1 ? file : file.slice(i + 1);
}

const fileKeys = new Map<string, string>();

/** `file basename (lower case) or module:function`; the basename of each distinct file is computed once. */
export function frameKey(f: StackFrame): string {
  let base = f.module;
  if (base === undefined) {
    base = fileKeys.get(f.file);
    if (base === undefined) {
      base = basename(f.file).toLowerCase();
      if (fileKeys.size > 10_000) fileKeys.clear();
      fileKeys.set(f.file, base);
    }
  }
  return `${base}:${f.function}`;
}

export function isInAppFrame(f: StackFrame): boolean {
  return !isLibraryPath(f.file);
}

/** The exception everyone means by "the error": the last of the chain (the one that was raised). */
export function primaryException(r: LogRecord): ParsedException | undefined {
  const chain = r.exception?.chain;
  return chain && chain.length > 0 ? chain[chain.length - 1] : undefined;
}

export function exceptionTypeOf(r: LogRecord): string {
  const p = primaryException(r);
  if (p) return p.type || (p.truncated ? 'Truncated traceback' : '');
  return r.exceptionType ?? '';
}

export function exceptionMessageOf(r: LogRecord): string | undefined {
  const p = primaryException(r);
  if (p) return p.message;
  return r.exceptionMessage;
}

/** Keeps the first occurrence of each key (recursion collapsed), in place. */
function collapseInPlace(keys: string[]): void {
  if (keys.length > 32) {
    const unique = [...new Set(keys)];
    keys.length = 0;
    keys.push(...unique);
    return;
  }
  let n = 0;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    let dup = false;
    for (let j = 0; j < n; j++) {
      if (keys[j] === k) {
        dup = true;
        break;
      }
    }
    if (!dup) keys[n++] = k;
  }
  keys.length = n;
}

export function stackComponents(chain: ParsedException[]): string[] | undefined {
  let anyInApp = false;
  let anyFrame = false;
  for (const e of chain) {
    if (e.frames.length > 0) anyFrame = true;
    for (const f of e.frames) {
      if (isInAppFrame(f)) {
        anyInApp = true;
        break;
      }
    }
    if (anyInApp) break;
  }
  if (!anyFrame) return undefined;
  const components: string[] = [];
  for (const e of chain) {
    const keys: string[] = [];
    for (const f of e.frames) if (!anyInApp || isInAppFrame(f)) keys.push(frameKey(f));
    collapseInPlace(keys);
    const type = e.type || (e.truncated ? '(truncated)' : '(unknown type)');
    components.push(`${type} at ${keys.length ? keys.join(' → ') : '(no in-app frames)'}`);
  }
  components.push(anyInApp ? 'in-app frames only, line numbers ignored' : 'no in-app frames: library frames used, line numbers ignored');
  return components;
}

export function fingerprintOf(r: LogRecord, template: () => string): Fingerprint {
  const chain = r.exception?.chain;
  if (chain && chain.length > 0) {
    const stack = stackComponents(chain);
    if (stack) return make('stack', stack);
    const last = chain[chain.length - 1]!;
    return make('exception', [`exception type ${last.type || '(unknown)'}`, `message "${normalizeMessage(last.message)}"`, 'no stack frames in the event']);
  }
  if (r.exceptionType) {
    return make('exception', [`exception type ${r.exceptionType}`, `message "${normalizeMessage(r.exceptionMessage ?? r.message)}"`, 'no stack trace in the event']);
  }
  return make('message', [`message template "${template()}"`, 'no exception in the event']);
}

export function make(kind: FingerprintKind, components: string[]): Fingerprint {
  return { kind, components, hash: fnv1a64(`${kind}\n${components.join('\n')}`) };
}
