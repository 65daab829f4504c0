import * as nodePath from 'node:path';
import { statsJson, TraceAggregator, type TraceStatsDetails } from '../../core/traces/aggregate';
import { BackendError, searchTraces, type JaegerEndpoint } from '../../core/traces/jaeger';
import { readTraceFile, TraceFileError } from '../../core/traces/nodeFile';
import { buildQuery, parseDuration, parseHeaderText, QueryError, type QueryInput } from '../../core/traces/query';
import type { TraceSummary } from '../../core/traces/import';
import { rejectUnknown, UsageError, type ParsedArgs } from '../args';
import type { CommandHelp } from '../help';
import { EXIT, type CliIO } from '../output';

const QUERY_HELP = `  Query options: --jaeger URL (Jaeger's query service, e.g. http://127.0.0.1:16686; default $IWB_JAEGER_URL),
  --service S, --operation O, --tag K=V (repeatable; error=true finds failed requests), --min-duration D,
  --max-duration D (250ms, 1.5s, 2m; a bare number is ms), --lookback D (default 1h) or --start T --end T
  (ISO-8601 or seconds since 1970), --limit N, --api auto|v1|v3 (the HTTP JSON API or api_v3; auto asks),
  --timeout D (default 30s). Auth headers come from $IWB_JAEGER_HEADERS ("Name: value" lines or a JSON
  object) or --header "Name: value"; never put them in files of the repository.`;

export const tracesHelp: CommandHelp = {
  summary: 'Search a live Jaeger for traces; statistics over many traces (Jaeger or a file)',
  usage: `iwb traces search --jaeger URL --service S [--operation O] [--tag K=V]... [--min-duration D] [--lookback D | --start T --end T] [--limit N] [--json]
  Finds traces in Jaeger (or a backend speaking its query API), slowest first. Default limit 20.
  --json: [{traceId, startTime, durationMs, spanCount, services, rootOperation, errors}]
${QUERY_HELP}
  Exit 0: done (also when nothing matched). 2: Jaeger unreachable, too slow, refused the credentials, or a usage error.
iwb traces stats FILE|--jaeger URL --service S [query options] [--slow-above D] [--json]
  Statistics over many traces: per service and operation the count, rate, error rate and p50/p95/p99
  duration; a latency histogram with exemplar traces; and the attribute values over-represented in the
  traces slower than --slow-above (default: the 75th percentile of request durations) — BubbleUp across
  traces. FILE: OTLP/JSON (or JSON Lines), Jaeger JSON or Zipkin, read as a stream; from Jaeger the
  default limit is 1000 traces.
  --json: {traces, operations: [{service, operation, count, errorRate, p50Ms, p95Ms, p99Ms}],
  slowAttributes: [{key, value, slowShare, normalShare}]}
  Exit 0: done. 2: Jaeger unreachable or the file unreadable.`,
};

export const TRACES_VALUE_OPTIONS = ['jaeger', 'service', 'operation', 'tag', 'min-duration', 'max-duration', 'lookback', 'start', 'end', 'limit', 'api', 'timeout', 'header', 'slow-above'];
const QUERY_OPTIONS = ['jaeger', 'service', 'operation', 'tag', 'min-duration', 'max-duration', 'lookback', 'start', 'end', 'limit', 'api', 'timeout', 'header'];

function value(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  if (v === true) throw new UsageError(`--${name} needs a value`);
  return v;
}

function values(args: ParsedArgs, name: string): string[] {
  return (args.all ?? []).filter(([n]) => n === name).map(([, v]) => {
    if (v === true) throw new UsageError(`--${name} needs a value`);
    return v;
  });
}

/** `Name: value` lines or a JSON object of header names to values. */
export function parseHeaders(text: string): Record<string, string> {
  try {
    return parseHeaderText(text);
  } catch (e) {
    if (e instanceof QueryError) throw new UsageError(e.message);
    throw e;
  }
}

