/**
 * The redactor: everything copied into `.incidents/` (logs, trace attributes, error samples) passes through
 * here first, and the evidence records that it ran and how many values of each kind it replaced.
 *
 *   const r = createRedactor({ fieldNames: ['member_no'], patterns: [{ name: 'order-ref', pattern: 'ORD-\\d{8}' }] });
 *   r.redactText('password=hunter2 from ada@example.com')   // { value: 'password=[REDACTED:field] from [REDACTED:email]', replaced: 2, byKind: {...} }
 *   r.redactJson({ user: 'ada', api_key: 'k', attrs: [{ key: 'http.request.header.authorization', value: { stringValue: 'Bearer x' } }] })
 *   redactContent(text, 'app.jsonl')                          // JSON, JSON Lines or text, chosen by name and content
 *
 * What it replaces, each with `[REDACTED:<kind>]` (kinds are the keys of `byKind`):
 * - credentials, one detector per kind with the issuer's format (./secrets.ts, SECRET_KINDS): private keys,
 *   GCP service-account keys, URL passwords, Authorization headers, Slack webhooks, Azure keys and SAS
 *   signatures, JWTs, GitHub/GitLab/Slack/Stripe/AWS/Google/npm/PyPI tokens, other provider keys, Bearer/Basic;
 * - field: the value of a sensitive field — JSON keys, `key=value` / `key: value` / `"key": "value"` in text,
 *   `{key|name: <sensitive>, value: ...}` attribute pairs (OTLP, header lists); names per ./fields.ts plus
 *   `fieldNames` (an AWS secret access key or Authorization field is counted under its own kind);
 * - email; card: 13–19 digit card numbers (spaces/dashes allowed) with a known issuer prefix and a valid Luhn
 *   check digit; ssn: US social security numbers (valid area/group/serial);
 * - custom patterns (`patterns`): the whole match, or only capture group 1 when the pattern has groups;
 *   replaced with `[REDACTED:<name>]`.
 * Already redacted text is left alone, so redacting twice replaces nothing the second time. JSON keys are kept
 * (they are structure); only values change.
 */
import { isSensitiveName, nameWords } from './fields';
import { MARK, placeholder, secretDetectors, SECRET_KINDS, type Detector, type SecretKind } from './secrets';
import { errorMessage } from '../util/errors';

export { SECRET_KINDS } from './secrets';

export const DETECTORS = [...(Object.keys(SECRET_KINDS) as SecretKind[]), 'field', 'email', 'card', 'ssn'] as const;
export type DetectorId = SecretKind | 'field' | 'email' | 'card' | 'ssn';

export interface CustomPattern {
  name: string;
  /** A JavaScript regular expression source (no slashes). */
  pattern: string;
  /** Regular-expression flags; `g` is always added. */
  flags?: string;
}

export interface RedactionOptions {
  /** Extra field names whose values are always secret (case and separators ignored). */
  fieldNames?: readonly string[];
  patterns?: readonly CustomPattern[];
  /** Built-in detectors to turn off. */
  disable?: readonly DetectorId[];
}

export interface Redacted<T> {
  value: T;
  /** How many values were replaced. */
  replaced: number;
  byKind: Record<string, number>;
}

export class RedactionConfigError extends Error {}

export interface Redactor {
  redactText(text: string): Redacted<string>;
  redactJson<T = unknown>(value: T): Redacted<T>;
}

/** Luhn check over a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** Issuer prefixes and lengths of the major card networks (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro). */
export function plausibleCard(digits: string): boolean {
  const n = digits.length;
  if (n < 13 || n > 19) return false;
  const p2 = Number(digits.slice(0, 2));
  const p4 = Number(digits.slice(0, 4));
  if (digits[0] === '4') return n === 13 || n === 16 || n === 19;
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n === 16;
  if (p2 === 34 || p2 === 37) return n === 15;
  if (p4 === 6011 || p2 === 65 || (Number(digits.slice(0, 3)) >= 644 && Number(digits.slice(0, 3)) <= 649)) return n >= 16;
  if (p4 >= 3528 && p4 <= 3589) return n >= 16;
  if (p2 === 36 || p2 === 38 || (Number(digits.slice(0, 3)) >= 300 && Number(digits.slice(0, 3)) <= 305)) return n >= 14;
  if (p2 === 62) return n >= 16;
  if (p2 === 50 || (p2 >= 56 && p2 <= 69)) return n >= 12;
  return false;
}

