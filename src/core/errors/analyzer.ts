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
import { normalizeMessage } from './normalize';
import { clusterPatterns, correlatedClusters } from './patterns';
import { ruleMatches, type CompiledRule } from './rules';
import { orderReleases, releaseStatus, type ClusterRelease, type LogRelease } from './releases';

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
}

/** Counts values, keeping at most `max` distinct ones; the rest go to `other`. */
export class BoundedCounter {
  readonly counts = new Map<string, number>();
  other = 0;
  constructor(private readonly max: number) {}

  add(v: string | undefined): void {
    if (v === undefined || v === '') return;
    const c = this.counts.get(v);
    if (c !== undefined) this.counts.set(v, c + 1);
    else if (this.counts.size < this.max) this.counts.set(v, 1);
    else this.other++;
  }

  top(n: number): Count[] {
    return [...this.counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n).map(([value, count]) => ({ value, count }));
  }

  get distinct(): number {
    return this.counts.size + (this.other > 0 ? 1 : 0);
  }
}

const MINUTE = 60_000;

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
  readonly samples: LogRecord[] = [];
  /** Events and first sighting per release (`version` field), at most 100 releases. */
  readonly releases = new Map<string, { count: number; first?: number }>();
  readonly messageTemplates = new BoundedCounter(50);
  templateTokens: string[] | undefined;
  exceptionType = '';
  exceptionMessage: string | undefined;
  message = '';
  private seen = 0;
  private rng = 0x2545f491;

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

  add(r: LogRecord, normalized: string): void {
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
      if (this.minutes.has(m) || this.minutes.size < 200_000) this.minutes.set(m, (this.minutes.get(m) ?? 0) + 1);
    }
    this.users.add(r.userId);
    this.endpoints.add(r.endpoint);
    this.services.add(r.service);
    this.versions.add(r.version);
    if (r.version) {
      let rel = this.releases.get(r.version);
      if (!rel && this.releases.size < 100) this.releases.set(r.version, (rel = { count: 0 }));
      if (rel) {
        rel.count++;
        if (r.timestamp !== undefined && (rel.first === undefined || r.timestamp < rel.first)) rel.first = r.timestamp;
      }
    }
    // Template: token-wise merge of the normalised messages (positions that differ become <*>).
    if (normalized !== this.lastNormalized) {
      this.lastNormalized = normalized;
      const tokens = normalized.split(' ');
      if (!this.templateTokens) this.templateTokens = tokens;
      else if (this.templateTokens.length === tokens.length) {
        for (let i = 0; i < tokens.length; i++) if (this.templateTokens[i] !== tokens[i]) this.templateTokens[i] = WILDCARD;
      } else this.messageTemplates.add(normalized);
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
          let byLine = this.lines.get(f.file);
          if (!byLine) {
            if (this.lineEntries >= 2000) continue;
            this.lines.set(f.file, (byLine = new Map()));
          }
          let entry = byLine.get(f.line);
          if (!entry) {
            if (this.lineEntries >= 2000) continue;
            this.lineEntries++;
            byLine.set(f.line, (entry = { file: f.file, line: f.line, count: 0 }));
          }
          if (!seen.includes(entry)) seen.push(entry);
        }
      }
      for (const entry of seen) entry.count++;
      for (const k of keys) this.frames.add(k);
    }
    this.sample(r);
  }

  /** The first event, then a reservoir (deterministic) over the rest. */
  private sample(r: LogRecord): void {
    this.seen++;
    if (this.samples.length < this.maxSamples) {
      this.samples.push(r);
      return;
    }
    this.rng = (Math.imul(this.rng, 1103515245) + 12345) >>> 0;
    const j = 1 + (this.rng % Math.max(1, this.seen - 1));
    if (j < this.maxSamples) this.samples[j] = r;
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

  constructor(private readonly options: AnalyzerOptions = {}) {
    this.drain = new Drain({ ...options.drain, premasked: true });
    this.maxDistinct = options.maxDistinct ?? 1000;
    this.samplesPerCluster = options.samplesPerCluster ?? 5;
  }

  /** Adds a record; records that are not errors are ignored. Returns the cluster key (see `fingerprintOfKey`). */
  add(r: LogRecord): string | undefined {
    if (!isErrorRecord(r)) return undefined;
    this.events++;
    if (r.version !== undefined) this.countRelease(r);
    if (r.timestamp !== undefined) {
      if (this.first === undefined || r.timestamp < this.first) this.first = r.timestamp;
      if (this.last === undefined || r.timestamp > this.last) this.last = r.timestamp;
    }
    const primary = primaryException(r);
    const messageText = primary ? primary.message : r.exceptionType ? (r.exceptionMessage ?? r.message) : r.message;
    const normalized = normalizeMessage(messageText);
    let drainId: number | undefined;
    let fp: Fingerprint | undefined;
    let key: string;
    const rules = this.options.groupingRules ?? [];
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
      if (!r.exception && !r.exceptionType) {
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
      const splits = subject ? rules.filter((x) => x.action === 'split' && ruleMatches(x, subject)) : [];
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
    c.add(r, normalized);
    return key;
  }

  private countRelease(r: LogRecord): void {
    let rel = this.releaseErrors.get(r.version!);
    if (!rel) {
      if (this.releaseErrors.size >= 1000) return;
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
    clusters.sort((a, b) => b.count - a.count || (a.firstSeen ?? '').localeCompare(b.firstSeen ?? '') || a.id.localeCompare(b.id));
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
