/**
 * ML model error analysis over prediction JSONL (`{input, trueLabel, predictedLabel, confidence, group?, id?}`
 * per line), following the seed's debugging steps: error rate and confusion, high-confidence errors
 * (> 0.9) first, low-confidence (< 0.6), calibration (reliability diagram, ECE over 10 equal-width bins),
 * input characteristics with the error rate of each, error rate per group (fairness) and input validation.
 * Never throws: bad lines become issues with their line number and are left out of what they would distort.
 */
import { fisherExactGreater, holmAdjust, pStatement, twoProportionTest, wilsonInterval } from '../stats';
import { errorMessage } from '../util/errors';

export interface Prediction {
  line: number;
  id: string;
  input: unknown;
  trueLabel: string;
  predictedLabel: string;
  /** Null when missing or outside [0, 1] (reported as an issue). */
  confidence: number | null;
  group?: string;
}

export interface MlModelIssue {
  type: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  line?: number;
}

export const HIGH_CONFIDENCE = 0.9;
export const LOW_CONFIDENCE = 0.6;
const MAX_INPUT_CHARS = 10_000;
const LIST_LIMIT = 200;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function label(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  return undefined;
}

export function parsePredictions(text: string): { predictions: Prediction[]; issues: MlModelIssue[] } {
  const predictions: Prediction[] = [];
  const issues: MlModelIssue[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let badJson = 0;
  const perType = new Map<string, number>();
  const report = (type: string, severity: MlModelIssue['severity'], message: string, line: number) => {
    const n = (perType.get(type) ?? 0) + 1;
    perType.set(type, n);
    if (n <= 20) issues.push({ type, severity, message, line });
  };
  const ids = new Set<string>();
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim()) return;
    let row: unknown;
    try {
      row = JSON.parse(raw);
    } catch (e) {
      badJson++;
      return report('invalid-json', 'error', `line ${line}: not valid JSON (${errorMessage(e).slice(0, 80)}); skipped`, line);
    }
    if (!isObject(row)) return report('invalid-row', 'error', `line ${line}: expected an object {input, trueLabel, predictedLabel, confidence}; skipped`, line);
    const trueLabel = label(row.trueLabel ?? row.true_label ?? row.label);
    const predictedLabel = label(row.predictedLabel ?? row.predicted_label ?? row.prediction);
    if (trueLabel === undefined || predictedLabel === undefined) {
      return report('missing-label', 'error', `line ${line}: ${trueLabel === undefined ? 'trueLabel' : 'predictedLabel'} is missing or not a string/number; skipped`, line);
    }
    const rawConfidence = row.confidence ?? row.score ?? row.probability;
    let confidence: number | null = null;
    if (rawConfidence === undefined || rawConfidence === null) report('missing-confidence', 'warning', `line ${line}: no confidence; left out of calibration and confidence lists`, line);
    else if (typeof rawConfidence !== 'number' || !Number.isFinite(rawConfidence)) report('bad-confidence', 'error', `line ${line}: confidence ${JSON.stringify(rawConfidence).slice(0, 30)} is not a number; left out of calibration`, line);
    else if (rawConfidence < 0 || rawConfidence > 1) {
      report('confidence-out-of-range', 'error', `line ${line}: confidence ${rawConfidence} is outside [0, 1]${rawConfidence > 1 && rawConfidence <= 100 ? ' (a percentage? divide by 100)' : ''}; left out of calibration`, line);
    } else confidence = rawConfidence;
    const id = label(row.id) ?? `line ${line}`;
    if (ids.has(id)) report('duplicate-id', 'warning', `line ${line}: id "${id}" appears more than once`, line);
    ids.add(id);
    const p: Prediction = { line, id, input: row.input ?? row.text ?? null, trueLabel, predictedLabel, confidence };
    const group = label(row.group);
    if (group !== undefined) p.group = group;
    predictions.push(p);
  });
  for (const [type, n] of perType) {
    if (n > 20) issues.push({ type, severity: 'info', message: `${n - 20} more "${type}" issues not listed` });
  }
  if (predictions.length === 0 && badJson === 0 && issues.length === 0) issues.push({ type: 'empty', severity: 'error', message: 'No predictions found; expected one JSON object per line: {"input", "trueLabel", "predictedLabel", "confidence"}' });
  return { predictions, issues };
}

// ------------------------------------------------------------ characteristics

export const CHARACTERISTICS = ['empty', 'whitespaceOnly', 'allCaps', 'hasDigits', 'hasSpecialChars', 'nonAscii', 'short', 'long', 'veryLong', 'nonText'] as const;
export type Characteristic = (typeof CHARACTERISTICS)[number];

