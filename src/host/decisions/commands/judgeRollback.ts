import * as vscode from 'vscode';
import type { RollbackReport } from '../../../core/rollback';
import { resolveUri } from '../settings';
import type { Workbench } from '../../shared/workbench';
import type { Command } from '../../shared/command';
import { reportError } from '../../shared/reportError';
import { pickFile } from '../../shared/pickFile';

/** Metrics of a deploy: the incident's rollback and metrics evidence, then the workspace's likely files. */
async function pick(deps: Workbench, title: string, exclude?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const picked = await pickFile(deps, {
    title,
    kinds: ['rollback', 'metrics'],
    include: '{**/deploy/**/*.json,**/deploys/**/*.json,**/canary/**/*.json,**/*baseline*.json,**/*current*.json,**/*canary*.json,**/*metrics*.json}',
    match: /\.json$/i,
    ...(exclude ? { exclude } : {}),
    dialog: { openLabel: 'Use', filters: { 'Metrics (JSON)': ['json'] } },
  });
  return picked?.[0];
}

/**
 * Judges a deploy: args `{ baseline, current, thresholds? }` (Uris or workspace-relative paths; a thresholds
 * file goes over the incidentWorkbench.rollback.thresholds setting), else two picks of the workspace's files.
 * Prometheus-sourced metrics are queried with progress and cancel; the decision opens in the rollback panel.
 */
export const judgeRollback: Command<Workbench> = {
  id: 'incidentWorkbench.judgeRollback',
  async run(deps, rawArgs?: unknown): Promise<{ decision?: string; report?: RollbackReport; error?: string } | undefined> {
    const args = (rawArgs && typeof rawArgs === 'object' ? rawArgs : {}) as { baseline?: unknown; current?: unknown; thresholds?: unknown; show?: boolean };
    const baseline = resolveUri(args.baseline) ?? (await pick(deps, 'Judge Rollback (1/2): baseline metrics (the version running before, same window)'));
    if (!baseline) return undefined;
    const current = resolveUri(args.current) ?? (await pick(deps, 'Judge Rollback (2/2): current metrics (the new version)', baseline));
    if (!current) return undefined;
    // Loaded on first use: the statistics (and jstat) stay off the activation path.
    const { judge } = await import('../rollback');
    const { RollbackPanel } = await import('../rollbackPanel');
    const judgement = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Judging the deploy against its baseline…', cancellable: true },
      (_progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return judge(deps, baseline, current, controller.signal, resolveUri(args.thresholds));
      },
    );
    if (judgement.error) void reportError(deps.log, `Rollback judgement failed: ${judgement.error}`, { notify: true });
    if (args.show !== false) RollbackPanel.show(deps, judgement);
    return { decision: judgement.report?.decision, report: judgement.report, error: judgement.error };
  },
};
