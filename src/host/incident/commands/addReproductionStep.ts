import { addReproductionStep as add } from '../../../core/incident/session';
import type { Command } from '../../shared/command';
import type { IncidentDeps } from '../deps';
import { ask, runStep, stepArgs, targetIncident, type StepResult } from '../../shared/sessionStep';

/** Args: `{ step }`. */
export const addReproductionStep: Command<IncidentDeps> = {
  id: 'incidentWorkbench.addReproductionStep',
  async run(deps, target?: unknown, rawArgs?: unknown): Promise<StepResult> {
    const args = stepArgs(rawArgs);
    const id = await targetIncident(deps, target, 'Add a reproduction step to which incident?');
    if (!id) return { status: 'cancelled' };
    const step = await ask(args, 'step', { title: `${id}: Add Reproduction Step`, prompt: 'One step someone else can follow (a command, a request, an observation)', placeHolder: 'e.g. POST /recommend with user_id 3, 20 times' });
    if (step === undefined) return { status: 'cancelled' };
    return runStep(deps, id, 'reproduction step added', (i, ctx) => add(i, step, ctx), args);
  },
};
