import * as vscode from 'vscode';
import { closeIncident as close } from '../../../core/incident/session';
import type { PostMortem } from '../../../core/postmortem/types';
import type { Command } from '../../shared/command';
import type { IncidentDeps } from '../deps';
import { runStep, stepArgs, targetIncident, type StepResult } from '../../shared/sessionStep';
import { reportError } from '../../shared/reportError';

/**
 * Args: `{ override? }`. CRITICAL/HIGH incidents need a post-mortem with an action item that has an owner and a
 * due date; otherwise blocked unless overridden with a reason (recorded).
 */
export const closeIncident: Command<IncidentDeps> = {
  id: 'incidentWorkbench.closeIncident',
  async run(deps, target?: unknown, rawArgs?: unknown): Promise<StepResult> {
    const args = stepArgs(rawArgs);
    const id = await targetIncident(deps, target, 'Close which incident?');
    if (!id) return { status: 'cancelled' };
    const store = deps.repository.store();
    if (!store) return { status: 'failed', message: 'no folder' };
    const pm = await store.readPostmortem(id);
    if (pm.state !== 'missing' && pm.state !== 'valid') {
      const message = `${id}: postmortem.json is ${pm.state} (${pm.problems[0]?.message ?? ''}); fix it before closing.`;
      void reportError(deps.log, message, { notify: true });
      return { status: 'failed', message };
    }
    const postmortem: PostMortem | undefined = pm.state === 'valid' ? pm.value : undefined;
    const result = await runStep(deps, id, 'closed', (i, ctx, override) => close(i, postmortem, ctx, override), args);
    if (result.status === 'blocked' && !args && result.findings?.some((f) => f.rule.startsWith('close-needs'))) {
      const open = await vscode.window.showInformationMessage(`${id} stays open until its post-mortem has an owned, dated action item.`, 'Open Post-Mortem');
      if (open) await vscode.commands.executeCommand('incidentWorkbench.openPostmortem', id);
    }
    return result;
  },
};
