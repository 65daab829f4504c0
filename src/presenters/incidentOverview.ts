/** The incident overview page's snapshot from a read incident file (pure: no VS Code). */
import type { IncidentEntry } from '../core/store/incidentStore';
import type { IncidentOverviewSnapshot } from '../protocol/incidentOverview';

export function toOverviewSnapshot(entry: IncidentEntry): IncidentOverviewSnapshot {
  const i = entry.state === 'valid' ? entry.value : undefined;
  return {
    id: entry.id,
    incident: i && {
      title: i.title,
      severity: i.severity,
      status: i.status,
      reportedBy: i.reportedBy,
      reportedAt: i.reportedAt,
      description: i.description ?? '',
      ...(i.rootCause ? { rootCause: i.rootCause } : {}),
      evidence: (i.evidence ?? []).map(({ kind, path, note, at }) => ({ kind, path, at, ...(note ? { note } : {}) })),
      hypotheses: (i.hypotheses ?? []).map((h) => ({ text: h.text, ...(h.verification ? { result: h.verification.result } : {}) })),
      events: i.events ?? [],
    },
    problems: entry.problems.map(({ line, column, message }) => ({ line, column, message })),
  };
}

/** What the page shows when there is no workspace folder to read the incident from. */
export function noWorkspaceSnapshot(id: string): IncidentOverviewSnapshot {
  return { id, problems: [{ line: 1, column: 1, message: 'No workspace folder is open.' }] };
}
