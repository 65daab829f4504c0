/** The incident overview webview: what the host sends, and what the page may ask for. */
import type { EvidenceItem, Hypothesis, Incident, IncidentEvent } from '../core/incident/types';
import type { FileProblem } from '../core/validation/problems';

export const INCIDENT_OVERVIEW_VIEW_TYPE = 'incidentWorkbench.incidentOverview';

export interface IncidentOverviewSnapshot {
  id: string;
  /** Absent when the file cannot be used; `problems` then says why. */
  incident?: Pick<Incident, 'title' | 'severity' | 'status' | 'reportedBy' | 'reportedAt' | 'rootCause'> & {
    /** '' when the file has none. */
    description: string;
    evidence: Omit<EvidenceItem, 'redaction'>[];
    /** Each hypothesis with the result of its verification, once there is one. */
    hypotheses: (Pick<Hypothesis, 'text'> & { result?: NonNullable<Hypothesis['verification']>['result'] })[];
    events: IncidentEvent[];
  };
  problems: Pick<FileProblem, 'line' | 'column' | 'message'>[];
}

export type IncidentOverviewIntent =
  | { type: 'openIncidentFile'; line?: number; column?: number }
  | { type: 'openEvidence'; path: string }
  | { type: 'revealInTree' };

const INTENTS = new Set<IncidentOverviewIntent['type']>(['openIncidentFile', 'openEvidence', 'revealInTree']);

export function isIncidentOverviewIntent(m: { type: string }): m is IncidentOverviewIntent {
  if (!INTENTS.has(m.type as IncidentOverviewIntent['type'])) return false;
  return m.type !== 'openEvidence' || typeof (m as { path?: unknown }).path === 'string';
}

/** What the panel needs to open again after a window reload (the host's `reopen`, see common.ts). */
export interface IncidentOverviewReopen {
  incidentId: string;
}

export function isIncidentOverviewReopen(v: unknown): v is IncidentOverviewReopen {
  return typeof v === 'object' && v !== null && typeof (v as { incidentId?: unknown }).incidentId === 'string';
}
