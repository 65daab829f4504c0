import type { Incident, IncidentEvent, Severity } from './types';

export interface NewIncidentInput {
  id: string;
  title: string;
  severity: Severity;
  reportedBy: string;
  description?: string;
  /** ISO timestamp; injected so tests and the CLI are deterministic. */
  now: string;
}

export function createIncident(input: NewIncidentInput): Incident {
  const title = input.title.trim();
  return {
    id: input.id,
    title,
    severity: input.severity,
    status: 'OPEN',
    reportedBy: input.reportedBy,
    reportedAt: input.now,
    description: input.description ?? '',
    reproduction: { steps: [], attempts: [] },
    evidence: [],
    hypotheses: [],
    prevention: [],
    events: [{ at: input.now, actor: input.reportedBy, kind: 'opened', text: `Opened ${input.severity} incident: ${title}` }],
  };
}

/** Returns a copy with the event appended; the timeline is append-only, so nothing else changes. */
export function withEvent(incident: Incident, event: IncidentEvent): Incident {
  return { ...incident, events: [...(incident.events ?? []), event] };
}

/** A title the user typed, or why it cannot be one. */
export function checkTitle(title: string): string | undefined {
  const t = title.trim();
  if (t.length === 0) return 'A title is required: what is broken, for whom (e.g. "Checkout p95 latency 5 s").';
  if (t.length > 200) return `A title of at most 200 characters, please (this one has ${t.length}).`;
  return undefined;
}
