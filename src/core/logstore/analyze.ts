/**
 * Errors and patterns computed where the logs are (issue #20).
 *
 * Errors: the store filters the window down to error events (an error level, an exception field, a printed
 * traceback); only those lines travel, through the same reader and ErrorAnalyzer as files. A limit bounds
 * them and says when it cut (then the report is not exact).
 *
 * Patterns: the hits API gives the window's total; templates are mined on a bounded random sample the store
 * draws (`sample`/`limit` pipes); every line of the window is then tagged in the store with the first
 * template its message matches and counted by template, level and time bucket in one `stats` pass — the
 * counts, first/last times, levels and timelines shown are the store's exact figures. Lines no template
 * matches are sampled again (up to `rounds` times) and mined into more templates; what still matches none is
 * one exact "other" pattern. Only the samples (estimated: which lines are samples) are read here.
 */
import { ErrorAnalyzer, type AnalyzerOptions as ErrorAnalyzerOptions, type ErrorReport } from '../errors/analyzer';
import { fnv1a64 } from '../errors/hash';
import { FIELD_CANDIDATES, type FieldMapping } from '../logs/fieldMapping';
import { ReaderContext } from '../logs/reader';
import { PatternAnalyzer, type AnalyzerOptions as PatternAnalyzerOptions, type PatternReport, type PatternSummary } from '../patterns/analyzer';
import { matcherOf } from '../patterns/matcher';
import { VARIABLE } from '../patterns/miner';
import { PatternReaderContext } from '../patterns/reader';
import { LogStoreError, type LogStore, type MessageFilter, type TimeWindow } from './types';

/** What every report from a store carries (the CLI's `source` object). */
export interface StoreSourceInfo {
  kind: string;
  url: string;
  /** Lines of the window the store read for this report (its count of the filtered window). */
  linesScanned: number;
  bytesTransferred: number;
  /** Every count shown is the store's count over the whole window (no limit cut, no estimate). */
  exact: boolean;
}

export interface StoreProgress {
  phase: string;
  /** Lines received so far in this phase. */
  lines?: number;
  bytes: number;
}

export interface StoreRunOptions {
  window: TimeWindow;
  /** The store's filter for the service (LogsQL for VictoriaLogs). */
  query: string;
  fields?: FieldMapping;
  signal?: AbortSignal;
  onProgress?: (p: StoreProgress) => void;
  problems?: string[];
}

/** The mapping used for store records: `_msg` and `_time` are the store's message and time. */
export function storeFieldMapping(user: FieldMapping = {}): FieldMapping {
  return { message: '_msg', timestamp: '_time', ...user };
}

/** The store field that holds `field`: the user's mapping when given (it must exist), else the first candidate present. */
function pickField(names: Set<string>, field: 'level' | 'service' | 'version', user: FieldMapping): string | undefined {
  const mapped = user[field];
  if (mapped !== undefined) {
    if (!names.has(mapped)) throw new LogStoreError('mapping', `the field mapping says ${field} is "${mapped}", but no record of the store in this window has a field "${mapped}" (fields: ${[...names].slice(0, 30).join(', ')})`);
    return mapped;
  }
  return FIELD_CANDIDATES[field].find((c) => names.has(c));
}

/** Checks every mapped field against the store's field names (a typo would otherwise just find nothing). */
function checkMapping(names: Set<string>, user: FieldMapping): void {
  for (const [field, path] of Object.entries(user)) {
    if (path === '_msg' || path === '_time' || path === undefined) continue;
    if (!names.has(path) && ![...names].some((n) => n.startsWith(`${path}.`))) {
      throw new LogStoreError('mapping', `the field mapping says ${field} is "${path}", but no record of the store in this window has a field "${path}" (fields: ${[...names].slice(0, 30).join(', ')})`);
    }
  }
}

const ERROR_LEVEL_RE = '(?i)^(error|err|critical|crit|fatal|alert|emerg|emergency|severe|exception|panic)$';

