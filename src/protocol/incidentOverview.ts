/** The incident overview webview: what the host sends, and what the page may ask for. */
import type { EvidenceItem, Hypothesis, Incident, IncidentEvent } from '../core/incident/types';
import type { FileProblem } from '../core/validation/problems';

export const INCIDENT_OVERVIEW_VIEW_TYPE = 'incidentWorkbench.incidentOverview';

/** The post-mortem as the overview sums it up: whether it exists, and its action items' state. */
export interface OverviewPostmortem {
  exists: boolean;
  /** Its file cannot be used (invalid JSON or schema): the form says why. */
  problem?: string;
  actionItems: number;
  openActionItems: number;
}

export interface IncidentOverviewSnapshot {
  id: string;
  /** Absent when the file cannot be used; `problems` then says why. */
  incident?: Pick<Incident, 'title' | 'severity' | 'status' | 'reportedBy' | 'reportedAt' | 'rootCause' | 'fix' | 'fixVerification'> & {
    /** '' when the file has none. */
    description: string;
    /** The method's steps in order: reproduction, evidence, hypotheses, root cause, fix, verification, prevention. */
    reproduction: { steps: string[]; attempts: NonNullable<NonNullable<Incident['reproduction']>['attempts']>; rate?: number };
    evidence: Omit<EvidenceItem, 'redaction'>[];
    /** Each hypothesis with the result of its verification, once there is one. */
    hypotheses: (Pick<Hypothesis, 'text'> & { result?: NonNullable<Hypothesis['verification']>['result'] })[];
    prevention: string[];
    events: IncidentEvent[];
  };
  postmortem: OverviewPostmortem;
  problems: Pick<FileProblem, 'line' | 'column' | 'message'>[];
}

export type IncidentOverviewIntent =
  | { type: 'openIncidentFile'; line?: number; column?: number }
  | { type: 'openEvidence'; path: string }
  | { type: 'openPostmortem' }
  | { type: 'revealInTree' };

const INTENTS = new Set<IncidentOverviewIntent['type']>(['openIncidentFile', 'openEvidence', 'openPostmortem', 'revealInTree']);

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