export function isCardNumber(digits: string): boolean {
  return plausibleCard(digits) && luhnValid(digits);
}

/** A field's name and separator: `password=`, `"api_key": `, `'token' : `. Its value is read only when the name is sensitive. */
const FIELD_KEY = /(?<![A-Za-z0-9_])(["']?)([A-Za-z][A-Za-z0-9_.-]{0,63})\1([ \t]*[:=][ \t]*)/g;
/**
 * The value after a sensitive name: a quoted string (at most 8 KB, and to the end of the line when the quote
 * is never closed), a value already redacted (left alone), a credential with its scheme, or a bare word.
 */
const FIELD_VALUE = /"((?:[^"\\\n]|\\.){0,8192})"?|'((?:[^'\\\n]|\\.){0,8192})'?|((?:[A-Za-z][A-Za-z0-9._-]*[ \t]+)?\[REDACTED:[^\]\s]*\]|(?:Bearer|Basic|Digest|Token)\s+[^\s"',;&)}\]]+|[^\s"',;&)}\]]+)/y;

/**
 * The kind a sensitive field's value is counted under: the credential it names when the name says which
 * (AWS secret access keys, Authorization headers, a GCP service account's key), else `field`.
 */
export function fieldKind(name: string, serviceAccount = false): string {
  const joined = nameWords(name).join('');
  if (serviceAccount && (joined === 'privatekey' || joined === 'privatekeyid')) return 'gcp-service-account';
  if (/secretaccesskey$/.test(joined)) return 'aws-secret-key';
  if (/authorization$/.test(joined)) return 'auth-header';
  return 'field';
}

function builtins(fieldNames: readonly string[]): Record<DetectorId, Detector[]> {
  // Logs repeat their field names on every line: judge each name once.
  const sensitive = new Map<string, boolean>();
  const isSensitive = (key: string): boolean => {
    let known = sensitive.get(key);
    if (known === undefined) {
      if (sensitive.size > 10_000) sensitive.clear();
      known = isSensitiveName(key, fieldNames);
      sensitive.set(key, known);
    }
    return known;
  };
  return {
    ...secretDetectors(),
    field: [
      {
        kind: 'field',
        seesPlaceholders: true,
        regex: FIELD_KEY,
        // The name decides before the value is read: scanning values after every `word:` of a long line
        // without spaces would cost its length squared.
        replace: (m, text) => {
          const key = m[2]!;
          if (!isSensitive(key)) return undefined;
          const at = m.index + m[0].length;
          FIELD_VALUE.lastIndex = at;
          const v = FIELD_VALUE.exec(text);
          if (!v) return undefined;
          const [whole, dq, sq, bare] = v;
          const value = dq ?? sq ?? bare ?? '';
          if (value === '' || value.includes(MARK) || /^(null|None|true|false)$/.test(value)) return undefined;
          const start = dq !== undefined || sq !== undefined ? 1 : 0;
          return { text: `${m[0]}${whole.slice(0, start)}${placeholder(fieldKind(key))}${whole.slice(start + value.length)}`, end: at + whole.length };
        },
      },
    ],
    email: [
      {
        kind: 'email',
        needs: /@/,
        regex: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}\b/g,
        // Not inside a URL's authority: `postgres://user:pass@db.example.com` holds a password, not an address.
        replace: (m, text) => (/:\/\/[^\s/@]*$/.test(text.slice(Math.max(0, m.index - 256), m.index)) ? undefined : placeholder('email')),
      },
    ],
    card: [
      {
        kind: 'card',
        // redactCardRun tries every group boundary of the run: a run without a card is done with as a whole.
        judgesWholeMatch: true,
        regex: /(?<![\d])\d(?:[ -]?\d){11,}(?!\d)/g,
        replace: (m) => redactCardRun(m[0]),
      },
    ],
    ssn: [
      {
        kind: 'ssn',
        regex: /(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])/g,
        replace: () => placeholder('ssn'),
      },
    ],
  };
}

