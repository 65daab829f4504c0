import * as vscode from 'vscode';
import type { RollbackRunResult } from '../rollback';
import { resolveUri } from '../settings';
import type { Workbench } from '../../shared/workbench';
import type { Command } from '../../shared/command';
import { reportError } from '../../shared/reportError';

/**
 * "Roll Back…": runs incidentWorkbench.rollback.command as a VS Code task, only in a trusted workspace,
 * only after the evidence snapshot is written into the incident and the user confirms.
 * Args (all optional): `{ baseline, current, thresholds, incident, confirm, evidence: [paths] }`; without baseline and
 * current it uses what the rollback panel shows. `confirm: true` is for scripted callers (tests); the user
 * path always asks.
 */
export const rollBack: Command<Workbench> = {
  id: 'incidentWorkbench.rollBack',
  async run(deps, rawArgs?: unknown): Promise<RollbackRunResult> {
    const args = (rawArgs && typeof rawArgs === 'object' ? rawArgs : {}) as { baseline?: unknown; current?: unknown; thresholds?: unknown; incident?: unknown; confirm?: unknown; evidence?: unknown };
    const { judge, runRollback, trustFirst } = await import('../rollback');
    if (!vscode.workspace.isTrusted) {
      void trustFirst(deps.log);
      return { status: 'untrusted' };
    }
    const { RollbackPanel } = await import('../rollbackPanel');
    const baseline = resolveUri(args.baseline) ?? RollbackPanel.current?.judgement.baselineUri;
    const current = resolveUri(args.current) ?? RollbackPanel.current?.judgement.currentUri;
    if (!baseline || !current) {
      void vscode.window.showInformationMessage('Judge the deploy first (Incident Workbench: Judge Rollback…), then roll back from its panel.');
      await vscode.commands.executeCommand('incidentWorkbench.judgeRollback');
      return { status: 'not-judged' };
    }
    const thresholds = resolveUri(args.thresholds) ?? (resolveUri(args.baseline) ? undefined : RollbackPanel.current?.judgement.thresholdsUri);
    const judgement = await judge(deps, baseline, current, undefined, thresholds);
    if (!judgement.report) {
      void reportError(deps.log, `Cannot roll back without a judgement: ${judgement.error}`, { notify: true });
      return { status: 'not-judged', message: judgement.error };
    }
    const extra = Array.isArray(args.evidence) ? args.evidence.map(resolveUri).filter((u): u is vscode.Uri => !!u) : [];
    return runRollback(deps, judgement, { incident: args.incident, confirm: args.confirm === true, extraEvidence: extra });
  },
};
