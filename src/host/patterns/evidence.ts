import type { PatternReport, PatternSummary } from '../../core/patterns/analyzer';
import type { HostIncidentWriter } from '../shared/incidentWriter';
import type { WorkspaceCallSite } from './callSites';

export interface PatternEvidence {
  incidentId: string;
  /** Relative to the incident folder, as recorded in incident.json. */
  path: string;
}

/**
 * A pattern becomes evidence through the incident writer: its template, counts, time span, level mix,
 * timeline, matcher, the logging calls behind it and its samples (production lines, so the writer redacts
 * the file on the way in) as `evidence/patterns/pattern-<id>.json`, with an evidence item and a timeline
 * event in the same write.
 */
export async function addPatternToIncident(
  writer: HostIncidentWriter,
  incidentId: string,
  pattern: PatternSummary,
  context: { report: PatternReport; sources: string[]; callSites: WorkspaceCallSite[]; now?: Date },
): Promise<PatternEvidence> {
  const at = (context.now ?? new Date()).toISOString();
  const body = {
    kind: 'incident-workbench/log-pattern',
    exportedAt: at,
    sources: context.sources,
    ...(context.report.cutoff ? { cutoff: context.report.cutoff } : {}),
    pattern: { ...pattern, callSites: context.callSites.map((s) => ({ file: s.file, line: s.line, method: s.method, template: s.template })) },
  };
  const span = pattern.firstSeen ? `, ${pattern.firstSeen} – ${pattern.lastSeen}` : '';
  const note = `Log pattern ${pattern.id}: ${pattern.count} × ${pattern.template.length > 120 ? `${pattern.template.slice(0, 119)}…` : pattern.template}${span}${pattern.isNew ? ' (new)' : ''}`;
  const written = await writer.addEvidence(incidentId, { name: `pattern-${pattern.id}.json`, content: `${JSON.stringify(body, null, 2)}\n`, kind: 'patterns', note });
  return { incidentId, path: written.path };
}
