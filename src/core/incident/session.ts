/**
 * Session operations: each takes the incident (the whole file's object, unknown fields included) and returns
 * a new one with the change and one appended event. Guarded steps return the findings instead, unless the
 * caller passes an override reason — then the change is made and the override is recorded (an event of kind
 * `guardrail-override` plus an entry in `overrides`), so shortcuts stay visible in review.
 */
import type { PostMortem } from '../postmortem/types';
import { checkClose, checkFix, checkFixVerification, checkRootCause, type GuardrailFinding } from './guardrails';
import type { EvidenceItem, EvidenceKind, Hypothesis, Incident, IncidentStatus, Severity } from './types';

export interface StepContext {
  /** ISO timestamp; injected so tests are deterministic. */
  now: string;
  actor: string;
}

export type StepOutcome =
  | { ok: true; incident: Incident; overridden: GuardrailFinding[] }
  | { ok: false; findings: GuardrailFinding[] };

export class StepError extends Error {}

function push(incident: Incident, ctx: StepContext, kind: string, text: string): Incident {
  return { ...incident, events: [...(incident.events ?? []), { at: ctx.now, actor: ctx.actor, kind, text }] };
}

function required(value: string | undefined, what: string): string {
  const v = (value ?? '').trim();
  if (!v) throw new StepError(`${what} must not be empty.`);
  return v;
}

/** Applies `change` when there are no findings, or when an override reason is given (and records it). */
function guarded(incident: Incident, ctx: StepContext, findings: GuardrailFinding[], override: string | undefined, change: (i: Incident) => Incident): StepOutcome {
  if (findings.length === 0) return { ok: true, incident: change(incident), overridden: [] };
  const reason = (override ?? '').trim();
  if (!reason) return { ok: false, findings };
  let next = incident;
  for (const f of findings) {
    next = push(next, ctx, 'guardrail-override', `Overrode "${f.rule}": ${reason}`);
  }
  const overrides = Array.isArray(next.overrides) ? (next.overrides as unknown[]) : [];
  next = { ...next, overrides: [...overrides, ...findings.map((f) => ({ at: ctx.now, actor: ctx.actor, rule: f.rule, reason }))] };
  return { ok: true, incident: change(next), overridden: findings };
}

export function addReproductionStep(incident: Incident, step: string, ctx: StepContext): Incident {
  const text = required(step, 'A reproduction step');
  const reproduction = { ...(incident.reproduction ?? {}), steps: [...(incident.reproduction?.steps ?? []), text] };
  return push({ ...incident, reproduction }, ctx, 'reproduction-step', `Added reproduction step: ${text}`);
}

/** Reproduced / attempts, in [0, 1]; undefined before the first attempt. */
export function reproductionRate(attempts: readonly { reproduced: boolean }[]): number | undefined {
  if (attempts.length === 0) return undefined;
  return attempts.filter((a) => a.reproduced).length / attempts.length;
}

export function recordAttempt(incident: Incident, reproduced: boolean, note: string | undefined, ctx: StepContext): Incident {
  const attempts = [...(incident.reproduction?.attempts ?? []), { at: ctx.now, reproduced, ...(note?.trim() ? { note: note.trim() } : {}) }];
  const rate = reproductionRate(attempts)!;
  const reproduction = { ...(incident.reproduction ?? {}), attempts, rate };
  const hits = attempts.filter((a) => a.reproduced).length;
  return push(
    { ...incident, reproduction },
    ctx,
    'reproduction',
    `Reproduction attempt: ${reproduced ? 'reproduced' : 'not reproduced'}${note?.trim() ? ` (${note.trim()})` : ''}; rate ${hits}/${attempts.length}`,
  );
}

export function attachEvidence(incident: Incident, item: { kind: EvidenceKind; path: string; note?: string }, ctx: StepContext): Incident {
  const path = required(item.path, 'The evidence path');
  if (/^([a-z]:)?[\\/]/i.test(path) || path.split(/[\\/]/).includes('..')) {
    throw new StepError(`Evidence paths are relative to the incident folder and stay inside the workspace (got "${path}").`);
  }
  const evidence: EvidenceItem = { kind: item.kind, path, at: ctx.now, ...(item.note?.trim() ? { note: item.note.trim() } : {}) };
  return push({ ...incident, evidence: [...(incident.evidence ?? []), evidence] }, ctx, 'evidence', `Attached ${item.kind} evidence: ${path}${evidence.note ? ` (${evidence.note})` : ''}`);
}

export function addHypothesis(incident: Incident, text: string, ctx: StepContext): Incident {
  const t = required(text, 'A hypothesis');
  const hypothesis: Hypothesis = { text: t, createdAt: ctx.now };
  return push({ ...incident, hypotheses: [...(incident.hypotheses ?? []), hypothesis] }, ctx, 'hypothesis', `Hypothesis: ${t}`);
}

export type VerificationResult = 'CONFIRMED' | 'REJECTED' | 'INCONCLUSIVE';

