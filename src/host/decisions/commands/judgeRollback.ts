import * as vscode from 'vscode';
import type { RollbackReport } from '../../../core/rollback';
import { resolveUri } from '../settings';
import type { Workbench } from '../../shared/workbench';
import type { Command } from '../../shared/command';
import { reportError } from '../../shared/reportError';

async function pick(title: string): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({ title, openLabel: 'Use', canSelectMany: false, defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri, filters: { 'Metrics (JSON)': ['json'] } });
  return picked?.[0];
}

/**
 * Judges a deploy: args `{ baseline, current, thresholds? }` (Uris or workspace-relative paths; a thresholds
 * file goes over the incidentWorkbench.rollback.thresholds setting), else two file dialogs.
 * Prometheus-sourced metrics are queried with progress and cancel; the decision opens in the rollback panel.
 */
export const judgeRollback: Command<Workbench> = {
  id: 'incidentWorkbench.judgeRollback',
  async run(deps, rawArgs?: unknown): Promise<{ decision?: string; report?: RollbackReport; error?: string } | undefined> {
    const args = (rawArgs && typeof rawArgs === 'object' ? rawArgs : {}) as { baseline?: unknown; current?: unknown; thresholds?: unknown; show?: boolean };
    const baseline = resolveUri(args.baseline) ?? (await pick('Judge Rollback: baseline metrics (the version running before, same window)'));
    if (!baseline) return undefined;
    const current = resolveUri(args.current) ?? (await pick('Judge Rollback: current metrics (the new version)'));
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
