import { setRootCause as set } from '../../../core/incident/session';
import type { Command } from '../../shared/command';
import type { IncidentDeps } from '../deps';
import { ask, runStep, stepArgs, targetIncident, type StepResult } from '../../shared/sessionStep';

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
    const text = await ask(args, 'text', {
      title: `${id}: Set Root Cause`,
      prompt: 'Why it happened (the mechanism), not what was seen: "pool exhausted because a retry path leaked connections"',
      ...(current ? { value: current } : {}),
    });
    if (text === undefined) return { status: 'cancelled' };
    return runStep(deps, id, 'root cause set', (i, ctx, override) => set(i, text, ctx, override), args);
  },
};
