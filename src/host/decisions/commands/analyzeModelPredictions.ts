import * as vscode from 'vscode';
import type { MlModelReport, RobustnessReport } from '../../../core/mlmodel';
import { resolveUri } from '../settings';
import type { Workbench } from '../../shared/workbench';
import type { Command } from '../../shared/command';
import { reportError } from '../../shared/reportError';
import { pickFile } from '../../shared/pickFile';

/**
 * Opens prediction JSONL in the model panel. Args: a Uri / workspace-relative path, or `{ file, robustness:
 * true }` to also run the robustness check (needs a trusted workspace and a configured predictor).
 * Returns the analysis (and the robustness result) for tests and other commands.
 */
export const analyzeModelPredictions: Command<Workbench> = {
  id: 'incidentWorkbench.analyzeModelPredictions',
  async run(deps, arg?: unknown): Promise<{ report?: MlModelReport; robustness?: RobustnessReport } | undefined> {
    const options = arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? (arg as { file?: unknown; robustness?: unknown }) : { file: arg };
    let uri = resolveUri(options.file);
    if (!uri) {
      const active = vscode.window.activeTextEditor?.document.uri;
      if (active && /\.jsonl$/i.test(active.path)) uri = active;
    }
    if (!uri) {
      const picked = await pickFile(deps, {
        title: 'Analyze Model Predictions (JSON Lines: one prediction per line)',
        kinds: ['model'],
        include: '{**/*prediction*.jsonl,**/*prediction*.json,**/*prediction*.ndjson,**/model/**/*.jsonl,**/models/**/*.jsonl}',
        match: /\.(jsonl|json|ndjson)$/i,
        dialog: { openLabel: 'Analyze', filters: { 'Predictions (JSON Lines)': ['jsonl', 'json', 'ndjson'] } },
      });
      uri = picked?.[0];
    }
    if (!uri) return undefined;
    const { MlModelPanel } = await import('../mlModelPanel');
    const panel = await MlModelPanel.show(deps, uri);
    if (!panel.lastReport) {
      void reportError(deps.log, `Cannot analyze ${vscode.workspace.asRelativePath(uri)}: it could not be read.`, { notify: true });
      return {};
    }
    const robustness = options.robustness === true ? await panel.runRobustness() : undefined;
    return { report: panel.lastReport, ...(robustness ? { robustness } : {}) };
  },
};
