import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_DURATION, DEFAULT_RATE, explainPySpyFailure, hasCapSysPtrace, parseRecordOutput, recordArgs, taskRecordOptions, type PySpyTaskFields } from '../../src/core/profile/pySpy';
import { cpuTicks, isPythonExecutable, parseCmdline, parsePs } from '../../src/core/profile/processes';
import { repoRoot } from './helpers';

// Messages as py-spy 0.4 prints them (src/main.rs, src/python_spy.rs).
const LINUX_DENIED = 'Error: Permission Denied: Try running again with elevated permissions by going \'sudo env "PATH=$PATH" !!\'';
const MAC_ROOT = 'Error: This program requires root on OSX.\nTry running again with elevated permissions by going \'sudo !!\'';
const EPERM = 'Error: Failed to attach to process\n\nCaused by:\n    Operation not permitted (os error 1)';
const base = { platform: 'linux', uid: 1000, inContainer: false, pySpyPath: '/venv/bin/py-spy', pid: 42 };

test('permission failures are explained for the situation, with the exact next step', () => {
  const scope1 = explainPySpyFailure(LINUX_DENIED, { ...base, ptraceScope: 1 })!;
  assert.equal(scope1.kind, 'permission');
  assert.match(scope1.message, /ptrace_scope is 1/);
  assert.match(scope1.nextStep, /sudo sysctl kernel\.yama\.ptrace_scope=0/);
  assert.match(scope1.nextStep, /sudo "\/venv\/bin\/py-spy" record --pid 42/);
  const container = explainPySpyFailure(EPERM, { ...base, uid: 0, inContainer: true, hasSysPtrace: false })!;
  assert.equal(container.kind, 'container');
  assert.match(container.nextStep, /--cap-add SYS_PTRACE/);
  const mac = explainPySpyFailure(MAC_ROOT, { ...base, platform: 'darwin' })!;
  assert.equal(mac.kind, 'macos-root');
  assert.match(mac.nextStep, /^Run in a terminal: sudo /);
  const other = explainPySpyFailure(LINUX_DENIED, { ...base, targetUid: 33 })!;
  assert.match(other.message, /another user \(uid 33\)/);
  assert.equal(explainPySpyFailure(LINUX_DENIED, { ...base, ptraceScope: 3 })!.message.includes('disabled'), true);
  assert.equal(explainPySpyFailure('Error: Failed to find python version from target process', base)!.kind, 'not-python');
  assert.equal(explainPySpyFailure('something else entirely', base), undefined);
});

test('for stack dumps the next steps name py-spy dump and the dump command, never a recording', () => {
  const dump = { ...base, action: 'dump' as const };
  const scope1 = explainPySpyFailure(LINUX_DENIED, { ...dump, ptraceScope: 1 })!;
  assert.match(scope1.nextStep, /sudo "\/venv\/bin\/py-spy" dump --pid 42 --json/);
  assert.doesNotMatch(scope1.nextStep, /record|Launch a script/);
  assert.doesNotMatch(explainPySpyFailure(EPERM, { ...dump, uid: 0, inContainer: true, hasSysPtrace: false })!.nextStep, /Launch a script/);
  assert.match(explainPySpyFailure('Error: No such process (os error 3)', dump)!.nextStep, /Dump Python Process Stacks…/);
  assert.match(explainPySpyFailure('Error: process exited', dump)!.message, /dumps taken until then are kept/);
});

test('CapEff bit 19 is CAP_SYS_PTRACE', () => {
  assert.equal(hasCapSysPtrace('00000000a80425fb'), false); // Docker's default set
  assert.equal(hasCapSysPtrace('00000000a80c25fb'), true); // with --cap-add SYS_PTRACE
  assert.equal(hasCapSysPtrace('000001ffffffffff'), true);
  assert.equal(hasCapSysPtrace('zz'), false);
});

