/** The ML model panel's snapshot from a predictions analysis (pure: tests build it without VS Code). */
import { CHARACTERISTIC_LABELS, type ErrorRow, type MlModelReport } from '../core/mlmodel/analyze';
import type { RobustnessReport } from '../core/mlmodel/robustness';
import type { MlModelErrorView, MlModelRobustness, MlModelSnapshot } from '../protocol/mlmodel';

const withLabels = (e: ErrorRow): MlModelErrorView => ({ ...e, characteristics: e.characteristics.map((c) => CHARACTERISTIC_LABELS[c]) });

/** Without a report (the file could not be read) the page shows `error` and empty sections. */
export function toMlModelSnapshot(file: string, report: MlModelReport | undefined, error: string | undefined, robustness: MlModelRobustness): MlModelSnapshot {
  const r = report;
  if (!r) {
    return {
      file, error: error ?? 'not loaded', total: 0, errors: 0, errorRate: 0, summary: [], confusion: { labels: [], matrix: [] }, highConfidenceErrors: [], highConfidenceErrorCount: 0,
      lowConfidenceErrors: [], lowConfidenceErrorCount: 0, calibration: { ece: null, bins: [], counted: 0 }, byCharacteristic: [], byGroup: [], inputValidation: [], issues: [], robustness,
    };
  }
  return {
    file,
    total: r.total,
    errors: r.errors,
    errorRate: r.errorRate,
    summary: r.summary,
    confusion: r.confusion,
    highConfidenceErrors: r.highConfidenceErrors.map(withLabels),
    highConfidenceErrorCount: r.highConfidenceErrorCount,
    lowConfidenceErrors: r.lowConfidenceErrors.map(withLabels),
    lowConfidenceErrorCount: r.lowConfidenceErrorCount,
    calibration: { ece: r.calibration.ece, bins: r.calibration.bins, counted: r.calibration.counted },
    byCharacteristic: r.byCharacteristic,
    byGroup: r.byGroup,
    inputValidation: r.inputValidation,
    issues: r.issues,
    robustness,
  };
}

/** A finished robustness check as the page shows it. */
export function robustnessDone(predictor: string, result: RobustnessReport): MlModelRobustness {
  return { state: 'done', predictor, tested: result.tested, checks: result.checks, consistency: result.consistency, inconsistent: result.inconsistent, byVariation: result.byVariation };
}
