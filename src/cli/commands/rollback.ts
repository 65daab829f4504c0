import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { decideRollback, formatMetric, parseMetricsWindow, parseThresholds, resolvePrometheus, type MetricsWindow, type RollbackReport } from '../../core/rollback';
import { rejectUnknown, UsageError, type ParsedArgs } from '../args';
import type { CommandHelp } from '../help';
import { EXIT, type CliIO } from '../output';
import { errorMessage } from '../../core/util/errors';

export const rollbackHelp: CommandHelp = {
  summary: 'Judge a deploy against its baseline: PROCEED, HOLD or ROLLBACK (a deploy gate)',
  usage: `iwb rollback --baseline FILE --current FILE [--thresholds FILE] [--prometheus URL] [--allow-file-prometheus] [--json]
  Judges a deploy against its baseline: per metric a direction-aware test and a practical margin,
  critical metrics veto. A metrics file is {"label", "window"?: {"start", "end", "step"}, "evidence"?:
  [files], "metrics": {...}}; each of errorRate, successRate, latencyP95, throughput, cpu, memory is a
  number, counts ({"errors", "requests"} or {"successes", "requests"}), {"samples": [...]} (raw values;
  p95 for latencyP95, else the mean) or {"prometheus": "PromQL"} (a query_range over the window).
  --thresholds FILE   the same object as the incidentWorkbench.rollback.thresholds setting
  --prometheus URL    where {"prometheus": ...} metrics are queried (or IWB_PROMETHEUS_URL)
  --allow-file-prometheus  also query the Prometheus a metrics file names itself ("prometheusUrl", or
                      "url" on a query); without it, or --prometheus naming the same address, such
                      metrics are not queried (a file must not choose where a CI job sends requests)
  --json: {decision, violations: [{metric, baseline, current, threshold, severity, significant}],
  reasoning, metrics, score, baselineLabel, currentLabel, thresholds, notes}
  Exit 0: PROCEED. 3: HOLD (investigate, monitor). 4: ROLLBACK. 2: unreadable input.`,
};

export const ROLLBACK_VALUE_OPTIONS = ['baseline', 'current', 'thresholds', 'prometheus'];
export const ROLLBACK_EXIT = { PROCEED: 0, HOLD: 3, ROLLBACK: 4 } as const;

const MAX_BYTES = 100 * 1024 * 1024;

class InputError extends Error {}

async function readText(io: CliIO, file: string): Promise<string> {
  const path = nodePath.resolve(io.cwd, file);
  const stat = await fs.stat(path).catch(() => undefined);
  if (!stat) throw new InputError(`${file}: does not exist`);
  if (!stat.isFile()) throw new InputError(`${file}: is not a file`);
  if (stat.size > MAX_BYTES) throw new InputError(`${file}: is larger than ${MAX_BYTES / 1024 / 1024} MB`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(await fs.readFile(path));
  } catch (e) {
    throw new InputError(`${file}: ${e instanceof TypeError ? 'is not UTF-8 text' : errorMessage(e)}`);
  }
}

async function readWindow(io: CliIO, file: string, label: string, prometheus: string | undefined, allowFileUrls: boolean, notes: string[]): Promise<MetricsWindow> {
  const parsed = parseMetricsWindow(await readText(io, file), label);
  if (!parsed.window) throw new InputError(`${file}: ${parsed.problems[0]}`);
  notes.push(...parsed.problems.map((p) => `${file}: ${p}`));
  const resolved = await resolvePrometheus(parsed.window, prometheus ?? (process.env.IWB_PROMETHEUS_URL || undefined), {
    allowFileUrl: () => allowFileUrls,
    consentHint: `pass --allow-file-prometheus, or --prometheus with that address`,
  });
  notes.push(...resolved.notes);
  return resolved.window;
}

function human(report: RollbackReport, notes: string[], io: CliIO): void {
  const mark = { PROCEED: '✔', HOLD: '!', ROLLBACK: '✖' }[report.decision];
  io.out(`${mark} ${report.decision}  (score ${report.score}/100; ${report.baselineLabel} → ${report.currentLabel})`);
  io.out('');
  io.out(`  ${'metric'.padEnd(13)} ${'baseline'.padStart(10)} ${'current'.padStart(10)}  ${'status'.padEnd(12)} severity`);
  for (const m of report.metrics) {
    io.out(`  ${m.label.padEnd(13)} ${formatMetric(m.metric, m.baseline).padStart(10)} ${formatMetric(m.metric, m.current).padStart(10)}  ${m.status.padEnd(12)} ${m.severity}${m.critical ? ' (critical)' : ''}`);
    io.out(`      ${m.reason}`);
  }
  io.out('');
  io.out(report.reasoning);
  for (const n of notes) io.err(`note: ${n}`);
}

export async function rollbackCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  rejectUnknown(args, ['json', 'allow-file-prometheus', ...ROLLBACK_VALUE_OPTIONS]);
  const json = args.flags.has('json');
  const opt = (name: string) => {
    const v = args.flags.get(name);
    if (v === true) throw new UsageError(`--${name} needs a value`);
    return v;
  };
  const baselineFile = opt('baseline');
  const currentFile = opt('current');
  if (!baselineFile || !currentFile) throw new UsageError('both --baseline FILE and --current FILE are required');
  if (args.positionals.length) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
  const notes: string[] = [];
  try {
    const prometheus = opt('prometheus');
    const allowFileUrls = args.flags.has('allow-file-prometheus');
    const baseline = await readWindow(io, baselineFile, 'baseline', prometheus, allowFileUrls, notes);
    const current = await readWindow(io, currentFile, 'current', prometheus, allowFileUrls, notes);
    let thresholdsValue: unknown;
    const thresholdsFile = opt('thresholds');
    if (thresholdsFile) {
      try {
        thresholdsValue = JSON.parse(await readText(io, thresholdsFile));
      } catch (e) {
        if (e instanceof InputError) throw e;
        throw new InputError(`${thresholdsFile}: not valid JSON: ${errorMessage(e)}`);
      }
    }
    const { thresholds, problems } = parseThresholds(thresholdsValue);
    if (problems.length) throw new InputError(`${thresholdsFile}: ${problems.join('; ')}`);
    const report = decideRollback(baseline, current, thresholds);
    if (json) io.out(JSON.stringify({ ...report, notes }, null, 2));
    else human(report, notes, io);
    return ROLLBACK_EXIT[report.decision];
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    if (json) io.out(JSON.stringify({ error: e.message }));
    else io.err(`iwb rollback: ${e.message}`);
    return EXIT.usage;
  }
}
