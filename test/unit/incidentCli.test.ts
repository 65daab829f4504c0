import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { versionOf } from '../../src/core/incident/writer';
import { tempDir, validIncident, runCli } from './helpers';

const ID = 'INC-2026-001';
const FILE = `.incidents/${ID}/incident.json`;

/** Runs with $IWB_ACTOR as given (or unset), restoring it afterwards. */
async function withActorEnv<T>(value: string | undefined, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.IWB_ACTOR;
  if (value === undefined) delete process.env.IWB_ACTOR;
  else process.env.IWB_ACTOR = value;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.IWB_ACTOR;
    else process.env.IWB_ACTOR = saved;
  }
}

function workspace(t: Parameters<typeof tempDir>[0], incident: object = validIncident): string {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, '.incidents', ID), { recursive: true });
  writeFileSync(path.join(dir, FILE), JSON.stringify(incident, null, 2));
  return dir;
}

type OnDisk = typeof validIncident & { status: string; events: { actor: string; kind: string; text: string }[]; evidence?: { kind: string; path: string; note?: string; redaction?: { ran: boolean; replaced: number; byKind?: Record<string, number> } }[]; overrides?: { rule: string; reason: string; actor: string }[] };
const onDisk = (dir: string) => JSON.parse(readFileSync(path.join(dir, FILE), 'utf8')) as OnDisk;

test('iwb incident new: the next free id, validated, {id, path, version} with --json', async (t) => {
  const dir = workspace(t);
  const r = await runCli(['incident', 'new', '--title', 'Checkout 500s after deploy', '--severity', 'high', '--description', 'p95 5 s', '--actor', 'deploy-bot', '--json'], dir);
  assert.equal(r.code, 0, r.err);
  const json = JSON.parse(r.out) as { id: string; path: string; version: string };
  assert.deepEqual(Object.keys(json), ['id', 'path', 'version']);
  assert.match(json.id, /^INC-\d{4}-\d{3}$/);
  assert.equal(json.path, `.incidents/${json.id}/incident.json`);
  const text = readFileSync(path.join(dir, json.path), 'utf8');
  assert.equal(json.version, versionOf(text), 'the version is the file as written');
  const created = JSON.parse(text);
  assert.deepEqual([created.title, created.severity, created.status, created.reportedBy, created.description], ['Checkout 500s after deploy', 'HIGH', 'OPEN', 'deploy-bot', 'p95 5 s']);
  assert.equal(created.events[0].actor, 'deploy-bot');
  const human = await runCli(['incident', 'new', '--title', 'Second', '--severity', 'LOW', '--actor', 'x'], dir);
  assert.equal(human.code, 0);
  assert.match(human.out, /^INC-\d{4}-\d{3} opened \(LOW\): \.incidents\/INC-\d{4}-\d{3}\/incident\.json$/);
  assert.notEqual(human.out.slice(0, 12), json.id);
});

test('iwb incident new: bad input is exit 2 with one line and writes nothing', async (t) => {
  const dir = tempDir(t);
  for (const argv of [
    ['incident', 'new', '--title', '   ', '--severity', 'HIGH'],
    ['incident', 'new', '--title', 'x'.repeat(201), '--severity', 'HIGH'],
    ['incident', 'new', '--title', 'T', '--severity', 'URGENT'],
    ['incident', 'new', '--title', 'T'],
    ['incident', 'new', '--title', 'T', '--severity', 'LOW', 'extra'],
    ['incident', 'new', '--title', 'T', '--severity', 'LOW', '--workspace', 'missing-folder'],
    ['incident', 'new', '--title', 'T', '--severity', 'LOW', '--kind', 'logs'],
    ['incident'],
    ['incident', 'open'],
  ]) {
    const r = await runCli(argv, dir);
    assert.equal(r.code, 2, argv.join(' '));
    assert.equal(r.out, '', argv.join(' '));
    assert.equal(r.err.split('\n').length, 1, `${argv.join(' ')}: ${r.err}`);
  }
  assert.ok(!existsSync(path.join(dir, '.incidents')), 'nothing was created');
  const json = await runCli(['incident', 'new', '--title', '', '--severity', 'LOW', '--json'], dir);
  assert.equal(json.code, 2);
  assert.match(JSON.parse(json.out).error, /title is required/);
});

