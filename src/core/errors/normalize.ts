/**
 * Message normalisation for grouping, after Sentry's: variable parts are masked so that
 * "Invalid input shape: expected 16 features, got 8" and "…got 256" read the same. Masks, in order:
 * URLs, emails, UUIDs, IP addresses, ISO dates and times, paths, quoted values, `key=value` values, hex
 * (0x…, long hex ids), numbers (with a unit too: `12.5ms`). Masks are `<url>`, `<email>`, … and `<num>`.
 */

import type { MessageShape } from '../logs/jsonScan';

interface Mask {
  re: RegExp;
  to: string | ((...m: string[]) => string);
  /** A character every match contains: when the message has none, the regex is not run. */
  needs?: string;
}

const MASKS: Mask[] = [
  { re: /\b[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s"'<>]+/g, to: '<url>', needs: '://' },
  { re: /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, to: '<email>', needs: '@' },
  { re: /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g, to: '<uuid>', needs: '-' },
  { re: /\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b/g, to: '<ip>', needs: '.' },
  { re: /\b(?:[0-9a-fA-F]{1,4}:){3,7}[0-9a-fA-F]{1,4}\b/g, to: '<ip>', needs: ':' },
  { re: /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g, to: '<date>', needs: '-' },
  { re: /\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, to: '<time>', needs: ':' },
  { re: /(^|[\s'"(=:[])((?:[A-Za-z]:)?(?:[\\/][\w.@~+-]+){2,}[\\/]?)/g, to: (_m, pre) => `${pre}<path>` },
  { re: /'(?:[^'\\\n]|\\.){0,200}'|"(?:[^"\\\n]|\\.){0,200}"/g, to: '<str>' },
  { re: /\b([A-Za-z_][\w.-]*)=(?!<)[^\s,;&)\]}]+/g, to: (_m, k) => `${k}=<*>`, needs: '=' },
  { re: /\b0x[0-9a-fA-F]+\b/g, to: '<hex>', needs: '0x' },
  { re: /\b(?=[0-9a-fA-F]*\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}\b/g, to: '<hex>' },
  // (a number with its unit, `12.5ms`, `8KB`, `3x`: the number alone, not `<num>.5ms`)
  { re: /(?<![\w<.])[-+]?\d+(?:\.\d+)?(?=[A-Za-zµ]{1,3}(?:[\s,;)\]}'"]|$))/g, to: '<num>' },
  { re: /(?<![\w<])[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w>])/g, to: '<num>' },
  { re: /(?<=[A-Za-z_-])\d+\b/g, to: '<num>' },
];

const MAX_INPUT = 4000;

/**
 * Normalised messages by their digit skeleton (every digit replaced by 0, but for a digit before an `x`, as
 * `0x` is the hex mask's). None of the masks looks at which other digit a position holds, only that it is one,
 * so two messages with the same skeleton are masked at the same places; when the result keeps no digit at
 * all, every digit was inside a masked span and the result is the same for every message of that skeleton.
 * Those results are reused: error logs repeat a few shapes with different numbers, and one pass replaces
 * fourteen regex passes.
 */
interface Shape {
  message: string;
  out: string;
}
const bySkeleton = new Map<number, Shape[]>();
/**
 * Messages with hex ids (request ids, hashes, addresses: a different id on every line, so a different digit
 * skeleton) by their id skeleton: the digit skeleton with each hex id run (`hexRunEnd`) kept as its place and
 * length only. A run is masked whole whatever its characters, so the same reasoning holds. Looked at when the
 * digit skeleton is not known.
 */
const byIdSkeleton = new Map<number, (Shape & { runs: Int32Array })[]>();
let skeletons = 0;
const SKELETON_MAX = 50_000;
/** The hex id runs of the message being looked up: [start, end) pairs, `runCount` numbers. */
const runs = new Int32Array(300);
let runCount = 0;

/**
 * The last `normalizeMessage` gave the result of every message of its digit skeleton (none of its digits is
 * left; a hex id skeleton's result is its digit skeletons' too).
 */
let skeletonResult = false;

/**
 * `normalizeMessage` of a message whose shape the reader knows (logs/jsonScan.ts `MessageShape`: its digit
 * skeleton, as here): a result already attached to the shape, or the result attached to it when it stands for
 * every message of the shape.
 */
export function normalizeShaped(message: string, shape: MessageShape): string {
  const known = shape.known;
  if (known !== undefined) return known;
  const out = normalizeMessage(message);
  if (skeletonResult) shape.attach(out);
  return out;
}

export function normalizeMessage(message: string): string {
  skeletonResult = false;
  if (message.length > 300) return normalizeUncached(message);
  // The skeleton is hashed and compared in place (no copy of the message is made per call). (A plain
  // multiply-and-add hash: it only picks the bucket, whose messages are compared whole; FNV's multiply
  // chain took twice as long.)
  const n = message.length;
  let h = n;
  for (let i = 0; i < n; i++) {
    const c = message.charCodeAt(i);
    if (c >= 48 && c <= 57) h = (h * 31 + 48) | 0;
    else {
      h = (h * 31 + c) | 0;
      // (the 0 hashed for a digit before an `x` is taken back)
      if ((c === 120 || c === 88) && i > 0) {
        const p = message.charCodeAt(i - 1);
        if (p >= 48 && p <= 57) h = (h + (p - 48) * 31) | 0;
      }
    }
  }
  const bucket = bySkeleton.get(h);
  if (bucket !== undefined) {
    for (const e of bucket) {
      if (sameSkeleton(e.message, message)) {
        skeletonResult = true;
        return e.out;
      }
    }
  }
  return normalizeNew(message, h, bucket);
}

/** A message whose digit skeleton is not known (out of line: `normalizeMessage` stays small enough to inline). */
function normalizeNew(message: string, h: number, bucket: Shape[] | undefined): string {
  const idHash = idSkeletonHash(message);
  const idBucket = runCount > 0 ? byIdSkeleton.get(idHash) : undefined;
  if (idBucket !== undefined) {
    for (const e of idBucket) {
      if (sameIdSkeleton(e, message)) {
        skeletonResult = true;
        return e.out;
      }
    }
  }
  const out = normalizeUncached(message);
  if (!/\d/.test(out)) {
    skeletonResult = true;
    if (skeletons >= SKELETON_MAX) {
      bySkeleton.clear();
      byIdSkeleton.clear();
      skeletons = 0;
    }
    skeletons++;
    if (runCount > 0) {
      const entry = { message, out, runs: runs.slice(0, runCount) };
      if (idBucket !== undefined) idBucket.push(entry);
      else byIdSkeleton.set(idHash, [entry]);
    } else if (bucket !== undefined) bucket.push({ message, out });
    else bySkeleton.set(h, [{ message, out }]);
  }
  return out;
}

/** Characters x and y, at place i of `m` and of another message, are one in a skeleton: digits, not before an `x`. */
function digitsAlike(x: number, y: number, m: string, i: number): boolean {
  return x >= 48 && x <= 57 && y >= 48 && y <= 57 && (i + 1 === m.length || (m.charCodeAt(i + 1) | 32) !== 120);
}

/** Same length, and the same character at every place where either has a non-digit or a digit before an `x`. */
function sameSkeleton(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y && !digitsAlike(x, y, b, i)) return false;
  }
  return true;
}

