import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { NodeFileSystem } from '../../src/cli/nodeFileSystem';
import { withEvent } from '../../src/core/incident/create';
import { IncidentWriter, evidencePath, safeEvidenceName, variantName, versionOf } from '../../src/core/incident/writer';
import { StoreError } from '../../src/core/store/errors';
import type { StoreFileSystem } from '../../src/core/store/fileSystem';
import { IncidentStore } from '../../src/core/store/incidentStore';
import { tempDir, validIncident } from './helpers';

const NOW = '2026-11-29T10:00:00.000Z';
const CTX = { now: NOW, actor: 'on-call' };
const FILE = '.incidents/INC-2026-001/incident.json';

function workspace(t: { after(fn: () => void): void }): string {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, '.incidents', 'INC-2026-001'), { recursive: true });
  writeFileSync(path.join(dir, FILE), JSON.stringify(validIncident, null, 2));
  return dir;
}

const onDisk = (dir: string) => JSON.parse(readFileSync(path.join(dir, FILE), 'utf8')) as typeof validIncident & { events: { text: string }[]; evidence?: { path: string }[] };

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

const event = (text: string) => (i: Parameters<typeof withEvent>[0]) => withEvent(i, { at: NOW, actor: 'a', kind: 'note', text });

test('three changes started at once all land (the store used to keep only the last)', async (t) => {
  const dir = workspace(t);
  const store = new IncidentStore(new NodeFileSystem(dir));
  const results = await Promise.all(['one', 'two', 'three'].map((text) => store.writer().change('INC-2026-001', event(text))));
  assert.equal(results.length, 3);
  assert.deepEqual(onDisk(dir).events.map((e) => e.text).slice(1).sort(), ['one', 'three', 'two']);
});

test('writers over separate file-system objects in one process still take turns', async (t) => {
  const dir = workspace(t);
  await Promise.all(Array.from({ length: 12 }, (_, i) => new IncidentWriter(new NodeFileSystem(dir)).change('INC-2026-001', event(`e${i}`))));
  assert.equal(onDisk(dir).events.length, 13);
  assert.deepEqual(allFiles(path.join(dir, '.incidents')).map((f) => path.basename(f)), ['incident.json'], 'no lock or temp file is left');
});

test('twenty processes adding an event at once leave twenty events', async (t) => {
  const dir = workspace(t);
  const writer = path.join(__dirname, '../../src/core/incident/writer.js');
  const nodeFs = path.join(__dirname, '../../src/cli/nodeFileSystem.js');
  const script = `
    const { IncidentWriter } = require(${JSON.stringify(writer)});
    const { NodeFileSystem } = require(${JSON.stringify(nodeFs)});
    const n = process.argv[1];
    new IncidentWriter(new NodeFileSystem(${JSON.stringify(dir)})).change('INC-2026-001', (i) => ({ ...i, events: [...i.events, { at: '${NOW}', actor: 'p' + n, kind: 'note', text: 'from process ' + n }] }))
      .then(() => process.exit(0), (e) => { console.error(e.message); process.exit(1); });`;
  const codes = await Promise.all(
    Array.from({ length: 20 }, (_, n) => new Promise<number>((resolve) => spawn(process.execPath, ['-e', script, String(n)], { stdio: 'inherit' }).on('close', (code) => resolve(code ?? 1)))),
  );
  assert.deepEqual(codes, Array(20).fill(0));
  const texts = onDisk(dir).events.map((e) => e.text).filter((x) => x.startsWith('from process'));
  assert.equal(new Set(texts).size, 20);
});

test('a change based on an old version is refused and nothing is written', async (t) => {
  const dir = workspace(t);
  const writer = new IncidentWriter(new NodeFileSystem(dir));
  const read = await writer.version(FILE);
  await writer.change('INC-2026-001', event('meanwhile'));
  const before = readFileSync(path.join(dir, FILE), 'utf8');
  await assert.rejects(writer.change('INC-2026-001', event('stale'), { expectedVersion: read }), (e: unknown) => e instanceof StoreError && e.code === 'STALE');
  assert.equal(readFileSync(path.join(dir, FILE), 'utf8'), before);
  const ok = await writer.change('INC-2026-001', event('fresh'), { expectedVersion: versionOf(before) });
  assert.equal(ok.version, versionOf(readFileSync(path.join(dir, FILE), 'utf8')));
});

test('an editor that saves while a change is being made is not overwritten: the change is applied to what it saved', async (t) => {
  const dir = workspace(t);
  const base = new NodeFileSystem(dir);
  let reads = 0;
  // The first read of incident.json is followed by an editor's save that knows nothing of the lock.
  const fs: StoreFileSystem = Object.assign(Object.create(base) as NodeFileSystem, {
    async readFile(p: string) {
      const bytes = await base.readFile(p);
      if (p === FILE && ++reads === 1) writeFileSync(path.join(dir, FILE), JSON.stringify({ ...validIncident, title: 'Renamed in the editor' }, null, 2));
      return bytes;
    },
  });
  await new IncidentWriter(fs).change('INC-2026-001', event('from the writer'));
  const after = onDisk(dir);
  assert.equal(after.title, 'Renamed in the editor');
  assert.equal(after.events.at(-1)!.text, 'from the writer');
});