test('iwb incident event: appended with the actor; --json prints the incident; step kinds are refused', async (t) => {
  const dir = workspace(t);
  const r = await runCli(['incident', 'event', ID, '--kind', 'deploy', '--text', 'checkout v1.5.1 rolled out --canary', '--actor', 'ci'], dir);
  assert.deepEqual(r, { code: 0, out: `${ID}: deploy event added`, err: '' });
  assert.deepEqual(onDisk(dir).events.at(-1), { ...onDisk(dir).events.at(-1), actor: 'ci', kind: 'deploy', text: 'checkout v1.5.1 rolled out --canary' });
  const json = await runCli(['incident', 'event', ID, '--kind', 'alert', '--text', 'p95 > 2 s', '--actor', 'alertmanager', '--json'], dir);
  assert.equal(json.code, 0);
  assert.deepEqual(JSON.parse(json.out), onDisk(dir));
  const before = readFileSync(path.join(dir, FILE), 'utf8');
  for (const argv of [
    ['--kind', 'guardrail-override', '--text', 'forged'],
    ['--kind', 'closed', '--text', 'forged'],
    ['--kind', 'Deploy Now', '--text', 'x'],
    ['--kind', 'note', '--text', '  '],
    ['--kind', 'note'],
    ['--kind', 'note', '--text', 'x', '--override', 'why'],
  ]) {
    const bad = await runCli(['incident', 'event', ID, ...argv], dir);
    assert.equal(bad.code, 2, argv.join(' '));
    assert.equal(bad.err.split('\n').length, 1, bad.err);
  }
  assert.equal(readFileSync(path.join(dir, FILE), 'utf8'), before, 'refused events change nothing');
});

test('iwb incident: a missing incident, a bad id and an invalid incident.json are exit 2 with one line naming the file', async (t) => {
  const dir = workspace(t);
  const missing = await runCli(['incident', 'event', 'INC-2026-042', '--kind', 'note', '--text', 'x'], dir);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /^iwb incident: Incident INC-2026-042 does not exist/);
  const badId = await runCli(['incident', 'status', '../../etc', 'OPEN'], dir);
  assert.equal(badId.code, 2);
  assert.match(badId.err, /not an incident id/);
  writeFileSync(path.join(dir, FILE), '{"id": "INC-2026-001", "title": ');
  const broken = await runCli(['incident', 'event', ID, '--kind', 'note', '--text', 'x', '--json'], dir);
  assert.equal(broken.code, 2);
  assert.match(JSON.parse(broken.out).error, /incident\.json was not changed because it is invalid \(1:\d+/);
  assert.equal(readFileSync(path.join(dir, FILE), 'utf8'), '{"id": "INC-2026-001", "title": ', 'never overwritten');
});

test('iwb incident status: a reason in the timeline; the same status is a no-op', async (t) => {
  const dir = workspace(t);
  const r = await runCli(['incident', 'status', ID, 'mitigated', '--reason', 'rolled back to v1.5.0', '--actor', 'ops'], dir);
  assert.deepEqual(r, { code: 0, out: `${ID}: status OPEN → MITIGATED`, err: '' });
  assert.equal(onDisk(dir).status, 'MITIGATED');
  assert.deepEqual(onDisk(dir).events.at(-1), { ...onDisk(dir).events.at(-1), kind: 'status', actor: 'ops', text: 'Status OPEN → MITIGATED: rolled back to v1.5.0' });
  const events = onDisk(dir).events.length;
  assert.equal((await runCli(['incident', 'status', ID, 'MITIGATED'], dir)).out, `${ID}: already MITIGATED`);
  assert.equal(onDisk(dir).events.length, events);
  assert.equal((await runCli(['incident', 'status', ID, 'DONE'], dir)).code, 2);
  assert.equal((await runCli(['incident', 'status', ID], dir)).code, 2);
});

