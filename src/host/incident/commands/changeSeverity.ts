import * as vscode from 'vscode';
import { changeSeverity as change } from '../../../core/incident/session';
import { SEVERITIES, isSeverity, type Severity } from '../../../core/incident/types';
import type { Command } from '../../shared/command';
import type { IncidentDeps } from '../deps';
import { runStep, stepArgs, targetIncident, type StepResult } from '../../shared/sessionStep';

/** Args: `{ severity, reason? }`. */
export const changeSeverity: Command<IncidentDeps> = {
  id: 'incidentWorkbench.changeSeverity',
  async run(deps, target?: unknown, rawArgs?: unknown): Promise<StepResult> {
    const args = stepArgs(rawArgs);
    const id = await targetIncident(deps, target, 'Change the severity of which incident?');
    if (!id) return { status: 'cancelled' };
    let severity: Severity | undefined;
    let reason: string | undefined;
    if (args) {
      if (!isSeverity(args.severity)) return { status: 'failed', message: `severity must be one of ${SEVERITIES.join(', ')}` };
      severity = args.severity;
      reason = typeof args.reason === 'string' ? args.reason : undefined;
    } else {
      const current = (await deps.repository.list()).find((e) => e.id === id)?.value?.severity;
      const picked = await vscode.window.showQuickPick(
        SEVERITIES.map((s) => ({ label: s, description: s === current ? 'current' : '' })),
        { title: `${id}: Change Severity`, ignoreFocusOut: true },
      );
      if (!picked) return { status: 'cancelled' };
      severity = picked.label as Severity;
      reason = await vscode.window.showInputBox({ title: `${id}: why ${severity}? (optional)`, ignoreFocusOut: true });
      if (reason === undefined) return { status: 'cancelled' };
    }
    const s = severity;
    return runStep(deps, id, `severity set to ${s}`, (i, ctx) => change(i, s, reason, ctx), args);
  },
};
