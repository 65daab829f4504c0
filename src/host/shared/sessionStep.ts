/**
 * Shared plumbing of the session step commands (not a command itself): which incident, who is acting, the
 * read-modify-write through IncidentStore.update, and the guardrail dialog with its recorded override.
 *
 * Every step command is `run(deps, target?, args?)`: `target` is a tree node or an incident id (else the
 * active incident, else a QuickPick); `args` is an object for scripted use (tests, other commands). With
 * `args` nothing is asked: a guardrail finding returns `{status: 'blocked', findings}` unless
 * `args.override` carries the reason.
 */
import * as vscode from 'vscode';
import type { GuardrailFinding } from '../../core/incident/guardrails';
import { StepError, type StepContext, type StepOutcome } from '../../core/incident/session';
import type { Incident } from '../../core/incident/types';
import { StoreError } from '../../core/store/errors';
import type { Workbench } from './workbench';
import { incidentIdFrom } from './pickIncident';
import { errorMessage } from '../../core/util/errors';
import { reportError } from './reportError';

export interface StepResult {
  status: 'applied' | 'blocked' | 'cancelled' | 'failed';
  incident?: Incident;
  findings?: GuardrailFinding[];
  /** Findings that were overridden (and recorded). */
  overridden?: GuardrailFinding[];
  message?: string;
}

export type StepArgs = Record<string, unknown> & { override?: string };

/** The scripted-arguments object, when the caller passed one. */
export function stepArgs(raw: unknown): StepArgs | undefined {
  // A tree passes (node, selectedNodes[]): neither is a scripted-arguments object.
  return raw && typeof raw === 'object' && !Array.isArray(raw) && !(raw instanceof vscode.Uri) && !('kind' in raw && ('entry' in raw || 'open' in raw || 'group' in raw)) ? (raw as StepArgs) : undefined;
}

/** The incident a step applies to: explicit target, else the active incident, else ask. */
export async function targetIncident(deps: Workbench, target: unknown, placeHolder: string): Promise<string | undefined> {
  if (target === undefined && deps.activeIncident.id) return deps.activeIncident.id;
  return incidentIdFrom(deps, target, placeHolder);
}

/** Dialog titles of the guarded steps, by the `what` their commands pass. */
const GUARDED_STEP: Record<string, string> = {
  'root cause set': 'Set Root Cause',
  'fix recorded': 'Record Fix',
  'fix verified': 'Record Fix Verification',
  'fix not verified': 'Record Fix Verification',
  closed: 'Close Incident',
};

class Blocked extends Error {
  constructor(readonly findings: GuardrailFinding[]) {
    super('blocked');
  }
}

/** Asks for a value unless scripted args supplied one; undefined means cancelled. */
export async function ask(args: StepArgs | undefined, key: string, options: vscode.InputBoxOptions): Promise<string | undefined> {
  if (args) {
    const v = args[key];
    return typeof v === 'string' ? v : undefined;
  }
  return vscode.window.showInputBox({ ignoreFocusOut: true, ...options, validateInput: (v) => (v.trim() ? undefined : 'Required') });
}

export async function runStep(
  deps: Workbench,
  id: string,
  what: string,
  apply: (incident: Incident, ctx: StepContext, override: string | undefined) => StepOutcome | Incident,
  args: StepArgs | undefined,
): Promise<StepResult> {
  if (!deps.repository.folder) {
    void reportError(deps.log, 'Open a folder first: incidents are kept in its .incidents/ folder.', { notify: true });
    return { status: 'failed', message: 'no folder' };
  }
  const ctx: StepContext = await deps.writer.context();
  let override = typeof args?.override === 'string' ? args.override : undefined;
  for (;;) {
    let overridden: GuardrailFinding[] = [];
    try {
      // `apply` runs inside the read-modify-write, so it sees the file as it is now (evidence another feature
      // attached a moment ago included) and the guardrails judge that, not a stale copy.
      const { value: incident } = await deps.writer.change(id, (current) => {
        const outcome = apply(current, ctx, override);
        if ('ok' in outcome && typeof outcome.ok === 'boolean') {
          const o = outcome as StepOutcome;
          if (!o.ok) throw new Blocked(o.findings);
          overridden = o.overridden;
          return o.incident;
        }
        return outcome as Incident;
      });
      deps.log.info(`${id}: ${what}${overridden.length ? ` (overrode ${overridden.map((f) => f.rule).join(', ')})` : ''}`);
      vscode.window.setStatusBarMessage(`$(check) ${id}: ${what}`, 4000);
      return { status: 'applied', incident, overridden };
    } catch (e) {
      if (e instanceof Blocked) {
        if (args) {
          void reportError(deps.log, `${id}: ${what} was not recorded. ${e.findings.map((f) => f.message).join(' ')}`, { notify: true, severity: 'warning' });
          return { status: 'blocked', findings: e.findings };
        }
        const choice = await vscode.window.showWarningMessage(
          `${id}: ${GUARDED_STEP[what] ?? what} — the method asks for more first.`,
          { modal: true, detail: e.findings.map((f) => `• ${f.message}`).join('\n\n') + '\n\nYou can override; the override and your reason are recorded in the incident timeline.' },
          'Override and Record Reason…',
        );
        if (!choice) return { status: 'blocked', findings: e.findings };
        const reason = await vscode.window.showInputBox({
          title: `Override: ${e.findings.map((f) => f.rule).join(', ')}`,
          prompt: 'Why is it right to go ahead anyway? This is recorded in the incident.',
          ignoreFocusOut: true,
          validateInput: (v) => (v.trim().length >= 5 ? undefined : 'Give a reason a reviewer can understand'),
        });
        if (!reason?.trim()) return { status: 'cancelled', findings: e.findings };
        override = reason;
        continue;
      }
      const message = e instanceof StoreError || e instanceof StepError ? e.message : `${what} failed: ${errorMessage(e)}`;
      void reportError(deps.log, message, { notify: true, cause: e, subject: id });
      return { status: 'failed', message };
    }
  }
}
