import * as vscode from 'vscode';
import { incidentDir } from '../../core/store/layout';
import { resolveReporter } from '../shared/identity';
import type { ProfileDeps } from './deps';

/**
 * Appends a profile to an incident's evidence and timeline through IncidentStore.update (atomic, keeps
 * unknown fields, refuses to touch an invalid file). The path is relative to the incident folder.
 */
export async function recordProfileEvidence(deps: ProfileDeps, incidentId: string, file: vscode.Uri, note: string, kindText = 'Recorded a profile'): Promise<string> {
  const store = deps.repository.store();
  const folder = deps.repository.folder;
  if (!store || !folder) throw new Error('no workspace folder is open');
  const base = vscode.Uri.joinPath(folder.uri, incidentDir(incidentId, store.root)).path;
  if (!file.path.startsWith(`${base}/`)) throw new Error(`${file.fsPath} is not inside ${incidentDir(incidentId, store.root)}/`);
  const relative = file.path.slice(base.length + 1);
  const at = new Date().toISOString();
  const actor = await resolveReporter(folder);
  await store.update(incidentId, (incident) => ({
    ...incident,
    evidence: [...(incident.evidence ?? []), { kind: 'profile', path: relative, at, note }],
    events: [...(incident.events ?? []), { at, actor, kind: 'evidence', text: `${kindText}: ${relative}` }],
  }));
  deps.repository.invalidate();
  return relative;
}
