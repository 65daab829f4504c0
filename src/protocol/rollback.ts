/** The rollback judgement panel. */

import type { MetricJudgement, RollbackReport, Thresholds } from '../core/rollback/types';

export const ROLLBACK_VIEW_TYPE = 'incidentWorkbench.rollback';

/** A metric's judgement with its numbers written out for reading (the page does no unit arithmetic). */
export type RollbackMetricView = Pick<MetricJudgement, 'metric' | 'label' | 'status' | 'severity' | 'significant' | 'test' | 'critical' | 'reason'> & {
  baselineText: string;
  currentText: string;
  pValueText: string;
};

/** The report's verdict fields are absent when there is no report (`error` says why). */
export interface RollbackSnapshot extends Partial<Pick<RollbackReport, 'decision' | 'reasoning' | 'score' | 'baselineLabel' | 'currentLabel'>> {
  baselineFile: string;
  currentFile: string;
  error?: string;
  metrics: RollbackMetricView[];
  notes: string[];
  thresholds?: Pick<Thresholds, 'errorRate' | 'latencyIncrease' | 'successRateDrop' | 'critical'>;
  /** What "Roll Back…" would run, or why it cannot. */
  rollback: { available: boolean; command?: string; reason?: string; incidentId?: string };
  /** Result of the last rollback run from this panel. */
  lastRun?: { at: string; exitCode: number | null; evidencePath: string; incidentId: string; status: string };
}

/** What the panel needs to judge the same files again after a window reload (the host's `reopen`). */
export interface RollbackReopen {
  baseline: string;
  current: string;
  thresholds?: string;
}

export function isRollbackReopen(v: unknown): v is RollbackReopen {
  const o = v as Partial<RollbackReopen> | null;
  return typeof o === 'object' && o !== null && typeof o.baseline === 'string' && typeof o.current === 'string' && (o.thresholds === undefined || typeof o.thresholds === 'string');
}

export type RollbackIntent = { type: 'rollBack' } | { type: 'refresh' } | { type: 'openSettings' } | { type: 'openFile'; which: 'baseline' | 'current' };

const INTENTS = new Set(['rollBack', 'refresh', 'openSettings', 'openFile']);

export function isRollbackIntent(m: { type: string }): m is RollbackIntent {
  if (!INTENTS.has(m.type)) return false;
  return m.type !== 'openFile' || ['baseline', 'current'].includes((m as { which?: unknown }).which as string);
}
