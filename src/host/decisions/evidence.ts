import * as vscode from 'vscode';
import { attachEvidence } from '../../core/incident/session';
import type { EvidenceKind, Incident } from '../../core/incident/types';
import { EVIDENCE_FOLDER, incidentDir } from '../../core/store/layout';
import { redactContent } from '../../core/redaction/redact';
import { withRedaction } from '../../core/redaction/evidence';
import { configuredRedactor } from '../shared/redaction';
import { resolveReporter } from '../shared/identity';
import type { Workbench } from '../shared/workbench';

export const stamp = (d = new Date()) => d.toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z');

export function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'evidence';
}

/**
 * Writes `content` to `.incidents/<id>/evidence/<fileName>` (never over an existing file) and records it in
 * the incident through IncidentStore.update (evidence item + timeline event). Returns the path relative to
 * the incident folder.
 */
export async function writeEvidence(deps: Workbench, id: string, fileName: string, content: string, kind: EvidenceKind, note: string): Promise<{ path: string; incident: Incident }> {
  const store = deps.repository.store();
  const folder = deps.repository.uri(incidentDir(id));
  if (!store || !folder) throw new Error('Open a folder first: incidents are kept in its .incidents/ folder.');
  const dir = vscode.Uri.joinPath(folder, EVIDENCE_FOLDER);
  await vscode.workspace.fs.createDirectory(dir);
  let name = fileName;
  for (let i = 2; ; i++) {
    const exists = await Promise.resolve(vscode.workspace.fs.stat(vscode.Uri.joinPath(dir, name))).then(() => true, () => false);
    if (!exists) break;
    name = fileName.replace(/(\.[^.]+)?$/, `-${i}$1`);
  }
  // Inputs and analyses can quote user data: redacted (src/core/redaction) before they reach .incidents/.
  const redacted = redactContent(content, name, configuredRedactor(deps.log));
  await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, name), new TextEncoder().encode(redacted.value));
  const path = `${EVIDENCE_FOLDER}/${name}`;
  const ctx = { now: new Date().toISOString(), actor: await resolveReporter(deps.repository.folder) };
  const incident = await store.update(id, (i) => withRedaction(attachEvidence(i, { kind, path, note }, ctx), path, { ran: true, replaced: redacted.replaced }));
  return { path, incident };
}

/** Appends one timeline event to an incident. */
export async function recordEvent(deps: Workbench, id: string, kind: string, text: string): Promise<Incident> {
  const store = deps.repository.store();
  if (!store) throw new Error('Open a folder first.');
  const actor = await resolveReporter(deps.repository.folder);
  return store.update(id, (i) => ({ ...i, events: [...(i.events ?? []), { at: new Date().toISOString(), actor, kind, text }] }));
}
