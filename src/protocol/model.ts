/** The model debugging panel. */

export const MODEL_VIEW_TYPE = 'incidentWorkbench.model';

export interface ModelErrorView {
  id: string;
  line: number;
  input: string;
  trueLabel: string;
  predictedLabel: string;
  confidence: number;
  group?: string;
  characteristics: string[];
}

export interface ModelRateView {
  name: string;
  count: number;
  errors: number;
  errorRate: number;
  ciLow: number;
  ciHigh: number;
  significantlyWorse: boolean;
}

export interface ModelSnapshot {
  file: string;
  error?: string;
  total: number;
  errors: number;
  errorRate: number;
  summary: string[];
  confusion: { labels: string[]; matrix: number[][] };
  highConfidenceErrors: ModelErrorView[];
  highConfidenceErrorCount: number;
  lowConfidenceErrors: ModelErrorView[];
  lowConfidenceErrorCount: number;
  calibration: { ece: number | null; bins: { low: number; high: number; count: number; confidence: number; accuracy: number }[]; counted: number };
  byCharacteristic: ModelRateView[];
  byGroup: ModelRateView[];
  inputValidation: { type: string; count: number; message: string; examples: string[] }[];
  issues: { type: string; severity: string; message: string; line?: number }[];
  robustness:
    | { state: 'unconfigured' | 'untrusted'; message: string }
    | { state: 'ready'; predictor: string }
    | { state: 'running'; predictor: string }
    | { state: 'failed'; predictor: string; message: string }
    | { state: 'done'; predictor: string; tested: number; checks: number; consistency: number; inconsistent: { id: string; variation: string; input: string; variedInput: string; originalLabel: string; variedLabel: string }[]; byVariation: { variation: string; checks: number; flips: number }[] };
}

export type ModelIntent = { type: 'runRobustness' } | { type: 'openLine'; line: number } | { type: 'openSettings' };
