// Real py-spy sampling a real Python process (installed from requirements-dev.txt; .ci/run does it):
// by PID and by launch, through the same argument builder and parser the extension uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { parseProfile } from '../../src/core/profile/parse';
import { explainPySpyFailure, parseRecordOutput, recordArgs } from '../../src/core/profile/pySpy';
import { cpuTicks, isPythonExecutable, parseCmdline } from '../../src/core/profile/processes';
import { summarize } from '../../src/core/profile/summary';
import { tempDir } from './helpers';

const WORKLOAD = path.join(__dirname, '../fixtures/profile/workload.py');
const HOT_LINE = readFileSync(WORKLOAD, 'utf8').split('\n').findIndex((l) => l.includes('total += i * i % 7')) + 1;
const PY_SPY = process.env.IWB_PY_SPY ?? 'py-spy';
const PYTHON = process.env.IWB_PYTHON ?? 'python3';

function pySpyVersion(): string | undefined {
  const r = spawnSync(PY_SPY, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function run(cmd: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}

function startWorkload(seconds: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [WORKLOAD, '--seconds', String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.once('error', reject);
    child.stdout!.once('data', () => resolve(child)); // prints "ready" once its threads run
  });
}

test('py-spy is installed (python -m pip install -r requirements-dev.txt)', () => {
  assert.match(pySpyVersion() ?? 'missing', /^py-spy 0\.4\./, `py-spy not found as "${PY_SPY}"; install it with python3 -m pip install py-spy`);
});

test('profiling a running workload by PID: hot_loop at its line is the hottest self frame', { skip: !pySpyVersion() && 'py-spy missing' }, async (t) => {
  const dir = tempDir(t);
  const child = await startWorkload(20);
  t.after(() => child.kill());
  const output = path.join(dir, 'by-pid.speedscope.json');
  const r = await run(PY_SPY, recordArgs({ pid: child.pid!, output, durationSeconds: 2, rate: 100 }));
  assert.equal(r.code, 0, r.output);
  const outcome = parseRecordOutput(r.output);
  assert.ok(outcome.wroteFile && (outcome.samples ?? 0) > 50, r.output);
  const s = summarize(await parseProfile(readFileSync(output)), { top: 3 });
  assert.equal(s.format, 'speedscope-sampled');
  assert.deepEqual([s.top[0]!.function, s.top[0]!.file, s.top[0]!.line], ['hot_loop', WORKLOAD, HOT_LINE]);
});

test('profiling by launching the script (py-spy as parent), raw format with --threads', { skip: !pySpyVersion() && 'py-spy missing' }, async (t) => {
  const dir = tempDir(t);
  const output = path.join(dir, 'launched.raw');
  const r = await run(PY_SPY, recordArgs({ launch: { program: PYTHON, args: [WORKLOAD, '--seconds', '3'] }, output, format: 'raw', threads: true, durationSeconds: 2 }));
  assert.equal(r.code, 0, r.output);
  const p = await parseProfile(readFileSync(output));
  assert.equal(p.format, 'pyspy-raw');
  assert.ok(p.threads.some((th) => /^MainThread/.test(th.name)) && p.threads.some((th) => /^background/.test(th.name)), p.threads.map((x) => x.name).join());
  const s = summarize(p, { top: 1 });
  assert.deepEqual([s.top[0]!.function, s.top[0]!.file, s.top[0]!.line], ['hot_loop', WORKLOAD, HOT_LINE]);
});

test('a process that exits while sampled: py-spy says so and the samples until then are kept', { skip: !pySpyVersion() && 'py-spy missing' }, async (t) => {
  const dir = tempDir(t);
  const output = path.join(dir, 'exits.speedscope.json');
  const r = await run(PY_SPY, recordArgs({ launch: { program: PYTHON, args: [WORKLOAD, '--seconds', '1'] }, output, durationSeconds: 10 }));
  const outcome = parseRecordOutput(r.output);
  assert.ok(outcome.processExited, r.output);
  assert.ok(existsSync(output));
  const s = summarize(await parseProfile(readFileSync(output)), { top: 1 });
  assert.equal(s.top[0]!.function, 'hot_loop');
});

test('a PID that is not running gets the "not running" explanation', { skip: !pySpyVersion() && 'py-spy missing' }, async (t) => {
  const dir = tempDir(t);
  // A pid that was just used and has exited.
  const gone = spawnSync(PYTHON, ['-c', 'import os; print(os.getpid())'], { encoding: 'utf8' });
  const pid = Number(gone.stdout.trim());
  const r = await run(PY_SPY, recordArgs({ pid, output: path.join(dir, 'x.json'), durationSeconds: 1 }));
  assert.notEqual(r.code, 0);
  const problem = explainPySpyFailure(r.output, { platform: 'linux', uid: 0, inContainer: false, pySpyPath: PY_SPY, pid });
  assert.equal(problem?.kind, 'no-process', r.output);
});

test('/proc shows the workload as a Python process with its command line and CPU ticks', { skip: process.platform !== 'linux' }, async (t) => {
  const child = await startWorkload(5);
  t.after(() => child.kill());
  const pid = child.pid!;
  const exe = readdirSync('/proc').includes(String(pid)) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8') : '';
  const argv = parseCmdline(exe);
  assert.ok(isPythonExecutable(argv[0]!), argv[0]);
  assert.equal(argv[1], WORKLOAD);
  assert.ok((cpuTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')) ?? -1) >= 0);
});

test('a denied attach (real py-spy run as another user) is explained as such, with the sudo command', {
  skip: (process.platform !== 'linux' || process.getuid?.() !== 0 || spawnSync('runuser', ['--help']).status !== 0 || !pySpyVersion()) && 'needs Linux, root and runuser',
}, async (t) => {
  // Copy the real py-spy binary where the unprivileged user can run it, then attach to root's process.
  const scripts = spawnSync(PYTHON, ['-c', "import sysconfig,os; print(os.path.join(sysconfig.get_path('scripts'), 'py-spy'))"], { encoding: 'utf8' }).stdout.trim();
  const dir = tempDir(t);
  chmodSync(dir, 0o777);
  const exe = path.join(dir, 'py-spy');
  copyFileSync(existsSync(scripts) ? scripts : PY_SPY, exe);
  chmodSync(exe, 0o755);
  const child = await startWorkload(20);
  t.after(() => child.kill());
  const r = await run('runuser', ['-u', 'nobody', '--', exe, ...recordArgs({ pid: child.pid!, output: path.join(dir, 'x.json'), durationSeconds: 1 })]);
  assert.notEqual(r.code, 0);
  assert.match(r.output, /Permission Denied|Operation not permitted/);
  const problem = explainPySpyFailure(r.output, { platform: 'linux', uid: 65534, targetUid: 0, inContainer: false, pySpyPath: exe, pid: child.pid! });
  assert.equal(problem?.kind, 'permission');
  assert.match(problem!.message, /another user \(uid 0\)/);
  assert.match(problem!.nextStep, new RegExp(`sudo "${exe.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}" record --pid ${child.pid}`));
});
