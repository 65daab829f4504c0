import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkClose, checkFixVerification, checkRootCause, isNamedMethod, symptomIn } from '../../src/core/incident/guardrails';
import {
  StepError,
  addHypothesis,
  addPrevention,
  addReproductionStep,
  attachEvidence,
  changeSeverity,
  changeStatus,
  closeIncident,
  recordAttempt,
  recordFix,
  recordVerification,
  reproductionRate,
  setRootCause,
  verifyFix,
} from '../../src/core/incident/session';
import type { Incident } from '../../src/core/incident/types';
import { validateText } from '../../src/core/validation/validate';
import { validIncident } from './helpers';

const ctx = { now: '2026-11-20T10:00:00Z', actor: 'on-call' };
const base = (): Incident => structuredClone({ ...validIncident, reproduction: { steps: [], attempts: [] }, evidence: [], hypotheses: [], prevention: [] }) as Incident;
const valid = (i: Incident) => assert.deepEqual(validateText(JSON.stringify(i), 'incident').problems, []);

function applied(outcome: ReturnType<typeof recordFix>): Incident {
  if (!outcome.ok) throw new Error(`blocked: ${outcome.findings.map((f) => f.rule).join(', ')}`);
  return outcome.incident;
}

function readyForRootCause(): Incident {
  let i = attachEvidence(base(), { kind: 'profile', path: 'evidence/cpu.speedscope.json', note: 'diversity 80%' }, ctx);
  i = addHypothesis(i, 'Pairwise diversity is quadratic in candidates', ctx);
  return recordVerification(i, 0, 'Time scoring with 100 vs 200 candidates: 4x', 'CONFIRMED', ctx);
}

test('every step appends exactly one event with time, actor and what happened, and keeps the file valid', () => {
  let i = base();
  const steps: [string, (x: Incident) => Incident][] = [
    ['reproduction-step', (x) => addReproductionStep(x, 'POST /recommend 20 times', ctx)],
    ['reproduction', (x) => recordAttempt(x, true, '1.3 s', ctx)],
    ['evidence', (x) => attachEvidence(x, { kind: 'logs', path: 'evidence/app.log' }, ctx)],
    ['hypothesis', (x) => addHypothesis(x, 'H1', ctx)],
    ['verification', (x) => recordVerification(x, 0, 'bench', 'CONFIRMED', ctx)],
    ['fix', (x) => applied(recordFix(x, 'Vectorise the penalty', 'PR #42', ctx))],
    ['prevention', (x) => addPrevention(x, 'Latency budget test on 2x catalogue', ctx)],
    ['severity', (x) => changeSeverity(x, 'CRITICAL', 'spreading', ctx)],
    ['status', (x) => changeStatus(x, 'MITIGATED', ctx)],
  ];
  for (const [kind, step] of steps) {
    const before = i.events!.length;
    i = step(i);
    assert.equal(i.events!.length, before + 1, kind);
    const e = i.events!.at(-1)!;
    assert.deepEqual([e.kind, e.at, e.actor], [kind, ctx.now, 'on-call']);
    assert.ok(e.text.length > 0);
    valid(i);
  }
  assert.equal(i.fix?.ref, 'PR #42');
  assert.equal(i.severity, 'CRITICAL');
  assert.match(i.events!.find((e) => e.kind === 'severity')!.text, /HIGH → CRITICAL: spreading/);
});

test('steps keep fields they do not know about', () => {
  const i = { ...base(), customerTicket: 'ZD-1', reproduction: { steps: [], attempts: [], harness: 'locust' } } as Incident;
  const next = recordAttempt(addReproductionStep(i, 'x', ctx), false, undefined, ctx);
  assert.equal(next.customerTicket, 'ZD-1');
  assert.equal((next.reproduction as Record<string, unknown>).harness, 'locust');
});

test('the reproduction rate is reproduced / attempts', () => {
  fc.assert(
    fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 30 }), (outcomes) => {
      let i = base();
      for (const r of outcomes) i = recordAttempt(i, r, undefined, ctx);
      const expected = outcomes.filter(Boolean).length / outcomes.length;
      assert.equal(i.reproduction!.rate, expected);
      assert.ok(i.reproduction!.rate! >= 0 && i.reproduction!.rate! <= 1);
      assert.equal(i.reproduction!.attempts!.length, outcomes.length);
    }),
  );
  assert.equal(reproductionRate([]), undefined);
});

