/** The A/B test webview (custom editor for *.abtest.json, and a panel for CSV files). */

export const ABTEST_VIEW_TYPE = 'incidentWorkbench.abtest';

export interface AbIssue {
  type: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  where?: string;
}

export interface AbArm {
  name: string;
  sampleSize: number;
  successes: number;
  rate: number;
  wilsonLow: number;
  wilsonHigh: number;
}

export interface AbTestView {
  control: string;
  treatment: string;
  z: number;
  pValue: number;
  pValueText: string;
  diff: number;
  ciLow: number;
  ciHigh: number;
  relativeLift: number | null;
  relativeCiLow: number | null;
  relativeCiHigh: number | null;
  significant: boolean;
  alpha: number;
}

export interface AbSnapshot {
  /** File name shown in the title. */
  file: string;
  /** Set when the file itself could not be read. */
  error?: string;
  name: string;
  alpha: number;
  verdict: { kind: 'invalid' | 'untrustworthy' | 'winner' | 'loser' | 'inconclusive' | 'not-enough-data' | 'no-difference'; headline: string };
  interpretation: string[];
  issues: AbIssue[];
  arms: AbArm[];
  test: AbTestView | null;
  srm: { chi2: number; pValueText: string; mismatch: boolean; expectedShare: number[]; observedShare: number[] } | null;
  forest: { label: string; diff: number; ciLow: number; ciHigh: number; controlN: number; treatmentN: number; overall: boolean }[];
  power: { target: number; mde: number; mdeSource: 'planned' | 'observed'; baseline: number; requiredPerArm: number; achieved: number; controlN: number; treatmentN: number; adequate: boolean; curve: { n: number; power: number }[] } | null;
  simpson: { detected: boolean; overallDirection: string; segmentDirections: { name: string; direction: string; diff: number; controlN: number; treatmentN: number; controlShare: number; treatmentShare: number }[] };
  /** Whether the source is a text document that can be opened as text. */
  canOpenAsText: boolean;
}

export type AbIntent = { type: 'openAsText' } | { type: 'attachToIncident' };

export interface AbState {
  /** The calculator's last inputs, kept across hide/show. */
  calculator?: { baseline: number; mde: number; alpha: number; power: number };
}