export function recordVerification(incident: Incident, index: number, test: string, result: VerificationResult, ctx: StepContext): Incident {
  const hypotheses = [...(incident.hypotheses ?? [])];
  const h = hypotheses[index];
  if (!h) throw new StepError(`There is no hypothesis #${index + 1} (this incident has ${hypotheses.length}).`);
  const t = required(test, 'The verification test');
  hypotheses[index] = { ...h, verification: { test: t, result, at: ctx.now } };
  return push({ ...incident, hypotheses }, ctx, 'verification', `Hypothesis #${index + 1} ${result.toLowerCase()} by: ${t}`);
}

export function setRootCause(incident: Incident, rootCause: string, ctx: StepContext, override?: string): StepOutcome {
  const text = required(rootCause, 'The root cause');
  return guarded(incident, ctx, checkRootCause(incident, text), override, (i) => push({ ...i, rootCause: text }, ctx, 'root-cause', `Root cause: ${text}`));
}

export function recordFix(incident: Incident, description: string, ref: string | undefined, ctx: StepContext, override?: string): StepOutcome {
  const d = required(description, 'The fix description');
  const fix = { ...(incident.fix ?? {}), description: d, ...(ref?.trim() ? { ref: ref.trim() } : {}) };
  return guarded(incident, ctx, checkFix(incident), override, (i) => push({ ...i, fix }, ctx, 'fix', `Fix: ${d}${ref?.trim() ? ` (${ref.trim()})` : ''}`));
}

export function verifyFix(incident: Incident, method: string, verified: boolean, ctx: StepContext, override?: string): StepOutcome {
  const m = method.trim();
  return guarded(incident, ctx, checkFixVerification(incident, m, verified), override, (i) =>
    push({ ...i, fixVerification: { method: m, verified, at: ctx.now } }, ctx, 'fix-verification', `Fix ${verified ? 'verified' : 'not verified'}${m ? ` by: ${m}` : ''}`),
  );
}

export function addPrevention(incident: Incident, measure: string, ctx: StepContext): Incident {
  const m = required(measure, 'A prevention measure');
  return push({ ...incident, prevention: [...(incident.prevention ?? []), m] }, ctx, 'prevention', `Prevention: ${m}`);
}

export function changeSeverity(incident: Incident, severity: Severity, reason: string | undefined, ctx: StepContext): Incident {
  if (incident.severity === severity) return incident;
  return push({ ...incident, severity }, ctx, 'severity', `Severity ${incident.severity} → ${severity}${reason?.trim() ? `: ${reason.trim()}` : ''}`);
}

const because = (reason: string | undefined) => (reason?.trim() ? `: ${reason.trim()}` : '');

export function changeStatus(incident: Incident, status: IncidentStatus, ctx: StepContext, reason?: string): Incident {
  if (incident.status === status) return incident;
  return push({ ...incident, status }, ctx, 'status', `Status ${incident.status} → ${status}${because(reason)}`);
}

export function closeIncident(incident: Incident, postmortem: PostMortem | undefined, ctx: StepContext, override?: string, reason?: string): StepOutcome {
  if (incident.status === 'CLOSED') throw new StepError(`${incident.id} is already closed.`);
  return guarded(incident, ctx, checkClose(incident, postmortem), override, (i) => push({ ...i, status: 'CLOSED' }, ctx, 'closed', `Closed (was ${i.status})${because(reason)}`));
}

/**
 * Kinds of event the steps above write together with the change they record. A free timeline event (an
 * alert, a deploy, a note from a script) may not take one of them: an "override" or "closed" event without
 * the override record or the status it speaks of would mislead a reviewer.
 */
export const STEP_EVENT_KINDS = ['opened', 'status', 'closed', 'severity', 'guardrail-override', 'evidence', 'hypothesis', 'verification', 'root-cause', 'fix', 'fix-verification', 'reproduction', 'reproduction-step', 'prevention'] as const;

/** A free event kind: lower-case words joined by dashes (`deploy`, `alert`, `customer-report`). */
export const EVENT_KIND_PATTERN = /^[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)*$/;

/** Appends a free timeline event (an alert firing, a deploy, a note from a pipeline). */
export function addEvent(incident: Incident, kind: string, text: string, ctx: StepContext): Incident {
  const k = kind.trim();
  if (!EVENT_KIND_PATTERN.test(k) || k.length > 40) throw new StepError(`An event kind is a short lower-case word such as "deploy", "alert" or "note" (got "${kind}").`);
  if ((STEP_EVENT_KINDS as readonly string[]).includes(k)) throw new StepError(`"${k}" events are written by the step they record (status, evidence, root cause, …), not on their own; use that step, or another kind such as "note".`);
  const t = required(text, 'The event text');
  if (t.length > 10_000) throw new StepError(`The event text has ${t.length} characters; at most 10000, please (attach longer text as evidence).`);
  return push(incident, ctx, k, t);
}

/** When the incident was closed: its last `closed` event. */
export function closedAt(incident: Incident): string | undefined {
  const events = incident.events ?? [];
  for (let i = events.length - 1; i >= 0; i--) if (events[i]!.kind === 'closed') return events[i]!.at;
  return undefined;
}
