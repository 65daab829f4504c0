import * as nodePath from 'node:path';
import { findCorrelatedErrors } from '../../core/forensics/correlate';
import { investigate } from '../../core/forensics/investigate';
import { readCorrelationLogs } from '../../core/forensics/logs';
import type { LogRecord } from '../../core/logs/types';
import { readMetricsFile } from '../../core/metrics/nodeFile';
import type { MetricSeries } from '../../core/metrics/types';
import { pickTrace, readTextFile, readTraceFile, TraceFileError } from '../../core/traces/nodeFile';
import { rejectUnknown, UsageError, type ParsedArgs } from '../args';
import type { CommandHelp } from '../help';
import { EXIT, type CliIO } from '../output';
import { COMPARE_USAGE, traceCompareCommand } from './traceCompare';

export const traceHelp: CommandHelp = {
  summary: 'Investigate a slow request from a trace export (OTLP, Jaeger, Zipkin)',
  usage: `iwb trace FILE [--trace-id ID] [--logs FILE] [--metrics FILE] [--n-plus-one N] [--max-traces N|all] [--json]
  Investigates a slow request from a trace file (OTLP/JSON or its JSON Lines form, Jaeger /api/traces JSON,
  Zipkin v2; gzip accepted): duration, slowest span and its share, critical path, errors, N+1 queries
  (a statement repeated >= N times under one parent, default 5), slow-query table, statistics by service
  and operation, the logs of the trace (--logs: JSON Lines or OTLP logs) and the metrics of its window
  (--metrics: Prometheus query_range JSON, OTLP metrics or CSV). Without --trace-id: the slowest trace.
  --json: {traceId, durationMs, spanCount, services, slowestSpan: {service, operation, durationMs,
  percentage, criticalMs, ...}, criticalPath, errors, nPlusOne: [{parentSpanId, statement, count, ...}],
  slowQueries, statistics, logs, metrics, correlatedErrors, format, traceCount, traces, problems}; traces
  lists the file's traces slowest first, the first 50 unless --max-traces says otherwise (all: every one).
  errors: spans with ERROR status and ERROR-level log lines of the trace (--logs, matched by trace id),
  each with source "span" or "log".
  Exit 0: analysed, nothing flagged. 1: the trace has errors or N+1 queries. 2: a file cannot be read.
${COMPARE_USAGE}`,
};

const VALUE_OPTIONS = ['trace-id', 'logs', 'metrics', 'n-plus-one', 'max-traces'];
export const traceValueOptions = [...VALUE_OPTIONS, 'jaeger', 'api', 'timeout', 'header'];

function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  if (v === true) throw new UsageError(`--${name} needs a value`);
  return v;
}

