/**
 * Accumulates error events into clusters in bounded memory (counts, time buckets, top-N breakdowns, a few
 * samples) so a 1 GB log costs the same as a small one, then summarises them into an `ErrorReport`.
 */
import { isErrorRecord, type LogRecord, type ParsedException, type StackFrame } from '../logs/types';
import type { SkipSummary } from '../logs/skips';
import type { FieldMapping } from '../logs/fieldMapping';
import { categorise, type CompiledCategoryRule } from './categories';
import { Drain, WILDCARD, type DrainCluster } from './drain';
import { exceptionMessageOf, exceptionTypeOf, fingerprintOf, frameKey, isInAppFrame, make, primaryException, type Fingerprint } from './fingerprint';
import { normalizeMessage, normalizeShaped } from './normalize';
import type { MessageShape } from '../logs/jsonScan';
import { clusterPatterns, correlatedClusters } from './patterns';
import { ruleMatches, type CompiledRule } from './rules';
import { orderReleases, releaseStatus, type ClusterRelease, type LogRelease } from './releases';
import { compareCodeUnits, topCounts } from '../util/order';

export type { ClusterPattern, ClusterSummary, Count, ErrorReport, ReportException, ReportFrame, ReportPattern, ReportSample } from './report';
import type { ClusterSummary, Count, ErrorReport, ReportException, ReportFrame, ReportSample } from './report';

export interface AnalyzerOptions {
  groupingRules?: readonly CompiledRule[];
  categoryRules?: readonly CompiledCategoryRule[];
  samplesPerCluster?: number;
  /** Distinct values kept per breakdown before the rest is counted as "other". */
  maxDistinct?: number;
  /** Drain parameters for messages without exceptions. */
  drain?: { depth?: number; simTh?: number; maxChildren?: number };
  /**
   * For a part of the input read on another thread: messages without exceptions are kept by their normalised
   * text, not mined (mining depends on the order of the whole input); `absorb` mines them in input order.
   */
  partial?: boolean;
}

/** An analyzer's state as plain data, for `absorb` on the thread that reads the parts' results. */
export interface AnalyzerExport {
  events: number;
  first?: number;
  last?: number;
  releaseErrors: [string, { errors: number; first?: number }][];
  capped: boolean;
  /** Clusters in the order of their first event; `normalized` for messages left to Drain. */
  units: { key: string; fingerprint?: Fingerprint; normalized?: string; state: ClusterExport }[];
}

/** A 32-bit FNV-1a of a string, for choosing what is kept in an order-free way. */
export function hash32(text: string, seed = 0x811c9dc5): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The parts of a result read on other threads that cannot be merged exactly (a table hit its cap). */
export class NotMergeable extends Error {}

/**
 * Counts values, keeping at most `max` distinct ones; the rest go to `other`. Which values are kept does not
 * depend on the order they come in: the `max` values of smallest hash (ties by value), with exact counts. So
 * counters of parts of a log read apart merge into the counter of the whole (see `merge`).
 */
export class BoundedCounter {
  private readonly counts = new Map<string, number>();
  private rejected = 0;
  /** Values at or above this (hash, value) are not admitted: `max` values below it were seen. */
  private limitHash = Infinity;
  private limitValue = '';
  /**
   * The value of the last adds in a row and how many: counted when another value comes or the counter is
   * read (services, releases and endpoints repeat line after line; the result does not depend on order).
   */
  private run: string | undefined;
  private runCount = 0;
  constructor(private readonly max: number) {}

  add(v: string | undefined): void {
    if (v === undefined || v === '') return;
    if (v === this.run) {
      this.runCount++;
      return;
    }
    this.flush();
    this.run = v;
    this.runCount = 1;
  }

  /** Values counted into `other`: seen but not among the `max` kept. */
  get other(): number {
    this.prune();
    return this.rejected;
  }

  private flush(): void {
    const v = this.run;
    if (v === undefined) return;
    this.run = undefined;
    const n = this.runCount;
    const c = this.counts.get(v);
    if (c !== undefined) this.counts.set(v, c + n);
    else if (this.limitHash === Infinity || this.below(v)) {
      this.counts.set(v, n);
      // (pruned in batches: between prunes up to twice the cap is held)
      if (this.counts.size >= 2 * this.max) this.prune();
    } else this.rejected += n;
  }

