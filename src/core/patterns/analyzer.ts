/**
 * Log patterns of a whole log in bounded memory: each record's message goes to the miner (one signature per
 * distinct masked message, ./miner.ts) and its time, level, service and release are counted against that
 * signature; `report` groups the signatures into patterns and sums them. Memory follows the number of
 * signatures (capped), never the number of lines.
 *
 * What is new: a pattern is new when it was first seen at or after the cut-off (a time, or a deploy: the
 * first record of the latest release seen in the release/version field, or an incident's timeline event).
 * A pattern's rate "jumped" when its rate per minute after the cut-off is at least `JUMP_FACTOR` times its
 * rate before (with at least `JUMP_MIN_AFTER` lines after, and a pattern seen before the cut-off).
 */
import { fnv1a64 } from '../errors/hash';
import { timeline } from '../errors/analyzer';
import type { SkipSummary } from '../logs/skips';
import { matcherOf, type PatternMatcher } from './matcher';
import { detach, TemplateMiner, VARIABLE, type MinerOptions } from './miner';
import type { PatternRecord } from './reader';
import type { CompiledPatternRule } from './rules';
import { compareCodeUnits, topCounts } from '../util/order';

export const JUMP_FACTOR = 3;
export const JUMP_MIN_AFTER = 5;
const MINUTE = 60_000;
const MAX_MINUTES_PER_SIGNATURE = 20_000;

export interface PatternSample {
  source: string;
  line: number;
  message: string;
  timestamp?: string;
  level?: string;
  service?: string;
}

export interface PatternCount {
  value: string;
  count: number;
}

export interface PatternSummary {
  /** Stable for a template: `p` and 10 hex digits of its hash. */
  id: string;
  template: string;
  count: number;
  /** count / all records. */
  share: number;
  firstSeen?: string;
  lastSeen?: string;
  /** Records per level (`NONE` for records without a level). */
  levels: Record<string, number>;
  samples: PatternSample[];
  services: PatternCount[];
  versions: PatternCount[];
  timeline?: { start: number; bucketMs: number; counts: number[] };
  matcher: PatternMatcher;
  /** Distinct masked messages in the pattern. */
  signatures: number;
  /** First seen at or after the cut-off. */
  isNew: boolean;
  /** Rate per minute before and after the cut-off, and their ratio (Infinity when new). */
  change?: { before: number; after: number; ratio: number; jumped: boolean };
  /** The split/merge rule that shaped it. */
  rule?: string;
}

export interface DeployMarker {
  at: string;
  /** Where it came from: the release field, an incident event, or a time the user gave. */
  kind: 'release' | 'event' | 'time';
  label: string;
}

export interface PatternReport {
  lines: number;
  records: number;
  sources: string[];
  skipped: SkipSummary[];
  firstSeen?: string;
  lastSeen?: string;
  patterns: PatternSummary[];
  /** Distinct masked messages kept, and the cap; `capped` lines were placed on the closest kept one. */
  signatures: number;
  maxSignatures: number;
  capped: number;
  /** The cut-off "what is new" was computed against, if any. */
  cutoff?: DeployMarker;
  /** Releases seen (the release/version field), in order of first appearance. */
  releases: { version: string; firstSeen?: string; count: number }[];
  problems: string[];
}

/** A PatternAnalyzer's counts as plain data (see `exportState`). */
export interface AnalyzerState {
  keys: string[];
  counts: number[];
  capped: number;
  records: number;
  stats: ({ first: number; last: number; levels: [string, number][]; minutes: [number, number][]; samples: PatternRecord[]; services: [string, number][]; versions: [string, number][] } | null)[];
  releases: [string, number, number][];
}

export interface AnalyzerOptions extends MinerOptions {
  rules?: readonly CompiledPatternRule[];
  samplesPerPattern?: number;
}

interface SigStats {
  first: number;
  last: number;
  levels: Map<string, number> | undefined;
  level1: string | undefined;
  level1Count: number;
  minutes: Map<number, number> | undefined;
  lastMinute: number;
  lastMinuteCount: number;
  samples: PatternRecord[];
  services: Map<string, number> | undefined;
  versions: Map<string, number> | undefined;
}

function iso(t: number | undefined): string | undefined {
  return t === undefined || !Number.isFinite(t) ? undefined : new Date(t).toISOString();
}

function bump(map: Map<string, number>, key: string, max: number): void {
  const c = map.get(key);
  if (c !== undefined) map.set(key, c + 1);
  else if (map.size < max) map.set(detach(key), 1);
}

export class PatternAnalyzer {
  readonly miner: TemplateMiner;
  private readonly stats: SigStats[] = [];
  private readonly samplesPer: number;
  private records = 0;
  private first = Infinity;
  private last = -Infinity;
  private readonly releases = new Map<string, { first: number; count: number; order: number }>();

