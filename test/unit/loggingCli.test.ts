import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot, tempDir, runCli } from './helpers';
import { fixturesDir } from './loggingHelpers';

test('iwb lint-logging --json: [{file, line, column, rule, message}] and exit 1 at error severity', async () => {
  const r = await runCli(['lint-logging', 'exception_without_traceback.py', 'print_logging.py', '--json'], fixturesDir);
  assert.equal(r.code, 1);
  const findings = JSON.parse(r.out) as { file: string; line: number; column: number; rule: string; message: string; severity: string }[];
  assert.deepEqual(
    findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule} ${f.severity}`),
    [
      'exception_without_traceback.py:16:9 exception-without-traceback error',
      'exception_without_traceback.py:16:22 eager-formatting warning',
      'exception_without_traceback.py:24:9 exception-without-traceback error',
      'print_logging.py:8:5 print-logging warning',
      'print_logging.py:9:5 print-logging warning',
    ],
  );
  for (const f of findings) assert.ok(f.message.length > 40, 'messages teach');
});

test('iwb lint-logging on a folder: text output, the project hint once, skipped files named; warnings alone exit 0', async (t) => {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, 'svc'));
  writeFileSync(path.join(dir, 'svc', 'app.py'), readFileSync(path.join(fixturesDir, 'unstructured_service/app.py')));
  writeFileSync(path.join(dir, 'svc', 'helpers.py'), 'import logging\nlogger = logging.getLogger(__name__)\n\ndef f(x):\n    logger.info(f"x={x}")\n');
  writeFileSync(path.join(dir, 'svc', 'legacy.py'), Buffer.from([0x78, 0x20, 0x3d, 0x20, 0x22, 0xe9, 0x22, 0x0a]));
  mkdirSync(path.join(dir, 'svc', '.venv'));
  writeFileSync(path.join(dir, 'svc', '.venv', 'ignored.py'), 'def f():\n    print("x")\n');
  const r = await runCli(['lint-logging', 'svc'], dir);
  assert.equal(r.code, 0);
  assert.deepEqual(r.out.split('\n').map((l) => l.split(': ').slice(0, 2).join(': ')), [
    `${path.join('svc', 'app.py')}:17:5: information unstructured-logger`,
    `${path.join('svc', 'helpers.py')}:5:17: warning eager-formatting`,
  ]);
  assert.match(r.err, /legacy\.py: skipped: not UTF-8/);
  assert.match(r.err, /2 files checked, 1 skipped: 2 findings, 0 at error severity/);
  const quiet = await runCli(['lint-logging', 'svc', '--rules', 'eager-formatting=error,unstructured-logger=off', '--json'], dir);
  assert.equal(quiet.code, 1);
  assert.deepEqual(JSON.parse(quiet.out).map((f: { rule: string; severity: string }) => `${f.rule} ${f.severity}`), ['eager-formatting error']);
});

test('iwb lint-logging: usage errors exit 2 with one line', async () => {
  for (const argv of [['lint-logging'], ['lint-logging', 'nope.py'], ['lint-logging', '.', '--rules', 'bogus=error'], ['lint-logging', '.', '--frobnicate']]) {
    const r = await runCli(argv, fixturesDir);
    assert.equal(r.code, 2, argv.join(' '));
    assert.equal((r.err || r.out).split('\n').length, 1);
  }
});

test('iwb redact: stdout, --out (never overwriting), --check, --json, custom fields and patterns', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'app.log'), 'login user=ada password=hunter2\nmember_no=991 ref ORD-12345678 from ada@example.com\n');
  const r = await runCli(['redact', 'app.log', '--fields', 'member_no', '--pattern', 'ORD-\\d{8}'], dir);
  assert.equal(r.code, 0);
  assert.equal(r.out, 'login user=ada password=[REDACTED:field]\nmember_no=[REDACTED:field] ref [REDACTED:pattern] from [REDACTED:email]');
  assert.match(r.err, /redacted 4 values \(field 2, email 1, pattern 1\)/);
  assert.equal((await runCli(['redact', 'app.log', '--out', 'clean.log'], dir)).code, 0);
  assert.ok(!readFileSync(path.join(dir, 'clean.log'), 'utf8').includes('hunter2'));
  const again = await runCli(['redact', 'app.log', '--out', 'clean.log'], dir);
  assert.equal(again.code, 2);
  assert.match(again.err, /already exists/);
  assert.match(readFileSync(path.join(dir, 'app.log'), 'utf8'), /hunter2/, 'the input is never changed');
  assert.equal((await runCli(['redact', 'clean.log', '--check'], dir)).code, 0);
  assert.equal((await runCli(['redact', 'app.log', '--check'], dir)).code, 1);
  const json = JSON.parse((await runCli(['redact', 'app.log', '--json'], dir)).out);
  assert.equal(json.replaced, 2);
  assert.equal(json.format, 'text');
  writeFileSync(path.join(dir, 'bin.dat'), Buffer.from([0xff, 0xfe, 0x00]));
  assert.match((await runCli(['redact', 'bin.dat'], dir)).err, /not UTF-8 text/);
  assert.equal((await runCli(['redact', 'app.log', '--pattern', '('], dir)).code, 2);
});

test('the bundled CLI (dist/cli.js) finds its wasm in dist/wasm and lints', { skip: !existsSync(path.join(repoRoot, 'dist/cli.js')) && 'not built' }, () => {
  let out = '';
  try {
    execFileSync(process.execPath, [path.join(repoRoot, 'dist/cli.js'), 'lint-logging', path.join(fixturesDir, 'swallowed_exception.py'), '--json'], { encoding: 'utf8' });
  } catch (e) {
    out = (e as { stdout: string }).stdout; // exit 1: findings at error severity
  }
  assert.equal(JSON.parse(out).filter((f: { rule: string }) => f.rule === 'swallowed-exception').length, 3);
});
