import * as vscode from 'vscode';
import type { ClusterSummary } from '../../core/errors/analyzer';
import { evidenceDir } from '../../core/store/layout';
import type { Incident } from '../../core/incident/types';
import type { IncidentRepository } from '../shared/incidentRepository';
import { configuredRedactor } from '../shared/redaction';

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
 * Adds a cluster to an incident as evidence: its summary is written to `evidence/errors-<id>.json` (a new
 * name if that exists: nothing is overwritten), then incident.json gets an evidence item and a timeline event
 * through IncidentStore.update, which refuses to touch an invalid file.
 */
export async function addClusterToIncident(
  repository: IncidentRepository,
  incidentId: string,
  cluster: ClusterSummary,
  context: { sources: string[]; actor: string; now?: Date },
): Promise<ClusterEvidence> {
  const store = repository.store();
  const folderUri = repository.uri(evidenceDir(incidentId));
  if (!store || !folderUri) throw new Error('Open a folder first: incidents are kept in its .incidents/ folder.');
  const entry = await store.read(incidentId);
  if (entry.state !== 'valid') throw new Error(`${entry.path} cannot be changed: ${entry.problems[0]?.message ?? entry.state}. Fix it first; nothing was written.`);
  await vscode.workspace.fs.createDirectory(folderUri);
  let name = `errors-${cluster.id}.json`;
  for (let i = 2; ; i++) {
    try {
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(folderUri, name));
      name = `errors-${cluster.id}-${i}.json`;
    } catch {
      break;
    }
  }
  const at = (context.now ?? new Date()).toISOString();
  const body = { kind: 'incident-workbench/error-cluster', exportedAt: at, sources: context.sources, cluster };
  // Samples are production log lines: redacted (src/core/redaction) before they reach .incidents/.
  const redacted = configuredRedactor().redactJson(body);
  await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folderUri, name), new TextEncoder().encode(`${JSON.stringify(redacted.value, null, 2)}\n`));
  const path = `evidence/${name}`;
  const note = summaryLine(redacted.value.cluster);
  await store.update(incidentId, (incident: Incident) => ({
    ...incident,
    evidence: [...(incident.evidence ?? []), { kind: 'errors', path, note, at, redaction: { ran: true, replaced: redacted.replaced } }],
    events: [...(incident.events ?? []), { at, actor: context.actor, kind: 'evidence', text: `Added ${note}` }],
  }));
  repository.invalidate();
  return { incidentId, path };
}
