/**
 * PROCEED / HOLD / ROLLBACK, following REFERENCE.md's "better than both" (Kayenta's statistics, Argo/Flagger's
 * thresholds): per metric, too little data and no data are explicit outcomes; a direction-aware test against
 * the concurrent baseline (one-sided two-proportion z for rates, one-sided Mann-Whitney with a 98 %
 * Hodges-Lehmann interval for distributions, as Kayenta); a metric fails only when the change is significant
 * AND past a practical margin; a failing critical metric vetoes (ROLLBACK) — after K consecutive failures when
 * configured; anything else that is off means HOLD (investigate, monitor), with a reason per metric. Severity
 * follows the seed: > 5 % errors is critical, a 2 % error rate means investigate, < 1 % is minor.
 */
import { hodgesLehmann, pStatement, mannWhitneyU, twoProportionTest } from '../stats';
import type { Decision, MetricJudgement, MetricKey, MetricValue, MetricsWindow, RollbackReport, Severity, Thresholds } from './types';
import { DEFAULT_THRESHOLDS, METRIC_KEYS } from './types';

const LABELS: Record<MetricKey, string> = {
  errorRate: 'error rate',
  successRate: 'success rate',
  latencyP95: 'p95 latency',
  throughput: 'throughput',
  cpu: 'CPU',
  memory: 'memory',
};

export function formatMetric(key: MetricKey, v: number | null): string {
  if (v === null) return 'no data';
  if (key === 'errorRate' || key === 'successRate') return `${(v * 100).toFixed(v < 0.01 ? 2 : 1)} %`;
  if (key === 'latencyP95') return `${v.toFixed(v < 10 ? 1 : 0)} ms`;
  if (key === 'throughput') return `${v.toFixed(1)}/s`;
  return `${v.toFixed(1)} %`;
}