test('iwb incident status CLOSED: a HIGH incident without an owned action item is refused (exit 1, findings), --override records the reason', async (t) => {
  const dir = workspace(t);
  const before = readFileSync(path.join(dir, FILE), 'utf8');
  const refused = await runCli(['incident', 'status', ID, 'CLOSED'], dir);
  assert.equal(refused.code, 1);
  assert.match(refused.err, /close-needs-postmortem: HIGH incidents need a post-mortem/);
  assert.match(refused.err, /--override/);
  assert.equal(readFileSync(path.join(dir, FILE), 'utf8'), before, 'nothing written');

  writeFileSync(path.join(dir, `.incidents/${ID}/postmortem.json`), JSON.stringify({ title: 'Checkout latency', incidentId: ID, actionItems: [{ description: 'Add a pool size alert', owner: 'team-checkout' }] }));
  const json = await runCli(['incident', 'status', ID, 'CLOSED', '--json'], dir);
  assert.equal(json.code, 1);
  assert.deepEqual(JSON.parse(json.out).findings.map((f: { rule: string }) => f.rule), ['close-needs-owned-action-item']);

  const overridden = await runCli(['incident', 'status', ID, 'CLOSED', '--override', 'action items tracked in JIRA OPS-12', '--reason', 'fixed in v1.5.2', '--actor', 'lead'], dir);
  assert.equal(overridden.code, 0, overridden.err);
  assert.match(overridden.err, /overrode close-needs-owned-action-item \(recorded\)/);
  const closed = onDisk(dir);
  assert.equal(closed.status, 'CLOSED');
  assert.deepEqual(closed.overrides?.map((o) => [o.rule, o.reason, o.actor]), [['close-needs-owned-action-item', 'action items tracked in JIRA OPS-12', 'lead']]);
  assert.deepEqual(closed.events.slice(-2).map((e) => [e.kind, e.text]), [
    ['guardrail-override', 'Overrode "close-needs-owned-action-item": action items tracked in JIRA OPS-12'],
    ['closed', 'Closed (was OPEN): fixed in v1.5.2'],
  ]);
  const again = await runCli(['incident', 'status', ID, 'CLOSED'], dir);
  assert.equal(again.code, 2);
  assert.match(again.err, /already closed/);
});

test('iwb incident status CLOSED: passes with an owned, dated action item; LOW needs none; an invalid post-mortem is exit 2', async (t) => {
  const dir = workspace(t);
  const pm = path.join(dir, `.incidents/${ID}/postmortem.json`);
  writeFileSync(pm, '{"title": ');
  const invalid = await runCli(['incident', 'status', ID, 'CLOSED'], dir);
  assert.equal(invalid.code, 2);
  assert.match(invalid.err, /postmortem\.json is invalid/);
  writeFileSync(pm, JSON.stringify({ title: 'Checkout latency', incidentId: ID, actionItems: [{ description: 'Add a pool size alert', owner: 'team-checkout', dueDate: '2026-12-20' }] }));
  assert.equal((await runCli(['incident', 'status', ID, 'CLOSED'], dir)).code, 0);
  assert.equal(onDisk(dir).overrides, undefined);
  const low = workspace(t, { ...validIncident, severity: 'LOW' });
  assert.equal((await runCli(['incident', 'status', ID, 'closed'], low)).code, 0);
});

test('iwb incident evidence: copied redacted under evidence/<kind folder>/, counts per kind recorded; binary only for profile/memory', async (t) => {
  const dir = workspace(t);
  mkdirSync(path.join(dir, 'logs'));
  const secret = 'ghp_R7s9Xk2LmN4pQ8vT1wY6zA3bC5dE0fG9hJ2k';
  writeFileSync(path.join(dir, 'logs', 'app.log'), `connect mysql://root:s3cret-pw@localhost\nauthorization: bearer abc.def-123456\ntoken ${secret}\nmember_no=4471\n`);
  mkdirSync(path.join(dir, '.vscode'));
  writeFileSync(path.join(dir, '.vscode', 'settings.json'), '{\n  // the team\'s extra field names\n  "incidentWorkbench.redaction.fieldNames": ["member_no"],\n  "incidentWorkbench.redaction.patterns": ["("]\n}\n');
  const r = await runCli(['incident', 'evidence', ID, 'logs/app.log', '--kind', 'logs', '--note', 'from the deploy job', '--actor', 'ci'], dir);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, `${ID}: logs evidence evidence/logs/app.log (redacted 4: url-credentials 1, auth-header 1, github-token 1, field 1)`);
  assert.match(r.err, /warning: .*patterns.*skipped/, 'an invalid pattern in the settings is reported');
  const copied = readFileSync(path.join(dir, `.incidents/${ID}/evidence/logs/app.log`), 'utf8');
  for (const s of ['s3cret-pw', 'abc.def-123456', secret, '4471']) assert.ok(!copied.includes(s), `${s} leaked`);
  const item = onDisk(dir).evidence!.at(-1)!;
  assert.deepEqual(item, { ...item, kind: 'logs', path: 'evidence/logs/app.log', note: 'from the deploy job', redaction: { ran: true, replaced: 4, byKind: { 'url-credentials': 1, 'auth-header': 1, 'github-token': 1, field: 1 } } });
  assert.equal(onDisk(dir).events.at(-1)!.actor, 'ci');

  writeFileSync(path.join(dir, 'core.bin'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0xff]));
  const refused = await runCli(['incident', 'evidence', ID, 'core.bin', '--kind', 'logs'], dir);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /core\.bin is not UTF-8 text, so it cannot be redacted/);
  const profile = await runCli(['incident', 'evidence', ID, 'core.bin', '--kind', 'profile', '--json'], dir);
  assert.equal(profile.code, 0, profile.err);
  assert.deepEqual(JSON.parse(profile.out).evidence.at(-1).redaction, { ran: false, replaced: 0 });
  assert.ok(existsSync(path.join(dir, `.incidents/${ID}/evidence/profiles/core.bin`)));

  const missing = await runCli(['incident', 'evidence', ID, 'nope.log', '--kind', 'logs'], dir);
  assert.deepEqual([missing.code, missing.err], [2, 'iwb incident: nope.log does not exist']);
  assert.equal((await runCli(['incident', 'evidence', ID, 'logs', '--kind', 'logs'], dir)).err, 'iwb incident: logs is not a file');
  assert.equal((await runCli(['incident', 'evidence', ID, 'logs/app.log', '--kind', 'screenshot'], dir)).code, 2);
});

