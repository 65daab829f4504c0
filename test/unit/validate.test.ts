import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { validateText } from '../../src/core/validation/validate';
import { formatProblem } from '../../src/core/validation/problems';
import { repoRoot, validIncident } from './helpers';

test('a complete incident is valid', () => {
  const r = validateText(JSON.stringify(validIncident), 'incident');
  assert.equal(r.valid, true, JSON.stringify(r.problems));
});

test('the demo incident is valid', () => {
  const text = readFileSync(path.join(repoRoot, 'demo/.incidents/INC-2026-001/incident.json'), 'utf8');
  assert.deepEqual(validateText(text, 'incident').problems, []);
});

test('a wrong enum value is reported at its property with the allowed values', () => {
  const text = JSON.stringify({ ...validIncident, severity: 'SEV1' }, null, 2);
  const r = validateText(text, 'incident');
  assert.equal(r.valid, false);
  assert.equal(r.problems.length, 1);
  const p = r.problems[0]!;
  assert.equal(p.pointer, '/severity');
  assert.equal(p.line, text.split('\n').findIndex((l) => l.includes('"severity"')) + 1);
  assert.equal(p.column, 3);
  assert.match(p.message, /"CRITICAL", "HIGH", "MEDIUM", "LOW" \(found "SEV1"\)/);
  assert.match(formatProblem('x/incident.json', p), /^x\/incident\.json:\d+:3: \/severity must be one of/);
});

test('a missing required property points at the object that lacks it', () => {
  const { title: _t, ...rest } = validIncident;
  const r = validateText(JSON.stringify(rest, null, 2), 'incident');
  assert.equal(r.valid, false);
  assert.match(r.problems[0]!.message, /missing the required property "title"/);
  assert.deepEqual([r.problems[0]!.line, r.problems[0]!.column], [1, 1]);
});

test('timestamps without a time zone are rejected with a hint', () => {
  const r = validateText(JSON.stringify({ ...validIncident, reportedAt: '2026-11-20 09:12' }), 'incident');
  assert.match(r.problems[0]!.message, /ISO 8601 date and time with a time zone/);
});

test('nested problems point into arrays', () => {
  const text = JSON.stringify({ ...validIncident, events: [validIncident.events[0], { at: 'yesterday', actor: 'a', kind: 'k', text: 't' }] }, null, 2);
  const r = validateText(text, 'incident');
  assert.equal(r.problems[0]!.pointer, '/events/1/at');
  assert.equal(r.problems[0]!.line, text.split('\n').findIndex((l) => l.includes('"yesterday"')) + 1);
});

test('unknown fields are allowed (forward compatibility)', () => {
  assert.equal(validateText(JSON.stringify({ ...validIncident, futureField: { x: 1 } }), 'incident').valid, true);
});

test('a post-mortem is validated against its own schema', () => {
  assert.equal(validateText(JSON.stringify({ title: 'PM', incidentId: 'INC-2026-001', actionItems: [{ description: 'Add alert', priority: 'HIGH', status: 'TODO', dueDate: '2026-12-01' }] }), 'postmortem').valid, true);
  const r = validateText(JSON.stringify({ title: 'PM', incidentId: 'INC-2026-001', actionItems: [{ description: 'x', status: 'LATER' }] }), 'postmortem');
  assert.equal(r.problems[0]!.pointer, '/actionItems/0/status');
});

test('property: any text validates without throwing, and every problem has a position', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string(),
        fc.json(),
        fc.record({ id: fc.string(), title: fc.string(), severity: fc.string(), status: fc.string(), reportedBy: fc.string(), reportedAt: fc.string() }).map((o) => JSON.stringify(o)),
      ),
      (text) => {
        const r = validateText(text, 'incident');
        assert.equal(r.valid, r.problems.length === 0);
        for (const p of r.problems) assert.ok(p.line >= 1 && p.column >= 1 && p.message.length > 0);
      },
    ),
    { numRuns: 300 },
  );
});