/** LogsQL: the error events of the window (an error level, an exception field, a traceback in the message). */
export function errorFilter(names: Set<string>, user: FieldMapping): string {
  const parts: string[] = [];
  const level = pickField(names, 'level', user);
  if (level) parts.push(`${JSON.stringify(level)}:~${JSON.stringify(ERROR_LEVEL_RE)}`);
  const exceptionFields = new Set<string>();
  for (const f of ['stackTrace', 'exceptionType'] as const) {
    if (user[f]) exceptionFields.add(user[f]!);
    for (const c of FIELD_CANDIDATES[f]) if (names.has(c)) exceptionFields.add(c);
  }
  for (const f of exceptionFields) parts.push(`${JSON.stringify(f)}:*`);
  parts.push('_msg:"Traceback (most recent call last)"');
  return `(${parts.join(' OR ')})`;
}

export interface StoreErrorsResult {
  report: ErrorReport;
  source: StoreSourceInfo;
  /** The limit cut the error events (the first `limit` were analysed). */
  cut: boolean;
}

export async function errorsFromStore(store: LogStore, options: StoreRunOptions & ErrorAnalyzerOptions & { limit?: number }): Promise<StoreErrorsResult> {
  const user = options.fields ?? {};
  const names = new Set(await store.fieldNames(options.query, { window: options.window, signal: options.signal }));
  checkMapping(names, user);
  const limit = options.limit ?? 100_000;
  const analyzer = new ErrorAnalyzer(options);
  const ctx = new ReaderContext((r, shape) => analyzer.add(r, shape), { fields: storeFieldMapping(user), signal: options.signal });
  const query = `(${options.query.trim() || '*'}) ${errorFilter(names, user)}`;
  const { chunks, result } = store.query(query, {
    window: options.window,
    limit,
    signal: options.signal,
    onBytes: () => options.onProgress?.({ phase: 'error events', lines: ctx.stats.lines, bytes: store.bytesTransferred }),
  });
  const reader = ctx.source(store.url);
  for await (const chunk of chunks) reader.push(chunk);
  reader.end();
  const { lines, cut } = result();
  const problems = [...(options.problems ?? [])];
  if (cut) problems.push(`the store has more than ${limit} error events in the window: the first ${limit} were analysed (raise the limit or narrow the window)`);
  const report = analyzer.report({
    lines: ctx.stats.lines,
    records: ctx.stats.records,
    sources: [`${store.url} ${options.query}`],
    skipped: ctx.skips.summaries(),
    fieldMapping: ctx.fields.mapping(),
    problems,
    timeRange: { first: options.window.start, last: options.window.end - 1 },
  });
  return { report, cut, source: { kind: store.kind, url: store.url, linesScanned: lines, bytesTransferred: store.bytesTransferred, exact: !cut } };
}

export interface StorePatternsOptions extends StoreRunOptions, PatternAnalyzerOptions {
  /** Lines mined per round (default 20,000). */
  sampleSize?: number;
  /** Sampling rounds over the lines no template matches yet (default 3). */
  rounds?: number;
  /** Most templates counted in the store (default 400); beyond it the rest is one "other" pattern. */
  maxTemplates?: number;
  /** Timeline buckets over the window (default 60). */
  buckets?: number;
}

export interface StorePatternsResult {
  report: PatternReport;
  source: StoreSourceInfo;
  /** Lines mined (the samples), and how many rounds drew them. */
  sampled: number;
  rounds: number;
  /** Lines of the window no mined template matches (counted in the "other" pattern). */
  unmatched: number;
}

const NICE_STEPS = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400].map((s) => s * 1000);

/** A round bucket width giving at most `n` buckets over the window. */
export function bucketWidth(window: TimeWindow, n: number): number {
  const raw = (window.end - window.start) / n;
  return NICE_STEPS.find((s) => s >= raw) ?? Math.ceil(raw / 86_400_000) * 86_400_000;
}

