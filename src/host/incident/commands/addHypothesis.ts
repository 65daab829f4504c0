import { addHypothesis as add } from '../../../core/incident/session';
import type { Command } from '../../shared/command';
import type { IncidentDeps } from '../deps';
import { ask, runStep, stepArgs, targetIncident, type StepResult } from '../../shared/sessionStep';

/** Args: `{ text }`. */
export const addHypothesis: Command<IncidentDeps> = {
  id: 'incidentWorkbench.addHypothesis',
  async run(deps, target?: unknown, rawArgs?: unknown): Promise<StepResult> {
    const args = stepArgs(rawArgs);
    const id = await targetIncident(deps, target, 'Add a hypothesis to which incident?');
    if (!id) return { status: 'cancelled' };
    const text = await ask(args, 'text', { title: `${id}: Add Hypothesis`, prompt: 'Specific and testable, based on the evidence, explaining all symptoms', placeHolder: 'e.g. Scoring is quadratic in the candidate count' });
    if (text === undefined) return { status: 'cancelled' };
    return runStep(deps, id, 'hypothesis added', (i, ctx) => add(i, text, ctx), args);
  },
};
