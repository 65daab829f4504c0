import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { AbTestCsvReader, analyzeAbTest, parseAbTestJson, type AbTestReport, type ParseResult } from '../../core/abtest';
import { readCsvStream } from '../../core/csv/records';
import { fileChunks } from '../../core/logs/nodeSource';
import { sampleSizePerArm } from '../../core/stats';
import { rejectUnknown, UsageError, type ParsedArgs } from '../args';
import type { CommandHelp } from '../help';
import { EXIT, type CliIO } from '../output';
import { errorMessage } from '../../core/util/errors';

export const abtestHelp: CommandHelp = {
  summary: 'Analyse an A/B test, or compute the users an A/B test needs per arm',
  usage: `iwb abtest FILE [--json]
  Analyses an A/B test (*.abtest.json, or CSV with one row per variant or per user): validation issues,
  two-proportion z-test, CIs, sample-ratio mismatch, power, Simpson's paradox, peeking, novelty.
  Prints the verdict, the reading, the arms and the issues.
  --json: {name, alpha, verdict, validation: {valid, issues: [{type, severity, message}]}, test: {z,
  pValue, diff, ciLow, ciHigh, relativeLift, significant, ...}, srm: {chi2, pValue, mismatch}, simpson:
  {detected, overallDirection, segmentDirections}, power, arms, comparisons, continuous, peeking,
  novelty, forest, interpretation}
  Exit 0: analysed. 1: the input or the design is invalid (e.g. sample-ratio mismatch). 2: unreadable.
iwb abtest sample-size --baseline P --mde REL [--alpha A] [--power B] [--json]
  Users needed per arm to detect a relative change REL (0.1 = +10 %) from rate P (two-sample formula;
  defaults: alpha 0.05 two-sided, power 0.8).
  --json: {perArm, total, exact, cohenH, baseline, target, mde, alpha, power}`,
};

export const ABTEST_VALUE_OPTIONS = ['baseline', 'mde', 'alpha', 'power'];

const MAX_BYTES = 200 * 1024 * 1024;

