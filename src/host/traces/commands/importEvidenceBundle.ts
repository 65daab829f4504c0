import * as vscode from 'vscode';
import { importEvidenceBundle as importBundle, type PlacedFile } from '../evidenceBundle';
import type { Command } from '../../shared/command';
import type { TracesDeps } from '../deps';
import { incidentIdFrom } from '../../shared/pickIncident';
import { errorMessage } from '../../../core/util/errors';
import { reportError } from '../../shared/reportError';

/**
 * Copies a folder of production exports (traces, logs, metrics) into an incident's evidence/, sorted by
 * kind; big files are linked. Args: (incident id?, folder Uri?).
 */
export const importEvidenceBundle: Command<TracesDeps> = {
  id: 'incidentWorkbench.importEvidenceBundle',
  async run(deps, target?: unknown, folderArg?: unknown): Promise<PlacedFile[] | undefined> {
    const id = await incidentIdFrom(deps, target ?? deps.activeIncident.id, 'Import the evidence bundle into which incident?');
    if (!id) return undefined;
    let folder = folderArg instanceof vscode.Uri ? folderArg : typeof folderArg === 'string' ? vscode.Uri.file(folderArg) : undefined;
    if (!folder) {
      const picked = await vscode.window.showOpenDialog({ title: `${id}: Import Evidence Bundle`, openLabel: 'Import Folder', canSelectFiles: false, canSelectFolders: true, canSelectMany: false });
      folder = picked?.[0];
    }
    if (!folder) return undefined;
    try {
      const placed = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Importing evidence into ${id}`, cancellable: true }, (_p, token) => importBundle(deps, folder, id, token));
      const ok = placed.filter((p) => !p.skipped);
      const skipped = placed.filter((p) => p.skipped);
      const counts = ['trace', 'logs', 'metrics', 'file'].map((k) => [k, ok.filter((p) => p.kind === k).length] as const).filter(([, n]) => n > 0);
      void vscode.window.showInformationMessage(
        `${id}: imported ${ok.length} file${ok.length === 1 ? '' : 's'} (${counts.map(([k, n]) => `${n} ${k}`).join(', ') || 'none'})${skipped.length ? `; ${skipped.length} skipped: ${skipped[0]!.skipped}` : ''}.`,
      );
      return placed;
    } catch (e) {
      void reportError(deps.log, `Could not import the evidence bundle: ${errorMessage(e)}`, { notify: true, cause: e });
      return undefined;
    }
  },
};
