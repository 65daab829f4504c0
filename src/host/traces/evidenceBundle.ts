import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import * as vscode from 'vscode';
import { classifyEvidence, EVIDENCE_SUBFOLDER, type BundleKind } from '../../core/forensics/bundle';
import { redactEvidenceBytes } from '../../core/redaction/evidence';
import { incidentDir } from '../../core/store/layout';
import { incidentIdFrom } from '../shared/pickIncident';
import { resolveReporter } from '../shared/identity';
import { configuredRedactor } from '../shared/redaction';
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
  redaction?: { ran: boolean; replaced: number };
}

/** Copies (or, when big, symlinks) one file into the incident's evidence folder. Never overwrites. */
async function place(source: string, incidentFolder: string, kind: BundleKind): Promise<PlacedFile> {
  const stat = await fs.stat(source);
  const relDir = `evidence/${EVIDENCE_SUBFOLDER[kind]}`;
  await fs.mkdir(nodePath.join(incidentFolder, relDir), { recursive: true });
  const base = nodePath.basename(source);
  let name = base;
  for (let i = 2; ; i++) {
    try {
      await fs.lstat(nodePath.join(incidentFolder, relDir, name));
      const ext = nodePath.extname(base);
      name = `${base.slice(0, base.length - ext.length)}-${i}${ext}`;
    } catch {
      break;
    }
  }
  const dest = nodePath.join(incidentFolder, relDir, name);
  const linked = stat.size > LINK_ABOVE_BYTES;
  // Copies are redacted on the way in; binary files (gzip) cannot be and are recorded as not redacted.
  let redaction = { ran: false, replaced: 0 };
  if (linked) await fs.symlink(nodePath.resolve(source), dest);
  else {
    const redacted = redactEvidenceBytes(await fs.readFile(source), base, configuredRedactor(), true);
    await fs.writeFile(dest, redacted.bytes, { flag: 'wx' });
    redaction = redacted.redaction;
  }
  return { source, path: `${relDir}/${name}`, kind, linked, redaction };
}

async function record(deps: Workbench, id: string, placed: PlacedFile[], note: string): Promise<void> {
  const store = deps.repository.store();
  const folder = deps.repository.folder;
  if (!store || !folder) throw new Error('no workspace folder is open');
  const at = new Date().toISOString();
  const actor = await resolveReporter(folder);
  const ok = placed.filter((p) => !p.skipped);
  await store.update(id, (incident) => ({
    ...incident,
    evidence: [...(incident.evidence ?? []), ...ok.map((p) => ({ kind: p.kind === 'file' ? ('file' as const) : p.kind, path: p.path, at, note: `${note}${p.linked ? ' (linked: large file)' : ''}`, ...(p.redaction ? { redaction: p.redaction } : {}) }))],
    events: [...(incident.events ?? []), { at, actor, kind: 'evidence', text: `${note}: ${ok.map((p) => p.path).join(', ')}` }],
  }));
  deps.repository.invalidate();
}

/** Puts one file into an incident's evidence (copy, or link when big) and records it. Returns a summary. */
export async function attachFileToIncident(deps: Workbench, file: vscode.Uri, kind: BundleKind, note: string, incidentArg?: string): Promise<string | undefined> {
  const store = deps.repository.store();
  const folder = deps.repository.folder;
  if (!store || !folder) throw new Error('Open a workspace folder first.');
  const already = /\/\.incidents\/([^/]+)\//.exec(file.path);
  const id = incidentArg ?? already?.[1] ?? (await incidentIdFrom(deps, deps.activeIncident.id, 'Attach this trace to which incident?'));
  if (!id) return undefined;
  const incidentFolder = nodePath.join(folder.uri.fsPath, incidentDir(id, store.root));
  let placed: PlacedFile;
  if (file.fsPath.startsWith(incidentFolder + nodePath.sep)) placed = { source: file.fsPath, path: nodePath.relative(incidentFolder, file.fsPath).split(nodePath.sep).join('/'), kind, linked: false };
  else placed = await place(file.fsPath, incidentFolder, kind);
  await record(deps, id, [placed], note);
  return `${placed.path} attached to ${id}${placed.linked ? ' (linked: large file)' : ''}.`;
}

/**
 * Imports an evidence bundle (a folder of traces, logs, metrics) into an incident: each file classified by
 * content, copied or linked into evidence/<kind>/, one evidence entry each and one timeline event.
 */
export async function importEvidenceBundle(deps: Workbench, folderUri: vscode.Uri, id: string, token?: vscode.CancellationToken): Promise<PlacedFile[]> {
  const store = deps.repository.store();
  const ws = deps.repository.folder;
  if (!store || !ws) throw new Error('Open a workspace folder first.');
  const incidentFolder = nodePath.join(ws.uri.fsPath, incidentDir(id, store.root));
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
  const placed: PlacedFile[] = [];
  for (const f of files.sort()) {
    if (token?.isCancellationRequested) break;
    try {
      const kind = classifyEvidence(nodePath.basename(f), await head(f));
      placed.push(await place(f, incidentFolder, kind));
    } catch (e) {
      placed.push({ source: f, path: '', kind: 'file', linked: false, skipped: errorMessage(e) });
    }
  }
  if (placed.some((p) => !p.skipped)) await record(deps, id, placed, `Imported evidence bundle ${nodePath.basename(folderUri.fsPath)}`);
  return placed;
}