/** How many placeholders of each kind a text holds. */
function marks(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  if (!text.includes(MARK)) return counts;
  for (const m of text.matchAll(/\[REDACTED:([^\]\s]+)\]/g)) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  return counts;
}

/**
 * A run of digits with optional single spaces/dashes: the card numbers in it, aligned to its groups (so
 * `order 7 4111 1111 1111 1111` still finds the card after the 7). Undefined when it holds none.
 */
function redactCardRun(run: string): string | undefined {
  const groups = run.split(/[ -]/);
  const seps = run.match(/[ -]/g) ?? [];
  const out: string[] = [];
  let found = false;
  for (let i = 0; i < groups.length; ) {
    let matched = 0;
    let digits = '';
    for (let j = i; j < groups.length && digits.length < 19; j++) {
      digits += groups[j];
      if (isCardNumber(digits)) matched = j - i + 1;
    }
    if (matched > 0) {
      out.push(placeholder('card'));
      found = true;
      i += matched;
    } else {
      out.push(groups[i]!);
      i++;
    }
    if (i < groups.length) out.push(seps[i - 1]!);
  }
  return found ? out.join('') : undefined;
}

export function createRedactor(options: RedactionOptions = {}): Redactor {
  const fieldNames = options.fieldNames ?? [];
  const all = builtins(fieldNames);
  const disabled = new Set(options.disable ?? []);
  const detectors: Detector[] = DETECTORS.filter((d) => !disabled.has(d)).flatMap((d) => all[d]);
  for (const p of options.patterns ?? []) {
    let regex: RegExp;
    try {
      regex = new RegExp(p.pattern, `${(p.flags ?? '').replace(/[gy]/g, '')}g`);
    } catch (e) {
      throw new RedactionConfigError(`Redaction pattern "${p.name}" is not a valid regular expression: ${errorMessage(e)}`);
    }
    if (regex.test('')) throw new RedactionConfigError(`Redaction pattern "${p.name}" matches the empty string; it would redact everything`);
    // The kind is part of the placeholder, so it may not close it early or break the counting.
    const kind = (p.name || 'custom').replace(/[^A-Za-z0-9._-]+/g, '-') || 'custom';
    detectors.push({
      kind,
      regex,
      replace: (m) => {
        if (m[0].includes(MARK)) return undefined;
        if (m.length > 1 && m[1] !== undefined && m[1] !== '') {
          const at = m[0].indexOf(m[1]);
          return m[0].slice(0, at) + placeholder(kind) + m[0].slice(at + m[1].length);
        }
        return placeholder(kind);
      },
    });
  }

  /**
   * Every detector over the text, again while a round still replaced something: a replacement can make a
   * neighbour whole (`AKIA…4111 1111 1111 1111`: the key id ends at a word boundary only once the card is
   * gone), and redacting the output must find nothing. Text without secrets takes one round.
   */
  const anyNeeds = new RegExp(detectors.flatMap((d) => (d.needs ? [d.needs.source] : [])).join('|') || '(?!)', 'i');

  function redactText(text: string): Redacted<string> {
    const byKind: Record<string, number> = {};
    let replaced = 0;
    let value = text;
    for (let round = 0; round < 8; round++) {
      const r = redactOnce(value);
      value = r.value;
      replaced += r.replaced;
      for (const [k, n] of Object.entries(r.byKind)) byKind[k] = (byKind[k] ?? 0) + n;
      if (r.replaced === 0) break;
    }
    return { value, replaced, byKind };
  }

  function redactOnce(text: string): Redacted<string> {
    const byKind: Record<string, number> = {};
    let replaced = 0;
    let value = text;
    // Most strings of a log hold no credential at all: one test for all of them before one per detector.
    const mayHoldCredential = anyNeeds.test(value);
    for (const d of detectors) {
      // exec() in a loop rather than replace(): when a match is not a secret (a key that is not sensitive, a
      // digit run that is no card), scanning resumes one character later instead of after the whole match,
      // so `a: password=x` still finds the password inside the first, harmless match.
      if (d.needs && (!mayHoldCredential || !d.needs.test(value))) continue;
      const re = d.regex;
      re.lastIndex = 0;
      let out = '';
      let last = 0;
      for (let m = re.exec(value); m; m = re.exec(value)) {
        if (m[0] === '') {
          re.lastIndex = m.index + 1;
          continue;
        }
        const r = m[0].includes(MARK) && !d.seesPlaceholders ? undefined : d.replace(m, value);
        const end = typeof r === 'object' ? r.end : m.index + m[0].length;
        const replacement = typeof r === 'object' ? r.text : r;
        const original = value.slice(m.index, end);
        if (replacement === undefined || replacement === original) {
          re.lastIndex = d.judgesWholeMatch ? end : m.index + 1;
          continue;
        }
        // Counted by the placeholders written, so a field named for a credential counts under that credential.
        const before = marks(original);
        for (const [kind, n] of marks(replacement)) {
          const added = n - (before.get(kind) ?? 0);
          if (added <= 0) continue;
          replaced += added;
          byKind[kind] = (byKind[kind] ?? 0) + added;
        }
        out += value.slice(last, m.index) + replacement;
        last = end;
        re.lastIndex = last;
      }
      value = out + value.slice(last);
    }
    return { value, replaced, byKind };
  }

  function redactJson<T>(input: T): Redacted<T> {
    const byKind: Record<string, number> = {};
    let replaced = 0;
    const count = (kinds: Record<string, number>, n: number) => {
      replaced += n;
      for (const [k, v] of Object.entries(kinds)) byKind[k] = (byKind[k] ?? 0) + v;
    };
    const secret = (v: unknown) => v !== null && v !== undefined && v !== '' && !(typeof v === 'string' && v.startsWith(MARK));
    const walk = (v: unknown, depth: number): unknown => {
      if (depth > 200) return deep(v);
      if (typeof v === 'string') {
        const r = redactText(v);
        count(r.byKind, r.replaced);
        return r.value;
      }
      if (typeof v === 'number' && Number.isSafeInteger(v) && v > 1e11) {
        const s = String(v);
        if (!disabled.has('card') && isCardNumber(s)) {
          count({ card: 1 }, 1);
          return placeholder('card');
        }
        return v;
      }
      if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
      if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        // {key: "http.request.header.authorization", value: {...}} and {name: "Authorization", value: "..."}
        const pairName = typeof o.key === 'string' ? o.key : typeof o.name === 'string' ? o.name : undefined;
        const pairIsSecret = pairName !== undefined && 'value' in o && !disabled.has('field') && isSensitiveName(pairName, fieldNames) && secret(o.value);
        const serviceAccount = o.type === 'service_account';
        for (const [k, x] of Object.entries(o)) {
          if (pairIsSecret && k === 'value') {
            out[k] = redactWhole(x, fieldKind(pairName!));
          } else if (!disabled.has('field') && (isSensitiveName(k, fieldNames) || (serviceAccount && fieldKind(k, true) !== 'field')) && secret(x) && typeof x !== 'boolean') {
            out[k] = redactWhole(x, fieldKind(k, serviceAccount));
          } else out[k] = walk(x, depth + 1);
        }
        return out;
      }
      return v;
    };
    /**
     * A secret value: a scalar becomes the placeholder of `kind`, or of the credential it is when a detector
     * recognises the whole value (`"token": "ghp_…"` counts as a GitHub token); an OTLP AnyValue keeps its shape.
     */
    const redactWhole = (x: unknown, kind: string): unknown => {
      let text = placeholder(kind);
      if (typeof x === 'string' && kind === 'field') {
        const r = redactText(x);
        if (r.replaced === 1 && /^\[REDACTED:[^\]\s]+\]$/.test(r.value)) text = r.value;
      }
      const k = text.slice('[REDACTED:'.length, -1);
      count({ [k]: 1 }, 1);
      if (x && typeof x === 'object' && !Array.isArray(x)) {
        const keys = Object.keys(x);
        if (keys.length === 1 && /Value$/.test(keys[0]!)) return { stringValue: text };
      }
      return text;
    };
    /**
     * Deeper than the walk goes (hostile nesting): the subtree is redacted as its JSON text, and parsed back
     * when it still is JSON; what cannot even be serialised is dropped rather than kept unredacted.
     */
    const deep = (v: unknown): unknown => {
      let text: string;
      try {
        text = JSON.stringify(v);
      } catch {
        count({ 'too-deep': 1 }, 1);
        return placeholder('too-deep');
      }
      const r = redactText(text);
      count(r.byKind, r.replaced);
      if (r.replaced === 0) return v;
      try {
        return JSON.parse(r.value) as unknown;
      } catch {
        return r.value;
      }
    };
    const value = walk(input, 0) as T;
    return { value, replaced, byKind };
  }

  return { redactText, redactJson };
}

