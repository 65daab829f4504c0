/**
 * Redaction of evidence on its way into `.incidents/<id>/evidence/` (the incident writer,
 * src/core/incident/writer.ts, calls it for every file): text is redacted before anything is written and the
 * evidence item records `redaction: {ran, replaced}`; binary content, which cannot be redacted, is refused
 * unless the caller says it is a format that holds no free text (profiles, memory captures).
 */
import type { EvidenceItem, EvidenceRedaction, Incident } from '../incident/types';
import { createRedactor, redactContent, type Redactor } from './redact';

export interface RedactedBytes {
  bytes: Uint8Array;
  /** What the evidence item records: `byKind` is there when anything was replaced. */
  redaction: EvidenceRedaction;
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
  return { bytes: new TextEncoder().encode(r.value), redaction: { ran: true, replaced: r.replaced, ...(r.replaced > 0 ? { byKind: r.byKind } : {}) }, byKind: r.byKind };
}

/** Adds the redaction record to the evidence item at `path` (the one attachEvidence just appended). */
export function withRedaction(incident: Incident, path: string, redaction: EvidenceRedaction): Incident {
  const evidence = [...(incident.evidence ?? [])];
  for (let i = evidence.length - 1; i >= 0; i--) {
    if (evidence[i]!.path === path) {
      evidence[i] = { ...evidence[i]!, redaction } as EvidenceItem;
      break;
    }
  }
  return { ...incident, evidence };
}
