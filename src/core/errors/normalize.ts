/**
 * Message normalisation for grouping, after Sentry's: variable parts are masked so that
 * "Invalid input shape: expected 16 features, got 8" and "…got 256" read the same. Masks, in order:
 * URLs, emails, UUIDs, IP addresses, ISO dates and times, paths, quoted values, `key=value` values, hex
 * (0x…, long hex ids), numbers. Masks are `<url>`, `<email>`, … and `<num>`.
 */

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
  { re: /(?<![\w<])[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w>])/g, to: '<num>' },
  { re: /(?<=[A-Za-z_-])\d+\b/g, to: '<num>' },
];

const MAX_INPUT = 4000;

/**
 * Normalised messages by their digit skeleton (every digit replaced by 0). None of the masks looks at which
 * digit a position holds, only that it is one, so two messages with the same skeleton are masked at the same
 * places; when the result keeps no digit at all, every digit was inside a masked span and the result is the
 * same for every message of that skeleton. Those results are reused: error logs repeat a few shapes with
 * different numbers, and one regex pass replaces fourteen.
 */
const bySkeleton = new Map<number, { message: string; out: string }[]>();
let skeletons = 0;
const SKELETON_MAX = 50_000;

export function normalizeMessage(message: string): string {
  if (message.length > 300) return normalizeUncached(message);
  // The skeleton is hashed and compared in place (no copy of the message is made per call). (A plain
  // multiply-and-add hash: it only picks the bucket, whose messages are compared whole; FNV's multiply
  // chain took twice as long.)
  let h = message.length;
  for (let i = 0; i < message.length; i++) {
    const c = message.charCodeAt(i);
    h = (h * 31 + (c >= 48 && c <= 57 ? 48 : c)) | 0;
  }
  const bucket = bySkeleton.get(h);
  if (bucket !== undefined) {
    for (const e of bucket) if (sameSkeleton(e.message, message)) return e.out;
  }
  const out = normalizeUncached(message);
  if (!/\d/.test(out)) {
    if (skeletons >= SKELETON_MAX) {
      bySkeleton.clear();
      skeletons = 0;
    }
    skeletons++;
    if (bucket !== undefined) bucket.push({ message, out });
    else bySkeleton.set(h, [{ message, out }]);
  }
  return out;
}

/** Same length, and the same character at every place where either has a non-digit. */
function sameSkeleton(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y && !(x >= 48 && x <= 57 && y >= 48 && y <= 57)) return false;
  }
  return true;
}

function normalizeUncached(message: string): string {
  let s = message.length > MAX_INPUT ? message.slice(0, MAX_INPUT) : message;
  for (const { re, to, needs } of MASKS) {
    if (needs !== undefined && !s.includes(needs)) continue;
    s = s.replace(re, to as string);
  }
  return s.replace(/\s+/g, ' ').trim();
}
