import * as vscode from 'vscode';
import { recordAttempt } from '../../../core/incident/session';
import type { Command } from '../../shared/command';
import type { IncidentDeps } from '../deps';
import { runStep, stepArgs, targetIncident, type StepResult } from '../../shared/sessionStep';

/** Args: `{ reproduced: boolean, note? }`. The reproduction rate is recomputed from all attempts. */
export const recordReproductionAttempt: Command<IncidentDeps> = {
  id: 'incidentWorkbench.recordReproductionAttempt',
  async run(deps, target?: unknown, rawArgs?: unknown): Promise<StepResult> {
    const args = stepArgs(rawArgs);
    const id = await targetIncident(deps, target, 'Record a reproduction attempt for which incident?');
    if (!id) return { status: 'cancelled' };
    let reproduced: boolean;
    let note: string | undefined;
    if (args) {
      if (typeof args.reproduced !== 'boolean') return { status: 'failed', message: 'reproduced must be true or false' };
      reproduced = args.reproduced;
      note = typeof args.note === 'string' ? args.note : undefined;
    } else {
      const picked = await vscode.window.showQuickPick(
        [
          { label: '$(check) Reproduced', description: 'the problem showed up', value: true },
          { label: '$(close) Not reproduced', description: 'the steps ran and the problem did not appear', value: false },
        ],
        { title: `${id}: Record Reproduction Attempt`, ignoreFocusOut: true },
      );
      if (!picked) return { status: 'cancelled' };
      reproduced = picked.value;
      note = await vscode.window.showInputBox({ title: `${id}: attempt note (optional)`, prompt: 'What you saw, e.g. "1.3 s per request with 200 candidates"', ignoreFocusOut: true });
      if (note === undefined) return { status: 'cancelled' };
    }
    return runStep(deps, id, `reproduction attempt recorded (${reproduced ? 'reproduced' : 'not reproduced'})`, (i, ctx) => recordAttempt(i, reproduced, note, ctx), args);
  },
};
