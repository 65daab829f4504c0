/**
 * Shared plumbing of the session step commands (not a command itself): which incident, who is acting, the
 * read-modify-write through IncidentStore.update, and the guardrail dialog with its recorded override.
 *
 * Every step command is `run(deps, target?, args?)`: `target` is a tree node or an incident id (else the
 * active incident, else a QuickPick); `args` is an object for scripted use (tests, other commands). With
 * `args` nothing is asked: a guardrail finding returns `{status: 'blocked', findings}` unless
 * `args.override` carries the reason.
 *
 * Asked interactively, a guardrail's dialog defaults (Enter) to the safe choice — go back and edit — and
 * overriding is the deliberate second button. Whatever was typed into a step's input is kept when the user
 * cancels, and offered again the next time that input opens, until the step is recorded.
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
  /** Blocked, and the user chose to edit what they entered (the command asks again). */
  edit?: boolean;
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

/** Text typed into a step's input and not recorded yet, by the input's title (`INC-…: Set Root Cause`). */
const drafts = new Map<string, string>();

/** Keeps text that was entered but not recorded (its step was blocked or cancelled later): the input offers it again. */
export function keepDraft(title: string, text: string): void {
  if (text.trim()) drafts.set(title, text);
}

/**
 * Asks for a value unless scripted args supplied one; undefined means cancelled. Text typed into an input
 * that is then cancelled is kept, and is what that input shows the next time it opens.
 */
export async function ask(args: StepArgs | undefined, key: string, options: vscode.InputBoxOptions): Promise<string | undefined> {
  if (args) {
    const v = args[key];
    return typeof v === 'string' ? v : undefined;
  }
  const title = options.title;
  const input = vscode.window.createInputBox();
  input.ignoreFocusOut = true;
  if (title) input.title = title;
  if (options.prompt) input.prompt = options.prompt;
  if (options.placeHolder) input.placeholder = options.placeHolder;
  input.value = (title ? drafts.get(title) : undefined) ?? options.value ?? '';
  return new Promise<string | undefined>((resolve) => {
    let done = false;
    const finish = (value: string | undefined) => {
      if (done) return;
      done = true;
      if (title && value === undefined && input.value.trim()) drafts.set(title, input.value);
      else if (title) drafts.delete(title);
      input.dispose();
      resolve(value);
    };
    input.onDidChangeValue((v) => (input.validationMessage = v.trim() ? undefined : 'Required'));
    input.onDidAccept(() => {
      if (!input.value.trim()) {
        input.validationMessage = 'Required';
        return;
      }
      finish(input.value);
    });
    input.onDidHide(() => finish(undefined));
    input.show();
  });
}

/** The safe, default button of a guardrail dialog when the step has something to edit. */
export interface GuardPrompt {
  /** Its label, e.g. "Edit Root Cause…": the user goes back to the input, with what they typed. */
  edit: string;
}

const OVERRIDE = 'Override and Record Reason…';

export async function runStep(
  deps: Workbench,
  id: string,
  what: string,
  apply: (incident: Incident, ctx: StepContext, override: string | undefined) => StepOutcome | Incident,
  args: StepArgs | undefined,
  prompt?: GuardPrompt,
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
        // The first button is the dialog's default (Enter): the safe choice. Overriding the method is the
        // deliberate second one; Escape cancels and nothing is written.
        const safe: vscode.MessageItem = { title: prompt?.edit ?? 'Go Back' };
        const overrideItem: vscode.MessageItem = { title: OVERRIDE };
        const choice = await vscode.window.showWarningMessage(
          `${id}: ${GUARDED_STEP[what] ?? what} — the method asks for more first.`,
          { modal: true, detail: e.findings.map((f) => `• ${f.message}`).join('\n\n') + `\n\n${prompt ? `${prompt.edit.replace(/…$/, '')} keeps what you typed. ` : ''}You can override; the override and your reason are recorded in the incident timeline.` },
          safe,
          overrideItem,
        );
        if (choice !== overrideItem) return { status: 'blocked', findings: e.findings, ...(choice === safe && prompt ? { edit: true } : {}) };
        const reason = await vscode.window.showInputBox({
          title: `Override: ${e.findings.map((f) => f.rule).join(', ')}`,
          prompt: 'Why is it right to go ahead anyway? This is recorded in the incident.',
          placeHolder: 'e.g. Mitigation only; the investigation continues in INC-…',
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
