// The demo incident is what a new user reads first: the people in it are roles, teams and tools (issue #19),
// and its evidence sits where the incident writer's naming rule puts it, with the profile the first flame
// graph opens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { EVIDENCE_KIND_FOLDER } from '../../src/core/incident/writer';
import type { EvidenceKind } from '../../src/core/incident/types';
import { repoRoot } from './helpers';

const DEMO = path.join(repoRoot, 'demo', '.incidents', 'INC-2026-001');
const PEOPLE = new Set(['actor', 'owner', 'reportedBy', 'by', 'author', 'authors', 'reviewer', 'reviewers', 'verifiedBy']);
// A role, a team or a tool; never a name that reads like a person or an organisation's account.
// Automation (a deploy bot, the alert manager) names itself like a tool, not a person.
const ROLE = /^(on-call|incident commander|[a-z ]+ team|[a-z]+-bot|alertmanager|prometheus|iwb)( \(.*\))?$/;

function people(value: unknown, key: string | undefined, out: string[]): string[] {
  if (Array.isArray(value)) for (const v of value) people(v, key, out);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) people(v, k, out);
  else if (typeof value === 'string' && key && PEOPLE.has(key)) out.push(value);
  return out;
}

test('the demo incident and its post-mortem name roles, teams and tools, not people', () => {
  for (const file of ['incident.json', 'postmortem.json']) {
    const names = people(JSON.parse(readFileSync(path.join(DEMO, file), 'utf8')), undefined, []);
    assert.ok(names.length > 0, `${file} names who did what`);
    for (const name of names) assert.match(name, ROLE, `${file}: "${name}" is a role`);
  }
});

test('the demo evidence is where the naming rule puts it, and includes a real py-spy profile', () => {
  const incident = JSON.parse(readFileSync(path.join(DEMO, 'incident.json'), 'utf8')) as { evidence: { kind: EvidenceKind; path: string }[] };
  for (const e of incident.evidence) {
    assert.ok(existsSync(path.join(DEMO, e.path)), `${e.path} exists`);
    assert.equal(path.posix.dirname(e.path), `evidence/${EVIDENCE_KIND_FOLDER[e.kind]}`, `${e.path}: in the folder of its kind`);
  }
  const profile = incident.evidence.find((e) => e.kind === 'profile');
  assert.ok(profile, 'a profile among the evidence');
  assert.match(profile.path, /^evidence\/profiles\/[^/]+\.speedscope\.json$/);
  const speedscope = JSON.parse(readFileSync(path.join(DEMO, profile.path), 'utf8')) as { exporter?: string; profiles: { samples: unknown[] }[] };
  assert.match(speedscope.exporter ?? '', /py-spy/);
  assert.ok(speedscope.profiles.reduce((n, p) => n + p.samples.length, 0) > 100, 'a profile with samples');
});