test('a failed write leaves neither a temp file nor a changed incident', async (t) => {
  const dir = workspace(t);
  const base = new NodeFileSystem(dir);
  const before = readFileSync(path.join(dir, FILE), 'utf8');
  const fs: StoreFileSystem = Object.assign(Object.create(base) as NodeFileSystem, {
    async writeFile(p: string, data: Uint8Array) {
      // Half the bytes reach the disk, then the disk is full.
      await base.writeFile(p, data.subarray(0, data.length >> 1));
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    },
  });
  await assert.rejects(new IncidentWriter(fs).change('INC-2026-001', event('x')), (e: unknown) => e instanceof StoreError && e.code === 'WRITE_FAILED' && /no space/.test(e.message));
  assert.equal(readFileSync(path.join(dir, FILE), 'utf8'), before);
  assert.deepEqual(allFiles(path.join(dir, '.incidents')).map((f) => path.basename(f)), ['incident.json']);
  await assert.rejects(new IncidentWriter(fs).addEvidence('INC-2026-001', { name: 'a.log', bytes: new TextEncoder().encode('x'), kind: 'logs' }, CTX));
  assert.deepEqual(allFiles(path.join(dir, '.incidents')).map((f) => path.basename(f)), ['incident.json']);
});

test('create validates before it writes anything', async (t) => {
  const dir = tempDir(t);
  const writer = new IncidentWriter(new NodeFileSystem(dir));
  await assert.rejects(writer.create({ title: 'x', severity: 'URGENT' as never, reportedBy: 'a', now: NOW }), (e: unknown) => e instanceof StoreError && e.code === 'INVALID');
  await assert.rejects(writer.create({ title: '   ', severity: 'LOW', reportedBy: 'a', now: NOW }));
  assert.equal(existsSync(path.join(dir, '.incidents')), false);
  const made = await writer.create({ title: 'Checkout slow', severity: 'HIGH', reportedBy: 'a', now: NOW });
  assert.equal(made.value.id, 'INC-2026-001');
});

test('a lock held by a live writer makes others wait, then BUSY; a stale lock is broken', async (t) => {
  const dir = workspace(t);
  const lock = path.join(dir, `${FILE}.lock`);
  writeFileSync(lock, '{}');
  await assert.rejects(new IncidentWriter(new NodeFileSystem(dir), { lockTimeoutMs: 50 }).change('INC-2026-001', event('x')), (e: unknown) => e instanceof StoreError && e.code === 'BUSY' && e.message.includes('lock'));
  assert.equal(onDisk(dir).events.length, 1);
  const old = new Date(Date.now() - 60_000);
  utimesSync(lock, old, old);
  await new IncidentWriter(new NodeFileSystem(dir), { lockTimeoutMs: 50 }).change('INC-2026-001', event('after a crash'));
  assert.equal(onDisk(dir).events.at(-1)!.text, 'after a crash');
  assert.equal(existsSync(lock), false);
});

test('evidence: one naming rule, a free variant when taken, recorded with redaction in the same step', async (t) => {
  const dir = workspace(t);
  const writer = new IncidentWriter(new NodeFileSystem(dir));
  const bytes = new TextEncoder().encode('{"password":"hunter2"}\n');
  const a = await writer.addEvidence('INC-2026-001', { name: '2026-12-05 run.speedscope.json', bytes, kind: 'profile', note: 'hot path' }, CTX);
  const b = await writer.addEvidence('INC-2026-001', { name: '2026-12-05 run.speedscope.json', bytes, kind: 'profile' }, CTX);
  assert.equal(a.path, 'evidence/profiles/2026-12-05-run.speedscope.json');
  assert.equal(b.path, 'evidence/profiles/2026-12-05-run-2.speedscope.json');
  assert.doesNotMatch(readFileSync(path.join(dir, '.incidents/INC-2026-001', a.path), 'utf8'), /hunter2/);
  const incident = onDisk(dir);
  assert.deepEqual(incident.evidence!.map((e) => e.path), [a.path, b.path]);
  assert.equal(a.redaction.ran, true);
  assert.ok(a.redaction.replaced >= 1);
});

test('evidence for an incident that cannot take it writes no file', async (t) => {
  const dir = workspace(t);
  writeFileSync(path.join(dir, FILE), '{ "id": "INC-2026-001", ');
  await assert.rejects(new IncidentWriter(new NodeFileSystem(dir)).addEvidence('INC-2026-001', { name: 'a.log', bytes: new TextEncoder().encode('x'), kind: 'logs' }, CTX), /invalid/);
  assert.equal(existsSync(path.join(dir, '.incidents/INC-2026-001/evidence')), false);
  await assert.rejects(new IncidentWriter(new NodeFileSystem(dir)).recordEvidence('INC-2026-001', { kind: 'logs', path: '../../etc/passwd' }, CTX), /without "\.\."/);
});

test('evidence names are safe and variants keep compound extensions (property)', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), (name) => {
      const safe = safeEvidenceName(name);
      assert.match(safe, /^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/);
      assert.ok(evidencePath('logs', name).startsWith('evidence/logs/'));
    }),
  );
  assert.equal(variantName('x.speedscope.json', 3), 'x-3.speedscope.json');
  assert.equal(variantName('errors-abc.json', 2), 'errors-abc-2.json');
  assert.equal(variantName('README', 2), 'README-2');
});