function quantile(sorted: readonly number[], q: number): number {
  // Linear interpolation between closest ranks (numpy's default), on a sorted array.
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

function summary(v: MetricValue): number | null {
  switch (v.kind) {
    case 'value':
      return v.value;
    case 'counts':
      return v.total > 0 ? v.events / v.total : null;
    case 'samples': {
      if (!v.samples.length) return null;
      if (v.aggregate === 'mean') return v.samples.reduce((a, b) => a + b, 0) / v.samples.length;
      const sorted = [...v.samples].sort((a, b) => a - b);
      return quantile(sorted, v.aggregate === 'p95' ? 0.95 : 0.5);
    }
    default:
      return null;
  }
}

function amount(v: MetricValue): { n: number; unit: string } | undefined {
  if (v.kind === 'counts') return { n: v.total, unit: 'requests' };
  if (v.kind === 'samples') return { n: v.samples.length, unit: 'samples' };
  return undefined;
}

/** Direction in which a change is bad for each metric. */
const BAD_UP: Record<MetricKey, boolean> = { errorRate: true, successRate: false, latencyP95: true, throughput: false, cpu: true, memory: true };

function thresholdFor(key: MetricKey, t: Thresholds): number {
  switch (key) {
    case 'errorRate':
      return t.errorRate;
    case 'successRate':
      return t.successRateDrop;
    case 'latencyP95':
      return t.latencyIncrease;
    case 'throughput':
      return t.throughputDrop;
    default:
      return t.resourceIncrease;
  }
}

function judge(key: MetricKey, b: MetricValue | undefined, c: MetricValue | undefined, t: Thresholds): MetricJudgement | undefined {
  if (!b && !c) return undefined;
  const critical = t.critical.includes(key);
  const base: Omit<MetricJudgement, 'status' | 'severity' | 'reason'> = {
    metric: key,
    label: LABELS[key],
    baseline: b ? summary(b) : null,
    current: c ? summary(c) : null,
    threshold: thresholdFor(key, t),
    significant: null,
    pValue: null,
    test: 'none',
    change: null,
    critical,
  };
  const noData = (which: string, why: string): MetricJudgement => ({
    ...base,
    status: 'nodata',
    severity: critical ? 'WARNING' : 'INFO',
    reason: `No data for the ${which} window (${why}); ${critical ? 'a critical metric cannot be judged blind — hold' : 'not judged'}.`,
  });
  if (!c || c.kind === 'none') return noData('current', c?.kind === 'none' ? c.reason : 'missing from the current metrics');
  if (!b || b.kind === 'none') return noData('baseline', b?.kind === 'none' ? b.reason : 'missing from the baseline metrics');
  if (base.baseline === null || base.current === null) return noData(base.current === null ? 'current' : 'baseline', 'empty');
  for (const [which, v] of [['baseline', b], ['current', c]] as const) {
    const a = amount(v);
    const min = a?.unit === 'requests' ? t.minRequests : t.minSamples;
    if (a && a.n < min) {
      return {
        ...base,
        status: 'insufficient',
        severity: critical ? 'WARNING' : 'INFO',
        reason: `Too little data to judge: the ${which} window has ${a.n} ${a.unit} (at least ${min} needed). Wait for more traffic.`,
      };
    }
  }

  // ---- direction-aware significance
  const badUp = BAD_UP[key];
  if (b.kind === 'counts' && c.kind === 'counts') {
    const r = twoProportionTest({ successes: b.events, n: b.total }, { successes: c.events, n: c.total }, { alternative: badUp ? 'larger' : 'smaller', alpha: t.alpha });
    base.pValue = Number.isFinite(r.pValue) ? r.pValue : 1;
    base.significant = base.pValue < t.alpha;
    base.test = `one-sided two-proportion z = ${Number.isFinite(r.z) ? r.z.toFixed(2) : '0'}`;
  } else if (b.kind === 'samples' && c.kind === 'samples') {
    const r = mannWhitneyU(c.samples, b.samples, badUp ? 'larger' : 'smaller');
    const hl = hodgesLehmann(c.samples, b.samples, 0.98);
    base.pValue = Number.isFinite(r.pValue) ? r.pValue : 1;
    base.significant = base.pValue < t.alpha;
    base.test = `one-sided Mann-Whitney; Hodges-Lehmann shift ${hl.shift.toPrecision(3)} (98 % CI ${hl.low.toPrecision(3)} to ${hl.high.toPrecision(3)})`;
  } else {
    base.test = 'threshold only (no counts or samples to test)';
  }
  const cur = base.current;
  const bas = base.baseline;
  const isRateMetric = key === 'errorRate' || key === 'successRate';
  const change = isRateMetric ? cur - bas : bas !== 0 ? (cur - bas) / Math.abs(bas) : cur === 0 ? 0 : Infinity;
  base.change = Number.isFinite(change) ? change : null;
  const badChange = badUp ? change : -change;
  // Untested numbers count as evidence of a change when past the margin (the seed's threshold logic).
  const worse = base.significant === true || (base.significant === null && badChange > 0);
  const sigText = base.significant === null ? 'untested' : base.significant ? `significant, ${pStatement(base.pValue!)}` : `not significant, ${pStatement(base.pValue!)}`;
  const from = `${formatMetric(key, bas)} → ${formatMetric(key, cur)}`;
  const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
  const result = (status: MetricJudgement['status'], severity: Severity, reason: string): MetricJudgement => {
    let sev = severity;
    if (status === 'fail') sev = critical ? 'CRITICAL' : sev === 'CRITICAL' ? 'HIGH' : sev;
    return { ...base, status, severity: sev, reason };
  };

  switch (key) {
    case 'errorRate': {
      if (cur >= t.errorRate && worse && badChange >= t.errorRateMargin) return result('fail', 'CRITICAL', `${from}: above the ${pct(t.errorRate)} limit and up by ${(badChange * 100).toFixed(2)} points (${sigText}).`);
      if (cur >= t.errorRate) return result('warn', 'WARNING', `${from}: above the ${pct(t.errorRate)} limit, but the baseline is as bad (${sigText}) — not caused by this deploy; investigate separately.`);
      if (worse && badChange >= t.errorRateMargin && cur >= t.errorRateMinor) return result('warn', 'WARNING', `${from}: up by ${(badChange * 100).toFixed(2)} points (${sigText}) but below the ${pct(t.errorRate)} rollback limit — investigate, do not roll back yet.`);
      // Below the absolute margin, a significant jump relative to the baseline is still this deploy's doing.
      const relative = bas > 0 ? badChange / bas : badChange > 0 ? Infinity : 0;
      if (base.significant === true && relative >= t.errorRateRelativeIncrease) {
        return result('warn', 'WARNING', `${from}: up ${Number.isFinite(relative) ? `${(relative * 100).toFixed(0)} %` : 'from zero'} relative to the baseline (${sigText}), below the ${pct(t.errorRate)} rollback limit — a real increase, still small: hold and investigate.`);
      }
      if (worse && badChange >= t.errorRateMargin) return result('pass', 'INFO', `${from}: slightly higher (${sigText}) but under ${pct(t.errorRateMinor)} — minor; monitor.`);
      return result('pass', 'OK', `${from}: no meaningful increase (${sigText}).`);
    }
    case 'successRate': {
      if (worse && badChange > t.successRateDrop) return result('fail', 'CRITICAL', `${from}: dropped ${(badChange * 100).toFixed(2)} points, more than the ${(t.successRateDrop * 100).toFixed(0)}-point limit (${sigText}).`);
      if (worse && badChange >= t.errorRateMargin) return result('warn', 'WARNING', `${from}: dropped ${(badChange * 100).toFixed(2)} points (${sigText}), within the ${(t.successRateDrop * 100).toFixed(0)}-point limit — investigate.`);
      return result('pass', 'OK', `${from}: no meaningful drop (${sigText}).`);
    }
    default: {
      const margin = base.threshold;
      const what = badUp ? 'higher' : 'lower';
      if (worse && badChange > margin) return result('fail', key === 'latencyP95' ? 'HIGH' : 'WARNING', `${from}: ${pct(badChange)} ${what}, past the ${pct(margin)} margin (${sigText}).`);
      if (base.significant === false && badChange > margin) return result('pass', 'INFO', `${from}: ${pct(badChange)} ${what} but not significant (${sigText}) — could be noise; monitor.`);
      if (worse && badChange > 0) return result('pass', 'INFO', `${from}: ${pct(badChange)} ${what} (${sigText}), within the ${pct(margin)} margin.`);
      return result('pass', 'OK', `${from}: not worse (${sigText}).`);
    }
  }
}

export function decideRollback(baseline: MetricsWindow, current: MetricsWindow, thresholds: Thresholds = DEFAULT_THRESHOLDS): RollbackReport {
  const metrics = METRIC_KEYS.flatMap((k) => judge(k, baseline.metrics[k], current.metrics[k], thresholds) ?? []);
  const fails = metrics.filter((m) => m.status === 'fail');
  const criticalFails = fails.filter((m) => m.severity === 'CRITICAL');
  const blind = metrics.filter((m) => (m.status === 'nodata' || m.status === 'insufficient') && m.critical);
  const warnings = metrics.filter((m) => m.status === 'warn' || (m.status === 'fail' && m.severity !== 'CRITICAL'));
  const judged = metrics.filter((m) => m.status === 'pass' || m.status === 'fail' || m.status === 'warn');
  const consecutive = (current.previousConsecutiveFailures ?? 0) + 1;
  let decision: Decision;
  const reasons: string[] = [];
  if (criticalFails.length && consecutive >= thresholds.consecutiveFailures) {
    decision = 'ROLLBACK';
    reasons.push(`ROLLBACK: ${criticalFails.map((m) => `${m.label} — ${m.reason}`).join(' ')}`);
    reasons.push('Preserve evidence (logs, traces, these metrics) before rolling back.');
  } else if (criticalFails.length) {
    decision = 'HOLD';
    reasons.push(`HOLD: ${criticalFails.map((m) => m.label).join(', ')} failed, check ${consecutive} of ${thresholds.consecutiveFailures} consecutive failures needed before rolling back. ${criticalFails.map((m) => m.reason).join(' ')}`);
  } else if (judged.length === 0) {
    decision = 'HOLD';
    reasons.push(`HOLD: nothing could be judged. ${metrics.map((m) => `${m.label}: ${m.reason}`).join(' ') || 'No metrics were given.'}`);
  } else if (warnings.length || blind.length) {
    decision = 'HOLD';
    reasons.push(`HOLD — investigate and monitor, do not roll back yet: ${[...warnings, ...blind].map((m) => `${m.label}: ${m.reason}`).join(' ')}`);
  } else {
    decision = 'PROCEED';
    reasons.push(`PROCEED: all ${judged.length} judged metrics are within their margins against the baseline.`);
  }
  const passing = judged.filter((m) => m.status === 'pass').length;
  return {
    decision,
    violations: metrics
      .filter((m) => m.status === 'fail' || m.status === 'warn')
      .map(({ metric, baseline, current, threshold, severity, significant }) => ({ metric, baseline, current, threshold, severity, significant })),
    reasoning: reasons.join(' '),
    metrics,
    score: criticalFails.length ? 0 : judged.length ? Math.round((100 * passing) / judged.length) : 0,
    thresholds,
    baselineLabel: baseline.label,
    currentLabel: current.label,
  };
}