  private below(v: string): boolean {
    const h = hash32(v);
    return h < this.limitHash || (h === this.limitHash && v < this.limitValue);
  }

  /** Keeps the `max` values of smallest (hash, value); the others' counts go to `other`. */
  private prune(): void {
    this.flush();
    if (this.counts.size <= this.max) return;
    const keyed = [...this.counts].map(([v, n]) => ({ v, n, h: hash32(v) }));
    keyed.sort((a, b) => a.h - b.h || (a.v < b.v ? -1 : a.v > b.v ? 1 : 0));
    for (let i = this.max; i < keyed.length; i++) {
      this.rejected += keyed[i]!.n;
      this.counts.delete(keyed[i]!.v);
    }
    const last = keyed[this.max - 1];
    this.limitHash = last ? last.h : -1;
    this.limitValue = last ? last.v : '';
  }

  /** Adds a counter of another part of the same input (any order of parts gives the same counter). */
  merge(entries: [string, number][], other: number): void {
    this.flush();
    for (const [v, n] of entries) this.counts.set(v, (this.counts.get(v) ?? 0) + n);
    this.rejected += other;
    if (this.counts.size >= 2 * this.max) this.prune();
  }

  export(): [[string, number][], number] {
    this.prune();
    return [[...this.counts], this.rejected];
  }

  top(n: number): Count[] {
    this.prune();
    return topCounts(this.counts, n);
  }

  get distinct(): number {
    this.prune();
    return this.counts.size + (this.rejected > 0 ? 1 : 0);
  }
}

const MINUTE = 60_000;
const NO_RULES: readonly CompiledRule[] = [];

/** One sample kept by a cluster: the record, its place in the input (events before it) and its hash. */
interface Kept {
  r: LogRecord;
  seq: number;
  h: number;
}

/**
 * What a sample is chosen by: its time and a few characters of its message, mixed (murmur3's finaliser),
 * never its place (a part read apart does not know it). Events alike in all of these go by place.
 */