/** Specific templates first: the store counts a line under the first template it matches. */
function specificity(template: string): number {
  return template.split(/\s+/).filter((t) => !t.includes('<')).reduce((n, t) => n + t.length, 0);
}

export const OTHER_TEMPLATE = VARIABLE;

export async function patternsFromStore(store: LogStore, options: StorePatternsOptions): Promise<StorePatternsResult> {
  const user = options.fields ?? {};
  const signal = options.signal;
  const window = options.window;
  const progress = (phase: string, lines?: number) => options.onProgress?.({ phase, ...(lines !== undefined ? { lines } : {}), bytes: store.bytesTransferred });
  const names = new Set(await store.fieldNames(options.query, { window, signal }));
  checkMapping(names, user);
  const levelField = pickField(names, 'level', user);
  // Only what the miner reads travels with the samples.
  const sampleFields = ['_msg', '_time', ...(['level', 'service', 'version'] as const).map((f) => (f === 'level' ? levelField : pickField(names, f, user))).filter((f): f is string => f !== undefined)];
  progress('counting lines over time');
  const coarse = bucketWidth(window, options.buckets ?? 60);
  const hits = await store.hits(options.query, { window, stepMs: coarse, signal });
  const total = hits.total;
  // Timelines span the part of the window that has lines (an incident's week may hold one busy hour).
  const nonEmpty = hits.timestamps.filter((_, i) => hits.counts[i]! > 0);
  const span = nonEmpty.length ? { start: Math.max(window.start, nonEmpty[0]!), end: Math.min(window.end, nonEmpty[nonEmpty.length - 1]! + coarse) } : window;
  const bucketMs = bucketWidth(span, options.buckets ?? 60);

  const analyzer = new PatternAnalyzer(options);
  const ctx = new PatternReaderContext((r) => analyzer.add(r), { fields: storeFieldMapping(user), signal });
  const sampleSize = options.sampleSize ?? 20_000;
  const maxRounds = options.rounds ?? 3;
  const maxTemplates = options.maxTemplates ?? 400;
  let filters: MessageFilter[] = [];
  let templates: PatternSummary[] = [];
  let unmatched = total;
  let rounds = 0;
  let rows: Awaited<ReturnType<LogStore['countByFilters']>> = [];
  while (unmatched > 0 && rounds < maxRounds) {
    rounds++;
    progress(`sampling lines (round ${rounds})`, ctx.stats.lines);
    const before = ctx.stats.lines;
    const reader = ctx.source(`${store.url} sample ${rounds}`);
    for await (const chunk of store.sampleUnmatched(options.query, filters, { window, size: sampleSize, expected: unmatched, fields: sampleFields, signal })) {
      reader.push(chunk);
      progress(`sampling lines (round ${rounds})`, ctx.stats.lines);
    }
    reader.end();
    if (ctx.stats.lines === before) break;
    const { report } = analyzer.report({ lines: ctx.stats.lines, sources: [], skipped: [], cutoff: null });
    templates = [...report.patterns].sort((a, b) => specificity(b.template) - specificity(a.template) || b.count - a.count).slice(0, maxTemplates);
    filters = templates.map((p) => ({ messageRegex: p.matcher.regex }));
    progress('counting each template over the whole window');
    rows = await store.countByFilters(options.query, filters, { window, groupBy: levelField ? [levelField] : [], bucketMs, signal });
    unmatched = rows.filter((r) => r.filter < 0).reduce((n, r) => n + r.count, 0);
  }
  if (rounds === 0 || filters.length === 0) rows = total ? await store.countByFilters(options.query, [], { window, groupBy: levelField ? [levelField] : [], bucketMs, signal }) : [];

  // Store rows → one summary per template (and one for the lines no template matches).
  type Acc = { count: number; first: number; last: number; levels: Map<string, number>; buckets: Map<number, number> };
  const acc = new Map<number, Acc>();
  for (const r of rows) {
    let a = acc.get(r.filter);
    if (!a) acc.set(r.filter, (a = { count: 0, first: Infinity, last: -Infinity, levels: new Map(), buckets: new Map() }));
    a.count += r.count;
    if (r.first !== undefined && r.first < a.first) a.first = r.first;
    if (r.last !== undefined && r.last > a.last) a.last = r.last;
    const level = levelField ? (r.group[levelField]?.toUpperCase() ?? 'NONE') : 'NONE';
    a.levels.set(level, (a.levels.get(level) ?? 0) + r.count);
    const b = r.group._time ? Date.parse(r.group._time) : NaN;
    if (Number.isFinite(b)) a.buckets.set(b, (a.buckets.get(b) ?? 0) + r.count);
  }
  const start = Math.floor(span.start / bucketMs) * bucketMs;
  const nBuckets = Math.max(1, Math.ceil((span.end - start) / bucketMs));
  const iso = (t: number) => (Number.isFinite(t) ? new Date(t).toISOString() : undefined);
  const counted = [...acc.values()].reduce((n, a) => n + a.count, 0);
  const summaries: PatternSummary[] = [];
  const finish = (base: Omit<PatternSummary, 'count' | 'share' | 'levels' | 'timeline' | 'firstSeen' | 'lastSeen'>, a: Acc) => {
    const counts = new Array<number>(nBuckets).fill(0);
    for (const [t, c] of a.buckets) {
      const i = Math.floor((t - start) / bucketMs);
      if (i >= 0 && i < nBuckets) counts[i]! += c;
    }
    const first = iso(a.first);
    const last = iso(a.last);
    summaries.push({
      ...base,
      count: a.count,
      share: counted ? a.count / counted : 0,
      ...(first && last ? { firstSeen: first, lastSeen: last } : {}),
      levels: Object.fromEntries([...a.levels].sort((x, y) => y[1] - x[1])),
      timeline: { start, bucketMs, counts },
    });
  };
  templates.forEach((t, i) => {
    const a = acc.get(i);
    if (a && a.count > 0) finish({ ...t, isNew: false, change: undefined }, a);
  });
  const other = acc.get(-1);
  if (other && other.count > 0) {
    finish({ id: `p${fnv1a64(`${OTHER_TEMPLATE}#other`).slice(0, 10)}`, template: OTHER_TEMPLATE, samples: [], services: [], versions: [], matcher: matcherOf([OTHER_TEMPLATE]), signatures: 0, isNew: false }, other);
  }
  for (const s of summaries) if (s.change === undefined) delete s.change;
  summaries.sort((a, b) => b.count - a.count || a.template.localeCompare(b.template));
  const problems = [...(options.problems ?? [])];
  if (counted !== total) problems.push(`the store counted ${counted} lines by template but ${total} over time (lines ingested during the query?)`);
  const firstAll = Math.min(...summaries.map((s) => (s.firstSeen ? Date.parse(s.firstSeen) : Infinity)));
  const lastAll = Math.max(...summaries.map((s) => (s.lastSeen ? Date.parse(s.lastSeen) : -Infinity)));
  const report: PatternReport = {
    lines: counted,
    records: counted,
    sources: [`${store.url} ${options.query}`],
    skipped: ctx.skips.summaries(),
    ...(Number.isFinite(firstAll) && Number.isFinite(lastAll) ? { firstSeen: iso(firstAll)!, lastSeen: iso(lastAll)! } : {}),
    patterns: summaries,
    signatures: analyzer.miner.size,
    maxSignatures: analyzer.miner.maxSignatures,
    capped: 0,
    releases: [],
    problems,
  };
  const unmatchedFinal = other?.count ?? 0;
  return {
    report,
    sampled: ctx.stats.lines,
    rounds,
    unmatched: unmatchedFinal,
    source: { kind: store.kind, url: store.url, linesScanned: total, bytesTransferred: store.bytesTransferred, exact: counted === total },
  };
}