test('record arguments are an array with --full-filenames and the chosen options', () => {
  assert.deepEqual(recordArgs({ pid: 7, output: 'o.json', durationSeconds: 30, rate: 100, gil: true, idle: true }), [
    'record', '--format', 'speedscope', '--full-filenames', '--output', 'o.json', '--rate', '100', '--duration', '30', '--idle', '--gil', '--pid', '7',
  ]);
  assert.deepEqual(recordArgs({ launch: { program: 'python3', args: ['a b.py', '--x'] }, output: 'o', durationSeconds: 0 }).slice(-6), ['--duration', 'unlimited', '--', 'python3', 'a b.py', '--x']);
  assert.throws(() => recordArgs({ output: 'o' }));
  assert.throws(() => recordArgs({ pid: -1, output: 'o' }));
  assert.ok(!recordArgs({ pid: 1, output: 'o', native: true, nonblocking: true }).includes('--nonblocking'));
});

test('the py-spy task fields are the ones package.json declares for tasks.json', () => {
  // Type-checked to name every field of PySpyTaskFields and nothing else.
  const fields = { pid: 1, program: 1, args: 1, cwd: 1, env: 1, duration: 1, rate: 1, native: 1, idle: 1, gil: 1, subprocesses: 1, threads: 1, output: 1, open: 1, runId: 1 } satisfies Record<keyof PySpyTaskFields, 1>;
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { contributes: { taskDefinitions: { type: string; properties: Record<string, unknown> }[] } };
  const declared = manifest.contributes.taskDefinitions.find((d) => d.type === 'py-spy')!;
  assert.deepEqual(Object.keys(declared.properties).sort(), Object.keys(fields).sort());
});

test('a py-spy task becomes record options: its target, its sampling flags, defaults for duration and rate', () => {
  assert.deepEqual(taskRecordOptions({ pid: 7, gil: true }, '/w/p.json'), { pid: 7, output: '/w/p.json', durationSeconds: DEFAULT_DURATION, rate: DEFAULT_RATE, native: undefined, idle: undefined, gil: true, subprocesses: undefined, threads: undefined });
  const launch = taskRecordOptions({ program: 'python3', args: ['app.py'], duration: 0, rate: 250, threads: true }, 'o');
  assert.deepEqual(recordArgs(launch), ['record', '--format', 'speedscope', '--full-filenames', '--output', 'o', '--rate', '250', '--duration', 'unlimited', '--threads', '--', 'python3', 'app.py']);
});

test('py-spy output: samples, written file, exited process', () => {
  const out = '\u001b[32m\u001b[1mpy-spy\u001b[0m\u001b[2m>\u001b[0m Stopped sampling because process exited\r\npy-spy> Wrote speedscope file to \'b.json\'. Samples: 166 Errors: 0';
  assert.deepEqual(parseRecordOutput(out), { samples: 166, errors: 0, wroteFile: true, processExited: true });
  assert.deepEqual(parseRecordOutput(''), { wroteFile: false, processExited: false });
});

test('process helpers read /proc and ps text', () => {
  for (const p of ['/usr/bin/python3', 'python3.11', '/opt/py/bin/python', 'pypy3', 'python3.12d', '/usr/bin/python3.11 (deleted)']) assert.ok(isPythonExecutable(p), p);
  for (const p of ['/usr/bin/node', 'pythonista', 'bash', '']) assert.ok(!isPythonExecutable(p), p);
  assert.deepEqual(parseCmdline('python3\u0000-m\u0000service.server\u0000'), ['python3', '-m', 'service.server']);
  assert.equal(cpuTicks('123 (python3 (x) y) S 1 2 3 4 5 6 7 8 9 10 250 30 0 0'), 280);
  assert.equal(cpuTicks('garbage'), undefined);
  assert.deepEqual(parsePs('  PID  %CPU   UID COMMAND\n  501  97.5   501 /usr/local/bin/python3 app.py\n  502   0.0   0 /sbin/launchd\n'), [
    { pid: 501, cpu: 97.5, uid: 501, command: '/usr/local/bin/python3 app.py' },
  ]);
});