/** The endpoint from --jaeger/$IWB_JAEGER_URL, --api, --timeout and the headers. */
export function endpointFrom(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): JaegerEndpoint | undefined {
  const url = value(args, 'jaeger') ?? env.IWB_JAEGER_URL;
  if (!url) return undefined;
  const api = value(args, 'api') ?? 'auto';
  if (api !== 'auto' && api !== 'v1' && api !== 'v3') throw new UsageError('--api is auto, v1 or v3');
  const timeout = value(args, 'timeout');
  let timeoutMs = 30_000;
  if (timeout !== undefined) {
    try {
      timeoutMs = parseDuration(timeout) / 1000;
    } catch (e) {
      throw new UsageError(`--timeout: ${(e as Error).message}`);
    }
  }
  const headers = { ...parseHeaders(env.IWB_JAEGER_HEADERS ?? ''), ...parseHeaders(values(args, 'header').join('\n')) };
  return { url, api, timeoutMs, ...(Object.keys(headers).length ? { headers } : {}) };
}

function queryFrom(args: ParsedArgs, defaultLimit: number) {
  const input: QueryInput = { tags: values(args, 'tag'), limit: value(args, 'limit') ?? defaultLimit };
  for (const [opt, field] of [['service', 'service'], ['operation', 'operation'], ['min-duration', 'minDuration'], ['max-duration', 'maxDuration'], ['lookback', 'lookback'], ['start', 'start'], ['end', 'end']] as const) {
    const v = value(args, opt);
    if (v !== undefined) input[field] = v;
  }
  try {
    return buildQuery(input, Date.now() * 1000);
  } catch (e) {
    if (e instanceof QueryError) throw new UsageError(e.message);
    throw e;
  }
}

/** One search result as the JSON contract has it. */
export function searchRow(t: TraceSummary) {
  return {
    traceId: t.traceId,
    startTime: new Date(t.startUs / 1000).toISOString(),
    durationMs: Math.round(t.durationUs) / 1000,
    spanCount: t.spanCount,
    services: t.services,
    rootOperation: t.rootOperation ?? null,
    errors: t.errorCount,
  };
}