/** The id skeleton's hash of `m`, its hex id runs into `runs` (none: `runCount` 0). */
function idSkeletonHash(m: string): number {
  runCount = 0;
  const n = m.length;
  let h = n;
  for (let i = 0; i < n; i++) {
    const c = m.charCodeAt(i);
    // (a run starts at the start, after a space or a `(`, or after a `0x` after one of those)
    if (isHex(c) && (i === 0 || runMayFollow(m, i))) {
      const e = hexRunEnd(m, i);
      if (e !== -1) {
        runs[runCount++] = i;
        runs[runCount++] = e;
        h = (h * 31 + 1 + e - i) | 0;
        i = e - 1;
        continue;
      }
    }
    h = (h * 31 + (c >= 48 && c <= 57 && (i + 1 === n || (m.charCodeAt(i + 1) | 32) !== 120) ? 48 : c)) | 0;
  }
  return h;
}

function runMayFollow(m: string, i: number): boolean {
  const p = m.charCodeAt(i - 1);
  if (p === 32 || p === 40) return true;
  return p === 120 && i >= 2 && m.charCodeAt(i - 2) === 48 && (i === 2 || m.charCodeAt(i - 3) === 32 || m.charCodeAt(i - 3) === 40);
}

/** `m`, whose runs `idSkeletonHash` put in `runs`, has the id skeleton of entry `e`. */
function sameIdSkeleton(e: { message: string; runs: Int32Array }, m: string): boolean {
  const a = e.message;
  if (a.length !== m.length || e.runs.length !== runCount) return false;
  for (let k = 0; k < runCount; k++) if (e.runs[k] !== runs[k]) return false;
  let r = 0;
  for (let i = 0; i < a.length; i++) {
    if (r < runCount && i === runs[r]) {
      i = runs[r + 1]! - 1;
      r += 2;
      continue;
    }
    const x = a.charCodeAt(i);
    const y = m.charCodeAt(i);
    if (x !== y && !digitsAlike(x, y, m, i)) return false;
  }
  return true;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102);
}

/**
 * The end of the hex id run at `i`, or -1: hex digits up to the end, a space, `,`, `;` or `)`, at least 8 with
 * a digit and a letter among them (the hex mask's), or any after `0x` (the `0x` mask's). With those neighbours
 * no mask before the hex ones can take part of the run (they need a `://`, `@`, `-`, `.`, `:`, `/`, `=` or a
 * quote next to it, or take a span around it whole, a quoted one or a URL), so it is masked whole whatever its
 * characters.
 */
function hexRunEnd(m: string, i: number): number {
  let j = i;
  let digit = false;
  let letter = false;
  for (; j < m.length; j++) {
    const c = m.charCodeAt(j);
    if (c >= 48 && c <= 57) digit = true;
    else if ((c | 32) >= 97 && (c | 32) <= 102) letter = true;
    else break;
  }
  if (j < m.length) {
    const c = m.charCodeAt(j);
    if (c !== 32 && c !== 44 && c !== 59 && c !== 41) return -1;
  }
  const afterX = i >= 2 && m.charCodeAt(i - 1) === 120;
  return afterX || (j - i >= 8 && digit && letter) ? j : -1;
}

/** The masks applied one after another (what `normalizeMessage` reuses the results of). */
export function normalizeUncached(message: string): string {
  let s = message.length > MAX_INPUT ? message.slice(0, MAX_INPUT) : message;
  for (const { re, to, needs } of MASKS) {
    if (needs !== undefined && !s.includes(needs)) continue;
    s = s.replace(re, to as string);
  }
  return s.replace(/\s+/g, ' ').trim();
}
