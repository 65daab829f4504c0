/** A/B test input after parsing (JSON or CSV), and the issues found on the way. */

export type IssueSeverity = 'error' | 'warning' | 'info';

export interface ValidationIssue {
  /** Stable machine name, e.g. "srm", "successes-exceed-sample-size". */
  type: string;
  severity: IssueSeverity;
  message: string;
  /** Where in the input, e.g. "variants[1].successes" or "line 4". */
  where?: string;
}

export interface DayInput {
  day: string;
  sampleSize: number;
  successes: number;
}

export interface VariantInput {
  name: string;
  sampleSize: number;
  successes: number;
  /** Raw values of a continuous metric (revenue, latency...). */
  metricValues?: number[];
  metricMean?: number;
  metricStd?: number;
  /** Per-day counts, for the novelty check. */
  daily?: DayInput[];
}

export interface SegmentInput {
  name: string;
  variants: VariantInput[];
}

export interface AbTestInput {
  name?: string;
  /** The first is the control. */
  variants: VariantInput[];
  segments?: SegmentInput[];
  /** Planned traffic weights per variant (default equal). */
  expectedSplit?: number[];
  alpha: number;
  /** Target power for the sample-size plan (default 0.8). */
  power: number;
  /** Relative minimum detectable effect the test was planned for (e.g. 0.1 = +10 %). */
  mde?: number;
  /** How many times the results were looked at before this analysis. */
  looks?: number;
  /** p-values seen at earlier looks, oldest first. */
  runningPValues?: number[];
  metricName?: string;
}

export interface ParseResult {
  /** Absent when the input is unusable; `issues` then says why. */
  input?: AbTestInput;
  issues: ValidationIssue[];
  format: 'json' | 'csv-variants' | 'csv-users';
}