function sampleHash(r: LogRecord): number {
  const m = r.message;
  const n = m.length;
  let h = ((r.timestamp ?? 0) % 0x100000000) ^ Math.imul(n, 0x9e3779b1) ^ (n > 0 ? (m.charCodeAt(n - 1) << 16) ^ (m.charCodeAt(n >> 1) << 8) ^ m.charCodeAt((n * 3) >> 2) : 0);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const keptBefore = (a: Kept, b: Kept) => a.h < b.h || (a.h === b.h && a.seq < b.seq);

/** A cluster's state as plain data: what a worker thread sends for its part of the input (see `absorb`). */
export interface ClusterExport {
  count: number;
  first?: number;
  last?: number;
  minutes: [number, number][];
  counters: [[string, number][], number][];
  lines: { file: string; line: number; count: number }[];
  releases: [string, { count: number; first?: number }][];
  tokens: [number, string[]][];
  firstLength: number;
  capped: boolean;
  exceptionType: string;
  exceptionMessage: string | undefined;
  message: string;
  samples: Kept[];
}

class Cluster {
  count = 0;
  first?: number;
  last?: number;
  readonly minutes = new Map<number, number>();
  readonly users: BoundedCounter;
  readonly endpoints: BoundedCounter;
  readonly services: BoundedCounter;
  readonly versions: BoundedCounter;
  readonly frames: BoundedCounter;
  /** file → line → events: nested so that counting a frame builds no key string. */
  readonly lines = new Map<string, Map<number, { file: string; line: number; count: number }>>();
  private lineEntries = 0;
  private lastNormalized = '';
  /** The first event, and the others of smallest (hash, place): the same whatever order parts are read in. */
  private firstSample: Kept | undefined;
  private readonly kept: Kept[] = [];
  /** Events and first sighting per release (`version` field), at most 100 releases. */
  readonly releases = new Map<string, { count: number; first?: number }>();
  /**
   * Token-wise merge of the normalised messages, per token count (positions that differ become <*>): the
   * template is the one of the first message's length; the others let parts read apart merge exactly.
   */
  private readonly tokensByLength = new Map<number, string[]>();
  private firstLength = -1;
  /** A table hit its cap (minutes, lines, releases, lengths): this cluster cannot be merged exactly. */
  capped = false;
  exceptionType = '';
  exceptionMessage: string | undefined;
  message = '';

  constructor(
    readonly key: string,
    public fingerprint: Fingerprint | undefined,
    readonly drainId: number | undefined,
    maxDistinct: number,
    private readonly maxSamples: number,
  ) {
    this.users = new BoundedCounter(maxDistinct);
    this.endpoints = new BoundedCounter(maxDistinct);
    this.services = new BoundedCounter(100);
    this.versions = new BoundedCounter(100);
    this.frames = new BoundedCounter(500);
  }

  get templateTokens(): string[] | undefined {
    return this.tokensByLength.get(this.firstLength);
  }

  get samples(): LogRecord[] {
    const rest = [...this.kept].sort((a, b) => a.seq - b.seq).map((k) => k.r);
    return this.firstSample ? [this.firstSample.r, ...rest] : rest;
  }

  add(r: LogRecord, normalized: string, seq: number): void {
    this.count++;
    if (this.count === 1) {
      this.exceptionType = exceptionTypeOf(r);
      this.exceptionMessage = exceptionMessageOf(r);
      this.message = r.message;
    }
    if (r.timestamp !== undefined) {
      if (this.first === undefined || r.timestamp < this.first) this.first = r.timestamp;
      if (this.last === undefined || r.timestamp > this.last) this.last = r.timestamp;
      const m = Math.floor(r.timestamp / MINUTE);
      const n = this.minutes.get(m);
      if (n !== undefined) this.minutes.set(m, n + 1);
      else if (this.minutes.size < 200_000) this.minutes.set(m, 1);
      else this.capped = true;
    }
    this.users.add(r.userId);
    this.endpoints.add(r.endpoint);
    this.services.add(r.service);
    this.versions.add(r.version);
    if (r.version) {
      let rel = this.releases.get(r.version);
      if (!rel) {
        if (this.releases.size < 100) this.releases.set(r.version, (rel = { count: 0 }));
        else this.capped = true;
      }
      if (rel) {
        rel.count++;
        if (r.timestamp !== undefined && (rel.first === undefined || r.timestamp < rel.first)) rel.first = r.timestamp;
      }
    }
    if (normalized !== this.lastNormalized) {
      this.lastNormalized = normalized;
      this.mergeTokens(normalized.split(' '));
    }
    const chain = r.exception?.chain;
    if (chain) {
      // Each in-app frame key and each (file, line) once per event.
      const keys = new Set<string>();
      const seen: { file: string; line: number; count: number }[] = [];
      for (const e of chain) {
        for (const f of e.frames) {
          if (!isInAppFrame(f)) continue;
          keys.add(frameKey(f));
          if (f.line === undefined) continue;
          const entry = this.lineEntry(f.file, f.line);
          if (entry && !seen.includes(entry)) seen.push(entry);
        }
      }
      for (const entry of seen) entry.count++;
      for (const k of keys) this.frames.add(k);
    }
    this.sample(r, seq);
  }

  private lineEntry(file: string, line: number): { file: string; line: number; count: number } | undefined {
    let byLine = this.lines.get(file);
    if (!byLine) {
      if (this.lineEntries >= 2000) return void (this.capped = true);
      this.lines.set(file, (byLine = new Map()));
    }
    let entry = byLine.get(line);
    if (!entry) {
      if (this.lineEntries >= 2000) return void (this.capped = true);
      this.lineEntries++;
      byLine.set(line, (entry = { file, line, count: 0 }));
    }
    return entry;
  }

  private mergeTokens(tokens: string[]): void {
    if (this.firstLength < 0) this.firstLength = tokens.length;
    const t = this.tokensByLength.get(tokens.length);
    if (!t) {
      if (this.tokensByLength.size < 64) this.tokensByLength.set(tokens.length, tokens);
      else this.capped = true;
    } else for (let i = 0; i < tokens.length; i++) if (t[i] !== tokens[i]) t[i] = WILDCARD;
  }

  private sample(r: LogRecord, seq: number): void {
    const h = sampleHash(r);
    if (!this.firstSample) this.firstSample = { r, seq, h };
    // (events come in order, so a later one replaces the worst kept only by a smaller hash)
    else if (this.kept.length < this.maxSamples - 1 || h < (this.kept[this.worst]?.h ?? -1)) this.keep({ r, seq, h });
  }

  /** Index of the kept sample that goes first when a better one comes. */
  private worst = 0;

  private keep(k: Kept): void {
    if (this.kept.length < this.maxSamples - 1) this.kept.push(k);
    else if (this.kept.length > 0 && keptBefore(k, this.kept[this.worst]!)) this.kept[this.worst] = k;
    else return;
    let worst = 0;
    for (let i = 1; i < this.kept.length; i++) if (keptBefore(this.kept[worst]!, this.kept[i]!)) worst = i;
    this.worst = worst;
  }

  export(): ClusterExport {
    return {
      count: this.count,
      first: this.first,
      last: this.last,
      minutes: [...this.minutes],
      counters: [this.users.export(), this.endpoints.export(), this.services.export(), this.versions.export(), this.frames.export()],
      lines: [...this.lines.values()].flatMap((m) => [...m.values()]),
      releases: [...this.releases],
      tokens: [...this.tokensByLength],
      firstLength: this.firstLength,
      capped: this.capped,
      exceptionType: this.exceptionType,
      exceptionMessage: this.exceptionMessage,
      message: this.message,
      samples: this.firstSample ? [this.firstSample, ...this.kept] : [],
    };
  }

  /**
   * Adds the state of the same cluster (or a part of it) read from a later part of the input: `seq` and `line`
   * are what came before that part (events, and lines of its file). Throws NotMergeable when a capped table
   * would make the result differ from one read of the whole input.
   */
  absorb(s: ClusterExport, seq: number, line: number): void {
    if (s.capped || this.capped) throw new NotMergeable('a cluster table is full');
    if (this.count === 0) {
      this.exceptionType = s.exceptionType;
      this.exceptionMessage = s.exceptionMessage;
      this.message = s.message;
      this.firstLength = s.firstLength;
    }
    this.count += s.count;
    if (s.first !== undefined && (this.first === undefined || s.first < this.first)) this.first = s.first;
    if (s.last !== undefined && (this.last === undefined || s.last > this.last)) this.last = s.last;
    for (const [m, n] of s.minutes) this.minutes.set(m, (this.minutes.get(m) ?? 0) + n);
    const counters = [this.users, this.endpoints, this.services, this.versions, this.frames];
    s.counters.forEach(([entries, other], i) => counters[i]!.merge(entries, other));
    for (const e of s.lines) {
      const entry = this.lineEntry(e.file, e.line);
      if (entry) entry.count += e.count;
    }
    for (const [name, rel] of s.releases) {
      const into = this.releases.get(name);
      if (!into) this.releases.set(name, { ...rel });
      else {
        into.count += rel.count;
        if (rel.first !== undefined && (into.first === undefined || rel.first < into.first)) into.first = rel.first;
      }
    }
    for (const [length, tokens] of s.tokens) {
      const t = this.tokensByLength.get(length);
      if (!t) this.tokensByLength.set(length, tokens);
      else for (let i = 0; i < tokens.length; i++) if (t[i] !== tokens[i]) t[i] = WILDCARD;
    }
    if (this.minutes.size > 200_000 || this.releases.size > 100 || this.tokensByLength.size > 64) this.capped = true;
    this.lastNormalized = '';
    for (const k of s.samples) {
      k.seq += seq;
      k.r.line += line;
      if (!this.firstSample) this.firstSample = k;
      else this.keep(k);
    }
    if (this.capped) throw new NotMergeable('a cluster table is full');
  }
}

function iso(t: number | undefined): string | undefined {
  return t === undefined ? undefined : new Date(t).toISOString();
}

function reportFrame(f: StackFrame): ReportFrame {
  return { file: f.file, ...(f.line !== undefined ? { line: f.line } : {}), function: f.function, inApp: isInAppFrame(f), ...(f.source ? { source: f.source.slice(0, 300) } : {}) };
}

function reportChain(chain: ParsedException[] | undefined): ReportException[] {
  return (chain ?? []).map((e) => ({
    type: e.type || (e.truncated ? 'Truncated traceback' : ''),
    message: e.message.slice(0, 2000),
    frames: e.frames.slice(-200).map(reportFrame),
    ...(e.linkToNext ? { linkToNext: e.linkToNext } : {}),
    ...(e.truncated ? { truncated: true } : {}),
  }));
}

function sampleOf(r: LogRecord): ReportSample {
  const s: ReportSample = { source: r.source, line: r.line, message: r.message.slice(0, 2000) };
  const t = iso(r.timestamp);
  if (t) s.timestamp = t;
  const et = exceptionTypeOf(r);
  if (et) s.exceptionType = et;
  const em = exceptionMessageOf(r);
  if (em !== undefined) s.exceptionMessage = em.slice(0, 2000);
  for (const k of ['userId', 'endpoint', 'service', 'version', 'requestId', 'traceId', 'spanId'] as const) if (r[k] !== undefined) s[k] = r[k];
  if (r.exception) s.chain = reportChain(r.exception.chain);
  return s;
}

/**
 * The text an event without an exception is grouped by: its message, and the error's text when the line
 * carries one apart (Go's loggers: `"msg": "charge failed", "error": "order 7: card declined"`), joined as Go
 * wraps errors. Two errors logged by one call are two problems: a declined card is not a deadline.
 */
export function withErrorText(r: LogRecord): string {
  const e = r.exceptionMessage;
  if (e === undefined || e === '') return r.message;
  return r.message === '' ? e : `${r.message}: ${e}`;
}

export class ErrorAnalyzer {
  private readonly clusters = new Map<string, Cluster>();
  private readonly drain: Drain;
  private readonly drainCache = new Map<string, DrainCluster>();
  private readonly drainKeys: string[] = [];
  private readonly maxDistinct: number;
  private readonly samplesPerCluster: number;
  private events = 0;
  private first?: number;
  private last?: number;
  /** Error events per release; the traffic (all records) comes from the reader, see `report`. */
  private readonly releaseErrors = new Map<string, { errors: number; first?: number }>();
  private releasesCapped = false;
  /** Message-only units of a partial analyzer: key → normalised message. */
  private readonly partialMessages = new Map<string, string>();
  private readonly partialKeys = new Map<string, string>();

  constructor(private readonly options: AnalyzerOptions = {}) {
    this.drain = new Drain({ ...options.drain, premasked: true });
    this.maxDistinct = options.maxDistinct ?? 1000;
    this.samplesPerCluster = options.samplesPerCluster ?? 5;
  }

  /**
   * Adds a record; records that are not errors are ignored. Returns the cluster key (see `fingerprintOfKey`).
   * `shape`: of its message, when the reader knows it (ReaderContext `onRecord`).
   */
  add(r: LogRecord, shape?: MessageShape): string | undefined {
    if (!isErrorRecord(r)) return undefined;
    const seq = this.events++;
    if (r.version !== undefined) this.countRelease(r);
    if (r.timestamp !== undefined) {
      if (this.first === undefined || r.timestamp < this.first) this.first = r.timestamp;
      if (this.last === undefined || r.timestamp > this.last) this.last = r.timestamp;
    }
    const primary = primaryException(r);
    const messageText = primary ? primary.message : r.exceptionType ? (r.exceptionMessage ?? r.message) : withErrorText(r);
    // (the reader knows the shape of the record's message: see logs/jsonScan.ts)
    const normalized = shape !== undefined && messageText === r.message ? normalizeShaped(messageText, shape) : normalizeMessage(messageText);
    let drainId: number | undefined;
    let fp: Fingerprint | undefined;
    let key: string;
    const rules = this.options.groupingRules ?? NO_RULES;
    const subject = rules.length
      ? {
          exceptionType: exceptionTypeOf(r),
          message: messageText,
          frames: (r.exception?.chain ?? []).flatMap((e) => e.frames.map((f) => `${f.file}:${f.function}`)),
          service: r.service,
          endpoint: r.endpoint,
        }
      : undefined;
    const merge = subject ? rules.find((x) => x.action === 'merge' && ruleMatches(x, subject)) : undefined;
    if (merge) {
      fp = make('rule', [`merged by grouping rule "${merge.name}" (errors.groupingRules[${merge.index}])`]);
      key = fp.hash;
    } else {
      if (!r.exception && !r.exceptionType && this.options.partial) {
        // (one key string per message: a fresh one per event would be hashed again by every lookup)
        let k = this.partialKeys.get(normalized);
        if (k === undefined) {
          // (one read of the whole input would have cleared Drain's cache by then: not mergeable exactly)
          if (this.partialKeys.size >= 100_000) throw new NotMergeable('too many distinct messages');
          this.partialKeys.set(normalized, (k = `\u0000${normalized}`));
          this.partialMessages.set(k, normalized);
        }
        key = k;
      } else if (!r.exception && !r.exceptionType) {
        // The same normalised message meets the same template: Drain's tree is walked once per shape.
        let cluster = this.drainCache.get(normalized);
        if (cluster) cluster.size++;
        else {
          cluster = this.drain.add(normalized);
          if (this.drainCache.size >= 100_000) this.drainCache.clear();
          this.drainCache.set(normalized, cluster);
        }
        drainId = cluster.id;
        // (one key string per template: a fresh one per event would be hashed again by every lookup)
        key = this.drainKeys[drainId] ??= `drain:${drainId}`;
      } else {
        fp = fingerprintOf(r, () => normalized);
        key = fp.hash;
      }
      const splits = subject ? rules.filter((x) => x.action === 'split' && ruleMatches(x, subject)) : NO_RULES;
      for (const s of splits) {
        const value =
          s.by === 'message'
            ? normalized
            : s.by === 'lines'
              ? (r.exception?.chain ?? []).flatMap((e) => e.frames.filter(isInAppFrame).map((f) => `${f.function}@${f.line ?? '?'}`)).join(',')
              : (r[s.by] ?? '(none)');
        key += `\n${s.name}=${value}`;
        const part = `split by grouping rule "${s.name}" on ${s.by}: ${value}`;
        fp = fp ? make(fp.kind, [...fp.components, part]) : undefined;
        if (drainId !== undefined) (this.splitParts.get(key) ?? this.splitParts.set(key, []).get(key)!).push(part);
      }
    }
    let c = this.clusters.get(key);
    if (!c) {
      c = new Cluster(key, fp, drainId, this.maxDistinct, this.samplesPerCluster);
      this.clusters.set(key, c);
    }
    c.add(r, normalized, seq);
    return key;
  }

  /** This analyzer's state, for `absorb` on another thread (a `partial` analyzer without grouping rules). */
  exportState(): AnalyzerExport {
    return {
      events: this.events,
      first: this.first,
      last: this.last,
      releaseErrors: [...this.releaseErrors],
      capped: this.releasesCapped,
      units: [...this.clusters.values()].map((c) => ({
        key: c.key,
        ...(c.fingerprint ? { fingerprint: c.fingerprint } : {}),
        ...(this.partialMessages.has(c.key) ? { normalized: this.partialMessages.get(c.key)! } : {}),
        state: c.export(),
      })),
    };
  }

  /**
   * Adds the state of a part of the input that follows everything added so far (parts in input order), as if
   * its records had been added here: `lines` is the count of lines of the same file before the part. Throws
   * NotMergeable when a capped table (or the miner's cache) would make the result differ from one read.
   */
  absorb(s: AnalyzerExport, lines: number): void {
    if (s.capped || this.releasesCapped) throw new NotMergeable('the release table is full');
    const seq = this.events;
    this.events += s.events;
    if (s.first !== undefined && (this.first === undefined || s.first < this.first)) this.first = s.first;
    if (s.last !== undefined && (this.last === undefined || s.last > this.last)) this.last = s.last;
    for (const [name, rel] of s.releaseErrors) {
      const into = this.releaseErrors.get(name);
      if (!into) {
        if (this.releaseErrors.size >= 1000) throw new NotMergeable('the release table is full');
        this.releaseErrors.set(name, { ...rel });
      } else {
        into.errors += rel.errors;
        if (rel.first !== undefined && (into.first === undefined || rel.first < into.first)) into.first = rel.first;
      }
    }
    for (const u of s.units) {
      let key = u.key;
      let drainId: number | undefined;
      if (u.normalized !== undefined) {
        // Drain sees each normalised message once, at its first event, as add() does through its cache.
        let cluster = this.drainCache.get(u.normalized);
        if (cluster) cluster.size += u.state.count;
        else {
          if (this.drainCache.size >= 100_000) throw new NotMergeable('too many distinct messages');
          cluster = this.drain.add(u.normalized);
          cluster.size += u.state.count - 1;
          this.drainCache.set(u.normalized, cluster);
        }
        drainId = cluster.id;
        key = this.drainKeys[drainId] ??= `drain:${drainId}`;
      }
      let c = this.clusters.get(key);
      if (!c) {
        c = new Cluster(key, u.fingerprint, drainId, this.maxDistinct, this.samplesPerCluster);
        this.clusters.set(key, c);
      }
      c.absorb(u.state, seq, lines);
    }
  }

  private countRelease(r: LogRecord): void {
    let rel = this.releaseErrors.get(r.version!);
    if (!rel) {
      if (this.releaseErrors.size >= 1000) return void (this.releasesCapped = true);
      this.releaseErrors.set(r.version!, (rel = { errors: 0 }));
    }
    rel.errors++;
    if (r.timestamp !== undefined && (rel.first === undefined || r.timestamp < rel.first)) rel.first = r.timestamp;
  }

  /**
   * Releases seen in the logs, in the order they started: every record's release from the reader
   * (`traffic`, see ReaderContext.releases), with this analyzer's error counts.
   */
  logReleases(traffic?: ReadonlyMap<string, { records: number; first?: number }>): LogRelease[] {
    const names = new Set([...(traffic?.keys() ?? []), ...this.releaseErrors.keys()]);
    return orderReleases(
      [...names].map((name) => {
        const t = traffic?.get(name);
        const e = this.releaseErrors.get(name);
        const errors = e?.errors ?? 0;
        const first = t?.first !== undefined && e?.first !== undefined ? Math.min(t.first, e.first) : (t?.first ?? e?.first);
        return { name, records: Math.max(t?.records ?? 0, errors), errors, ...(first !== undefined ? { firstSeen: iso(first)! } : {}) };
      }),
    );
  }

  private readonly finalFingerprints = new Map<string, string>();

  /** After `report()`: the fingerprint of the cluster an `add` key ended in (message clusters are named late). */
  fingerprintOfKey(key: string): string | undefined {
    return this.finalFingerprints.get(key);
  }

  private readonly splitParts = new Map<string, string[]>();

  /**
   * `timeRange` is the span of the whole log (all records): rates and spikes are measured over it, so a burst
   * after a quiet hour stands out even when the quiet hour had no errors.
   */
  report(extra: {
    lines: number;
    records: number;
    sources: string[];
    skipped: SkipSummary[];
    fieldMapping: FieldMapping;
    problems?: string[];
    timeRange?: { first: number; last: number };
    /** Records per release of everything read (ReaderContext.releases); without it, error events only. */
    releases?: ReadonlyMap<string, { records: number; first?: number }>;
  }): ErrorReport {
    const clusters: ClusterSummary[] = [];
    let range = this.first !== undefined && this.last !== undefined ? { first: this.first, last: this.last } : undefined;
    if (range && extra.timeRange) range = { first: Math.min(range.first, extra.timeRange.first), last: Math.max(range.last, extra.timeRange.last) };
    const merged = new Map<string, ClusterSummary>();
    const logReleases = this.logReleases(extra.releases);
    for (const c of this.clusters.values()) {
      let fp = c.fingerprint;
      let template = c.templateTokens ? c.templateTokens.join(' ') : '';
      if (c.drainId !== undefined) {
        // Message-only clusters are named by their final Drain template, which is stable once mined.
        const dc = this.drain.clusters[c.drainId - 1]!;
        template = Drain.template(dc);
        fp = make('message', [`message template "${template}"`, 'no exception in the event', ...(this.splitParts.get(c.key) ?? [])]);
      }
      fp ??= make('message', ['(none)']);
      const sample0 = c.samples[0]!;
      const primary = primaryException(sample0);
      const cat = categorise({ exceptionType: c.exceptionType || undefined, exceptionMessage: c.exceptionMessage, message: c.message }, this.options.categoryRules);
      const chain = reportChain(sample0.exception?.chain);
      const summary: ClusterSummary = {
        id: fp.hash.slice(0, 12),
        fingerprint: fp.hash,
        kind: fp.kind,
        reason: fp.components,
        count: c.count,
        category: cat.category,
        hypothesis: cat.hypothesis,
        actionItems: cat.actionItems,
        exceptionType: c.exceptionType,
        template: template || normalizeMessage(c.message),
        ...(c.first !== undefined ? { firstSeen: iso(c.first)! } : {}),
        ...(c.last !== undefined ? { lastSeen: iso(c.last)! } : {}),
        frames: primary ? primary.frames.slice(-200).map(reportFrame) : [],
        chain,
        users: c.users.top(10),
        endpoints: c.endpoints.top(10),
        services: c.services.top(10),
        versions: c.versions.top(10),
        distinctUsers: c.users.distinct,
        distinctEndpoints: c.endpoints.distinct,
        frameFrequency: c.frames.top(50),
        lines: [...c.lines.values()].flatMap((m) => [...m.values()]).sort((a, b) => b.count - a.count).slice(0, 200),
        samples: c.samples.map(sampleOf),
        patterns: [],
        releases: [],
        status: 'ongoing',
      };
      summary.timeline = timeline(c.minutes, range);
      summary.patterns = clusterPatterns(summary, c.minutes, range);
      const releases: ClusterRelease[] = orderReleases([...c.releases].map(([name, rel]) => ({ name, count: rel.count, ...(rel.first !== undefined ? { firstSeen: iso(rel.first)! } : {}) })));
      summary.releases = releases;
      summary.status = releaseStatus(releases, logReleases);
      this.finalFingerprints.set(c.key, summary.fingerprint);
      // Two Drain clusters can end on the same template (rare); report them as one.
      const same = merged.get(summary.fingerprint);
      if (same) {
        same.count += summary.count;
        for (const r of summary.releases) {
          const into = same.releases.find((x) => x.name === r.name);
          if (!into) same.releases.push(r);
          else {
            into.count += r.count;
            if (r.firstSeen && (!into.firstSeen || r.firstSeen < into.firstSeen)) into.firstSeen = r.firstSeen;
          }
        }
        same.releases = orderReleases(same.releases);
        same.status = releaseStatus(same.releases, logReleases);
        continue;
      }
      merged.set(summary.fingerprint, summary);
      clusters.push(summary);
    }
    clusters.sort((a, b) => b.count - a.count || compareCodeUnits(a.firstSeen ?? '', b.firstSeen ?? '') || compareCodeUnits(a.id, b.id));
    return {
      events: this.events,
      lines: extra.lines,
      records: extra.records,
      sources: extra.sources,
      skipped: extra.skipped,
      fieldMapping: extra.fieldMapping,
      ...(range ? { firstSeen: iso(range.first)!, lastSeen: iso(range.last)! } : {}),
      releases: logReleases,
      clusters,
      patterns: correlatedClusters(clusters),
      problems: extra.problems ?? [],
    };
  }
}

/** Counts per bucket over the whole log's time range, at most ~240 buckets (1 min, 5 min, 15 min, 1 h, …). */
export function timeline(minutes: Map<number, number>, range: { first: number; last: number } | undefined): ClusterSummary['timeline'] {
  if (!range || minutes.size === 0) return undefined;
  const startMin = Math.floor(range.first / MINUTE);
  const endMin = Math.floor(range.last / MINUTE);
  const span = endMin - startMin + 1;
  const steps = [1, 5, 15, 30, 60, 180, 360, 720, 1440, 10080];
  const step = steps.find((s) => span / s <= 240) ?? Math.ceil(span / 240);
  const counts = new Array<number>(Math.ceil(span / step)).fill(0);
  for (const [m, n] of minutes) {
    const i = Math.floor((m - startMin) / step);
    if (i >= 0 && i < counts.length) counts[i]! += n;
  }
  return { start: startMin * MINUTE, bucketMs: step * MINUTE, counts };
}
