/**
 * The template miner, in two steps so that it is both fast on a stream and right on logs it has never seen.
 *
 * 1. Signatures (per message, streaming): the message is masked (./masking.ts) and its masked token list is
 *    looked up in a table. Identical masked messages share one signature: after masking most lines of a
 *    log are repeats, so the per-line cost is one scan of the message and one hash lookup. The table is
 *    bounded (`maxSignatures`); past it, a new signature joins the closest one of the same length and first
 *    token, and the miner counts the lines it placed that way (`capped`).
 *
 * 2. Patterns (on demand, over the signatures only — thousands, not millions): signatures of the same length
 *    are grouped by the tokens they share, after the idea of Brain (Yu et al., "Brain: Log Parsing with
 *    Bidirectional Parallel Tree", IEEE TSC 2023): in a template with n signatures every constant token is
 *    seen in at least n of them, so for each signature the positions whose token frequency is the one most
 *    of its positions share are its template's constants (the "root"); positions seen more often are
 *    constants shared with other templates; positions seen less often are variables — unless a position has
 *    only a few distinct values, each well represented, which is two templates differing in one word
 *    ("opened"/"closed"), and the group is split there (a few more at the first word: see `splitMaxFirst`).
 *    Positions that differ within a pattern become `<*>`.
 *
 * Step 2 only reads the signature table, so it can run on a sample (a log store's, issue #20) and be re-run
 * as data arrives; each pattern can be turned back into a matcher (./matcher.ts).
 */
import { hasPlaceholder, isPlaceholder, maskMessage, type CompiledUserMask } from './masking';

export const VARIABLE = '<*>';

export interface MinerOptions {
  /** Most distinct masked messages kept (default 100,000); past it lines join the closest one. */
  maxSignatures?: number;
  userMasks?: readonly CompiledUserMask[];
  /** A column with at most this many distinct words, each in ≥ 2 signatures, splits its group (default 3). */
  splitMax?: number;
  /**
   * The same for the message's first word (default 8). A message seldom starts with a value (a value follows
   * the words that name it), so a first word that differs is most often the event itself: HPC's `boot`,
   * `wait`, `halt` … `(command <*>)`, Zookeeper's and Spark's verbs (Loghub-2k, bench/RESULTS.md).
   */
  splitMaxFirst?: number;
}

export interface MinedPattern {
  /** Template tokens: constants as they are, `<*>` or a typed placeholder where signatures differ. */
  tokens: string[];
  /** Signature indices in the pattern. */
  signatures: number[];
}

const MEMO_MAX = 50_000;

/**
 * A token that makes its column a value wherever it stands (see `split`): a placeholder, alone, with the
 * punctuation after it (`<ip>.`, `<path>,`) or in quotes (`'<str>'`); or a word with a value's punctuation, a
 * slash or an at sign inside (`text/plain`, `ops@example`) or a leading dot (`.com`). Not a placeholder in
 * brackets (`(<size>)` is an optional part), not a value masked in part (`HTTPS` / `SOCKS<num>` are two
 * templates' constants), not a dotted name (`android.intent.action.SCREEN_ON`, `org.apache.X`).
 */
const COLUMN_VALUE = /^(?:<[a-z*]+>[,;:.]*|(["'])<[a-z*]+>\1[,;:.)\]]*|[^<>]*[/@][^<>]*[A-Za-z0-9][^<>]*|\.[A-Za-z][^<>]*)$/;

const BRACKETED_VALUE = /^[([{]<[^<>]+>[)\]}][,;:.]?$/;

/**
 * A template with every value as `<*>` and optional bracketed values left out; undefined when fewer than
 * two words remain (too little to say two templates are one).
 */
function looseKey(tokens: string[]): string | undefined {
  const out: string[] = [];
  let words = 0;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (BRACKETED_VALUE.test(t)) continue;
    // (a comma-separated list of values is one value whatever its length: `found: <path>, <path>` / `found: <path>`)
    if (t.endsWith(',') && isPlaceholder(t.slice(0, -1)) && k + 1 < tokens.length && hasPlaceholder(tokens[k + 1]!)) continue;
    if (hasPlaceholder(t) || t === VARIABLE) {
      // (a run of three or more of the same value is a list of any length: `channels <num> <num> <num> …`)
      if (k >= 2 && t === tokens[k - 1] && t === tokens[k - 2]) continue;
      out.push(VARIABLE);
    } else {
      out.push(t);
      words++;
    }
  }
  return words >= 2 ? out.join(' ') : undefined;
}

/** A value that says there is none: beside a value elsewhere, the key holds values (`ws=null` / `ws=WorkSource{<num>}`). */
const NO_VALUE = /^(?:null|nil|None|undefined|NULL|none)$/;

/**
 * True when every token is `key=value` with one key, and the value of one of them is a placeholder (quoted
 * too, `tag="<str>"`), or a value in part while another is null (`ws=null` / `ws=WorkSource{<num>}`).
 */
function variableKey(tokens: Iterable<string>): boolean {
  let key: string | undefined;
  let variable = false;
  let masked = false;
  let none = false;
  for (const t of tokens) {
    const eq = t.indexOf('=');
    // (an empty value, `rhost=`, is a shape of its own)
    if (eq <= 0 || eq === t.length - 1) return false;
    const k = t.slice(0, eq);
    if (key === undefined) key = k;
    else if (k !== key) return false;
    if (!/^[A-Za-z_][\w.-]*$/.test(k)) return false;
    const value = t.slice(eq + 1).replace(/[,;]$/, '');
    const bare = value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0]!) ? value.slice(1, -1) : value;
    if (isPlaceholder(bare)) variable = true;
    else if (hasPlaceholder(bare)) masked = true;
    else if (NO_VALUE.test(bare)) none = true;
  }
  return variable || (masked && none);
}

