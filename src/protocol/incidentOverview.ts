/** The incident overview webview: what the host sends, and what the page may ask for. */

export const INCIDENT_OVERVIEW_VIEW_TYPE = 'incidentWorkbench.incidentOverview';

export interface IncidentOverviewSnapshot {
  id: string;
  /** Absent when the file cannot be used; `problems` then says why. */
  incident?: {
    title: string;
    severity: string;
    status: string;
    reportedBy: string;
    reportedAt: string;
    description: string;
    rootCause?: string;
    evidence: { kind: string; path: string; note?: string; at: string }[];
    hypotheses: { text: string; result?: string }[];
    events: { at: string; actor: string; kind: string; text: string }[];
  };
  problems: { line: number; column: number; message: string }[];
}

export type IncidentOverviewIntent =
  | { type: 'openIncidentFile'; line?: number; column?: number }
  | { type: 'openEvidence'; path: string }
  | { type: 'revealInTree' };

/** State the page keeps through hide/show and window reloads (webview getState/setState). */
export interface IncidentOverviewState {
  incidentId: string;
}
