/** The model debugging panel. */
import type { CalibrationBin, ErrorRow, ModelReport, RateRow } from '../core/model/analyze';
import type { Inconsistency, RobustnessReport } from '../core/model/robustness';

export const MODEL_VIEW_TYPE = 'incidentWorkbench.model';

/** An error row with its input characteristics in words (the report keeps their keys). */
export type ModelErrorView = Omit<ErrorRow, 'characteristics'> & { characteristics: string[] };

export type ModelRateView = Pick<RateRow, 'name' | 'count' | 'errors' | 'errorRate' | 'ciLow' | 'ciHigh' | 'significantlyWorse'>;

/** Where the robustness check stands: it runs the user's model, so it needs settings and trust first. */
export type ModelRobustness =
  | { state: 'unconfigured' | 'untrusted'; message: string }
  | { state: 'ready'; predictor: string }
  | { state: 'running'; predictor: string }
  | { state: 'failed'; predictor: string; message: string }
  | ({ state: 'done'; predictor: string; inconsistent: Omit<Inconsistency, 'originalConfidence' | 'variedConfidence'>[] } & Pick<RobustnessReport, 'tested' | 'checks' | 'consistency' | 'byVariation'>);

export interface ModelSnapshot
  extends Pick<ModelReport, 'total' | 'errors' | 'errorRate' | 'summary' | 'confusion' | 'highConfidenceErrorCount' | 'lowConfidenceErrorCount' | 'inputValidation' | 'issues'> {
  file: string;
  error?: string;
  highConfidenceErrors: ModelErrorView[];
  lowConfidenceErrors: ModelErrorView[];
  calibration: Pick<ModelReport['calibration'], 'ece' | 'counted'> & { bins: Omit<CalibrationBin, 'gap'>[] };
  byCharacteristic: ModelRateView[];
  byGroup: ModelRateView[];
  robustness: ModelRobustness;
}

export type ModelIntent = { type: 'runRobustness' } | { type: 'openLine'; line: number } | { type: 'openSettings' };

const INTENTS = new Set(['runRobustness', 'openLine', 'openSettings']);

export function isModelIntent(m: { type: string }): m is ModelIntent {
  if (!INTENTS.has(m.type)) return false;
  return m.type !== 'openLine' || Number.isInteger((m as { line?: unknown }).line);
}
