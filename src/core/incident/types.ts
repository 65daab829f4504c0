/** The shape of `.incidents/<id>/incident.json` (schemas/incident.schema.json is the authority). */

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const STATUSES = ['OPEN', 'INVESTIGATING', 'MITIGATED', 'RESOLVED', 'CLOSED'] as const;
export type IncidentStatus = (typeof STATUSES)[number];

export const EVIDENCE_KINDS = ['profile', 'memory', 'stacks', 'errors', 'patterns', 'trace', 'logs', 'metrics', 'snapshot', 'file', 'abtest', 'rollback', 'model', 'commit'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export interface EvidenceRedaction {
  ran: boolean;
  replaced: number;
  byKind?: Record<string, number>;
}

export interface EvidenceItem {
  kind: EvidenceKind;
  path: string;
  note?: string;
  at: string;
  /** Whether the copy was redacted, how many values were replaced, and how many of each kind (`[REDACTED:<kind>]`). */
  redaction?: EvidenceRedaction;
}

export interface Hypothesis {
  text: string;
  createdAt: string;
  verification?: { test: string; result: 'CONFIRMED' | 'REJECTED' | 'INCONCLUSIVE'; at: string };
}

export interface IncidentEvent {
  at: string;
  actor: string;
  kind: string;
  text: string;
}

export interface Incident {
  id: string;
  title: string;
  severity: Severity;
  status: IncidentStatus;
  reportedBy: string;
  reportedAt: string;
  description?: string;
  reproduction?: {
    steps?: string[];
    attempts?: { at: string; reproduced: boolean; note?: string }[];
    rate?: number;
  };
  evidence?: EvidenceItem[];
  hypotheses?: Hypothesis[];
  rootCause?: string;
  fix?: { description?: string; ref?: string };
  fixVerification?: { method: string; verified: boolean; at: string };
  prevention?: string[];
  events?: IncidentEvent[];
  /** Fields written by newer versions or by hand are kept as they are. */
  [unknownField: string]: unknown;
}

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}
