import * as vscode from 'vscode';
import { changeStatus as change } from '../../../core/incident/session';
import { STATUSES, type IncidentStatus } from '../../../core/incident/types';
import type { Command } from '../../shared/command';
import type { IncidentDeps } from '../deps';
import { runStep, stepArgs, targetIncident, type StepResult } from '../../shared/sessionStep';

const HELP: Record<IncidentStatus, string> = {
  OPEN: 'reported, nobody on it yet',
  INVESTIGATING: 'reproducing and collecting evidence',
  MITIGATED: 'users no longer affected; the cause may remain',
  RESOLVED: 'the root cause is fixed and verified',
  CLOSED: 'use Close Incident: it checks the post-mortem first',
};

/** Args: `{ status }` (OPEN, INVESTIGATING, MITIGATED, RESOLVED). CLOSED goes through Close Incident. */
export const changeStatus: Command<IncidentDeps> = {
  id: 'incidentWorkbench.changeStatus',
  async run(deps, target?: unknown, rawArgs?: unknown): Promise<StepResult> {
    const args = stepArgs(rawArgs);
    const id = await targetIncident(deps, target, 'Change the status of which incident?');
    if (!id) return { status: 'cancelled' };
    let status = args?.status as IncidentStatus | undefined;
    if (!args) {
      const picked = await vscode.window.showQuickPick(
        STATUSES.filter((s) => s !== 'CLOSED').map((s) => ({ label: s, description: HELP[s] })),
        { title: `${id}: Change Status`, ignoreFocusOut: true },
      );
      if (!picked) return { status: 'cancelled' };
      status = picked.label as IncidentStatus;
    }
    if (status === 'CLOSED') return vscode.commands.executeCommand('incidentWorkbench.closeIncident', id, args) as Promise<StepResult>;
    if (!status || !STATUSES.includes(status)) return { status: 'failed', message: `status must be one of ${STATUSES.join(', ')}` };
    const s = status;
    return runStep(deps, id, `status set to ${s}`, (i, ctx) => change(i, s, ctx), args);
  },
};
