import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import * as vscode from 'vscode';
import { classifyEvidence, type BundleKind } from '../../core/forensics/bundle';
import type { BatchEvidenceInput, BatchResult } from '../../core/incident/writer';
import type { EvidenceRedaction } from '../../core/incident/types';
import { incidentDir } from '../../core/store/layout';
import { incidentIdFrom } from '../shared/pickIncident';
import type { Workbench } from '../shared/workbench';
import { errorMessage } from '../../core/util/errors';

const LINK_ABOVE_BYTES = 100 * 1024 * 1024;

async function head(file: string): Promise<string> {
  const handle = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    if (buf[0] === 0x1f && buf[1] === 0x8b) return ''; // gzip: classify by name
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

export interface PlacedFile {
  source: string;
  path: string;
  kind: BundleKind;
  linked: boolean;
  skipped?: string;
  /** Whether the copy was redacted (src/core/redaction) and how many values were replaced. */
  redaction?: EvidenceRedaction;
}

/** What the writer needs for one bundle file: its bytes (redacted by the writer), or a link when it is big. */
async function input(source: string, kind: BundleKind): Promise<BatchEvidenceInput> {
  const stat = await fs.stat(source);
  const name = nodePath.basename(source);
  const evidenceKind = kind === 'file' ? 'file' : kind;
  if (stat.size > LINK_ABOVE_BYTES) return { name, kind: evidenceKind, bytes: new Uint8Array(), linkTo: nodePath.resolve(source) };
  // Binary files (gzip) cannot be redacted: they go in as they are, recorded as not redacted.
  return { name, kind: evidenceKind, bytes: await fs.readFile(source), allowBinary: true };
}

function placedFrom(source: string, kind: BundleKind, r: BatchResult): PlacedFile {
  return 'skipped' in r ? { source, path: '', kind, linked: false, skipped: r.skipped } : { source, path: r.path, kind, linked: r.linked, redaction: r.redaction };
}

/** Puts one file into an incident's evidence (copy, or link when big) and records it. Returns a summary. */
export async function attachFileToIncident(deps: Workbench, file: vscode.Uri, kind: BundleKind, note: string, incidentArg?: string): Promise<string | undefined> {
  if (!deps.repository.folder) throw new Error('Open a workspace folder first.');
  const already = /\/\.incidents\/([^/]+)\//.exec(file.path);
  const id = incidentArg ?? already?.[1] ?? (await incidentIdFrom(deps, deps.activeIncident.id, 'Attach this trace to which incident?'));
  if (!id) return undefined;
  const base = deps.repository.uri(incidentDir(id));
  if (base && file.path.startsWith(`${base.path}/`)) {
    const path = await deps.writer.recordEvidence(id, file, kind === 'file' ? 'file' : kind, note);
    return `${path} attached to ${id}.`;
  }
  const [r] = await deps.writer.addEvidenceBatch(id, [{ ...(await input(file.fsPath, kind)), note }], note);
  if (!r || 'skipped' in r) throw new Error(r?.skipped ?? 'nothing was attached');
  return `${r.path} attached to ${id}${r.linked ? ' (linked: large file)' : ''}.`;
}

/**
 * Imports an evidence bundle (a folder of traces, logs, metrics) into an incident: each file classified by
 * content, copied (redacted) or linked into evidence/<kind>/ by the incident writer, one evidence entry each
 * and one timeline event.
 */
export async function importEvidenceBundle(deps: Workbench, folderUri: vscode.Uri, id: string, token?: vscode.CancellationToken): Promise<PlacedFile[]> {
  if (!deps.repository.folder) throw new Error('Open a workspace folder first.');
  const files: string[] = [];
  const walk = async (dir: string, depth: number) => {
    for (const e of await fs.readdir(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const full = nodePath.join(dir, e.name);
      if (e.isDirectory() && depth < 3) await walk(full, depth + 1);
      else if (e.isFile()) files.push(full);
    }
  };
  await walk(folderUri.fsPath, 0);
  if (files.length === 0) throw new Error(`${folderUri.fsPath} holds no files.`);
  const sources: { file: string; kind: BundleKind; input?: BatchEvidenceInput; skipped?: string }[] = [];
  for (const f of files.sort()) {
    if (token?.isCancellationRequested) break;
    try {
      const kind = classifyEvidence(nodePath.basename(f), await head(f));
      sources.push({ file: f, kind, input: await input(f, kind) });
    } catch (e) {
      sources.push({ file: f, kind: 'file', skipped: errorMessage(e) });
    }
  }
  const ready = sources.filter((s) => s.input);
  const results = ready.length ? await deps.writer.addEvidenceBatch(id, ready.map((s) => s.input!), `Imported evidence bundle ${nodePath.basename(folderUri.fsPath)}`) : [];
  let next = 0;
  return sources.map((s) => (s.input ? placedFrom(s.file, s.kind, results[next++]!) : { source: s.file, path: '', kind: s.kind, linked: false, skipped: s.skipped! }));
}
