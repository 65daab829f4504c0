/** A first draft of the post-mortem from what the incident session recorded. */
import type { Incident, IncidentEvent } from '../incident/types';
import type { PostMortem, TimelineEntry } from './types';

export function timelineFromEvents(events: readonly IncidentEvent[]): TimelineEntry[] {
  return events.map((e) => ({ timestamp: e.at, event: e.text, actor: e.actor, action: e.kind }));
}

/**
 * Adds entries that are not there yet (same timestamp and event text counts as there), keeping what the
 * author wrote and its order; new entries are placed in time order after that.
 */
export function mergeTimeline(existing: readonly TimelineEntry[], incoming: readonly TimelineEntry[]): { timeline: TimelineEntry[]; added: number } {
  const key = (e: TimelineEntry) => `${Date.parse(e.timestamp) || e.timestamp}\u0000${e.event.trim()}`;
  const seen = new Set(existing.map(key));
  const fresh = incoming.filter((e) => {
    const k = key(e);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const timeline = [...existing, ...fresh].sort((a, b) => (Date.parse(a.timestamp) || 0) - (Date.parse(b.timestamp) || 0));
  return { timeline, added: fresh.length };
}

function firstEvent(events: readonly IncidentEvent[], test: (e: IncidentEvent) => boolean): string | undefined {
  return events.find(test)?.at;
}

export function milestonesFromIncident(incident: Incident): NonNullable<PostMortem['milestones']> {
  const events = incident.events ?? [];
  const m: NonNullable<PostMortem['milestones']> = {};
  const started = typeof incident.startedAt === 'string' ? incident.startedAt : undefined;
  if (started) m.started = started;
  m.detected = incident.reportedAt;
  const ack = firstEvent(events, (e) => e.at > incident.reportedAt && e.kind !== 'opened');
  if (ack) m.acknowledged = ack;
  const mitigated = firstEvent(events, (e) => e.kind === 'status' && /→ MITIGATED/.test(e.text));
  if (mitigated) m.mitigated = mitigated;
  const resolved = firstEvent(events, (e) => (e.kind === 'status' && /→ RESOLVED/.test(e.text)) || e.kind === 'closed');
  if (resolved) m.resolved = resolved;
  return m;
}

export function postmortemFromIncident(incident: Incident): PostMortem {
  const milestones = milestonesFromIncident(incident);
  const end = milestones.resolved ?? milestones.mitigated;
  const start = milestones.started ?? milestones.detected;
  const duration = end && start ? Math.max(0, Math.round((Date.parse(end) - Date.parse(start)) / 60000)) : undefined;
  const pm: PostMortem = {
    title: incident.title,
    incidentId: incident.id,
    date: incident.reportedAt.slice(0, 10),
    severity: incident.severity,
    ...(duration !== undefined && !Number.isNaN(duration) ? { durationMinutes: duration } : {}),
    summary: incident.description ?? '',
    impact: [],
    timeline: timelineFromEvents(incident.events ?? []),
    rootCause: incident.rootCause ?? '',
    ...(incident.fix?.description ? { resolution: incident.fix.description + (incident.fix.ref ? ` (${incident.fix.ref})` : '') } : {}),
    contributingFactors: [],
    whatWentWell: [],
    whatWentWrong: [],
    whereWeGotLucky: [],
    actionItems: (incident.prevention ?? []).map((p) => ({ description: p, priority: 'HIGH' as const, status: 'TODO' as const })),
    milestones,
    evidence: (incident.evidence ?? []).map((e) => ({ kind: e.kind, path: e.path, ...(e.note ? { note: e.note } : {}) })),
  };
  return pm;
}
