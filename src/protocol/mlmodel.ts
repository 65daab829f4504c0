/** The ML model debugging panel (predictions analysis and robustness). */

export const ML_MODEL_VIEW_TYPE = 'incidentWorkbench.model';

export interface MlModelErrorView {
  id: string;
  line: number;
  input: string;
  trueLabel: string;
  predictedLabel: string;
  confidence: number;
  group?: string;
  characteristics: string[];
}

export interface MlModelRateView {
  name: string;
  count: number;
  errors: number;
  errorRate: number;
  ciLow: number;
  ciHigh: number;
  significantlyWorse: boolean;
}

export interface MlModelSnapshot {
  file: string;
  error?: string;
  total: number;
  errors: number;
  errorRate: number;
  summary: string[];
  confusion: { labels: string[]; matrix: number[][] };
  highConfidenceErrors: MlModelErrorView[];
  highConfidenceErrorCount: number;
  lowConfidenceErrors: MlModelErrorView[];
  lowConfidenceErrorCount: number;
  calibration: { ece: number | null; bins: { low: number; high: number; count: number; confidence: number; accuracy: number }[]; counted: number };
  byCharacteristic: MlModelRateView[];
  byGroup: MlModelRateView[];
  inputValidation: { type: string; count: number; message: string; examples: string[] }[];
  issues: { type: string; severity: string; message: string; line?: number }[];
  robustness:
    | { state: 'unconfigured' | 'untrusted'; message: string }
    | { state: 'ready'; predictor: string }
    | { state: 'running'; predictor: string }
    | { state: 'failed'; predictor: string; message: string }
    | { state: 'done'; predictor: string; tested: number; checks: number; consistency: number; inconsistent: { id: string; variation: string; input: string; variedInput: string; originalLabel: string; variedLabel: string }[]; byVariation: { variation: string; checks: number; flips: number }[] };
}

export type MlModelIntent = { type: 'runRobustness' } | { type: 'openLine'; line: number } | { type: 'openSettings' };