export function redactText(text: string, options?: RedactionOptions): Redacted<string> {
  return createRedactor(options).redactText(text);
}

export function redactJson<T>(value: T, options?: RedactionOptions): Redacted<T> {
  return createRedactor(options).redactJson(value);
}

export type ContentFormat = 'json' | 'jsonl' | 'text';

/**
 * Redacts a whole file's text: JSON documents through redactJson (re-serialised with 2-space indentation),
 * JSON Lines line by line (lines that are not JSON as text), anything else as text.
 */
export function redactContent(text: string, name: string, redactor: Redactor = createRedactor()): Redacted<string> & { format: ContentFormat } {
  const lower = name.toLowerCase();
  const trimmed = text.trimStart();
  if (lower.endsWith('.json') || ((trimmed.startsWith('{') || trimmed.startsWith('[')) && !/\n\s*[{[]/.test(trimmed.slice(0, 100_000)) && !/\.(jsonl|ndjson|log)$/.test(lower))) {
    try {
      const r = redactor.redactJson(JSON.parse(text));
      return { value: `${JSON.stringify(r.value, null, 2)}\n`, replaced: r.replaced, byKind: r.byKind, format: 'json' };
    } catch {
      // not one JSON document: fall through
    }
  }
  const lines = text.split('\n');
  const jsonLines = lines.filter((l) => /^\s*[{[]/.test(l)).length;
  if (/\.(jsonl|ndjson)$/.test(lower) || (jsonLines > 0 && jsonLines >= lines.filter((l) => l.trim()).length / 2)) {
    const byKind: Record<string, number> = {};
    let replaced = 0;
    const out = lines.map((line) => {
      let r: Redacted<string>;
      if (/^\s*[{[]/.test(line)) {
        try {
          const j = redactor.redactJson(JSON.parse(line));
          r = { value: JSON.stringify(j.value), replaced: j.replaced, byKind: j.byKind };
        } catch {
          r = redactor.redactText(line);
        }
      } else r = redactor.redactText(line);
      replaced += r.replaced;
      for (const [k, v] of Object.entries(r.byKind)) byKind[k] = (byKind[k] ?? 0) + v;
      return r.value;
    });
    return { value: out.join('\n'), replaced, byKind, format: 'jsonl' };
  }
  return { ...redactor.redactText(text), format: 'text' };
}
