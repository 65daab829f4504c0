/** The rollback judgement panel. */

export const ROLLBACK_VIEW_TYPE = 'incidentWorkbench.rollback';

export interface RollbackMetricView {
  metric: string;
  label: string;
  status: 'pass' | 'fail' | 'warn' | 'insufficient' | 'nodata' | 'unmeasured';
  severity: 'CRITICAL' | 'HIGH' | 'WARNING' | 'INFO' | 'OK';
  baselineText: string;
  currentText: string;
  significant: boolean | null;
  pValueText: string;
  test: string;
  critical: boolean;
  reason: string;
}

export interface RollbackSnapshot {
  baselineFile: string;
  currentFile: string;
  error?: string;
  decision?: 'PROCEED' | 'HOLD' | 'ROLLBACK';
  reasoning?: string;
  score?: number;
  baselineLabel?: string;
  currentLabel?: string;
  metrics: RollbackMetricView[];
  notes: string[];
  thresholds?: { errorRate: number; latencyIncrease: number; successRateDrop: number; critical: string[] };
  /** What "Roll Back…" would run, or why it cannot. */
  rollback: { available: boolean; command?: string; reason?: string; incidentId?: string };
  /** Result of the last rollback run from this panel. */
  lastRun?: { at: string; exitCode: number | null; evidencePath: string; incidentId: string; status: string };
}

export type RollbackIntent = { type: 'rollBack' } | { type: 'refresh' } | { type: 'openSettings' } | { type: 'openFile'; which: 'baseline' | 'current' };
