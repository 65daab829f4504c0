import { setRootCause as set } from '../../../core/incident/session';
import type { Command } from '../../shared/command';
import type { IncidentDeps } from '../deps';
import { ask, keepDraft, runStep, stepArgs, targetIncident, type StepResult } from '../../shared/sessionStep';

/**
 * Args: `{ text, override? }`. Guardrails: evidence attached, a confirmed hypothesis, and a cause rather than a
 * symptom; otherwise blocked unless overridden with a reason (recorded).
 */
export const setRootCause: Command<IncidentDeps> = {
  id: 'incidentWorkbench.setRootCause',
  async run(deps, target?: unknown, rawArgs?: unknown): Promise<StepResult> {
    const args = stepArgs(rawArgs);
    const id = await targetIncident(deps, target, 'Set the root cause of which incident?');
    if (!id) return { status: 'cancelled' };
    const current = (await deps.repository.list()).find((e) => e.id === id)?.value?.rootCause;
    const title = `${id}: Set Root Cause`;
    let prompt = 'Why it happened (the mechanism), not what was seen';
    for (;;) {
      const text = await ask(args, 'text', {
        title,
        prompt,
        placeHolder: 'e.g. the pool is exhausted because a retry path leaks connections',
        ...(current ? { value: current } : {}),
      });
      if (text === undefined) return { status: 'cancelled' };
      const result = await runStep(deps, id, 'root cause set', (i, ctx, override) => set(i, text, ctx, override), args, { edit: 'Edit Root Cause…' });
      // Blocked or cancelled at the dialog: what was typed stays for the next time.
      if (!args && result.status !== 'applied') keepDraft(title, text);
      // Edit: the input again, with the text and what the method asked for.
      if (!result.edit) return result;
      prompt = `Not recorded yet: ${(result.findings ?? []).map((f) => f.message).join(' ')}`;
    }
  },
};
