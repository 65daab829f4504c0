/**
 * Masking: the variable parts of a log message are replaced by typed placeholders before templates are
 * mined, so "user 12 failed after 3 retries" and "user 907 failed after 1 retries" read the same.
 *
 * A message is cut into tokens at whitespace (a quoted value counts as one token, even with spaces inside:
 * free text in quotes is one variable; so does a printed object or data structure, see `dataSpanEnd`). Each
 * token is then looked at alone: a token of letters only (most
 * tokens of most logs) is kept as it is without running any rule; any other token goes through the rules
 * below, in order, and the first rule whose regular expression matches the whole token (after surrounding
 * brackets and punctuation are set aside) replaces it. A token no rule takes keeps its letters and has each
 * run of digits inside it masked (`blk_-8812` → `blk_<num>`, `node-246` → `node-<num>`).
 *
 * The rules are data: `BUILTIN_MASKS` is the table the guide documents, and users add their own
 * (`patterns.maskingRules`), which run first, over the whole message, like Drain3's masking instructions.
 */
import { errorMessage } from '../util/errors';

export interface MaskRule {
  name: string;
  /** The placeholder that replaces a match, e.g. `<ip>`. */
  mask: string;
  /** Matches a whole token (anchored). */
  regex: RegExp;
  description: string;
}

const NUM = String.raw`[-+]?(?:\d+(?:[.,]\d+)*|\.\d+)(?:[eE][-+]?\d+)?`;
const DURATION_UNITS = 'ns|us|µs|μs|ms|s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?';
const SIZE_UNITS = 'b|bytes?|kb|kib|mb|mib|gb|gib|tb|tib|k|m|g';

