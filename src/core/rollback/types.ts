/** Rollback judgement: metric inputs, thresholds, and the decision with a reason per metric. */

export type MetricKey = 'errorRate' | 'successRate' | 'latencyP95' | 'throughput' | 'cpu' | 'memory';

export const METRIC_KEYS: readonly MetricKey[] = ['errorRate', 'successRate', 'latencyP95', 'throughput', 'cpu', 'memory'];

/** A Prometheus range query for one window. */
export interface PrometheusSource {
  query: string;
  /** Base URL; falls back to the prometheusUrl setting / --prometheus option. */
  url?: string;
  /** RFC 3339 or unix seconds. */
  start: string | number;
  end: string | number;
  /** Duration such as "15s" or seconds. */
  step?: string | number;
}

/** One metric of one window, in the richest form available. */
export type MetricValue =
  | { kind: 'value'; value: number }
  | { kind: 'counts'; events: number; total: number }
  | { kind: 'samples'; samples: number[]; aggregate: 'p95' | 'mean' | 'median' }
  | { kind: 'prometheus'; source: PrometheusSource; aggregate: 'p95' | 'mean' | 'median' }
  | { kind: 'none'; reason: string };

export interface MetricsWindow {
  label: string;
  metrics: Partial<Record<MetricKey, MetricValue>>;
  /** Failed checks in a row before this one (for "K consecutive failures"). */
  previousConsecutiveFailures?: number;
  /** Files (logs, traces) to keep with the evidence snapshot, relative to the metrics file. */
  evidence?: string[];
}

export interface Thresholds {
  /** Absolute error rate at or above which a significant increase is critical (seed: 0.05). */
  errorRate: number;
  /** Error rates below this are minor (seed: "< 1 % — do not roll back"). */
  errorRateMinor: number;
  /** Smallest error-rate increase (absolute) worth acting on. */
  errorRateMargin: number;
  /**
   * A significant relative increase of at least this much (0.5 = +50 %) holds the deploy even below the
   * absolute margin and limit: 0.50 % → 0.85 % at p 0.001 is a regression, only still a small one.
   */
  errorRateRelativeIncrease: number;
  /** Relative p95 latency increase that counts (seed: 0.25 = +25 %). */
  latencyIncrease: number;
  /** Absolute success-rate drop that counts (seed: 0.05 = 5 points). */
  successRateDrop: number;
  /** Relative throughput drop that counts. */
  throughputDrop: number;
  /** Relative CPU / memory increase that counts. */
  resourceIncrease: number;
  /** One-sided significance level for "worse than baseline" (Kayenta: 98 % two-sided CI ≈ 0.01 one-sided). */
  alpha: number;
  /** Fewer requests than this in a window: too little data to judge a rate. */
  minRequests: number;
  /** Fewer samples than this: too little data to judge a distribution. */
  minSamples: number;
  /** Metrics whose failure alone means ROLLBACK (veto). */
  critical: MetricKey[];
  /** Failed checks in a row needed before ROLLBACK (1 = act on the first). */
  consecutiveFailures: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  errorRate: 0.05,
  errorRateMinor: 0.01,
  errorRateMargin: 0.005,
  errorRateRelativeIncrease: 0.5,
  latencyIncrease: 0.25,
  successRateDrop: 0.05,
  throughputDrop: 0.3,
  resourceIncrease: 0.5,
  alpha: 0.01,
  minRequests: 100,
  minSamples: 20,
  critical: ['errorRate', 'successRate'],
  consecutiveFailures: 1,
};

export type Severity = 'CRITICAL' | 'HIGH' | 'WARNING' | 'INFO' | 'OK';
export type MetricStatus = 'pass' | 'fail' | 'warn' | 'insufficient' | 'nodata' | 'unmeasured';

export interface MetricJudgement {
  metric: MetricKey;
  label: string;
  status: MetricStatus;
  severity: Severity;
  baseline: number | null;
  current: number | null;
  /** The threshold the metric is held to, in the metric's unit (rate, or relative change). */
  threshold: number;
  /** Direction-aware test result; null when the data do not allow a test (plain numbers, no data). */
  significant: boolean | null;
  pValue: number | null;
  test: string;
  /** Relative change (current − baseline)/baseline, or absolute for rates. */
  change: number | null;
  critical: boolean;
  reason: string;
}

export type Decision = 'PROCEED' | 'HOLD' | 'ROLLBACK';

export interface RollbackReport {
  decision: Decision;
  violations: {
    metric: MetricKey;
    baseline: number | null;
    current: number | null;
    threshold: number;
    severity: Severity;
    significant: boolean | null;
  }[];
  reasoning: string;
  metrics: MetricJudgement[];
  /** Kayenta-style score: share of judged metrics that pass (0–100); 0 when a critical metric fails. */
  score: number;
  thresholds: Thresholds;
  baselineLabel: string;
  currentLabel: string;
}