/** The first bytes of a file, to tell binary data, JSON and CSV apart before reading the rest. */
async function readHead(path: string): Promise<Buffer> {
  const handle = await fs.open(path, 'r');
  try {
    const buf = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function numberOption(args: ParsedArgs, name: string, fallback?: number): number {
  const raw = args.flags.get(name);
  if (raw === undefined) {
    if (fallback === undefined) throw new UsageError(`--${name} is required`);
    return fallback;
  }
  const n = raw === true ? NaN : Number(raw);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${raw === true ? '' : raw}"`);
  return n;
}

async function sampleSize(args: ParsedArgs, io: CliIO): Promise<number> {
  rejectUnknown(args, ['json', ...ABTEST_VALUE_OPTIONS]);
  const json = args.flags.has('json');
  const baseline = numberOption(args, 'baseline');
  const mde = numberOption(args, 'mde');
  const alpha = numberOption(args, 'alpha', 0.05);
  const power = numberOption(args, 'power', 0.8);
  let r;
  try {
    r = sampleSizePerArm(baseline, mde, alpha, power);
  } catch (e) {
    throw new UsageError(errorMessage(e));
  }
  if (json) {
    io.out(JSON.stringify({ perArm: r.perArm, total: r.total, exact: r.exact, cohenH: r.h, baseline: r.baseline, target: r.target, mde: r.mde, alpha: r.alpha, power: r.power }, null, 2));
  } else {
    io.out(`${r.perArm.toLocaleString('en-US')} users per arm (${r.total.toLocaleString('en-US')} in total)`);
    // Small effects keep their significant digits instead of printing as "+0.0 %" and "10.00 % → 10.00 %".
    const pct = (v: number, digits: number) => (Math.abs(v) >= 10 ** -digits || v === 0 ? v.toFixed(digits) : v.toPrecision(3));
    io.out(`  to detect ${pct(r.baseline * 100, 2)} % → ${r.mde >= 0.001 || r.mde <= -0.001 ? pct(r.target * 100, 2) : (r.target * 100).toPrecision(8)} % (${r.mde >= 0 ? '+' : ''}${pct(r.mde * 100, 1)} % relative, Cohen's h ${pct(r.h, 6)})`);
    io.out(`  two-sided α ${r.alpha}, power ${r.power}; exact n ${r.exact.toFixed(1)}`);
  }
  return EXIT.ok;
}

function human(report: AbTestReport, io: CliIO): void {
  const mark = { winner: '✔', loser: '✖', 'no-difference': '=', inconclusive: '?', 'not-enough-data': '!', untrustworthy: '✖', invalid: '✖' }[report.verdict.kind];
  io.out(`${mark} ${report.verdict.headline}`);
  io.out('');
  for (const line of report.interpretation.slice(report.verdict.kind === 'invalid' ? 1 : 0)) io.out(`  ${line}`);
  if (report.arms.length) {
    io.out('');
    io.out('  arm                          users   successes   rate      Wilson 95 %');
    for (const a of report.arms) {
      io.out(`  ${a.name.slice(0, 26).padEnd(26)} ${String(a.sampleSize).padStart(8)} ${String(a.successes).padStart(11)}   ${(a.rate * 100).toFixed(2).padStart(6)} %  [${(a.wilsonLow * 100).toFixed(2)} %, ${(a.wilsonHigh * 100).toFixed(2)} %]`);
    }
  }
  if (report.validation.issues.length) {
    io.out('');
    for (const i of report.validation.issues) io.out(`  ${i.severity.toUpperCase().padEnd(7)} ${i.type}: ${i.message}`);
  }
}

export async function abtestCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  if (args.positionals[0] === 'sample-size') return sampleSize({ ...args, positionals: args.positionals.slice(1) }, io);
  rejectUnknown(args, ['json']);
  const json = args.flags.has('json');
  const file = args.positionals[0];
  if (!file) throw new UsageError('give the A/B test file: iwb abtest FILE (or iwb abtest sample-size --baseline P --mde REL)');
  const path = nodePath.resolve(io.cwd, file);
  const fail = (message: string) => {
    if (json) io.out(JSON.stringify({ error: `${file}: ${message}` }));
    else io.err(`iwb abtest: ${file}: ${message}`);
    return EXIT.usage;
  };
  const stat = await fs.stat(path).catch(() => undefined);
  if (!stat) return fail('does not exist');
  if (!stat.isFile()) return fail('is not a file');
  let head: Buffer;
  try {
    head = await readHead(path);
  } catch (e) {
    return fail(errorMessage(e));
  }
  if (head.includes(0)) return fail('is binary data, not an A/B test (JSON or CSV)');
  const first = head.toString('latin1').replace(/^(\xEF\xBB\xBF|\s)+/, '')[0];
  const csv = /\.csv$/i.test(file) || (!/\.json$/i.test(file) && first !== '{' && first !== '[');
  let parsed: ParseResult;
  if (csv) {
    // Streamed: a per-user CSV of any size costs its counts, not its rows.
    const reader = new AbTestCsvReader();
    try {
      parsed = reader.finish(await readCsvStream(fileChunks(path), reader.record, { stop: () => !reader.usable }));
    } catch (e) {
      return fail(`cannot be read: ${errorMessage(e)}`);
    }
    const empty = parsed.issues.find((i) => i.type === 'empty-file');
    if (empty) return fail(empty.message.replace(/^The CSV/, 'the CSV'));
  } else {
    if (stat.size > MAX_BYTES) return fail(`is ${(stat.size / 1024 / 1024).toFixed(0)} MB; the limit is ${MAX_BYTES / 1024 / 1024} MB`);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(await fs.readFile(path));
    } catch (e) {
      return fail(e instanceof TypeError ? 'is not UTF-8 text' : errorMessage(e));
    }
    parsed = parseAbTestJson(text);
    // Not JSON (or not an object) means the file cannot be read at all: one line naming it, exit 2.
    const unreadable = parsed.issues.find((i) => i.type === 'invalid-json');
    if (unreadable) return fail(unreadable.message.replace(/^Not valid JSON/, 'not valid JSON').replace(/^Expected/, 'expected'));
  }
  const report = analyzeAbTest(parsed);
  if (json) {
    const { validation, test, srm, simpson, power, arms, comparisons, continuous, peeking, novelty, forest, verdict, interpretation, alpha, name } = report;
    io.out(JSON.stringify({ name, alpha, verdict, validation, test, srm, simpson, power, arms, comparisons, continuous, peeking, novelty, forest, interpretation }, null, 2));
  } else human(report, io);
  return report.validation.valid ? EXIT.ok : EXIT.findings;
}
