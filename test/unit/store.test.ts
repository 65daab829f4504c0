import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { NodeFileSystem } from '../../src/cli/nodeFileSystem';
import { StoreError } from '../../src/core/store/errors';
import { IncidentStore } from '../../src/core/store/incidentStore';
import { withEvent } from '../../src/core/incident/create';
import { tempDir, validIncident } from './helpers';

const NOW = '2026-11-29T10:00:00.000Z';

function storeIn(dir: string, maxFileBytes?: number) {
  return new IncidentStore(new NodeFileSystem(dir), maxFileBytes ? { maxFileBytes } : {});
}

function writeIncident(dir: string, id: string, content: string | Buffer | object) {
  mkdirSync(path.join(dir, '.incidents', id), { recursive: true });
  writeFileSync(path.join(dir, '.incidents', id, 'incident.json'), typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content, null, 2));
}

test('an empty workspace has no incidents', async (t) => {
  assert.deepEqual(await storeIn(tempDir(t)).list(), []);
});

test('create writes a valid incident.json with the next id, an opening event, and no temp files', async (t) => {
  const dir = tempDir(t);
  const store = storeIn(dir);
  const { value: a } = await store.writer().create({ title: '  Checkout slow ', severity: 'HIGH', reportedBy: 'alice', now: NOW });
  const { value: b } = await store.writer().create({ title: 'Login errors', severity: 'LOW', reportedBy: 'bob', now: NOW });
  assert.equal(a.id, 'INC-2026-001');
  assert.equal(b.id, 'INC-2026-002');
  assert.equal(a.title, 'Checkout slow');
  assert.equal(a.events?.[0]?.kind, 'opened');
  const entries = await store.list();
  assert.deepEqual(entries.map((e) => [e.id, e.state]), [['INC-2026-002', 'valid'], ['INC-2026-001', 'valid']]);
  assert.deepEqual(readdirSync(path.join(dir, '.incidents', 'INC-2026-001')), ['incident.json']);
});

test('concurrent creates never share an id', async (t) => {
  const store = storeIn(tempDir(t));
  const made = await Promise.all(Array.from({ length: 8 }, (_, i) => store.writer().create({ title: `t${i}`, severity: 'LOW', reportedBy: 'x', now: NOW })));
  assert.equal(new Set(made.map((m) => m.value.id)).size, 8);
  assert.equal((await store.list()).filter((e) => e.state === 'valid').length, 8);
});

test('update keeps fields this version does not know', async (t) => {
  const dir = tempDir(t);
  writeIncident(dir, 'INC-2026-001', { ...validIncident, fromTheFuture: { keep: [1, 2, 3] }, events: [] });
  const store = storeIn(dir);
  await store.writer().change('INC-2026-001', (i) => withEvent({ ...i, status: 'INVESTIGATING' }, { at: NOW, actor: 'a', kind: 'status', text: 'Investigating' }));
  const onDisk = JSON.parse(readFileSync(path.join(dir, '.incidents/INC-2026-001/incident.json'), 'utf8'));
  assert.deepEqual(onDisk.fromTheFuture, { keep: [1, 2, 3] });
  assert.equal(onDisk.status, 'INVESTIGATING');
  assert.equal(onDisk.events.length, 1);
});

test('an invalid file is reported with a position and never overwritten', async (t) => {
  const dir = tempDir(t);
  const broken = '{\n  "id": "INC-2026-001",\n  "title": "x",,\n}';
  writeIncident(dir, 'INC-2026-001', broken);
  const store = storeIn(dir);
  const entry = await store.read('INC-2026-001');
  assert.equal(entry.state, 'invalid');
  assert.equal(entry.problems[0]!.line, 3);
  await assert.rejects(store.writer().change('INC-2026-001', (i) => ({ ...i, title: 'changed' })), (e: unknown) => e instanceof StoreError && e.code === 'INVALID' && /nothing was overwritten/.test(e.message));
  assert.equal(readFileSync(path.join(dir, '.incidents/INC-2026-001/incident.json'), 'utf8'), broken);
});

test('an update that would break the schema is refused and the file is unchanged', async (t) => {
  const dir = tempDir(t);
  writeIncident(dir, 'INC-2026-001', validIncident);
  const before = readFileSync(path.join(dir, '.incidents/INC-2026-001/incident.json'), 'utf8');
  await assert.rejects(storeIn(dir).writer().change('INC-2026-001', (i) => ({ ...i, severity: 'URGENT' as never })), /would make .* invalid/);
  assert.equal(readFileSync(path.join(dir, '.incidents/INC-2026-001/incident.json'), 'utf8'), before);
});

test('a folder whose id differs from the file id is flagged at /id', async (t) => {
  const dir = tempDir(t);
  writeIncident(dir, 'INC-2026-002', validIncident);
  const entry = await storeIn(dir).read('INC-2026-002');
  assert.equal(entry.state, 'invalid');
  assert.match(entry.problems[0]!.message, /folder is "INC-2026-002"/);
  assert.equal(entry.problems[0]!.line, 2);
});

test('huge, non-UTF-8, missing and directory-shaped files are reported, not thrown', async (t) => {
  const dir = tempDir(t);
  writeIncident(dir, 'INC-2026-001', { ...validIncident, description: 'x'.repeat(5000) });
  writeIncident(dir, 'INC-2026-002', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
  mkdirSync(path.join(dir, '.incidents', 'INC-2026-003'));
  mkdirSync(path.join(dir, '.incidents', 'INC-2026-004', 'incident.json'), { recursive: true });
  mkdirSync(path.join(dir, '.incidents', 'scratch'));
  const entries = await storeIn(dir, 1000).list();
  const states = Object.fromEntries(entries.map((e) => [e.id, e.state]));
  assert.deepEqual(states, { 'INC-2026-001': 'tooLarge', 'INC-2026-002': 'unreadable', 'INC-2026-003': 'missing', 'INC-2026-004': 'unreadable' });
  assert.match(entries.find((e) => e.id === 'INC-2026-002')!.problems[0]!.message, /not UTF-8/);
  assert.match(entries.find((e) => e.id === 'INC-2026-001')!.problems[0]!.message, /over the 0\.0 MB limit|limit for incident files/);
});

test('validateAll covers post-mortems too', async (t) => {
  const dir = tempDir(t);
  writeIncident(dir, 'INC-2026-001', validIncident);
  writeFileSync(path.join(dir, '.incidents/INC-2026-001/postmortem.json'), JSON.stringify({ title: 'PM' }));
  const reports = await storeIn(dir).validateAll();
  assert.deepEqual(reports.map((r) => [r.kind, r.state]), [['incident', 'valid'], ['postmortem', 'invalid']]);
  assert.match(reports[1]!.problems[0]!.message, /"incidentId"/);
});

test('property: whatever bytes are in incident.json, listing never throws and never changes the file', async (t) => {
  const dir = tempDir(t);
  const store = storeIn(dir);
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (bytes) => {
      writeIncident(dir, 'INC-2026-001', Buffer.from(bytes));
      const [entry] = await store.list();
      assert.ok(entry);
      if (entry.state !== 'valid') assert.ok(entry.problems.length > 0);
      assert.deepEqual(readFileSync(path.join(dir, '.incidents/INC-2026-001/incident.json')), Buffer.from(bytes));
    }),
    { numRuns: 100 },
  );
});