export const CHARACTERISTIC_LABELS: Record<Characteristic, string> = {
  empty: 'empty',
  whitespaceOnly: 'whitespace only',
  allCaps: 'ALL CAPS',
  hasDigits: 'contains digits',
  hasSpecialChars: 'special characters',
  nonAscii: 'non-ASCII',
  short: 'short (≤ 10 chars)',
  long: 'long (> 200 chars)',
  veryLong: 'very long (> 10,000 chars)',
  nonText: 'not text',
};

/** The seed's input characterisation, for text; non-text inputs are only marked as such. */
export function characterize(input: unknown): Characteristic[] {
  if (typeof input !== 'string') return ['nonText'];
  const out: Characteristic[] = [];
  if (input.length === 0) out.push('empty');
  else if (!input.trim()) out.push('whitespaceOnly');
  if (/\p{Lu}/u.test(input) && !/\p{Ll}/u.test(input)) out.push('allCaps');
  if (/\d/.test(input)) out.push('hasDigits');
  if (/[^\p{L}\p{N}\s]/u.test(input)) out.push('hasSpecialChars');
  if ([...input].some((ch) => ch.charCodeAt(0) > 0x7f)) out.push('nonAscii');
  if (input.trim().length > 0 && input.length <= 10) out.push('short');
  if (input.length > 200) out.push('long');
  if (input.length > MAX_INPUT_CHARS) out.push('veryLong');
  return out;
}

// ------------------------------------------------------------ report

export interface ErrorRow {
  id: string;
  line: number;
  input: string;
  trueLabel: string;
  predictedLabel: string;
  confidence: number;
  group?: string;
  characteristics: Characteristic[];
}

export interface RateRow {
  name: string;
  count: number;
  errors: number;
  errorRate: number;
  ciLow: number;
  ciHigh: number;
  /**
   * Error rate of everything else, and whether this subset is significantly worse: a one-sided test of this
   * subset against the rest — Fisher's exact test when any expected cell count is below 5 (a normal
   * approximation is wrong there), else the pooled two-proportion z-test — with Holm's correction over the
   * whole family (all characteristics, or all groups) at α 0.05.
   */
  restErrorRate: number | null;
  /** The test's own p-value, before the correction. */
  pValue: number | null;
  test: 'fisher' | 'z' | null;
  /** Holm-adjusted p-value within the family; `significantlyWorse` is `adjustedP < 0.05`. */
  adjustedP: number | null;
  significantlyWorse: boolean;
}

export interface CalibrationBin {
  low: number;
  high: number;
  count: number;
  /** Mean confidence in the bin. */
  confidence: number;
  accuracy: number;
  gap: number;
}

export interface MlModelReport {
  total: number;
  errors: number;
  errorRate: number;
  accuracy: number;
  labels: string[];
  confusion: { labels: string[]; matrix: number[][] };
  perClass: { label: string; support: number; precision: number | null; recall: number | null; f1: number | null }[];
  topConfusions: { trueLabel: string; predictedLabel: string; count: number }[];
  highConfidenceErrors: ErrorRow[];
  highConfidenceErrorCount: number;
  lowConfidenceErrors: ErrorRow[];
  lowConfidenceErrorCount: number;
  calibration: { ece: number | null; mce: number | null; meanConfidence: number | null; accuracy: number | null; overconfident: boolean; bins: CalibrationBin[]; counted: number };
  byCharacteristic: (RateRow & { characteristic: Characteristic })[];
  byGroup: RateRow[];
  groupGap: { highest: string; lowest: string; gap: number } | null;
  inputValidation: { type: string; count: number; message: string; examples: string[] }[];
  issues: MlModelIssue[];
  summary: string[];
}

function preview(input: unknown): string {
  const s = typeof input === 'string' ? input : JSON.stringify(input) ?? String(input);
  return s.length > 500 ? `${s.slice(0, 500)}…` : s;
}

/** Cochran's rule: the normal approximation needs every expected count of the 2×2 table to be at least 5. */
const MIN_EXPECTED = 5;

function rateRow(name: string, subset: readonly Prediction[], all: readonly Prediction[], totalErrors: number, wrong: (p: Prediction) => boolean): RateRow {
  const errors = subset.filter(wrong).length;
  const w = wilsonInterval(errors, subset.length);
  const restCount = all.length - subset.length;
  const restErrors = totalErrors - errors;
  let pValue: number | null = null;
  let test: RateRow['test'] = null;
  if (restCount > 0 && subset.length > 0) {
    const n = all.length;
    const expected = [subset.length, restCount].flatMap((rows) => [(rows * totalErrors) / n, (rows * (n - totalErrors)) / n]);
    if (Math.min(...expected) < MIN_EXPECTED) {
      test = 'fisher';
      pValue = fisherExactGreater(errors, subset.length - errors, restErrors, restCount - restErrors);
    } else {
      test = 'z';
      const t = twoProportionTest({ successes: restErrors, n: restCount }, { successes: errors, n: subset.length }, { alternative: 'larger' });
      pValue = t.pValue;
    }
    if (!Number.isFinite(pValue)) {
      pValue = null;
      test = null;
    }
  }
  return {
    name,
    count: subset.length,
    errors,
    errorRate: subset.length ? errors / subset.length : 0,
    ciLow: Number.isFinite(w.low) ? w.low : 0,
    ciHigh: Number.isFinite(w.high) ? w.high : 1,
    restErrorRate: restCount > 0 ? restErrors / restCount : null,
    pValue,
    test,
    adjustedP: null,
    significantlyWorse: false,
  };
}

