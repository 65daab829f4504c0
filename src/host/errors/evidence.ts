import type { ClusterSummary } from '../../core/errors/analyzer';
import type { HostIncidentWriter } from '../shared/incidentWriter';

export interface ClusterEvidence {
  incidentId: string;
  /** Relative to the incident folder, as recorded in incident.json. */
  path: string;
}

function summaryLine(c: ClusterSummary): string {
  const title = c.exceptionType ? `${c.exceptionType}: ${c.template}` : c.template;
  const span = c.firstSeen ? `, ${c.firstSeen} – ${c.lastSeen}` : '';
  return `Error cluster ${c.id}: ${c.count} × ${title} (${c.category}${span})`;
}

/**
 * Adds a cluster to an incident as evidence through the incident writer: its summary (samples are production
 * log lines, so it is redacted on the way in) becomes `evidence/errors/errors-<id>.json`, and the incident gets
 * the evidence item and a timeline event in the same write.
 */
export async function addClusterToIncident(writer: HostIncidentWriter, incidentId: string, cluster: ClusterSummary, context: { sources: string[]; now?: Date }): Promise<ClusterEvidence> {
  const at = (context.now ?? new Date()).toISOString();
  const body = { kind: 'incident-workbench/error-cluster', exportedAt: at, sources: context.sources, cluster };
  const written = await writer.addEvidence(incidentId, { name: `errors-${cluster.id}.json`, content: `${JSON.stringify(body, null, 2)}\n`, kind: 'errors', note: summaryLine(cluster) });
  return { incidentId, path: written.path };
}