export async function traceCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  if (args.positionals[0] === 'compare' && args.positionals.length === 3) return traceCompareCommand(args, io);
  rejectUnknown(args, ['json', ...VALUE_OPTIONS]);
  const json = args.flags.has('json');
  if (args.positionals.length !== 1) throw new UsageError('trace takes one FILE');
  const file = args.positionals[0]!;
  const traceId = stringOption(args, 'trace-id');
  const logsFile = stringOption(args, 'logs');
  const metricsFile = stringOption(args, 'metrics');
  const nRaw = stringOption(args, 'n-plus-one');
  const threshold = nRaw === undefined ? 5 : Number(nRaw);
  if (!Number.isInteger(threshold) || threshold < 2) throw new UsageError('--n-plus-one needs a whole number of at least 2');
  const maxRaw = stringOption(args, 'max-traces');
  const maxTraces = maxRaw === undefined ? 50 : maxRaw === 'all' ? Infinity : Number(maxRaw);
  if (!(maxTraces === Infinity || (Number.isInteger(maxTraces) && maxTraces >= 0))) throw new UsageError('--max-traces needs a whole number or "all"');
  const fail = (message: string): number => {
    if (json) io.out(JSON.stringify({ error: message }));
    io.err(`iwb trace: ${message}`);
    return EXIT.usage;
  };
  const resolve = (p: string) => nodePath.resolve(io.cwd, p);
  try {
    const result = await readTraceFile(resolve(file), traceId ? { traceId } : {});
    const picked = pickTrace(result, traceId);
    if ('error' in picked) return fail(`${file}: ${picked.error}`);
    const { trace } = picked;
    let logs: LogRecord[] | undefined;
    let metrics: MetricSeries[] | undefined;
    const notes: string[] = result.problems.map((p) => (p.line ? `${file}:${p.line}: ${p.message}` : `${file}: ${p.message}`));
    if (logsFile) {
      const l = readCorrelationLogs(await readTextFile(resolve(logsFile), 'log'), logsFile);
      logs = l.records;
      notes.push(...l.problems);
    }
    if (metricsFile) {
      const m = await readMetricsFile(resolve(metricsFile));
      if (m.format === 'unknown') return fail(`${metricsFile}: ${m.problems[0]?.message ?? 'not a metrics file'}`);
      metrics = m.series;
      notes.push(...m.problems.map((p) => `${metricsFile}${p.line ? `:${p.line}` : ''}: ${p.message}`));
    }
    const report = investigate(trace, { ...(logs ? { logs } : {}), ...(metrics ? { metrics } : {}), nPlusOneThreshold: threshold });
    const clusters = logs ? findCorrelatedErrors(logs, { failedSpans: result.spans }) : [];
    const out = {
      ...report,
      format: result.format,
      traceCount: result.traces.length,
      traces: result.traces.slice(0, maxTraces).map((t) => ({ traceId: t.traceId, rootService: t.rootService ?? null, rootOperation: t.rootOperation ?? null, durationMs: Math.round(t.durationUs) / 1000, spans: t.spanCount, errors: t.errorCount })),
      correlatedErrors: clusters.map((c) => ({ ...c, start: new Date(c.startMs).toISOString(), end: new Date(c.endMs).toISOString() })),
      problems: [...report.problems, ...notes],
    };
    const flagged = report.errors.length > 0 || report.nPlusOne.length > 0;
    if (json) {
      io.out(JSON.stringify(out, null, 2));
      return flagged ? EXIT.findings : EXIT.ok;
    }
    const s = report.slowestSpan;
    io.out(`Trace ${report.traceId}: ${report.durationMs} ms, ${report.spanCount} spans, services: ${report.services.join(', ')}`);
    if (result.traces.length > 1) io.out(`  (the file holds ${result.traces.length} traces; this is ${traceId ? 'the one asked for' : 'the slowest'}; pick another with --trace-id)`);
    if (s) io.out(`Slowest span: ${s.service} ${s.operation} — ${s.durationMs} ms (${s.percentage}% of the request), ${s.criticalMs} ms of it on the critical path`);
    io.out(`Critical path: ${report.criticalPath.length} span${report.criticalPath.length === 1 ? '' : 's'}`);
    for (const e of report.errors.slice(0, 10)) io.out(`Error: ${[e.service, e.operation].filter(Boolean).join(' ') || 'the trace'}: ${e.exceptionType ? `${e.exceptionType}: ` : ''}${e.message}${e.source === 'log' ? ` (ERROR log line ${e.log})` : ''}`);
    for (const n of report.nPlusOne) io.out(`N+1: ${n.count} × "${n.statement}" under ${n.parentOperation} (${n.parentSpanId}), ${n.totalMs} ms, ${n.percentOfParent}% of the parent`);
    if (report.slowQueries.length) {
      io.out('Slow queries (by statement template):');
      for (const q of report.slowQueries.slice(0, 10)) io.out(`  ${q.count}× mean ${q.meanMs} ms, p95 ${q.p95Ms} ms, max ${q.maxMs} ms  ${q.statement}`);
    }
    io.out('Time by service/operation (self time):');
    for (const r of report.statistics.slice(0, 10)) io.out(`  ${r.selfMs} ms (${r.selfPercent}%)  ${r.service} ${r.operation} ×${r.count}`);
    if (logs) io.out(`Logs of this trace: ${report.logs.length}`);
    for (const l of report.logs.slice(0, 20)) io.out(`  ${l.timestamp ?? '?'} ${l.level ?? ''} ${l.message}`);
    if (metrics) io.out(`Metrics in the request's window: ${report.metrics.map((m) => `${m.series} (${m.points.length} points)`).join(', ') || 'none'}`);
    for (const p of out.problems) io.err(`note: ${p}`);
    return flagged ? EXIT.findings : EXIT.ok;
  } catch (e) {
    if (e instanceof TraceFileError) return fail(e.message.replace(io.cwd + nodePath.sep, ''));
    throw e;
  }
}