  constructor(private readonly options: AnalyzerOptions = {}) {
    this.miner = new TemplateMiner(options);
    this.samplesPer = options.samplesPerPattern ?? 3;
  }

  /** Counts a record; returns its signature (for `--assign`). */
  add(r: PatternRecord): number {
    this.records++;
    const sig = this.miner.add(r.message);
    let s = this.stats[sig];
    if (!s) {
      s = { first: Infinity, last: -Infinity, levels: undefined, level1: undefined, level1Count: 0, minutes: undefined, lastMinute: NaN, lastMinuteCount: 0, samples: [], services: undefined, versions: undefined };
      this.stats[sig] = s;
    }
    const level = r.level ?? 'NONE';
    if (s.level1 === undefined || s.level1 === level) {
      s.level1 = level;
      s.level1Count++;
    } else bump((s.levels ??= new Map()), level, 16);
    const t = r.timestamp;
    if (t !== undefined) {
      if (t < s.first) s.first = t;
      if (t > s.last) s.last = t;
      if (t < this.first) this.first = t;
      if (t > this.last) this.last = t;
      const m = Math.floor(t / MINUTE);
      if (m === s.lastMinute) s.lastMinuteCount++;
      else {
        this.flushMinute(s);
        s.lastMinute = m;
        s.lastMinuteCount = 1;
      }
    }
    if (r.service !== undefined) bump((s.services ??= new Map()), r.service, 20);
    if (r.version !== undefined) {
      bump((s.versions ??= new Map()), r.version, 20);
      const rel = this.releases.get(r.version);
      // (a new release's name is kept: detached from the chunk it was read from)
      if (rel) {
        rel.count++;
        if (t !== undefined && t < rel.first) rel.first = t;
      } else if (this.releases.size < 200) this.releases.set(detach(r.version), { first: t ?? Infinity, count: 1, order: this.releases.size });
    }
    if (s.samples.length < this.samplesPer) s.samples.push({ ...r, message: detach(r.message.length > 2000 ? r.message.slice(0, 2000) : r.message), source: r.source });
    return sig;
  }

  private flushMinute(s: SigStats): void {
    if (s.lastMinuteCount === 0 || Number.isNaN(s.lastMinute)) return;
    const minutes = (s.minutes ??= new Map());
    const c = minutes.get(s.lastMinute);
    if (c !== undefined) minutes.set(s.lastMinute, c + s.lastMinuteCount);
    else if (minutes.size < MAX_MINUTES_PER_SIGNATURE) minutes.set(s.lastMinute, s.lastMinuteCount);
    s.lastMinuteCount = 0;
  }

  /**
   * Everything counted so far as plain data (structured-clone safe), to be absorbed by another analyzer: the
   * part of a file read by a worker thread. Signatures travel as their masked keys.
   */
  exportState(): AnalyzerState {
    for (const s of this.stats) if (s) this.flushMinute(s);
    return {
      keys: this.miner.tokens.map((t) => t.join(' ')),
      counts: this.miner.counts.slice(),
      capped: this.miner.capped,
      records: this.records,
      stats: this.miner.tokens.map((_, i) => {
        const s = this.stats[i];
        if (!s) return null;
        const levels: [string, number][] = s.level1 !== undefined ? [[s.level1, s.level1Count]] : [];
        for (const e of s.levels ?? []) levels.push(e);
        return { first: s.first, last: s.last, levels, minutes: [...(s.minutes ?? [])], samples: s.samples, services: [...(s.services ?? [])], versions: [...(s.versions ?? [])] };
      }),
      releases: [...this.releases].map(([v, r]) => [v, r.first, r.count]),
    };
  }