test('empty text and unknown hypotheses are refused with a message', () => {
  assert.throws(() => addHypothesis(base(), '   ', ctx), StepError);
  assert.throws(() => recordVerification(base(), 3, 't', 'CONFIRMED', ctx), /no hypothesis #4/);
  assert.throws(() => attachEvidence(base(), { kind: 'file', path: '../../etc/passwd' }, ctx), /relative to the incident folder/);
  assert.throws(() => attachEvidence(base(), { kind: 'file', path: '/etc/passwd' }, ctx), /relative/);
});

test('root cause: no evidence and no verified hypothesis are both reported; nothing changes without an override', () => {
  const i = base();
  const r = setRootCause(i, 'Connection pool exhausted because a retry path leaked connections', ctx);
  assert.equal(r.ok, false);
  assert.deepEqual(!r.ok && r.findings.map((f) => f.rule), ['root-cause-needs-evidence', 'root-cause-needs-verified-hypothesis']);
  // A rejected or inconclusive hypothesis does not count.
  let j = attachEvidence(addHypothesis(i, 'h', ctx), { kind: 'logs', path: 'a.log' }, ctx);
  j = recordVerification(j, 0, 't', 'REJECTED', ctx);
  const r2 = setRootCause(j, 'Connection pool exhausted because of a leak', ctx);
  assert.deepEqual(!r2.ok && r2.findings.map((f) => f.rule), ['root-cause-needs-verified-hypothesis']);
});

test('root cause with evidence and a confirmed hypothesis is set with one event', () => {
  const r = setRootCause(readyForRootCause(), 'Quadratic pairwise diversity penalty because the candidate set doubled', ctx);
  assert.ok(r.ok);
  assert.equal(r.ok && r.incident.rootCause, 'Quadratic pairwise diversity penalty because the candidate set doubled');
  assert.equal(r.ok && r.incident.events!.at(-1)!.kind, 'root-cause');
  assert.deepEqual(r.ok && r.overridden, []);
});

test('an override applies the change and records rule, reason, actor and time', () => {
  const r = setRootCause(base(), 'restarted the service', ctx, 'Mitigation only; investigation continues in INC-2026-002');
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.equal(r.incident.rootCause, 'restarted the service');
  const overrides = r.incident.overrides as { rule: string; reason: string; actor: string; at: string }[];
  assert.deepEqual(overrides.map((o) => o.rule), ['root-cause-needs-evidence', 'root-cause-needs-verified-hypothesis', 'root-cause-is-symptom']);
  assert.ok(overrides.every((o) => o.reason.startsWith('Mitigation only') && o.actor === 'on-call' && o.at === ctx.now));
  assert.equal(r.incident.events!.filter((e) => e.kind === 'guardrail-override').length, 3);
  valid(r.incident);
  // A blank reason is not an override.
  assert.equal(setRootCause(base(), 'x because y', ctx, '   ').ok, false);
});

test('symptom-like root causes are flagged; causes with a mechanism are not', () => {
  for (const s of ['Restarted the service', '500 errors', 'API returns 500 errors', 'HTTP 503', 'Timeouts', 'High latency', 'The service was down', 'Pod OOMKilled', 'rolled back the deploy', 'Errors in the logs', '5xx from the gateway']) {
    assert.ok(symptomIn(s), `expected "${s}" to be a symptom`);
  }
  for (const s of [
    'Connection pool exhausted due to a connection leak in the retry path',
    'Pairwise diversity penalty is O(n^2) in candidates; the catalogue import doubled n',
    'Timeouts because the scoring loop became quadratic',
    'A missing index on orders.user_id made each lookup a full table scan',
  ]) {
    assert.equal(symptomIn(s), undefined, s);
  }
  const f = checkRootCause(readyForRootCause(), '500 errors');
  assert.deepEqual(f.map((x) => x.rule), ['root-cause-is-symptom']);
});

test('fix verification: "verified" needs a reproduction or a named method', () => {
  const none = base();
  assert.deepEqual(checkFixVerification(none, 'looks fine', true).map((f) => f.rule), ['fix-verification-needs-reproduction-or-method']);
  assert.deepEqual(checkFixVerification(none, '', true).map((f) => f.rule), ['fix-verification-needs-reproduction-or-method']);
  assert.deepEqual(checkFixVerification(none, 'p95 back under 200 ms on the dashboard for 1 h', true), []);
  assert.deepEqual(checkFixVerification(none, 'whatever', false), [], 'recording a failed verification is always allowed');
  const reproduced = recordAttempt(none, true, undefined, ctx);
  assert.deepEqual(checkFixVerification(reproduced, 'ok', true), []);
  const notReproduced = recordAttempt(none, false, undefined, ctx);
  assert.equal(checkFixVerification(notReproduced, 'ok', true).length, 1);
  const blocked = verifyFix(none, 'works', true, ctx);
  assert.equal(blocked.ok, false);
  const forced = verifyFix(none, 'works', true, ctx, 'Customer confirmed by phone');
  assert.ok(forced.ok && forced.incident.fixVerification?.verified === true);
  for (const m of ['ok', 'works', 'LGTM', 'fixed.', 'looks good', 'tested']) assert.equal(isNamedMethod(m), false, m);
});

test('closing: HIGH and CRITICAL need a post-mortem with an owned, dated action item; MEDIUM and LOW do not', () => {
  const high = base();
  assert.deepEqual(checkClose(high, undefined).map((f) => f.rule), ['close-needs-postmortem']);
  const pm = { title: 't', incidentId: high.id, actionItems: [{ description: 'a', owner: 'team-ranking' }] };
  assert.deepEqual(checkClose(high, pm).map((f) => f.rule), ['close-needs-owned-action-item']);
  assert.deepEqual(checkClose(high, { ...pm, actionItems: [{ description: 'a', owner: 'team-ranking', dueDate: '2026-12-20' }] }), []);
  assert.deepEqual(checkClose({ ...high, severity: 'CRITICAL' }, undefined).map((f) => f.rule), ['close-needs-postmortem']);
  assert.deepEqual(checkClose({ ...high, severity: 'MEDIUM' }, undefined), []);
  assert.deepEqual(checkClose({ ...high, severity: 'LOW' }, undefined), []);
  const closed = closeIncident({ ...high, severity: 'LOW' }, undefined, ctx);
  assert.ok(closed.ok && closed.incident.status === 'CLOSED' && closed.incident.events!.at(-1)!.kind === 'closed');
  assert.throws(() => closed.ok && closeIncident(closed.incident, undefined, ctx), /already closed/);
  const blocked = closeIncident(high, undefined, ctx);
  assert.equal(blocked.ok, false);
});

test('guardrails (property): findings depend only on what is missing; an override always applies and is recorded', () => {
  fc.assert(
    fc.property(
      fc.record({
        evidence: fc.nat({ max: 3 }),
        results: fc.array(fc.constantFrom<'CONFIRMED' | 'REJECTED' | 'INCONCLUSIVE' | undefined>('CONFIRMED', 'REJECTED', 'INCONCLUSIVE', undefined), { maxLength: 4 }),
        reason: fc.string({ minLength: 1 }).filter((s) => s.trim().length > 0),
      }),
      ({ evidence, results, reason }) => {
        let i = base();
        for (let k = 0; k < evidence; k++) i = attachEvidence(i, { kind: 'logs', path: `evidence/${k}.log` }, ctx);
        results.forEach((r, k) => {
          i = addHypothesis(i, `h${k}`, ctx);
          if (r) i = recordVerification(i, k, 't', r, ctx);
        });
        const cause = 'The pool was exhausted because a retry path leaked connections';
        const rules = checkRootCause(i, cause).map((f) => f.rule);
        const expected = [...(evidence === 0 ? ['root-cause-needs-evidence'] : []), ...(results.includes('CONFIRMED') ? [] : ['root-cause-needs-verified-hypothesis'])];
        assert.deepEqual(rules, expected);
        const forced = setRootCause(i, cause, ctx, reason);
        assert.ok(forced.ok);
        if (forced.ok) {
          assert.equal(forced.incident.rootCause, cause);
          assert.equal(((forced.incident.overrides as unknown[] | undefined) ?? []).length, expected.length);
          assert.equal(forced.incident.events!.filter((e) => e.kind === 'guardrail-override').length, expected.length);
        }
      },
    ),
  );
});