/** Holm over one family of rows (characteristics, or groups): the rows are compared together, so corrected together. */
function correctFamily<T extends RateRow>(rows: T[]): T[] {
  const adjusted = holmAdjust(rows.map((r) => r.pValue ?? NaN));
  return rows.map((r, i) => {
    const adjustedP = Number.isFinite(adjusted[i]!) ? adjusted[i]! : null;
    return { ...r, adjustedP, significantlyWorse: adjustedP !== null && adjustedP < 0.05 };
  });
}

export function analyzePredictions(predictions: readonly Prediction[], issues: readonly MlModelIssue[] = []): MlModelReport {
  const wrong = (p: Prediction) => p.trueLabel !== p.predictedLabel;
  const total = predictions.length;
  const errors = predictions.filter(wrong).length;
  const labels = [...new Set(predictions.flatMap((p) => [p.trueLabel, p.predictedLabel]))].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  for (const p of predictions) matrix[index.get(p.trueLabel)!]![index.get(p.predictedLabel)!]!++;
  const perClass = labels.map((l, i) => {
    const tp = matrix[i]![i]!;
    const support = matrix[i]!.reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((a, row) => a + row[i]!, 0);
    const precision = predicted ? tp / predicted : null;
    const recall = support ? tp / support : null;
    const f1 = precision !== null && recall !== null && precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : null;
    return { label: l, support, precision, recall, f1 };
  });
  const topConfusions = labels
    .flatMap((t, i) => labels.map((p, j) => ({ trueLabel: t, predictedLabel: p, count: i === j ? 0 : matrix[i]![j]! })))
    .filter((c) => c.count > 0)
    .sort((a, b) => b.count - a.count)
    .slice(0, 10);

  const errorRow = (p: Prediction): ErrorRow => ({
    id: p.id,
    line: p.line,
    input: preview(p.input),
    trueLabel: p.trueLabel,
    predictedLabel: p.predictedLabel,
    confidence: p.confidence!,
    ...(p.group !== undefined ? { group: p.group } : {}),
    characteristics: characterize(p.input),
  });
  const confidentWrong = predictions.filter((p) => wrong(p) && p.confidence !== null && p.confidence > HIGH_CONFIDENCE).sort((a, b) => b.confidence! - a.confidence! || a.line - b.line);
  const unsureWrong = predictions.filter((p) => wrong(p) && p.confidence !== null && p.confidence < LOW_CONFIDENCE).sort((a, b) => a.confidence! - b.confidence! || a.line - b.line);

  // ---- calibration: 10 equal-width bins (lo, hi], confidence 0 in the first
  const scored = predictions.filter((p) => p.confidence !== null);
  const bins: CalibrationBin[] = [];
  let ece: number | null = null;
  let mce: number | null = null;
  if (scored.length) {
    const acc = Array.from({ length: 10 }, () => ({ n: 0, conf: 0, right: 0 }));
    for (const p of scored) {
      const b = Math.min(9, Math.max(0, Math.ceil(p.confidence! * 10) - 1));
      acc[b]!.n++;
      acc[b]!.conf += p.confidence!;
      if (!wrong(p)) acc[b]!.right++;
    }
    ece = 0;
    mce = 0;
    acc.forEach((a, i) => {
      if (!a.n) return;
      const confidence = a.conf / a.n;
      const accuracy = a.right / a.n;
      const gap = confidence - accuracy;
      ece! += (a.n / scored.length) * Math.abs(gap);
      mce = Math.max(mce!, Math.abs(gap));
      bins.push({ low: i / 10, high: (i + 1) / 10, count: a.n, confidence, accuracy, gap });
    });
  }
  const meanConfidence = scored.length ? scored.reduce((a, p) => a + p.confidence!, 0) / scored.length : null;
  const scoredAccuracy = scored.length ? scored.filter((p) => !wrong(p)).length / scored.length : null;

  // ---- characteristics and groups
  const chars = new Map<Characteristic, Prediction[]>();
  const pushTo = <K>(m: Map<K, Prediction[]>, k: K, p: Prediction) => {
    const list = m.get(k);
    if (list) list.push(p);
    else m.set(k, [p]);
  };
  for (const p of predictions) for (const c of characterize(p.input)) pushTo(chars, c, p);
  const byCharacteristic = correctFamily(CHARACTERISTICS.filter((c) => chars.has(c)).map((c) => ({ characteristic: c, ...rateRow(CHARACTERISTIC_LABELS[c], chars.get(c)!, predictions, errors, wrong) })));
  const groups = new Map<string, Prediction[]>();
  for (const p of predictions) if (p.group !== undefined) pushTo(groups, p.group, p);
  const byGroup = correctFamily([...groups].map(([g, list]) => rateRow(g, list, predictions, errors, wrong))).sort((a, b) => b.errorRate - a.errorRate);
  const groupGap = byGroup.length >= 2 ? { highest: byGroup[0]!.name, lowest: byGroup[byGroup.length - 1]!.name, gap: byGroup[0]!.errorRate - byGroup[byGroup.length - 1]!.errorRate } : null;

  // ---- input validation (the seed's checks plus inconsistent duplicates)
  const inputValidation: MlModelReport['inputValidation'] = [];
  const addFinding = (type: string, list: Prediction[], message: string) => {
    if (list.length) inputValidation.push({ type, count: list.length, message, examples: list.slice(0, 5).map((p) => p.id) });
  };
  addFinding('empty', predictions.filter((p) => p.input === '' || p.input === null), 'Empty inputs reached the model; reject them before inference.');
  addFinding('whitespace-only', predictions.filter((p) => typeof p.input === 'string' && p.input.length > 0 && !p.input.trim()), 'Inputs with only whitespace reached the model.');
  addFinding('too-long', predictions.filter((p) => typeof p.input === 'string' && p.input.length > MAX_INPUT_CHARS), `Inputs over ${MAX_INPUT_CHARS.toLocaleString('en-US')} characters; check truncation at inference.`);
  const byInput = new Map<string, Prediction[]>();
  for (const p of predictions) {
    const key = typeof p.input === 'string' ? p.input : JSON.stringify(p.input);
    pushTo(byInput, key, p);
  }
  const inconsistent = [...byInput.values()].filter((list) => new Set(list.map((p) => p.predictedLabel)).size > 1).flat();
  addFinding('inconsistent-duplicates', inconsistent, 'The same input got different predictions (non-determinism, or a preprocessing difference).');

  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const summary: string[] = [];
  if (total) {
    summary.push(`${errors} of ${total} predictions are wrong (${pct(errors / total)}).`);
    if (confidentWrong.length) summary.push(`${confidentWrong.length} of them were made with confidence above ${HIGH_CONFIDENCE} — the model is sure and wrong; look at these first.`);
    if (ece !== null) summary.push(`Calibration: ECE ${ece.toFixed(3)}; mean confidence ${pct(meanConfidence!)} vs accuracy ${pct(scoredAccuracy!)}${meanConfidence! > scoredAccuracy! + 0.05 ? ' — overconfident' : ''}.`);
    const worst = byCharacteristic.filter((c) => c.significantlyWorse).sort((a, b) => a.adjustedP! - b.adjustedP! || b.count - a.count)[0];
    if (worst) summary.push(`Inputs marked "${worst.name}" fail ${pct(worst.errorRate)} of the time vs ${pct(worst.restErrorRate ?? 0)} for the rest (${worst.test === 'fisher' ? "Fisher's exact test" : 'z-test'}, ${pStatement(worst.adjustedP!)} after Holm's correction over ${byCharacteristic.length} characteristics).`);
    if (groupGap && groupGap.gap > 0) summary.push(`Group "${groupGap.highest}" has the highest error rate (${pct(byGroup[0]!.errorRate)}), "${groupGap.lowest}" the lowest (${pct(byGroup[byGroup.length - 1]!.errorRate)}).`);
  } else summary.push('No usable predictions.');

  return {
    total,
    errors,
    errorRate: total ? errors / total : 0,
    accuracy: total ? 1 - errors / total : 0,
    labels,
    confusion: { labels, matrix },
    perClass,
    topConfusions,
    highConfidenceErrors: confidentWrong.slice(0, LIST_LIMIT).map(errorRow),
    highConfidenceErrorCount: confidentWrong.length,
    lowConfidenceErrors: unsureWrong.slice(0, LIST_LIMIT).map(errorRow),
    lowConfidenceErrorCount: unsureWrong.length,
    calibration: { ece, mce, meanConfidence, accuracy: scoredAccuracy, overconfident: meanConfidence !== null && meanConfidence > scoredAccuracy! + 0.05, bins, counted: scored.length },
    byCharacteristic,
    byGroup,
    groupGap,
    inputValidation,
    issues: [...issues],
    summary,
  };
}