/** A copy of a string that shares no memory with the (possibly huge) string it was cut from. */
export function detach(s: string): string {
  return s.length < 13 ? s : (s + ' ').slice(0, -1);
}

export class TemplateMiner {
  private readonly bySig = new Map<string, number>();
  readonly tokens: string[][] = [];
  readonly counts: number[] = [];
  /** Lines placed on an existing signature because the table was full. */
  capped = 0;
  private readonly memo = new Map<string, number>();
  private memoHits = 0;
  private memoMisses = 0;
  private memoUseful = true;
  private memoTick = 0;
  readonly maxSignatures: number;
  private readonly userMasks: readonly CompiledUserMask[] | undefined;
  private readonly splitMax: number;
  private readonly splitMaxFirst: number;
  private byLengthFirst: Map<string, number> | undefined;

  constructor(options: MinerOptions = {}) {
    this.maxSignatures = Math.max(1, options.maxSignatures ?? 100_000);
    this.userMasks = options.userMasks?.length ? options.userMasks : undefined;
    this.splitMax = options.splitMax ?? 3;
    this.splitMaxFirst = options.splitMaxFirst ?? 8;
  }

  get size(): number {
    return this.tokens.length;
  }

  get isFull(): boolean {
    return this.tokens.length >= this.maxSignatures;
  }

  /** The signature of a message (added if new); `weight` lines at once. */
  add(message: string, weight = 1): number {
    // Short messages repeat exactly (health checks, "ok"): those skip masking. While most lookups miss (every
    // message has a fresh value), nothing is added, so the memo does not churn.
    // While the memo is not useful, one short message in eight is still looked up, to notice when it becomes so.
    const look = message.length <= 64 && (this.memoUseful || (++this.memoTick & 7) === 0);
    let sig = look ? this.memo.get(message) : undefined;
    if (sig === undefined) {
      sig = this.signatureOf(maskMessage(message, this.userMasks));
      if (look && this.memoUseful) {
        if (this.memo.size >= MEMO_MAX) this.memo.clear();
        this.memo.set(detach(message), sig);
      }
      if (look) this.memoMisses++;
    } else this.memoHits++;
    if (this.memoHits + this.memoMisses >= (this.memoUseful ? 20_000 : 2_500)) {
      this.memoUseful = this.memoHits * 10 >= this.memoHits + this.memoMisses;
      this.memoHits = this.memoMisses = 0;
    }
    this.counts[sig]! += weight;
    return sig;
  }

  /** The signature of already-masked tokens. */
  signatureOf(tokens: string[]): number {
    const key = tokens.join(' ');
    let sig = this.bySig.get(key);
    if (sig !== undefined) return sig;
    if (this.tokens.length >= this.maxSignatures) {
      this.capped++;
      return this.closest(tokens);
    }
    sig = this.tokens.length;
    this.bySig.set(key, sig);
    // Tokens cut from the key, not the message: a message may be a slice of a whole read chunk, and a kept
    // token would keep that chunk alive.
    this.tokens.push(key === '' ? [] : key.split(' '));
    this.counts.push(0);
    return sig;
  }

  /** When the table is full: a signature of the same length and first token, else of the same length, else the first. */
  private closest(tokens: string[]): number {
    if (!this.byLengthFirst) {
      this.byLengthFirst = new Map();
      this.tokens.forEach((t, i) => {
        const a = `${t.length} ${t[0] ?? ''}`;
        if (!this.byLengthFirst!.has(a)) this.byLengthFirst!.set(a, i);
        const b = `${t.length}`;
        if (!this.byLengthFirst!.has(b)) this.byLengthFirst!.set(b, i);
      });
    }
    return this.byLengthFirst.get(`${tokens.length} ${tokens[0] ?? ''}`) ?? this.byLengthFirst.get(`${tokens.length}`) ?? 0;
  }

