import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir, runCli } from './helpers';

const clean = { title: 'Latency', incidentId: 'INC-2026-001', summary: 'p95 rose to 5 s because scoring became quadratic.', actionItems: [{ description: 'Add a scale test', owner: 'ranking', dueDate: '2026-12-20', priority: 'HIGH' }] };

test('iwb postmortem lint exits 0 on blameless text and 1 with findings as JSON', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'ok.json'), JSON.stringify(clean));
  const ok = await runCli(['postmortem', 'lint', 'ok.json', '--json'], dir);
  assert.equal(ok.code, 0);
  assert.deepEqual(JSON.parse(ok.out), []);
  writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ ...clean, whatWentWrong: ['Human error: the on-call should have checked'] }));
  const bad = await runCli(['postmortem', 'lint', 'bad.json', '--json'], dir);
  assert.equal(bad.code, 1);
  const findings = JSON.parse(bad.out) as { field: string; rule: string; text: string; suggestion: string }[];
  assert.deepEqual(findings.map((f) => [f.field, f.rule, f.text]), [['whatWentWrong[0]', 'human-error', 'Human error'], ['whatWentWrong[0]', 'should-have', 'should have']]);
  assert.ok(findings.every((f) => f.suggestion.length > 0));
  const human = await runCli(['postmortem', 'lint', 'bad.json'], dir);
  assert.equal(human.code, 1);
  assert.match(human.out, /bad\.json: whatWentWrong\[0\]: human-error "Human error" — /);
  assert.match(human.err, /2 findings/);
});

test('iwb postmortem render prints the Markdown; bad files exit 2 with one line', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'pm.json'), JSON.stringify(clean));
  const r = await runCli(['postmortem', 'render', 'pm.json'], dir);
  assert.equal(r.code, 0);
  assert.match(r.out, /^# Post-Mortem: Latency/);
  assert.match(r.out, /## Action Items/);
  writeFileSync(path.join(dir, 'broken.json'), '{"title": "x",\n  "incidentId": ');
  const broken = await runCli(['postmortem', 'render', 'broken.json'], dir);
  assert.equal(broken.code, 2);
  assert.match(broken.err, /^iwb postmortem: broken\.json:2:\d+: /);
  assert.equal(broken.err.split('\n').length, 1);
  assert.equal((await runCli(['postmortem', 'lint', 'missing.json'], dir)).code, 2);
  writeFileSync(path.join(dir, 'bin.json'), Buffer.from([0xff, 0xfe, 0x00, 0x81]));
  const bin = await runCli(['postmortem', 'lint', 'bin.json'], dir);
  assert.equal(bin.code, 2);
  assert.match(bin.err, /not UTF-8/);
  assert.equal((await runCli(['postmortem', 'frobnicate', 'pm.json'], dir)).code, 2);
  assert.equal((await runCli(['postmortem', 'render'], dir)).code, 2);
});

test('iwb postmortem renders a file with schema problems and reports them as warnings', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'pm.json'), JSON.stringify({ ...clean, severity: 'SEV1', summary: { text: 'x' } }, null, 2));
  const r = await runCli(['postmortem', 'render', 'pm.json'], dir);
  assert.equal(r.code, 0);
  assert.match(r.err, /pm\.json:\d+:\d+: warning: \/severity must be one of/);
  assert.match(r.out, /_No summary yet\._/);
});
