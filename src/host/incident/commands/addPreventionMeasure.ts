import { addPrevention } from '../../../core/incident/session';
import type { Command } from '../../shared/command';
import type { IncidentDeps } from '../deps';
import { ask, runStep, stepArgs, targetIncident, type StepResult } from '../../shared/sessionStep';

/** Args: `{ measure }` — monitoring, a regression test, validation, a runbook. */
export const addPreventionMeasure: Command<IncidentDeps> = {
  id: 'incidentWorkbench.addPreventionMeasure',
  async run(deps, target?: unknown, rawArgs?: unknown): Promise<StepResult> {
    const args = stepArgs(rawArgs);
    const id = await targetIncident(deps, target, 'Add a prevention measure to which incident?');
    if (!id) return { status: 'cancelled' };
    const measure = await ask(args, 'measure', { title: `${id}: Add Prevention Measure`, prompt: 'Monitoring, a regression test, input validation or a runbook', placeHolder: 'e.g. Latency test with 2x the production catalogue in CI' });
    if (measure === undefined) return { status: 'cancelled' };
    return runStep(deps, id, 'prevention measure added', (i, ctx) => addPrevention(i, measure, ctx), args);
  },
};