  /** Groups the signatures into patterns. Returns the patterns and, per signature, its pattern's index. */
  patterns(): { patterns: MinedPattern[]; ofSignature: Int32Array } {
    const ofSignature = new Int32Array(this.tokens.length).fill(-1);
    const patterns: MinedPattern[] = [];
    const byLength = new Map<number, number[]>();
    this.tokens.forEach((t, i) => {
      const list = byLength.get(t.length);
      if (list) list.push(i);
      else byLength.set(t.length, [i]);
    });
    const byLoose = new Map<string, MinedPattern>();
    for (const [length, sigs] of [...byLength].sort((a, b) => a[0] - b[0])) {
      for (const group of this.groupSameLength(length, sigs)) {
        const tokens = this.template(group, length);
        // Templates that differ only by an optional bracketed value (`sent` / `(<size>) sent`) or by the
        // kind of value at a place are one template of varying length.
        const loose = looseKey(tokens);
        const same = loose ? byLoose.get(loose) : undefined;
        if (same) {
          same.signatures.push(...group);
          const mine = group.reduce((n, s) => n + this.counts[s]!, 0);
          const theirs = same.signatures.reduce((n, s) => n + this.counts[s]!, 0) - mine;
          if (mine > theirs) same.tokens = tokens;
          continue;
        }
        const p: MinedPattern = { tokens, signatures: group };
        if (loose) byLoose.set(loose, p);
        patterns.push(p);
      }
    }
    patterns.forEach((p, index) => {
      for (const s of p.signatures) ofSignature[s] = index;
    });
    return { patterns, ofSignature };
  }

  private groupSameLength(length: number, sigs: number[]): number[][] {
    if (sigs.length === 1 || length === 0) return [sigs];
    const freq: Map<string, number>[] = [];
    for (let p = 0; p < length; p++) freq.push(new Map());
    for (const s of sigs) {
      const t = this.tokens[s]!;
      for (let p = 0; p < length; p++) freq[p]!.set(t[p]!, (freq[p]!.get(t[p]!) ?? 0) + 1);
    }
    // The root of each signature: its constant positions (see the module comment).
    const roots = new Map<string, number[]>();
    const fs = new Array<number>(length);
    for (const s of sigs) {
      const t = this.tokens[s]!;
      const histogram = new Map<number, number>();
      for (let p = 0; p < length; p++) {
        const tok = t[p]!;
        const f = hasPlaceholder(tok) && isPlaceholder(tok) ? -1 : freq[p]!.get(tok)!;
        fs[p] = f;
        if (f > 0) histogram.set(f, (histogram.get(f) ?? 0) + 1);
      }
      let root = Infinity;
      let best = 0;
      for (const [f, n] of histogram) if (n > best || (n === best && f > root)) [root, best] = [f, n];
      // The key is the root positions alone: a value that happens to be a frequent word elsewhere (`Invalid
      // user user from …`, where `user` is another template's constant) must not set its signature apart. (A
      // constant shared with other templates, seen more often, is left to the split below, as any column of
      // a few words is.)
      let key = '';
      for (let p = 0; p < length; p++) if (fs[p]! === root) key += `${p}\u0000${t[p]}\u0001`;
      const list = roots.get(key);
      if (list) list.push(s);
      else roots.set(key, [s]);
    }
    const out: number[][] = [];
    for (const group of roots.values()) this.split(group, length, out);
    return out;
  }

  /** Splits a group at a column of a few distinct words, each in more than one signature; else keeps it. */
  private split(group: number[], length: number, out: number[][]): void {
    if (group.length < 2) {
      out.push(group);
      return;
    }
    let bestP = -1;
    let bestValues: Map<string, number[]> | undefined;
    for (let p = 0; p < length; p++) {
      const max = p === 0 ? this.splitMaxFirst : this.splitMax;
      const values = new Map<string, number[]>();
      let placeholder = false;
      let word = false;
      for (const s of group) {
        const tok = this.tokens[s]![p]!;
        // (`for 'ann'` / `for ''`, `to localhost.` / `to <ip>.`, `content-type text/plain` / `… application/json`)
        if (isPlaceholder(tok) || COLUMN_VALUE.test(tok)) {
          placeholder = true;
          break;
        }
        if (!word && !hasPlaceholder(tok)) word = true;
        const list = values.get(tok);
        if (list) list.push(s);
        else values.set(tok, [s]);
        if (values.size > max) break;
      }
      if (placeholder || !word || values.size < 2 || values.size > max) continue;
      // `name=android` / `name=<*>`: a key whose value is a variable elsewhere in the group holds a value here
      // too, not a constant that names another template.
      if (variableKey(values.keys())) continue;
      if (!bestValues || values.size < bestValues.size) {
        bestP = p;
        bestValues = values;
      }
    }
    if (bestP === -1 || !bestValues) {
      out.push(group);
      return;
    }
    for (const sub of bestValues.values()) this.split(sub, length, out);
  }

  private template(group: number[], length: number): string[] {
    const first = this.tokens[group[0]!]!;
    const out = first.slice();
    for (let p = 0; p < length; p++) {
      for (const s of group) {
        if (this.tokens[s]![p] !== out[p]) {
          out[p] = VARIABLE;
          break;
        }
      }
    }
    return out;
  }
}
