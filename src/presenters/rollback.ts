/** The rollback panel's snapshot from a judgement of two metric windows (pure: no VS Code). */
import { formatMetric } from '../core/rollback/decide';
import type { RollbackReport } from '../core/rollback/types';
import { formatPValue } from '../core/stats';
import type { RollbackSnapshot } from '../protocol/rollback';

/** What was judged: the two files as the user knows them, and the report or why there is none. */
export interface JudgedFiles {
  baselineFile: string;
  currentFile: string;
  report?: RollbackReport;
  notes: string[];
  error?: string;
}

export function toRollbackSnapshot(j: JudgedFiles, rollback: RollbackSnapshot['rollback'], lastRun?: RollbackSnapshot['lastRun']): RollbackSnapshot {
  const r = j.report;
  return {
    baselineFile: j.baselineFile,
    currentFile: j.currentFile,
    ...(j.error ? { error: j.error } : {}),
    ...(r
      ? {
          decision: r.decision,
          reasoning: r.reasoning,
          score: r.score,
          baselineLabel: r.baselineLabel,
          currentLabel: r.currentLabel,
          thresholds: { errorRate: r.thresholds.errorRate, latencyIncrease: r.thresholds.latencyIncrease, successRateDrop: r.thresholds.successRateDrop, critical: r.thresholds.critical },
        }
      : {}),
    metrics: (r?.metrics ?? []).map((m) => ({
      metric: m.metric,
      label: m.label,
      status: m.status,
      severity: m.severity,
      baselineText: formatMetric(m.metric, m.baseline),
      currentText: formatMetric(m.metric, m.current),
      significant: m.significant,
      pValueText: m.pValue === null ? '—' : formatPValue(m.pValue),
      test: m.test,
      critical: m.critical,
      reason: m.reason,
    })),
    notes: j.notes,
    rollback,
    ...(lastRun ? { lastRun } : {}),
  };
}
