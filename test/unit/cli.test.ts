import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir, validIncident, repoRoot, runCli } from './helpers';

function workspace(t: Parameters<typeof tempDir>[0], files: Record<string, string>) {
  const dir = tempDir(t);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

test('iwb --version prints the package version', async () => {
  const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  assert.deepEqual(await runCli(['--version'], process.cwd()), { code: 0, out: version, err: '' });
});

test('iwb --help lists every command; each prints its usage for --help, -h and iwb help NAME', async () => {
  const overview = await runCli(['--help'], process.cwd());
  assert.equal(overview.code, 0);
  const names = [...overview.out.matchAll(/^ {2}([a-z][\w-]*) {2,}\S/gm)].map((m) => m[1]!);
  assert.deepEqual(names, ['validate', 'incident', 'errors', 'patterns', 'profile', 'memory', 'stacks', 'postmortem', 'abtest', 'rollback', 'trace', 'traces', 'model', 'lint-logging', 'redact']);
  for (const name of names) {
    const help = await runCli([name, '--help'], process.cwd());
    assert.equal(help.code, 0, name);
    assert.equal(help.err, '', name);
    assert.match(help.out, new RegExp(`^iwb ${name} `), name);
    assert.match(help.out, /Exit \d/, `${name} --help names its exit codes`);
    assert.deepEqual(await runCli([name, '-h'], process.cwd()), help, name);
    assert.deepEqual(await runCli(['help', name], process.cwd()), help, name);
  }
  const unknown = await runCli(['help', 'nope'], process.cwd());
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown command "nope"/);
});

test('--help after an option that takes a value is that value, not a request for help', async (t) => {
  const dir = workspace(t, {});
  const r = await runCli(['redact', '--pattern', '--help', 'missing.log'], dir);
  assert.equal(r.code, 2);
  assert.match(r.err, /missing\.log/);
});

test('iwb validate exits 0 on valid files', async (t) => {
  const dir = workspace(t, { '.incidents/INC-2026-001/incident.json': JSON.stringify(validIncident) });
  const r = await runCli(['validate'], dir);
  assert.equal(r.code, 0);
  assert.equal(r.out, '');
  assert.match(r.err, /1 file checked, 0 invalid/);
});

test('iwb validate prints file:line:column: message and exits 1 on a broken file', async (t) => {
  const text = JSON.stringify({ ...validIncident, status: 'DONE' }, null, 2);
  const dir = workspace(t, { '.incidents/INC-2026-001/incident.json': text });
  const r = await runCli(['validate'], dir);
  assert.equal(r.code, 1);
  const line = text.split('\n').findIndex((l) => l.includes('"status"')) + 1;
  assert.equal(r.out, `.incidents/INC-2026-001/incident.json:${line}:3: /status must be one of "OPEN", "INVESTIGATING", "MITIGATED", "RESOLVED", "CLOSED" (found "DONE")`);
});

test('iwb validate DIR --json reports every file with its problems', async (t) => {
  const dir = workspace(t, {
    'x/.incidents/INC-2026-001/incident.json': JSON.stringify(validIncident),
    'x/.incidents/INC-2026-002/incident.json': '{',
  });
  const r = await runCli(['validate', 'x/.incidents', '--json'], dir);
  assert.equal(r.code, 1);
  const report = JSON.parse(r.out);
  assert.equal(report.checked, 2);
  assert.equal(report.invalid, 1);
  const bad = report.files.find((f: { file: string }) => f.file.includes('INC-2026-002'));
  assert.equal(bad.file, path.join('x', '.incidents', 'INC-2026-002', 'incident.json'));
  assert.equal(bad.state, 'invalid');
  assert.deepEqual([bad.problems[0].line, bad.problems[0].column], [1, 2]);
});

test('iwb validate on a missing directory exits 2 with one line, no stack', async (t) => {
  const r = await runCli(['validate', 'nope'], tempDir(t));
  assert.equal(r.code, 2);
  assert.equal(r.err.split('\n').length, 1);
  assert.match(r.err, /nope does not exist/);
});

test('unknown commands and options exit 2', async () => {
  assert.equal((await runCli(['frobnicate'], process.cwd())).code, 2);
  assert.equal((await runCli(['validate', '--bogus'], process.cwd())).code, 2);
});
