/** The incident overview page's snapshot from a read incident file (pure: no VS Code). */
import type { PostMortem } from '../core/postmortem/types';
import type { FileReport, IncidentEntry } from '../core/store/incidentStore';
import type { IncidentOverviewSnapshot, OverviewPostmortem } from '../protocol/incidentOverview';

/** The post-mortem file as the overview sums it up (undefined: not read, shown as missing). */
export function overviewPostmortem(report: FileReport<PostMortem> | undefined): OverviewPostmortem {
  if (!report || report.state === 'missing') return { exists: false, actionItems: 0, openActionItems: 0 };
  const items = Array.isArray(report.value?.actionItems) ? report.value.actionItems : [];
  return {
    exists: true,
    ...(report.state !== 'valid' ? { problem: report.problems[0]?.message ?? `the file is ${report.state}` } : {}),
    actionItems: items.length,
    openActionItems: items.filter((a) => a && a.status !== 'DONE').length,
  };
}

export function toOverviewSnapshot(entry: IncidentEntry, postmortem?: FileReport<PostMortem>): IncidentOverviewSnapshot {
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
      reproduction: {
        steps: i.reproduction?.steps ?? [],
        attempts: i.reproduction?.attempts ?? [],
        ...(i.reproduction?.rate !== undefined ? { rate: i.reproduction.rate } : {}),
      },
      evidence: (i.evidence ?? []).map(({ kind, path, note, at }) => ({ kind, path, at, ...(note ? { note } : {}) })),
      hypotheses: (i.hypotheses ?? []).map((h) => ({ text: h.text, ...(h.verification ? { result: h.verification.result } : {}) })),
      ...(i.rootCause ? { rootCause: i.rootCause } : {}),
      ...(i.fix && (i.fix.description || i.fix.ref) ? { fix: i.fix } : {}),
      ...(i.fixVerification ? { fixVerification: i.fixVerification } : {}),
      prevention: i.prevention ?? [],
      events: i.events ?? [],
    },
    postmortem: overviewPostmortem(postmortem),
    problems: entry.problems.map(({ line, column, message }) => ({ line, column, message })),
  };
}

/** What the page shows when there is no workspace folder to read the incident from. */
export function noWorkspaceSnapshot(id: string): IncidentOverviewSnapshot {
  return { id, postmortem: overviewPostmortem(undefined), problems: [{ line: 1, column: 1, message: 'No workspace folder is open.' }] };
}
