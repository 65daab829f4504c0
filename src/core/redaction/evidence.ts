/**
 * Evidence import with redaction: the one way data from outside (log files, trace exports, error samples)
 * should enter `.incidents/<id>/evidence/`. The text is redacted before anything is written; the evidence
 * item records `redaction: {ran, replaced}`; binary content (which cannot be redacted) is refused unless the
 * caller says it is a binary format that holds no free text (profiles).
 *
 *   const r = await importEvidence(fs, store, 'INC-2026-001', { name: 'app.log', bytes, kind: 'logs' }, { now, actor });
 *   r.path        // 'evidence/app.log' (or app-2.log when taken: nothing is overwritten)
 *   r.redaction   // { ran: true, replaced: 12 }
 */
import { attachEvidence, type StepContext } from '../incident/session';
import type { EvidenceItem, EvidenceKind, Incident } from '../incident/types';
import { joinPath, type StoreFileSystem } from '../store/fileSystem';
import type { IncidentStore } from '../store/incidentStore';
import { EVIDENCE_FOLDER, incidentDir } from '../store/layout';
import { createRedactor, redactContent, type Redactor } from './redact';
import { errorMessage } from '../util/errors';

export interface RedactedBytes {
  bytes: Uint8Array;
  redaction: { ran: boolean; replaced: number };
  byKind: Record<string, number>;
}

export class EvidenceImportError extends Error {}

/**
 * Redacts a file's bytes for evidence. UTF-8 text (JSON, JSON Lines, logs) is redacted; other bytes are
 * refused with a reason unless `allowBinary`, then copied as they are with `ran: false`.
 */
export function redactEvidenceBytes(bytes: Uint8Array, name: string, redactor: Redactor = createRedactor(), allowBinary = false): RedactedBytes {
  let text: string | undefined;
  if (!bytes.subarray(0, 8192).includes(0)) {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      text = undefined;
    }
  }
  if (text === undefined) {
    if (!allowBinary) throw new EvidenceImportError(`${name} is not UTF-8 text, so it cannot be redacted; it was not imported. Convert it to text (or export it as JSON) first.`);
    return { bytes, redaction: { ran: false, replaced: 0 }, byKind: {} };
  }
  const r = redactContent(text, name, redactor);
  return { bytes: new TextEncoder().encode(r.value), redaction: { ran: true, replaced: r.replaced }, byKind: r.byKind };
}

/** Adds the redaction record to the evidence item at `path` (the one attachEvidence just appended). */
export function withRedaction(incident: Incident, path: string, redaction: { ran: boolean; replaced: number }): Incident {
  const evidence = [...(incident.evidence ?? [])];
  for (let i = evidence.length - 1; i >= 0; i--) {
    if (evidence[i]!.path === path) {
      evidence[i] = { ...evidence[i]!, redaction } as EvidenceItem;
      break;
    }
  }
  return { ...incident, evidence };
}

export interface EvidenceInput {
  /** File name to keep (sanitised; a free variant is chosen when it is taken). */
  name: string;
  bytes: Uint8Array;
  kind: EvidenceKind;
  note?: string;
  /** Profiles and other binary formats without free text may be copied unredacted (recorded as ran: false). */
  allowBinary?: boolean;
}

export interface ImportedEvidence {
  /** Relative to the incident folder, e.g. `evidence/app.log`. */
  path: string;
  redaction: { ran: boolean; replaced: number };
  byKind: Record<string, number>;
  incident: Incident;
}

export function safeEvidenceName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  return base.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, 80) || 'evidence';
}

export async function importEvidence(
  fs: StoreFileSystem,
  store: IncidentStore,
  id: string,
  input: EvidenceInput,
  ctx: StepContext,
  redactor: Redactor = createRedactor(),
): Promise<ImportedEvidence> {
  const entry = await store.read(id);
  if (entry.state !== 'valid') throw new EvidenceImportError(`Incident ${id} cannot take evidence: ${entry.problems[0]?.message ?? entry.state}`);
  const redacted = redactEvidenceBytes(input.bytes, input.name, redactor, input.allowBinary);
  const dir = joinPath(incidentDir(id, store.root), EVIDENCE_FOLDER);
  await fs.createDirectory(dir);
  const wanted = safeEvidenceName(input.name);
  let name = wanted;
  for (let i = 2; await fs.stat(joinPath(dir, name)); i++) name = wanted.replace(/(\.[^.]+)?$/, `-${i}$1`);
  // Written to a temp name and renamed without overwrite, so a concurrent import of the same name cannot clobber.
  const temp = joinPath(dir, `.${name}.${Date.now().toString(36)}.tmp`);
  await fs.writeFile(temp, redacted.bytes);
  try {
    await fs.rename(temp, joinPath(dir, name), { overwrite: false });
  } catch (e) {
    await fs.delete(temp).catch(() => undefined);
    throw new EvidenceImportError(`Could not write ${joinPath(dir, name)}: ${errorMessage(e)}`);
  }
  const path = `${EVIDENCE_FOLDER}/${name}`;
  const note = [input.note?.trim(), redacted.redaction.ran ? `redacted ${redacted.redaction.replaced} value${redacted.redaction.replaced === 1 ? '' : 's'}` : 'not redacted (binary)']
    .filter(Boolean)
    .join('; ');
  const incident = await store.update(id, (i) => withRedaction(attachEvidence(i, { kind: input.kind, path, note }, ctx), path, redacted.redaction));
  return { path, redaction: redacted.redaction, byKind: redacted.byKind, incident };
}