  /**
   * Adds another analyzer's counts (see exportState), in input order: call it for the parts of the input in
   * the order they come. `lineOffset` is added to sample line numbers (the lines before that part).
   * Returns, for each of its signatures, the signature here.
   */
  absorb(state: AnalyzerState, lineOffset = 0): Int32Array {
    const map = new Int32Array(state.keys.length);
    this.records += state.records;
    this.miner.capped += state.capped;
    state.keys.forEach((key, i) => {
      const sig = this.miner.signatureOf(key === '' ? [] : key.split(' '));
      map[i] = sig;
      this.miner.counts[sig]! += state.counts[i]!;
      const o = state.stats[i];
      if (!o) return;
      let s = this.stats[sig];
      if (!s) {
        s = { first: Infinity, last: -Infinity, levels: undefined, level1: undefined, level1Count: 0, minutes: undefined, lastMinute: NaN, lastMinuteCount: 0, samples: [], services: undefined, versions: undefined };
        this.stats[sig] = s;
      }
      if (o.first < s.first) s.first = o.first;
      if (o.last > s.last) s.last = o.last;
      if (o.first < this.first) this.first = o.first;
      if (o.last > this.last) this.last = o.last;
      for (const [level, n] of o.levels) {
        if (s.level1 === undefined || s.level1 === level) {
          s.level1 = level;
          s.level1Count += n;
        } else {
          const m = (s.levels ??= new Map());
          m.set(level, (m.get(level) ?? 0) + n);
        }
      }
      if (o.minutes.length) {
        const m = (s.minutes ??= new Map());
        for (const [k, v] of o.minutes) if (m.has(k) || m.size < MAX_MINUTES_PER_SIGNATURE) m.set(k, (m.get(k) ?? 0) + v);
      }
      for (const [k, v] of o.services) {
        const m = (s.services ??= new Map());
        if (m.has(k) || m.size < 20) m.set(k, (m.get(k) ?? 0) + v);
      }
      for (const [k, v] of o.versions) {
        const m = (s.versions ??= new Map());
        if (m.has(k) || m.size < 20) m.set(k, (m.get(k) ?? 0) + v);
      }
      for (const r of o.samples) if (s.samples.length < this.samplesPer) s.samples.push({ ...r, line: r.line + lineOffset });
    });
    for (const [version, first, count] of state.releases) {
      const rel = this.releases.get(version);
      if (rel) {
        rel.count += count;
        if (first < rel.first) rel.first = first;
      } else if (this.releases.size < 200) this.releases.set(version, { first, count, order: this.releases.size });
    }
    return map;
  }

  /** The latest release's first record, when the log has more than one release. */
  deployMarker(): DeployMarker | undefined {
    if (this.releases.size < 2) return undefined;
    const byTime = [...this.releases].filter(([, r]) => Number.isFinite(r.first)).sort((a, b) => a[1].first - b[1].first || a[1].order - b[1].order);
    const latest = byTime[byTime.length - 1];
    if (!latest || byTime.length < 2) return undefined;
    return { at: iso(latest[1].first)!, kind: 'release', label: `release ${latest[0]}` };
  }

