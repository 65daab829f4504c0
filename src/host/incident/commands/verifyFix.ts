import * as vscode from 'vscode';
import { verifyFix as verify } from '../../../core/incident/session';
import type { Command } from '../../shared/command';
import type { IncidentDeps } from '../deps';
import { ask, keepDraft, runStep, stepArgs, targetIncident, type StepResult } from '../../shared/sessionStep';

/** Args: `{ method, verified, override? }`. "Verified" needs a reproduction or a named method. */
export const verifyFix: Command<IncidentDeps> = {
  id: 'incidentWorkbench.verifyFix',
  async run(deps, target?: unknown, rawArgs?: unknown): Promise<StepResult> {
    const args = stepArgs(rawArgs);
    const id = await targetIncident(deps, target, 'Record the fix verification of which incident?');
    if (!id) return { status: 'cancelled' };
    let method: string;
    let verified: boolean;
    if (args) {
      method = typeof args.method === 'string' ? args.method : '';
      if (typeof args.verified !== 'boolean') return { status: 'failed', message: 'verified must be true or false' };
      verified = args.verified;
      return runStep(deps, id, `fix ${verified ? 'verified' : 'not verified'}`, (i, ctx, override) => verify(i, method, verified, ctx, override), args);
    }
    const title = `${id}: Record Fix Verification (1/2)`;
    let prompt = 'How was it verified?';
    for (;;) {
      const m = await ask(undefined, 'method', { title, prompt, placeHolder: 'e.g. reproduction no longer fails (0.18 s per request); p95 under 200 ms for 1 h' });
      if (m === undefined) return { status: 'cancelled' };
      method = m;
      const picked = await vscode.window.showQuickPick(
        [
          { label: '$(pass) Verified', description: 'the problem is gone', value: true },
          { label: '$(error) Not verified', description: 'the check failed or is still running', value: false },
        ],
        { title: `${id}: Record Fix Verification (2/2)`, ignoreFocusOut: true },
      );
      if (!picked) return { status: 'cancelled' };
      verified = picked.value;
      const result = await runStep(deps, id, `fix ${verified ? 'verified' : 'not verified'}`, (i, ctx, override) => verify(i, method, verified, ctx, override), undefined, { edit: 'Edit Verification…' });
      // Blocked or cancelled at the dialog: what was typed stays for the next time.
      if (result.status !== 'applied') keepDraft(title, method);
      if (!result.edit) return result;
      prompt = `Not recorded yet: ${(result.findings ?? []).map((f) => f.message).join(' ')}`;
    }
  },
};
