import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { NodeFileSystem } from '../../src/cli/nodeFileSystem';
import { EvidenceImportError } from '../../src/core/redaction/evidence';
import { IncidentWriter, type EvidenceInput } from '../../src/core/incident/writer';
import type { StepContext } from '../../src/core/incident/session';
import { createRedactor } from '../../src/core/redaction/redact';
import { IncidentStore } from '../../src/core/store/incidentStore';
import { validIncident, tempDir } from './helpers';

function importEvidence(fs: NodeFileSystem, _store: IncidentStore, id: string, input: EvidenceInput, ctx: StepContext, redactor?: ReturnType<typeof createRedactor>) {
  return new IncidentWriter(fs).addEvidence(id, input, ctx, redactor);
}

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

const SECRETS = {
  password: 'hunter2-Correct-Horse',
  bearer: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ',
  apiKey: 'sk_live_51HxYzAbCdEfGhIjKlMnOp',
  aws: 'AKIAIOSFODNN7EXAMPLE',
  github: 'ghp_R7s9Xk2LmN4pQ8vT1wY6zA3bC5dE0fG9hJ2k',
  email: 'ada.lovelace@example.org',
  card: '4242 4242 4242 4242',
  amex: '378282246310005',
  ssn: '219-09-9999',
  cookie: 'sid=9f8e7d6c5b4a',
  custom: 'MEMBER-00417733',
};

/** A log full of secrets, in the shapes real services write them: plain text, JSON lines, headers, OTLP attributes. */
const LOG = [
  `2026-11-29 10:00:01 INFO login user=ada password=${SECRETS.password}`,
  `2026-11-29 10:00:02 DEBUG headers: Authorization: Bearer ${SECRETS.bearer}`,
  JSON.stringify({ level: 'ERROR', message: `charge failed for ${SECRETS.email} card ${SECRETS.card}`, api_key: SECRETS.apiKey, request_id: 'req-1' }),
  JSON.stringify({ level: 'INFO', message: 'boto call', creds: { aws_access_key_id: SECRETS.aws }, note: `token ${SECRETS.github}` }),
  JSON.stringify({ attributes: [{ key: 'http.request.header.cookie', value: { stringValue: SECRETS.cookie } }, { key: 'user.ssn', value: { stringValue: SECRETS.ssn } }] }),
  `refund to ${SECRETS.amex} member ${SECRETS.custom}`,
].join('\n');

test('proof: a log full of secrets is imported and none of them is anywhere in .incidents/', async (t) => {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, '.incidents', 'INC-2026-001'), { recursive: true });
  writeFileSync(path.join(dir, '.incidents', 'INC-2026-001', 'incident.json'), JSON.stringify(validIncident, null, 2));
  const fs = new NodeFileSystem(dir);
  const store = new IncidentStore(fs);
  const redactor = createRedactor({ patterns: [{ name: 'member', pattern: 'MEMBER-\\d{8}' }] });
  const r = await importEvidence(fs, store, 'INC-2026-001', { name: 'prod app.log', bytes: new TextEncoder().encode(LOG), kind: 'logs', note: 'checkout errors' }, { now: '2026-11-29T10:05:00.000Z', actor: 'ada' }, redactor);
  assert.equal(r.path, 'evidence/logs/prod-app.log');
  const everything = allFiles(path.join(dir, '.incidents')).map((f) => readFileSync(f, 'utf8')).join('\n');
  for (const [kind, secret] of Object.entries(SECRETS)) {
    assert.ok(!everything.includes(secret), `${kind} secret ${secret} leaked into .incidents/`);
    assert.ok(!everything.includes(secret.replace(/ /g, '')), `${kind} leaked without spaces`);
  }
  // The useful parts stay, and the incident records that redaction ran and how much it replaced.
  const copied = readFileSync(path.join(dir, '.incidents/INC-2026-001/evidence/logs/prod-app.log'), 'utf8');
  assert.match(copied, /"request_id":"req-1"/);
  assert.match(copied, /login user=ada password=\[REDACTED:field\]/);
  const incident = JSON.parse(readFileSync(path.join(dir, '.incidents/INC-2026-001/incident.json'), 'utf8'));
  const item = incident.evidence.at(-1);
  // …and of which kinds: a reviewer sees that a Stripe key and a GitHub token were in the log, not only "11".
  const byKind = { 'auth-header': 1, 'aws-access-key': 1, 'github-token': 1, 'stripe-key': 1, card: 2, email: 1, field: 3, member: 1 };
  assert.deepEqual({ kind: item.kind, path: item.path, redaction: item.redaction }, { kind: 'logs', path: 'evidence/logs/prod-app.log', redaction: { ran: true, replaced: 11, byKind } });
  assert.deepEqual(r.byKind, byKind);
  assert.ok(r.redaction.replaced >= Object.keys(SECRETS).length, `${r.redaction.replaced} replaced`);
  assert.equal(item.note, 'checkout errors');
  assert.equal(incident.events.at(-1).kind, 'evidence');
  assert.equal((await store.read('INC-2026-001')).state, 'valid', 'incident.json still passes its schema');

  // A second import of the same name gets its own file; nothing is overwritten.
  const again = await importEvidence(fs, store, 'INC-2026-001', { name: 'prod app.log', bytes: new TextEncoder().encode('token=abc123456'), kind: 'logs' }, { now: '2026-11-29T10:06:00.000Z', actor: 'ada' });
  assert.equal(again.path, 'evidence/logs/prod-app-2.log');
  assert.equal(readFileSync(path.join(dir, '.incidents/INC-2026-001/evidence/logs/prod-app.log'), 'utf8'), copied);
});

test('binary evidence is refused (it cannot be redacted) unless declared binary-safe', async (t) => {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, '.incidents', 'INC-2026-001'), { recursive: true });
  writeFileSync(path.join(dir, '.incidents', 'INC-2026-001', 'incident.json'), JSON.stringify(validIncident));
  const fs = new NodeFileSystem(dir);
  const store = new IncidentStore(fs);
  const bytes = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff]);
  await assert.rejects(importEvidence(fs, store, 'INC-2026-001', { name: 'dump.zip', bytes, kind: 'file' }, { now: '2026-11-29T10:05:00.000Z', actor: 'ada' }), EvidenceImportError);
  assert.deepEqual(allFiles(path.join(dir, '.incidents/INC-2026-001/')).map((f) => path.basename(f)), ['incident.json']);
  const r = await importEvidence(fs, store, 'INC-2026-001', { name: 'p.raw', bytes, kind: 'profile', allowBinary: true }, { now: '2026-11-29T10:05:00.000Z', actor: 'ada' });
  assert.deepEqual(r.redaction, { ran: false, replaced: 0 });
  await assert.rejects(importEvidence(fs, store, 'INC-2026-404', { name: 'a.log', bytes: new Uint8Array([0x61]), kind: 'logs' }, { now: '2026-11-29T10:05:00.000Z', actor: 'ada' }), /INC-2026-404/);
});