export async function tracesCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  const [sub, ...rest] = args.positionals;
  const json = args.flags.has('json');
  const fail = (message: string): number => {
    if (json) io.out(JSON.stringify({ error: message }));
    io.err(`iwb traces ${sub ?? ''}: ${message}`.replace(/ +:/, ':'));
    return EXIT.usage;
  };
  if (sub === 'search') {
    rejectUnknown(args, ['json', ...QUERY_OPTIONS]);
    if (rest.length) throw new UsageError(`search takes no positional arguments (got "${rest[0]}")`);
    const endpoint = endpointFrom(args);
    if (!endpoint) throw new UsageError('--jaeger URL is required (or set $IWB_JAEGER_URL)');
    const query = queryFrom(args, 20);
    try {
      const r = await searchTraces(endpoint, query, { keepSpans: false });
      const rows = r.traces.map(searchRow);
      if (json) io.out(JSON.stringify(rows, null, 2));
      else {
        io.out(`${rows.length} trace${rows.length === 1 ? '' : 's'} of ${query.service}${query.operation ? ` ${query.operation}` : ''} from ${new Date(query.startUs / 1000).toISOString()} to ${new Date(query.endUs / 1000).toISOString()}, slowest first:`);
        for (const t of rows) io.out(`  ${t.traceId}  ${String(t.durationMs).padStart(10)} ms  ${String(t.spanCount).padStart(5)} spans${t.errors ? `  ${t.errors} error${t.errors === 1 ? '' : 's'}` : ''}  ${t.startTime}  ${t.rootOperation ?? ''}`);
        if (rows.length === query.limit) io.out(`  (the limit of ${query.limit} was reached: raise --limit or narrow the search)`);
      }
      for (const p of r.problems.slice(0, 10)) io.err(`note: ${p.message}`);
      return EXIT.ok;
    } catch (e) {
      if (e instanceof BackendError) return fail(e.message);
      throw e;
    }
  }
  if (sub === 'stats') {
    rejectUnknown(args, ['json', 'slow-above', ...QUERY_OPTIONS]);
    const slow = value(args, 'slow-above');
    let slowAboveUs: number | undefined;
    if (slow !== undefined) {
      try {
        slowAboveUs = parseDuration(slow);
      } catch (e) {
        throw new UsageError(`--slow-above: ${(e as Error).message}`);
      }
    }
    const agg = new TraceAggregator();
    const notes: string[] = [];
    if (rest.length > 1) throw new UsageError('stats takes one FILE, or --jaeger and a search');
    try {
      if (rest.length === 1) {
        if (args.flags.has('jaeger') || args.flags.has('service')) throw new UsageError('give either a FILE or --jaeger with a search, not both');
        const file = rest[0]!;
        const r = await readTraceFile(nodePath.resolve(io.cwd, file), { keepSpans: false, onSpan: (s) => agg.add(s) });
        if (r.spanCount === 0) return fail(`${file}: ${r.problems[0]?.message ?? 'the file holds no spans'}`);
        notes.push(...r.problems.map((p) => `${file}${p.line ? `:${p.line}` : ''}: ${p.message}`));
      } else {
        const endpoint = endpointFrom(args);
        if (!endpoint) throw new UsageError('give a trace FILE, or --jaeger URL (or $IWB_JAEGER_URL) with --service');
        const query = queryFrom(args, 1000);
        const r = await searchTraces(endpoint, query, { keepSpans: false, onSpan: (s) => agg.add(s) });
        notes.push(...r.problems.map((p) => p.message));
        if (r.traces.length === query.limit) notes.push(`the limit of ${query.limit} traces was reached: the statistics cover those only (raise --limit)`);
      }
    } catch (e) {
      if (e instanceof BackendError) return fail(e.message);
      if (e instanceof TraceFileError) return fail(e.message.replace(io.cwd + nodePath.sep, ''));
      throw e;
    }
    const d = agg.result(slowAboveUs !== undefined ? { slowAboveUs } : {});
    if (json) io.out(JSON.stringify(statsJson(d), null, 2));
    else printStats(d, io);
    for (const n of [...notes, ...d.notes].slice(0, 10)) io.err(`note: ${n}`);
    return EXIT.ok;
  }
  throw new UsageError(sub === undefined ? 'say search or stats' : `unknown sub-command "${sub}" (search or stats)`);
}

function printStats(d: TraceStatsDetails, io: CliIO): void {
  io.out(`${d.traces} traces, ${d.operations.reduce((a, o) => a + o.count, 0)} spans over ${(d.windowMs / 1000).toFixed(1)} s`);
  io.out('Operations (by p95):');
  const rate = new Map(d.rates.map((r) => [`${r.service}\u0000${r.operation}`, r.perSecond]));
  for (const o of d.operations.slice(0, 25)) {
    io.out(`  p50 ${o.p50Ms} ms  p95 ${o.p95Ms} ms  p99 ${o.p99Ms} ms  ${o.count}× (${rate.get(`${o.service}\u0000${o.operation}`) ?? 0}/s)  errors ${(o.errorRate * 100).toFixed(1)}%  ${o.service} ${o.operation}`);
  }
  io.out('Request durations:');
  const max = Math.max(1, ...d.histogram.map((b) => b.count));
  for (const b of d.histogram) if (b.count) io.out(`  ${String(b.fromMs).padStart(10)}–${String(b.toMs).padEnd(10)} ms ${'#'.repeat(Math.ceil((b.count / max) * 30)).padEnd(30)} ${b.count}  e.g. ${b.exemplars[0]}`);
  io.out(`Slow traces (over ${d.thresholdMs} ms): ${d.slowTraces}; what they have more often than the others:`);
  for (const a of d.slowAttributes.slice(0, 10)) io.out(`  ${a.key}=${a.value}  in ${(a.slowShare * 100).toFixed(0)}% of slow traces, ${(a.normalShare * 100).toFixed(0)}% of the others`);
  if (d.slowAttributes.length === 0) io.out('  (nothing stands out)');
}
