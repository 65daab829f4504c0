import * as vscode from 'vscode';
import { recordVerification, type VerificationResult } from '../../../core/incident/session';
import type { IncidentsNode } from '../incidentsTree';
import type { Command } from '../../shared/command';
import type { IncidentDeps } from '../deps';
import { ask, runStep, stepArgs, targetIncident, type StepResult } from '../../shared/sessionStep';

const RESULTS: VerificationResult[] = ['CONFIRMED', 'REJECTED', 'INCONCLUSIVE'];

/** Args: `{ index, test, result }` (index 0-based). From a hypothesis node in the tree, that hypothesis. */
export const recordHypothesisVerification: Command<IncidentDeps> = {
  id: 'incidentWorkbench.recordHypothesisVerification',
  async run(deps, target?: unknown, rawArgs?: unknown): Promise<StepResult> {
    const args = stepArgs(rawArgs);
    const id = await targetIncident(deps, target, 'Verify a hypothesis of which incident?');
    if (!id) return { status: 'cancelled' };
    let index = typeof args?.index === 'number' ? args.index : (target as IncidentsNode | undefined)?.kind === 'hypothesis' ? (target as Extract<IncidentsNode, { kind: 'hypothesis' }>).index : undefined;
    if (index === undefined) {
      if (args) return { status: 'failed', message: 'index is required' };
      const entry = (await deps.repository.list()).find((e) => e.id === id);
      const hypotheses = entry?.value?.hypotheses ?? [];
      if (hypotheses.length === 0) {
        const choice = await vscode.window.showInformationMessage(`${id} has no hypotheses yet.`, 'Add Hypothesis');
        if (choice) await vscode.commands.executeCommand('incidentWorkbench.addHypothesis', id);
        return { status: 'cancelled' };
      }
      const picked = await vscode.window.showQuickPick(
        hypotheses.map((h, i) => ({ label: `#${i + 1} ${h.text}`, description: h.verification ? `${h.verification.result}` : 'not verified', i })),
        { title: `${id}: which hypothesis did you test?`, ignoreFocusOut: true },
      );
      if (!picked) return { status: 'cancelled' };
      index = picked.i;
    }
    const test = await ask(args, 'test', { title: `${id}: Verification of hypothesis #${index + 1}`, prompt: 'The test you ran', placeHolder: 'e.g. time scoring with 100 vs 200 candidates: 4x slower' });
    if (test === undefined) return { status: 'cancelled' };
    let result = args?.result as VerificationResult | undefined;
    if (!args) {
      const picked = await vscode.window.showQuickPick(RESULTS, { title: 'Result', ignoreFocusOut: true });
      if (!picked) return { status: 'cancelled' };
      result = picked as VerificationResult;
    }
    if (!result || !RESULTS.includes(result)) return { status: 'failed', message: `result must be one of ${RESULTS.join(', ')}` };
    const r = result;
    const i = index;
    return runStep(deps, id, `hypothesis #${i + 1} ${r.toLowerCase()}`, (incident, ctx) => recordVerification(incident, i, test, r, ctx), args);
  },
};