/** The built-in rules, in the order they are tried. Each regex matches a whole token. */
export const BUILTIN_MASKS: readonly MaskRule[] = [
  { name: 'url', mask: '<url>', regex: /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/\S+$/, description: 'scheme://… (http, https, s3, postgres, …)' },
  { name: 'email', mask: '<email>', regex: /^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$/, description: 'name@host.domain' },
  { name: 'uuid', mask: '<uuid>', regex: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, description: '8-4-4-4-12 hex digits' },
  { name: 'ip', mask: '<ip>', regex: /^(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?$|^(?!\d{1,2}:\d{2}:\d{2}$)(?=[0-9a-fA-F:]*:[0-9a-fA-F:]*:)(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}$/, description: 'IPv4 (with a port) and IPv6 addresses (not a clock: 07:07:00 is a time)' },
  { name: 'datetime', mask: '<time>', regex: /^\d{2,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[T ,:-]?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:[.,:]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$|^\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?$/, description: 'dates and times: 2026-11-20, 2026-11-20T09:00:01Z, 09:00:01.123' },
  { name: 'hostport', mask: '<host>:<num>', regex: /^[a-zA-Z][\w-]*(?:\.[\w-]+)+:\d{1,5}$|^localhost:\d{1,5}$/, description: 'host.domain:port' },
  { name: 'hostname', mask: '<host>', regex: /^(?=[a-z0-9.-]{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:com|net|org|io|dev|edu|gov|mil|int|info|biz|cloud|local|internal|lan|corp|home|example|test|invalid|localhost|co|uk|de|fr|nl|se|ch|es|it|jp|cn|hk|kr|ru|br|au|ca|eu|us|tw|sg)$/, description: 'host names under a common top-level domain: api.example.com, db.internal' },
  { name: 'path', mask: '<path>', regex: /^(?:[A-Za-z]:)?(?:~|\.{1,2})?(?:[\\/][^\\/\s]*){2,}$/, description: 'file paths and URL paths with two or more parts: /var/log/app.log, C:\\x\\y, /api/users/7' },
  { name: 'duration', mask: '<duration>', regex: new RegExp(`^${NUM}(?:${DURATION_UNITS})$`, 'i'), description: 'a number with a time unit: 250ms, 1.5s, 3min' },
  { name: 'size', mask: '<size>', regex: new RegExp(`^${NUM}(?:${SIZE_UNITS})$`, 'i'), description: 'a number with a size unit: 512KB, 2GiB, 100bytes' },
  { name: 'hex', mask: '<hex>', regex: /^0[xX][0-9a-fA-F]+$|^(?=[0-9a-fA-F]*\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{6,}$/, description: '0x… and hex ids of six or more digits (hashes, trace ids)' },
  { name: 'number', mask: '<num>', regex: new RegExp(`^${NUM}%?$`), description: 'integers, decimals, versions such as 1.2.3, percentages' },
];

/** A user rule, as written in settings or `--mask`: a regular expression over the whole message. */
export interface UserMaskRule {
  name?: string;
  pattern: string;
  /** Placeholder (default `<name>` or `<*>`). */
  mask?: string;
  flags?: string;
}

export interface CompiledUserMask {
  name: string;
  mask: string;
  regex: RegExp;
}

export function compileUserMasks(value: unknown, where = 'patterns.maskingRules'): { rules: CompiledUserMask[]; problems: string[] } {
  const rules: CompiledUserMask[] = [];
  const problems: string[] = [];
  if (value === undefined || value === null) return { rules, problems };
  if (!Array.isArray(value)) return { rules, problems: [`${where} must be an array of {"name", "pattern", "mask"} rules`] };
  value.forEach((raw, i) => {
    const r = raw as Partial<UserMaskRule> | null;
    if (!r || typeof r !== 'object' || typeof r.pattern !== 'string' || r.pattern === '') {
      problems.push(`${where}[${i}]: "pattern" must be a regular expression string`);
      return;
    }
    const flags = typeof r.flags === 'string' ? r.flags.replace(/g/g, '') : '';
    try {
      const name = typeof r.name === 'string' && r.name.trim() ? r.name.trim() : `rule ${i + 1}`;
      const mask = typeof r.mask === 'string' && r.mask ? r.mask : typeof r.name === 'string' && r.name.trim() ? `<${r.name.trim()}>` : '<*>';
      rules.push({ name, mask: mask.replace(/\s+/g, '_'), regex: new RegExp(r.pattern, `${flags}g`) });
    } catch (e) {
      problems.push(`${where}[${i}]: not a valid regular expression: ${errorMessage(e)}`);
    }
  });
  return { rules, problems };
}

/** True for placeholders this module writes (`<num>`, `<*>`, `<host>:<num>`…). */
export function isPlaceholder(token: string): boolean {
  return token.charCodeAt(0) === 60 /* < */ && token.charCodeAt(token.length - 1) === 62 /* > */;
}

/** A token holds a variable when a placeholder is part of it. */
export function hasPlaceholder(token: string): boolean {
  const i = token.indexOf('<');
  return i !== -1 && token.indexOf('>', i) !== -1;
}

const OPEN = '([{<"\'`';
const CLOSE = ')]}>"\'`,;:.!?';

const KV = /^([A-Za-z_][\w.\-/]*)([=:])(.*)$/s;
const KV_QUOTED = /^([A-Za-z_][\w.\-/]*)=(["'])(.*)\2([,;:.)\]}]*)$/s;
const INNER_DIGITS = /[-+]?\d+(?:[.,:]\d+)*/g;
/** Alphanumeric runs inside a token, each masked on its own (`AppWindowToken{df0798e` → `AppWindowToken{<hex>`). */
const INNER = /(?:(?<![A-Za-z0-9])[-+])?[0-9A-Za-z]*\d[0-9A-Za-z]*(?:[.,:]\d+)*/g;
const HTTP_METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE']);

const tokenCache = new Map<string, string>();
const TOKEN_CACHE_MAX = 50_000;

/** The bare value of a token: one rule's mask, or undefined when none takes it. */
function ruleMask(core: string): string | undefined {
  for (const rule of BUILTIN_MASKS) if (rule.regex.test(core)) return rule.mask;
  return undefined;
}

/** Masks the inside of a token that has no surrounding punctuation left. */
function maskCore(core: string): string {
  if (core === '') return core;
  const whole = ruleMask(core);
  if (whole !== undefined) return whole;
  // key=value and key:value with a value that has digits or punctuation: the key stays, the value is a
  // variable. A value of letters only (`state=ACTIVE`) is left to the clustering: it is often a constant.
  const kv = KV.exec(core);
  if (kv && kv[3] !== '' && (kv[2] === '=' ? /[^A-Za-z]/.test(kv[3]!) : /\d/.test(kv[3]!))) {
    const value = kv[3]!;
    // a=1,b=2 runs: each pair masked.
    if (kv[2] === '=' && /[,;&]/.test(value)) return core.split(/([,;&])/).map((part) => (/^[,;&]$/.test(part) ? part : maskPair(part))).join('');
    return `${kv[1]}${kv[2]}${maskValue(value)}`;
  }

  if (!/\d/.test(core)) return core;
  return core.replace(INNER, (run) => (run.length >= 5 && /^[0-9a-fA-F]+$/.test(run) && /[a-fA-F]/.test(run) ? '<hex>' : run.replace(INNER_DIGITS, '<num>')));
}

/** The value of key=value: a variable, unless it is a plain word (often a constant: `state=ACTIVE`). */
function maskValue(value: string): string {
  if (/^[A-Za-z]+$/.test(value) && !/^[a-fA-F]{6,}$/.test(value)) return value;
  const q = value[0];
  if ((q === '"' || q === "'") && value.length >= 2 && value.endsWith(q)) return `${q}${maskQuoted(value.slice(1, -1))}${q}`;
  if (/^[a-fA-F]{6,}$/.test(value)) return '<hex>';
  const masked = maskToken(value);
  return masked === value ? '<*>' : masked;
}

function maskPair(part: string): string {
  const eq = part.indexOf('=');
  if (eq <= 0) return maskToken(part);
  const value = part.slice(eq + 1);
  return value === '' ? part : `${part.slice(0, eq + 1)}${maskValue(value)}`;
}

/** Masks one whitespace-free token: surrounding brackets and punctuation are kept, the core is masked. */
export function maskToken(token: string): string {
  // Plain integers are the commonest value and mostly unique: no cache, no regex.
  if (isDigits(token)) return '<num>';
  const hit = tokenCache.get(token);
  if (hit !== undefined) return hit;
  const kq = KV_QUOTED.exec(token);
  if (kq) return `${kq[1]}=${kq[2]}${maskQuoted(kq[3]!)}${kq[2]}${kq[4]}`;
  let start = 0;
  let end = token.length;
  while (start < end && OPEN.includes(token[start]!)) start++;
  while (end > start && CLOSE.includes(token[end - 1]!)) end--;
  // A closing bracket that matches an opening one inside the token belongs to it: `f(x)` keeps `)`.
  const core = token.slice(start, end);
  let masked = maskCore(core);
  if (masked === core && start === 0 && end === token.length) masked = token;
  else masked = token.slice(0, start) + masked + token.slice(end);
  // Tokens with digits are mostly one-off values: caching them would only churn the cache.
  if (!/\d/.test(token)) {
    if (tokenCache.size >= TOKEN_CACHE_MAX) tokenCache.clear();
    tokenCache.set(token, masked);
  }
  return masked;
}

function isDigits(t: string): boolean {
  const n = t.length;
  if (n === 0 || n > 19) return false;
  for (let i = 0; i < n; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

const enum C {
  Plain = 0,
  Special = 1,
  Space = 2,
  Quote = 3,
}

/** Character classes of ASCII: letters are plain; digits and punctuation send a token through the rules. */
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z]/.test(ch)) CLASS[c] = C.Plain;
  else if (c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12) CLASS[c] = C.Space;
  else if (ch === '"' || ch === "'") CLASS[c] = C.Quote;
  else CLASS[c] = C.Special;
}

/** Month and weekday abbreviations are parts of dates (`Fri Jun 17 07:07:00 2005`). */
const CALENDAR = new Set(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);

const SIZE_WORDS = new Set(['b', 'kb', 'kib', 'mb', 'mib', 'gb', 'gib', 'tb', 'tib', 'bytes']);
const UNITS = new Set([...SIZE_WORDS, 'ns', 'us', 'ms', 's', 'sec', 'secs', 'second', 'seconds', 'min', 'mins', 'minute', 'minutes', 'hours']);

/** `512 KB`, `30 ms,`: a unit after a number makes the pair one size or duration. */
const UNIT_TOKEN = /^([A-Za-z]+)([,;:.)\]]*)$/;

export const MAX_MESSAGE = 4000;

/** Whitespace beyond ASCII (what JavaScript's \s matches): a separator like a space, never part of a token. */
function wideSpace(c: number): boolean {
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
export const MAX_TOKENS = 200;

/** An identifier's first character: `<Task …`, `<bound method …`, `<_UnixSelectorEventLoop …`. */
function identStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/**
 * Where a constructor-style repr starting at `i` opens its arguments (`Retry(total=2, …`, `Point(x=1, …`,
 * `Error('text', …`): a dotted name, `(`, then a keyword argument or a quoted one; else -1. A call in words
 * (`connect(fd)`, `see f(x) below`) is not one.
 */
function constructorAt(s: string, i: number, n: number): number {
  let k = i;
  const max = Math.min(n, i + 80);
  while (k < max) {
    const ch = s.charCodeAt(k);
    if (identStart(ch) || (ch >= 48 && ch <= 57 && k > i) || (ch === 46 && k > i)) k++;
    else break;
  }
  if (k === i || s.charCodeAt(k) !== 40 /* ( */) return -1;
  const a = s.charCodeAt(k + 1);
  if (a === 39 || a === 34) return k;
  let e = k + 1;
  while (e < max + 40 && e < n && (identStart(s.charCodeAt(e)) || (s.charCodeAt(e) >= 48 && s.charCodeAt(e) <= 57))) e++;
  return e > k + 1 && s.charCodeAt(e) === 61 /* = */ && s.charCodeAt(e + 1) !== 61 ? k : -1;
}

/** The last `>` in s[from, limit) that no `<` after `from` opens, or `fallback`. */
function lastUnopened(s: string, from: number, limit: number, fallback: number): number {
  let depth = 0;
  let last = fallback;
  for (let k = from; k < limit; k++) {
    const ch = s.charCodeAt(k);
    if (ch === 10 || ch === 13) break;
    if (ch === 60) depth++;
    else if (ch === 62) {
      if (depth > 0) depth--;
      else last = k;
    }
  }
  return last;
}

const LITERAL_FIRST = /^(?:None|True|False)[,\])]/;
/** What comes before an element of a sequence: its opening bracket, or the space after a comma. */
const ELEMENT_START = new Set([32, 40, 91, 123]);

/** Longest printed object or data structure read as one value (its brackets are matched up to here). */
const MAX_SPAN = 4000;
/** Characters one message may spend looking for spans' ends (many `<a` that never close cost this at most). */
const SPAN_BUDGET = 4 * MAX_SPAN;
let spanBudget = SPAN_BUDGET;

/**
 * Where a printed object or data structure that starts at `i` ends (the offset after its closing bracket),
 * or -1. What a program prints with `%s`/`%r`/`{}` of an object is one value however many spaces it holds:
 * Python's `<Task pending name='Task-1' coro=<main() …>>`, `<function f at 0x7f…>`, a dict or list repr
 * (`{'Bucket': 'data', …}`, `['a', 'b']`), a tuple of them (`('127.0.0.1', 8080)`), a JSON object. Cut at
 * its spaces, its words would read as the template's (asyncio's `Executing %s took %.3f seconds`, botocore's
 * `calling handler %s`). Only shapes that are data: `<` then an identifier, `{`/`[`/`(` then a quote, `<`,
 * `{` or `[` (a `[main]` or `(default)` in words stays words), and `<…>` only with a digit, `=`, a quote or
 * a bracket inside (`<bottom of call stack>` is a phrase); brackets inside quotes do not count, and the
 * span must close on the same line within MAX_SPAN characters, with a space or the end after it (and after
 * any closing punctuation).
 */
function dataSpanEnd(s: string, i: number, n: number): number {
  let ctor = false;
  let list = false;
  let comma = false;
  const c = s.charCodeAt(i);
  const next = s.charCodeAt(i + 1);
  if (c === 60 /* < */) {
    if (!identStart(next)) return -1;
  } else if (c === 123 /* { */ || c === 91 /* [ */ || c === 40 /* ( */) {
    // (a number or None/True/False first: a sequence only with `, ` inside and no bare word, `[1, None]`;
    // `[1/3] Building` and `(54, powerd)` are words)
    list = (next >= 48 && next <= 57) || (next === 45 && s.charCodeAt(i + 2) >= 48 && s.charCodeAt(i + 2) <= 57) || LITERAL_FIRST.test(s.slice(i + 1, i + 7));
    if (next !== 39 && next !== 34 && next !== 60 && next !== 123 && next !== 91 && !list && constructorAt(s, i + 1, n) === -1) return -1;
  } else if (identStart(c)) {
    // A constructor-style repr: `Retry(total=2, connect=None)`, `User(id=7, name='ann')`; with one keyword
    // argument it has no space (`OperationModel(name=GetObject)`) and is a value all the same.
    const paren = constructorAt(s, i, n);
    if (paren === -1) return -1;
    ctor = true;
  } else return -1;
  const stack: number[] = [];
  let space = false;
  let cut = false;
  // (an object's fields, address or id: `<bottom of call stack>` in words is a phrase, not an object)
  let data = c !== 60;
  const limit = Math.min(n, i + MAX_SPAN, i + spanBudget);
  let k = i;
  let end = -1;
  for (; k < limit; k++) {
    const ch = s.charCodeAt(k);
    if (ch === 10 || ch === 13) break;
    if (ch === 32) {
      space = true;
      if (stack.length === 1 && s.charCodeAt(k - 1) === 44 /* , */) comma = true;
    } else if ((ch >= 48 && ch <= 57) || ch === 61) data = true;
    // (a bare word in a sequence: `(54, powerd)` is words)
    else if (list && stack.length === 1 && identStart(ch) && ELEMENT_START.has(s.charCodeAt(k - 1)) && !LITERAL_FIRST.test(s.slice(k, k + 6))) break;
    else if (ch === 46 && s.charCodeAt(k + 1) === 46 && s.charCodeAt(k + 2) === 46) cut = true;
    else if (ch === 39 || ch === 34) {
      data = true;
      // A quote opens a string only at a value's start (`'a'`, `='a'`, `('a'`, `b'a'`); `don't` is a word.
      const before = s.charCodeAt(k - 1);
      if (before !== 32 && before !== 61 && before !== 58 && before !== 40 && before !== 91 && before !== 123 && before !== 44 && !(before === 98 && !identStart(s.charCodeAt(k - 2)))) continue;
      let q = k + 1;
      for (let x = s.charCodeAt(q); q < limit && x !== ch; x = s.charCodeAt(q)) {
        if (x === 32) space = true;
        q += x === 92 ? 2 : 1;
      }
      k = q;
    } else if (ch === 60 || ch === 123 || ch === 91 || ch === 40) {
      if (k > i) data = true;
      stack.push(ch === 60 ? 62 : ch === 123 ? 125 : ch === 91 ? 93 : 41);
    } else if (ch === 62 || ch === 125 || ch === 93 || ch === 41) {
      // (an arrow or a comparison inside a printed object: `->`, `a > b`)
      if (ch === 62 && stack[stack.length - 1] !== 62) continue;
      // reprlib cuts long reprs in the middle (`<socket.socke....0.1', 8080)>`): after a `...` a closer may have
      // lost its opener, and is passed over.
      if (stack[stack.length - 1] !== ch) {
        if (cut) continue;
        break;
      }
      stack.pop();
      if (stack.length === 0) {
        // (and a cut may have taken openers of closers still to come: the object runs to the line's last `>`
        // that nothing opens, `<Handle f(<Server socke...1', 8080)>,)>, 100) created at …:263> took 0.07 s`)
        if (cut && c === 60) k = lastUnopened(s, k + 1, limit, k);
        let after = k + 1;
        while (after < n && CLOSE.includes(s[after]!)) after++;
        if ((after === n || s.charCodeAt(after) === 32 || s.charCodeAt(after) === 9) && (space || ctor) && data && (!list || comma)) end = k + 1;
        break;
      }
    }
  }
  // (what a message may spend on spans that never close is bounded: see SPAN_BUDGET)
  spanBudget -= k - i;
  return end;
}

/**
 * Masks a message into its tokens. Quoted values become one token: `"<str>"` for free text, except an HTTP
 * request line in quotes (`"GET /a/b HTTP/1.1"`), read as words so that its method stays.
 */
export function maskMessage(message: string, userRules?: readonly CompiledUserMask[]): string[] {
  let s = message.length > MAX_MESSAGE ? message.slice(0, MAX_MESSAGE) : message;
  if (userRules && userRules.length) for (const r of userRules) s = s.replace(r.regex, ` ${r.mask} `);
  const out: string[] = [];
  const n = s.length;
  spanBudget = SPAN_BUDGET;
  let i = 0;
  while (i < n && out.length < MAX_TOKENS) {
    let c = s.charCodeAt(i);
    if (c < 128 ? CLASS[c] === C.Space : wideSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    // A quote at the start of a token: the quoted value (up to 200 characters, same line) is one token. A
    // quoted repr (`'%r'` of `Error('text')`) runs to the repr's end, whatever quotes it holds.
    if ((c === 34 || c === 39) && identStart(s.charCodeAt(i + 1))) {
      const end = dataSpanEnd(s, i + 1, n);
      if (end !== -1 && s.charCodeAt(end) === c) {
        let after = end + 1;
        while (after < n && CLOSE.includes(s[after]!)) after++;
        if (after === n || s.charCodeAt(after) === 32 || s.charCodeAt(after) === 9) {
          out.push(`${s[i]}<obj>${s.slice(end, after)}`);
          i = after;
          continue;
        }
      }
    }
    if (c === 34 || c === 39) {
      const close = s.indexOf(c === 34 ? '"' : "'", i + 1);
      if (close !== -1 && close - i <= 200) {
        let after = close + 1;
        while (after < n && CLOSE.includes(s[after]!) && s.charCodeAt(after) !== c) after++;
        const inner = s.slice(i + 1, close);
        const sp = inner.indexOf(' ');
        // An HTTP request line in quotes is read as words: its method is part of the template.
        const request = sp > 0 && HTTP_METHODS.has(inner.slice(0, sp));
        if (!request && (after === n || (s.charCodeAt(after) < 128 && CLASS[s.charCodeAt(after)] === C.Space))) {
          const q = s[i]!;
          out.push(`${q}${maskQuoted(inner)}${q}${s.slice(close + 1, after)}`);
          i = after;
          continue;
        }
      }
    }
    // A printed object or data structure is one value (`<obj>`), alone or as a key's (`params={…}`, below).
    let objAt = c === 60 || c === 123 || c === 91 || c === 40 ? i : -1;
    let objEnd = objAt === -1 ? -1 : dataSpanEnd(s, i, n);
    let plain = true;
    // (the token so far is a dotted name: `Retry(` may open a constructor-style repr)
    let name = identStart(c);
    for (; objEnd === -1 && i < n; i++) {
      c = s.charCodeAt(i);
      if (c < 128) {
        const k = CLASS[c];
        if (k === C.Space) break;
        if (k !== C.Plain) {
          plain = false;
          if (name && c === 40 /* ( */ && i > start) {
            objEnd = dataSpanEnd(s, start, n);
            if (objEnd !== -1) {
              objAt = start;
              break;
            }
          }
          if (c !== 95 && c !== 46 && (c < 48 || c > 57)) name = false;
        }
        if (c === 61 /* = */) {
          const v = s.charCodeAt(i + 1);
          if (v === 60 || v === 123 || v === 91 || v === 40) {
            objEnd = dataSpanEnd(s, i + 1, n);
            if (objEnd !== -1) objAt = i + 1;
          }
        }
        // key="a quoted value": the value runs to its closing quote, spaces included.
        if (k === C.Quote && i > start && s.charCodeAt(i - 1) === 61 /* = */) {
          const close = s.indexOf(s[i]!, i + 1);
          if (close !== -1 && close - i <= 200 && !s.slice(i + 1, close).includes('\n')) i = close;
        }
      } else if (wideSpace(c)) break;
      else plain = false;
    }
    if (objEnd !== -1) {
      let after = objEnd;
      while (after < n && CLOSE.includes(s[after]!)) after++;
      out.push(`${s.slice(start, objAt)}<obj>${s.slice(objEnd, after)}`);
      i = after;
      continue;
    }
    const token = s.slice(start, i);
    const unit = out.length && out[out.length - 1]!.endsWith('<num>') ? UNIT_TOKEN.exec(token) : null;
    if (unit && UNITS.has(unit[1]!.toLowerCase())) {
      const prev = out[out.length - 1]!;
      out[out.length - 1] = prev.slice(0, -5) + (SIZE_WORDS.has(unit[1]!.toLowerCase()) ? '<size>' : '<duration>') + unit[2];
    } else if (plain) {
      out.push(token);
    } else out.push(maskToken(token));
  }
  // A month or weekday is part of a date when a number, a time or another of them follows (`Fri Jun 17
  // 07:07:00`); alone it is a word (`May change in the future`). Right to left, so `Fri` sees `Jun` masked.
  for (let k = out.length - 1; k >= 0; k--) {
    const t = out[k]!;
    if (t.length !== 3 || !CALENDAR.has(t)) continue;
    const next = out[k + 1];
    if (next !== undefined && (next.startsWith('<num>') || next.startsWith('<time>') || CALENDAR.has(next) || (next.charCodeAt(0) >= 48 && next.charCodeAt(0) <= 57))) out[k] = '<time>';
  }
  return out;
}

function maskQuoted(inner: string): string {
  if (inner === '') return '<str>';
  // A single word in quotes is a value too, but a plain word may also be a constant (a state name): keep
  // words, mask anything with digits or spaces.
  if (!/[\s\d]/.test(inner) && inner.length <= 40) return maskToken(inner);
  return '<str>';
}
