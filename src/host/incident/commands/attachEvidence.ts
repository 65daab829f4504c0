import * as vscode from 'vscode';
import { attachEvidence as attach } from '../../../core/incident/session';
import type { EvidenceKind } from '../../../core/incident/types';
import { EVIDENCE_FOLDER, incidentDir } from '../../../core/store/layout';
import type { Command } from '../../shared/command';
import type { IncidentDeps } from '../deps';
import { runStep, stepArgs, targetIncident, type StepResult } from '../../shared/sessionStep';
import { errorMessage } from '../../../core/util/errors';
import { reportError } from '../../shared/reportError';
import { pickFile } from '../../shared/pickFile';

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
  async run(deps, target?: unknown, rawArgs?: unknown): Promise<StepResult & { path?: string }> {
    const args = stepArgs(rawArgs);
    const id = await targetIncident(deps, target, 'Attach evidence to which incident?');
    if (!id) return { status: 'cancelled' };
    const folderUri = deps.repository.uri(incidentDir(id));
    if (!folderUri) return { status: 'failed', message: 'no folder' };
    let relative = typeof args?.path === 'string' ? args.path : undefined;
    let source: vscode.Uri | undefined = args?.uri instanceof vscode.Uri ? args.uri : typeof args?.uri === 'string' ? vscode.Uri.parse(args.uri) : undefined;
    if (!args) {
      // Files already in the incident's evidence/ but not recorded first, then the workspace's data files.
      const evidenceUri = vscode.Uri.joinPath(folderUri, EVIDENCE_FOLDER);
      const hasEvidence = await Promise.resolve(vscode.workspace.fs.stat(evidenceUri)).then(() => true, () => false);
      const picked = await pickFile(deps, {
        title: `${id}: Attach Evidence (copied into its evidence/, redacted)`,
        incidentId: id,
        kinds: 'unrecorded',
        include: '{**/*.log,**/*.jsonl,**/*.ndjson,**/*.json,**/*.csv,**/*.tsv,**/*.txt,**/*.gz,**/*.raw,**/*.prof,**/*.pstats,**/*.folded,**/*.collapsed,**/*.bin,**/*.svg,**/*.html,**/*.png}',
        match: /./,
        excludeGlob: '**/.incidents/**',
        dialog: { openLabel: 'Attach', defaultUri: hasEvidence ? evidenceUri : (deps.repository.folder?.uri ?? folderUri) },
      });
      if (!picked?.[0]) return { status: 'cancelled' };
      source = picked[0];
    }
    if (source && isInside(source, folderUri)) {
      relative = source.path.slice(folderUri.path.length + 1);
      source = undefined;
    }
    const shown = relative ?? source?.path.split('/').pop();
    if (!shown) return { status: 'failed', message: 'path or uri is required' };
    let kind = (typeof args?.kind === 'string' ? args.kind : undefined) as EvidenceKind | undefined;
    let note = typeof args?.note === 'string' ? args.note : undefined;
    if (!args) {
      const guess = guessKind(shown);
      const picked = await vscode.window.showQuickPick(
        [...KINDS].sort((a, b) => Number(b.kind === guess) - Number(a.kind === guess)).map((k) => ({ label: k.kind, description: k.label, evidenceKind: k.kind })),
        { title: `${id}: what kind of evidence is ${shown}?`, ignoreFocusOut: true },
      );
      if (!picked) return { status: 'cancelled' };
      kind = picked.evidenceKind;
      note = await vscode.window.showInputBox({ title: `${id}: what does it show? (optional)`, placeHolder: 'e.g. pairwise_diversity is 81% of CPU', ignoreFocusOut: true });
      if (note === undefined) return { status: 'cancelled' };
    }
    kind ??= guessKind(shown);
    if (!KINDS.some((k) => k.kind === kind)) return { status: 'failed', message: `kind must be one of ${KINDS.map((k) => k.kind).join(', ')}` };
    const k = kind;
    if (source) {
      // A file from outside is copied in by the incident writer: redacted, under evidence/<kind>/, never over
      // another file, and recorded in the same step.
      try {
        const written = await deps.writer.addEvidence(id, { name: shown, content: source, kind: k, ...(note ? { note } : {}), allowBinary: k === 'profile' || k === 'memory' });
        vscode.window.setStatusBarMessage(`$(check) ${id}: ${k} evidence attached`, 4000);
        return { status: 'applied', incident: written.incident, path: written.path };
      } catch (e) {
        const message = `Could not copy ${source.fsPath} into ${id}: ${errorMessage(e)}`;
        void reportError(deps.log, message, { notify: true, cause: e, subject: id });
        return { status: 'failed', message };
      }
    }
    const path = relative!;
    return runStep(deps, id, `${k} evidence attached`, (i, ctx) => attach(i, { kind: k, path, ...(note ? { note } : {}) }, ctx), args);
  },
};
