import * as vscode from 'vscode';
import { attachEvidence as attach } from '../../../core/incident/session';
import type { EvidenceKind } from '../../../core/incident/types';
import { EVIDENCE_FOLDER, incidentDir } from '../../../core/store/layout';
import { redactEvidenceBytes, withRedaction } from '../../../core/redaction/evidence';
import { configuredRedactor } from '../../shared/redaction';
import type { Command } from '../../shared/command';
import type { IncidentDeps } from '../deps';
import { runStep, stepArgs, targetIncident, type StepResult } from '../../shared/sessionStep';
import { errorMessage } from '../../../core/util/errors';
import { reportError } from '../../shared/reportError';

const KINDS: { kind: EvidenceKind; label: string }[] = [
  { kind: 'profile', label: 'CPU / memory profile' },
  { kind: 'errors', label: 'Error cluster(s)' },
  { kind: 'trace', label: 'Distributed trace' },
  { kind: 'logs', label: 'Logs' },
  { kind: 'metrics', label: 'Metrics' },
  { kind: 'snapshot', label: 'State snapshot' },
  { kind: 'abtest', label: 'A/B test analysis' },
  { kind: 'rollback', label: 'Rollback decision' },
  { kind: 'model', label: 'Model debugging' },
  { kind: 'file', label: 'Other file' },
];

export function guessKind(name: string): EvidenceKind {
  const n = name.toLowerCase();
  if (/speedscope|\.prof$|\.pstats$|flame|py-?spy|\.raw$/.test(n)) return 'profile';
  if (/trace|otlp|span/.test(n)) return 'trace';
  if (/error|traceback|cluster/.test(n)) return 'errors';
  if (/\.log$|\.jsonl$|logs?\b/.test(n)) return 'logs';
  if (/metric|prom|\.csv$/.test(n)) return 'metrics';
  return 'file';
}

function isInside(child: vscode.Uri, parent: vscode.Uri): boolean {
  const p = parent.path.endsWith('/') ? parent.path : `${parent.path}/`;
  return child.scheme === parent.scheme && child.path.startsWith(p);
}

/**
 * Args: `{ path, kind?, note? }` with `path` relative to the incident folder, or `{ uri, kind?, note? }` for
 * a file anywhere (other views pass what they produced): a file outside the incident folder is copied into
 * its evidence/ folder, so the incident is self-contained in a pull request.
 */
export const attachEvidence: Command<IncidentDeps> = {
  id: 'incidentWorkbench.attachEvidence',
  async run(deps, target?: unknown, rawArgs?: unknown): Promise<StepResult> {
    const args = stepArgs(rawArgs);
    const id = await targetIncident(deps, target, 'Attach evidence to which incident?');
    if (!id) return { status: 'cancelled' };
    const folderUri = deps.repository.uri(incidentDir(id));
    if (!folderUri) return { status: 'failed', message: 'no folder' };
    let relative = typeof args?.path === 'string' ? args.path : undefined;
    let redaction: { ran: boolean; replaced: number } | undefined;
    let source: vscode.Uri | undefined = args?.uri instanceof vscode.Uri ? args.uri : typeof args?.uri === 'string' ? vscode.Uri.parse(args.uri) : undefined;
    if (!args) {
      // Start in the incident's evidence/ when it has one, else in the workspace, where logs and profiles are.
      const evidenceUri = vscode.Uri.joinPath(folderUri, EVIDENCE_FOLDER);
      const hasEvidence = await Promise.resolve(vscode.workspace.fs.stat(evidenceUri)).then(() => true, () => false);
      const defaultUri = hasEvidence ? evidenceUri : (deps.repository.folder?.uri ?? folderUri);
      const picked = await vscode.window.showOpenDialog({ title: `${id}: Attach Evidence`, openLabel: 'Attach', canSelectMany: false, defaultUri });
      if (!picked?.[0]) return { status: 'cancelled' };
      source = picked[0];
    }
    if (source) {
      if (isInside(source, folderUri)) relative = source.path.slice(folderUri.path.length + 1);
      else {
        const name = source.path.split('/').pop() || 'evidence';
        const dest = vscode.Uri.joinPath(folderUri, EVIDENCE_FOLDER, name);
        try {
          await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(folderUri, EVIDENCE_FOLDER));
          // Redacted on the way in (src/core/redaction): secrets in logs and traces never reach .incidents/.
          if (await Promise.resolve(vscode.workspace.fs.stat(dest)).then(() => true, () => false)) throw new Error(`${name} exists`);
          const redacted = redactEvidenceBytes(await vscode.workspace.fs.readFile(source), name, configuredRedactor(deps.log), guessKind(name) === 'profile');
          await vscode.workspace.fs.writeFile(dest, redacted.bytes);
          redaction = redacted.redaction;
        } catch (e) {
          const exists = await Promise.resolve(vscode.workspace.fs.stat(dest)).then(() => true, () => false);
          if (!exists) {
            const message = `Could not copy ${source.fsPath} into ${id}/evidence: ${errorMessage(e)}`;
            void reportError(deps.log, message, { notify: true, cause: e });
            return { status: 'failed', message };
          }
          // The same file name is already there; attach that one rather than overwrite it.
        }
        relative = `${EVIDENCE_FOLDER}/${name}`;
      }
    }
    if (!relative) return { status: 'failed', message: 'path or uri is required' };
    let kind = (typeof args?.kind === 'string' ? args.kind : undefined) as EvidenceKind | undefined;
    let note = typeof args?.note === 'string' ? args.note : undefined;
    if (!args) {
      const guess = guessKind(relative);
      const picked = await vscode.window.showQuickPick(
        [...KINDS].sort((a, b) => Number(b.kind === guess) - Number(a.kind === guess)).map((k) => ({ label: k.kind, description: k.label, evidenceKind: k.kind })),
        { title: `${id}: what kind of evidence is ${relative}?`, ignoreFocusOut: true },
      );
      if (!picked) return { status: 'cancelled' };
      kind = picked.evidenceKind;
      note = await vscode.window.showInputBox({ title: `${id}: what does it show? (optional)`, placeHolder: 'e.g. pairwise_diversity is 81% of CPU', ignoreFocusOut: true });
      if (note === undefined) return { status: 'cancelled' };
    }
    kind ??= guessKind(relative);
    if (!KINDS.some((k) => k.kind === kind)) return { status: 'failed', message: `kind must be one of ${KINDS.map((k) => k.kind).join(', ')}` };
    const path = relative;
    const k = kind;
    return runStep(deps, id, `${k} evidence attached`, (i, ctx) => {
      const next = attach(i, { kind: k, path, ...(note ? { note } : {}) }, ctx);
      return redaction ? withRedaction(next, path, redaction) : next;
    }, args);
  },
};
