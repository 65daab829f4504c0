import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import {
  analyzePredictions,
  checkRobustness,
  commandArgv,
  httpPredictor,
  parsePredictions,
  type MlModelReport,
  type Predictor,
  type RobustnessReport,
} from '../../core/mlmodel';
import { commandPredictor } from '../../node/commandPredictor';
import { rejectUnknown, UsageError, type ParsedArgs } from '../args';
import type { CommandHelp } from '../help';
import { EXIT, type CliIO } from '../output';
import { errorMessage } from '../../core/util/errors';

export const modelHelp: CommandHelp = {
  summary: 'Analyse model predictions: confident errors, calibration, groups, robustness',
  usage: `iwb model FILE [--predict "CMD ARGS" | --endpoint URL] [--limit N] [--json]
  Analyses prediction JSONL ({input, trueLabel, predictedLabel, confidence, group?, id?} per line): error rate,
  confusion, high-confidence errors (> 0.9) first, calibration (ECE), input characteristics, groups.
  --predict / --endpoint also test robustness: case, whitespace and typo variations sent to the model
  (JSON {"inputs": [...]} on stdin or POSTed; answers {"predictions": [{"label", "confidence"}]}), for
  up to --limit inputs (default 50), high-confidence errors first.
  --json: {total, errors, errorRate, highConfidenceErrors, lowConfidenceErrors, calibration: {ece,
  bins, ...}, byCharacteristic, byGroup, confusion, inputValidation, ..., robustness?}
  Exit 0: analysed. 1: some lines were unusable. 2: unreadable file, usage error, or the model could
  not be reached.`,
};

export const MODEL_VALUE_OPTIONS = ['predict', 'endpoint', 'limit'];

const MAX_BYTES = 512 * 1024 * 1024;

function pct(x: number | null): string {
  return x === null ? 'n/a' : `${(x * 100).toFixed(1)} %`;
}

function human(r: MlModelReport, robustness: RobustnessReport | undefined, io: CliIO): void {
  for (const s of r.summary) io.out(s);
  if (r.highConfidenceErrors.length) {
    io.out('');
    io.out(`High-confidence errors (> 0.9), most confident first:`);
    for (const e of r.highConfidenceErrors.slice(0, 20)) io.out(`  ${e.confidence.toFixed(3)}  ${e.id}  true ${e.trueLabel} → predicted ${e.predictedLabel}  ${JSON.stringify(e.input.slice(0, 80))}`);
  }
  io.out('');
  io.out('Confusion (rows: true, columns: predicted):');
  const w = Math.max(8, ...r.labels.map((l) => l.length + 1));
  io.out(`  ${''.padEnd(w)}${r.labels.map((l) => l.padStart(w)).join('')}`);
  r.confusion.matrix.forEach((row, i) => io.out(`  ${r.labels[i]!.padEnd(w)}${row.map((n) => String(n).padStart(w)).join('')}`));
  io.out('');
  io.out(`Calibration: ECE ${r.calibration.ece === null ? 'n/a' : r.calibration.ece.toFixed(4)} over ${r.calibration.counted} predictions`);
  for (const b of r.calibration.bins) io.out(`  (${b.low.toFixed(1)}, ${b.high.toFixed(1)}]  n=${String(b.count).padStart(5)}  confidence ${pct(b.confidence)}  accuracy ${pct(b.accuracy)}`);
  if (r.byCharacteristic.length) {
    io.out('');
    io.out('Error rate by input characteristic:');
    for (const c of r.byCharacteristic) io.out(`  ${c.name.padEnd(28)} ${String(c.count).padStart(6)} inputs  ${pct(c.errorRate).padStart(8)} errors${c.significantlyWorse ? '  ← worse than the rest' : ''}`);
  }
  if (r.byGroup.length) {
    io.out('');
    io.out('Error rate by group:');
    for (const g of r.byGroup) io.out(`  ${g.name.padEnd(28)} ${String(g.count).padStart(6)} inputs  ${pct(g.errorRate).padStart(8)} errors${g.significantlyWorse ? '  ← worse than the rest' : ''}`);
  }
  for (const v of r.inputValidation) io.out(`Input validation: ${v.count} × ${v.type}: ${v.message} (e.g. ${v.examples.join(', ')})`);
  if (robustness) {
    io.out('');
    io.out(`Robustness: ${robustness.inconsistent.length} of ${robustness.checks} variations changed the prediction (${pct(robustness.consistency)} consistent, ${robustness.tested} inputs).`);
    for (const i of robustness.inconsistent.slice(0, 20)) io.out(`  ${i.variation.padEnd(11)} ${i.id}: ${i.originalLabel} → ${i.variedLabel}  ${JSON.stringify(i.variedInput.slice(0, 60))}`);
  }
  for (const i of r.issues) io.err(`${i.severity}: ${i.message}`);
}

export async function modelCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  rejectUnknown(args, ['json', ...MODEL_VALUE_OPTIONS]);
  const json = args.flags.has('json');
  const file = args.positionals[0];
  if (!file) throw new UsageError('give the predictions file: iwb model FILE');
  const value = (name: string) => {
    const v = args.flags.get(name);
    if (v === true) throw new UsageError(`--${name} needs a value`);
    return v;
  };
  const predictSpec = value('predict');
  const endpoint = value('endpoint');
  if (predictSpec && endpoint) throw new UsageError('give either --predict or --endpoint, not both');
  const limitRaw = value('limit');
  const limit = limitRaw === undefined ? 50 : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive whole number');
  const fail = (message: string) => {
    if (json) io.out(JSON.stringify({ error: `${file}: ${message}` }));
    else io.err(`iwb model: ${file}: ${message}`);
    return EXIT.usage;
  };
  const path = nodePath.resolve(io.cwd, file);
  const stat = await fs.stat(path).catch(() => undefined);
  if (!stat) return fail('does not exist');
  if (!stat.isFile()) return fail('is not a file');
  if (stat.size > MAX_BYTES) return fail(`is larger than ${MAX_BYTES / 1024 / 1024} MB`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await fs.readFile(path));
  } catch (e) {
    return fail(e instanceof TypeError ? 'is not UTF-8 text' : errorMessage(e));
  }
  const { predictions, issues } = parsePredictions(text);
  const report = analyzePredictions(predictions, issues);
  let robustness: RobustnessReport | undefined;
  let robustnessError: string | undefined;
  let predictor: Predictor | undefined;
  try {
    if (predictSpec) predictor = commandPredictor(commandArgv(predictSpec), { cwd: io.cwd });
    if (endpoint) predictor = httpPredictor(endpoint);
  } catch (e) {
    throw new UsageError(errorMessage(e));
  }
  if (predictor) {
    try {
      robustness = await checkRobustness(predictions, predictor, { limit });
    } catch (e) {
      robustnessError = errorMessage(e);
    }
  }
  if (json) {
    io.out(JSON.stringify({ ...report, ...(robustness ? { robustness } : {}), ...(robustnessError ? { robustnessError } : {}) }, null, 2));
  } else {
    human(report, robustness, io);
    if (robustnessError) io.err(`iwb model: robustness check failed: ${robustnessError}`);
  }
  if (robustnessError) return EXIT.usage;
  return report.issues.some((i) => i.severity === 'error') || report.total === 0 ? EXIT.findings : EXIT.ok;
}