test('iwb incident evidence: a file already in the incident folder is recorded where it is, not copied', async (t) => {
  const dir = workspace(t);
  mkdirSync(path.join(dir, `.incidents/${ID}/evidence/profiles`), { recursive: true });
  writeFileSync(path.join(dir, `.incidents/${ID}/evidence/profiles/server.speedscope.json`), '{"shared": {"frames": []}, "profiles": []}');
  const r = await runCli(['incident', 'evidence', ID, `.incidents/${ID}/evidence/profiles/server.speedscope.json`, '--kind', 'profile'], dir);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(onDisk(dir).evidence!.map((e) => e.path), ['evidence/profiles/server.speedscope.json']);
});

test('iwb incident: --workspace names the folder; the actor is --actor, $IWB_ACTOR, git user.name inside a repository, else the OS user', async (t) => {
  const dir = workspace(t);
  const elsewhere = tempDir(t);
  const event = (extra: string[] = []) => runCli(['incident', 'event', ID, '--kind', 'note', '--text', 'who', '--workspace', dir, ...extra], elsewhere);
  await withActorEnv(undefined, async () => {
    assert.equal((await event()).code, 0);
    assert.equal(onDisk(dir).events.at(-1)!.actor, os.userInfo().username, 'not a git repository: the OS user');
    execFileSync('git', ['init', '-q', dir]);
    execFileSync('git', ['-C', dir, 'config', 'user.name', 'Grace Hopper']);
    await event();
    assert.equal(onDisk(dir).events.at(-1)!.actor, 'Grace Hopper');
  });
  await withActorEnv('pipeline-42', async () => {
    await event();
    assert.equal(onDisk(dir).events.at(-1)!.actor, 'pipeline-42');
    await event(['--actor', 'ada']);
    assert.equal(onDisk(dir).events.at(-1)!.actor, 'ada');
  });
});

test('twenty `iwb incident event` processes started at once leave twenty events', async (t) => {
  const dir = workspace(t);
  const mainJs = path.join(__dirname, '../../src/cli/main.js');
  const script = `require(${JSON.stringify(mainJs)}).main(process.argv.slice(1)).then((code) => { process.exitCode = code; })`;
  const codes = await Promise.all(
    Array.from(
      { length: 20 },
      (_, n) =>
        new Promise<number>((resolve) => {
          const child = spawn(process.execPath, ['-e', script, 'incident', 'event', ID, '--kind', 'alert', '--text', `alert ${n}`, '--actor', `job-${n}`, '--workspace', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
          child.on('close', (code) => resolve(code ?? 1));
        }),
    ),
  );
  assert.deepEqual(codes, Array(20).fill(0));
  const texts = onDisk(dir).events.filter((e) => e.kind === 'alert').map((e) => e.text);
  assert.equal(texts.length, 20);
  assert.deepEqual([...texts].sort(), Array.from({ length: 20 }, (_, n) => `alert ${n}`).sort());
});

test('iwb incident --help names every form, the options and the exit codes', async () => {
  const r = await runCli(['incident', '--help'], process.cwd());
  assert.equal(r.code, 0);
  for (const form of ['iwb incident new --title T --severity S', 'iwb incident event ID --kind K --text T', 'iwb incident status ID STATUS', 'iwb incident evidence ID FILE --kind K']) assert.ok(r.out.includes(form), form);
  for (const word of ['--override REASON', '--workspace DIR', '--actor', 'IWB_ACTOR', 'Exit 0', '1: refused by a guardrail', '2: bad arguments']) assert.ok(r.out.includes(word), word);
});