  /**
   * Patterns, biggest first. `cutoff`: what "new" and "jumped" are measured against (default: the deploy
   * marker from the release field, if any). Returns the signature → pattern index map too (`--assign`).
   */
  report(extra: { lines: number; sources: string[]; skipped: SkipSummary[]; problems?: string[]; cutoff?: DeployMarker | null }): { report: PatternReport; patternOfSignature: Int32Array } {
    for (const s of this.stats) if (s) this.flushMinute(s);
    const { patterns: mined, ofSignature } = this.miner.patterns();
    // Split and merge rules shape the mined groups.
    const rules = this.options.rules ?? [];
    type Group = { tokens: string[]; sigs: number[]; rule?: string };
    let groups: Group[] = mined.map((p) => ({ tokens: p.tokens, sigs: p.signatures }));
    if (rules.length) {
      const out: Group[] = [];
      const merged = new Map<number, Group>();
      for (const g of groups) {
        const text = g.tokens.join(' ');
        const rule = rules.find((r) => r.re.test(text));
        if (!rule) out.push(g);
        else if (rule.action === 'split') {
          for (const s of g.sigs) out.push({ tokens: this.miner.tokens[s]!.slice(), sigs: [s], rule: rule.name });
        } else {
          const m = merged.get(rule.index);
          if (!m) {
            const fresh: Group = { tokens: g.tokens.slice(), sigs: g.sigs.slice(), rule: rule.name };
            merged.set(rule.index, fresh);
            out.push(fresh);
          } else {
            m.sigs.push(...g.sigs);
            if (m.tokens.length !== g.tokens.length) m.tokens = [`${rule.name}:`, VARIABLE];
            else m.tokens = m.tokens.map((t, i) => (t === g.tokens[i] ? t : VARIABLE));
          }
        }
      }
      groups = out;
    }
    const patternOfSignature = new Int32Array(ofSignature.length).fill(-1);
    const cutoff = extra.cutoff === null ? undefined : (extra.cutoff ?? this.deployMarker());
    const cut = cutoff ? Date.parse(cutoff.at) : undefined;
    const range = Number.isFinite(this.first) ? { first: this.first, last: this.last } : undefined;
    const ids = new Set<string>();
    const summaries: { summary: PatternSummary; index: number }[] = [];
    groups.forEach((g, index) => {
      for (const s of g.sigs) patternOfSignature[s] = index;
      let count = 0;
      let first = Infinity;
      let last = -Infinity;
      const levels = new Map<string, number>();
      const services = new Map<string, number>();
      const versions = new Map<string, number>();
      const minutes = new Map<number, number>();
      const bySize = [...g.sigs].sort((a, b) => this.miner.counts[b]! - this.miner.counts[a]!);
      for (const sig of g.sigs) {
        const st = this.stats[sig];
        count += this.miner.counts[sig]!;
        if (!st) continue;
        if (st.first < first) first = st.first;
        if (st.last > last) last = st.last;
        if (st.level1 !== undefined) levels.set(st.level1, (levels.get(st.level1) ?? 0) + st.level1Count);
        for (const [k, v] of st.levels ?? []) levels.set(k, (levels.get(k) ?? 0) + v);
        for (const [k, v] of st.services ?? []) services.set(k, (services.get(k) ?? 0) + v);
        for (const [k, v] of st.versions ?? []) versions.set(k, (versions.get(k) ?? 0) + v);
        for (const [k, v] of st.minutes ?? []) minutes.set(k, (minutes.get(k) ?? 0) + v);
      }
      if (count === 0) return;
      // Samples: from the biggest signatures first, so they show the pattern's usual shape.
      const samples: PatternSample[] = [];
      for (const sig of bySize) {
        for (const r of this.stats[sig]?.samples ?? []) {
          if (samples.length >= this.samplesPer) break;
          samples.push({ source: r.source, line: r.line, message: r.message.slice(0, 2000), ...(r.timestamp !== undefined ? { timestamp: iso(r.timestamp)! } : {}), ...(r.level ? { level: r.level } : {}), ...(r.service ? { service: r.service } : {}) });
        }
        if (samples.length >= this.samplesPer) break;
      }
      const template = g.tokens.join(' ');
      let id = `p${fnv1a64(template).slice(0, 10)}`;
      for (let k = 2; ids.has(id); k++) id = `p${fnv1a64(`${template}#${k}`).slice(0, 10)}`;
      ids.add(id);
      const summary: PatternSummary = {
        id,
        template,
        count,
        share: this.records ? count / this.records : 0,
        ...(Number.isFinite(first) ? { firstSeen: iso(first)!, lastSeen: iso(last)! } : {}),
        levels: Object.fromEntries([...levels].sort((a, b) => b[1] - a[1])),
        samples,
        services: topCounts(services, 10),
        versions: topCounts(versions, 10),
        matcher: matcherOf(g.tokens),
        signatures: g.sigs.length,
        isNew: cut !== undefined && Number.isFinite(first) && first >= cut,
        ...(g.rule ? { rule: g.rule } : {}),
      };
      const tl = timeline(minutes, range);
      if (tl) summary.timeline = tl;
      if (cut !== undefined && range) summary.change = rateChange(minutes, range, cut, summary.isNew);
      summaries.push({ summary, index });
    });
    summaries.sort((a, b) => b.summary.count - a.summary.count || compareCodeUnits(a.summary.template, b.summary.template));
    // Pattern indices follow the sorted order, so `patternOfSignature` indexes `report.patterns`.
    const order = new Int32Array(groups.length).fill(-1);
    summaries.forEach((s, i) => (order[s.index] = i));
    for (let i = 0; i < patternOfSignature.length; i++) if (patternOfSignature[i]! >= 0) patternOfSignature[i] = order[patternOfSignature[i]!]!;
    const releases = [...this.releases].sort((a, b) => a[1].order - b[1].order).map(([version, r]) => ({ version, ...(Number.isFinite(r.first) ? { firstSeen: iso(r.first)! } : {}), count: r.count }));
    return {
      report: {
        lines: extra.lines,
        records: this.records,
        sources: extra.sources,
        skipped: extra.skipped,
        ...(range ? { firstSeen: iso(range.first)!, lastSeen: iso(range.last)! } : {}),
        patterns: summaries.map((s) => s.summary),
        signatures: this.miner.size,
        maxSignatures: this.miner.maxSignatures,
        capped: this.miner.capped,
        ...(cutoff ? { cutoff } : {}),
        releases,
        problems: extra.problems ?? [],
      },
      patternOfSignature,
    };
  }
}

/** Lines per minute before and after the cut-off (each side over its own part of the log's time range). */
export function rateChange(minutes: Map<number, number>, range: { first: number; last: number }, cut: number, isNew: boolean): NonNullable<PatternSummary['change']> {
  const cutMin = Math.floor(cut / MINUTE);
  let before = 0;
  let after = 0;
  for (const [m, c] of minutes) {
    if (m < cutMin) before += c;
    else after += c;
  }
  const beforeSpan = Math.max(1, cutMin - Math.floor(range.first / MINUTE));
  const afterSpan = Math.max(1, Math.floor(range.last / MINUTE) - cutMin + 1);
  const rb = before / beforeSpan;
  const ra = after / afterSpan;
  const ratio = rb === 0 ? (ra > 0 ? Infinity : 1) : ra / rb;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { before: round(rb), after: round(ra), ratio: Number.isFinite(ratio) ? round(ratio) : ratio, jumped: !isNew && before > 0 && after >= JUMP_MIN_AFTER && ratio >= JUMP_FACTOR };
}
