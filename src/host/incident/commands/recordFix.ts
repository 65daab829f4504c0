import * as vscode from 'vscode';
import { recordFix as record } from '../../../core/incident/session';
import type { Command } from '../../shared/command';
import type { IncidentDeps } from '../deps';
import { ask, runStep, stepArgs, targetIncident, type StepResult } from '../../shared/sessionStep';

/**
 * Args: `{ description, ref?, override? }` — ref is a commit, PR or ticket reference. Guarded (Pressure Test 1):
 * without a reproduction, evidence and a confirmed hypothesis the user is asked to override with a reason.
 */
export const recordFix: Command<IncidentDeps> = {
  id: 'incidentWorkbench.recordFix',
  async run(deps, target?: unknown, rawArgs?: unknown): Promise<StepResult> {
    const args = stepArgs(rawArgs);
    const id = await targetIncident(deps, target, 'Record the fix of which incident?');
    if (!id) return { status: 'cancelled' };
    const description = await ask(args, 'description', { title: `${id}: Record Fix (1/2)`, prompt: 'What was changed, addressing the root cause', placeHolder: 'e.g. Vectorised the diversity penalty; O(n) per candidate' });
    if (description === undefined) return { status: 'cancelled' };
    let ref = typeof args?.ref === 'string' ? args.ref : undefined;
    if (!args) {
      ref = await vscode.window.showInputBox({ title: `${id}: Record Fix (2/2)`, prompt: 'Commit, pull request or ticket (optional)', placeHolder: 'e.g. a1b2c3d or PR #42', ignoreFocusOut: true });
      if (ref === undefined) return { status: 'cancelled' };
    }
    return runStep(deps, id, 'fix recorded', (i, ctx, override) => record(i, description, ref, ctx, override), args);
  },
};
