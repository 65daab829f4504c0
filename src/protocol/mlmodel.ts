/** The ML model debugging panel (predictions analysis and robustness). */
import type { CalibrationBin, ErrorRow, MlModelReport, RateRow } from '../core/mlmodel/analyze';
import type { Inconsistency, RobustnessReport } from '../core/mlmodel/robustness';

export const ML_MODEL_VIEW_TYPE = 'incidentWorkbench.model';

/** An error row with its input characteristics in words (the report keeps their keys). */
export type MlModelErrorView = Omit<ErrorRow, 'characteristics'> & { characteristics: string[] };

export type MlModelRateView = Pick<RateRow, 'name' | 'count' | 'errors' | 'errorRate' | 'ciLow' | 'ciHigh' | 'significantlyWorse'>;

/** Where the robustness check stands: it runs the user's model, so it needs settings and trust first. */
export type MlModelRobustness =
  | { state: 'unconfigured' | 'untrusted'; message: string }
  | { state: 'ready'; predictor: string }
  | { state: 'running'; predictor: string }
  | { state: 'failed'; predictor: string; message: string }
  | ({ state: 'done'; predictor: string; inconsistent: Omit<Inconsistency, 'originalConfidence' | 'variedConfidence'>[] } & Pick<RobustnessReport, 'tested' | 'checks' | 'consistency' | 'byVariation'>);

export interface MlModelSnapshot
  extends Pick<MlModelReport, 'total' | 'errors' | 'errorRate' | 'summary' | 'confusion' | 'highConfidenceErrorCount' | 'lowConfidenceErrorCount' | 'inputValidation' | 'issues'> {
  file: string;
  error?: string;
  highConfidenceErrors: MlModelErrorView[];
  lowConfidenceErrors: MlModelErrorView[];
  calibration: Pick<MlModelReport['calibration'], 'ece' | 'counted'> & { bins: Omit<CalibrationBin, 'gap'>[] };
  byCharacteristic: MlModelRateView[];
  byGroup: MlModelRateView[];
  robustness: MlModelRobustness;
}

/** What the panel needs to open again after a window reload (the host's `reopen`): the predictions file. */
export interface MlModelReopen {
  uri: string;
}

export function isMlModelReopen(v: unknown): v is MlModelReopen {
  return typeof v === 'object' && v !== null && typeof (v as { uri?: unknown }).uri === 'string';
}

export type MlModelIntent = { type: 'runRobustness' } | { type: 'openLine'; line: number } | { type: 'openSettings' };

const INTENTS = new Set(['runRobustness', 'openLine', 'openSettings']);

export function isMlModelIntent(m: { type: string }): m is MlModelIntent {
  if (!INTENTS.has(m.type)) return false;
  return m.type !== 'openLine' || Number.isInteger((m as { line?: unknown }).line);
}
