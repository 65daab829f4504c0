// Stack dumps (issue #13): the readers on real py-spy, faulthandler and sys._current_frames() output of
// test/fixtures/stacks/stuck.py (NOTE.md there), the analysis of what is stuck and why, property tests of
// every reader, and `iwb stacks` on files and on a live process through real py-spy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { analyzeStacks, classifyWait, heldLocks, somethingStuck, stacksReport, type SourceLines } from '../../src/core/stacks/analyze';
import { StackParseError, type StackDump, type ThreadDump } from '../../src/core/stacks/model';
import { parseStackDumps, splitJsonValues } from '../../src/core/stacks/parse';
import { dumpArgs } from '../../src/core/stacks/pySpyDump';
import { stacksSnapshot } from '../../src/presenters/stacks';
import { tempDir, runCli } from './helpers';

const FIXTURES = path.join(__dirname, '../fixtures/stacks');
const read = (f: string) => readFileSync(path.join(FIXTURES, f), 'utf8');
const STUCK = read('stuck.py').split('\n');
const lineOf = (text: string) => STUCK.findIndex((l) => l.includes(text)) + 1;
/** The dumps name /app/stuck.py (recorded there); its lines are this folder's stuck.py. */
const sources: SourceLines = (file) => (file.endsWith('stuck.py') ? STUCK : undefined);

const run = (argv: string[], cwd = FIXTURES) => runCli(argv, cwd);

function byName(a: ReturnType<typeof analyzeStacks>, name: string) {
  return a.threads.find((t) => t.name === name)!;
}

test('py-spy dump --json, three dumps: every way stuck.py is stuck is named, with the line', () => {
  const series = parseStackDumps(read('stuck.pyspy-dump.jsonl'));
  assert.equal(series.dumps.length, 3);
  assert.equal(series.dumps[0]!.source, 'py-spy-json');
  const a = analyzeStacks(series, sources);
  assert.equal(a.dumps, 3);
  assert.equal(a.threads.length, 8);
  assert.ok(a.pid! > 0);
  const kinds = Object.fromEntries(a.findings.map((f) => [f.kind === 'deadlock' ? 'deadlock' : a.threads.find((t) => t.id === f.threadIds[0])!.name, f]));
  // The deadlock: both threads, each holding the lock the other waits for, at the inner `with` lines.
  const deadlock = a.findings.find((f) => f.kind === 'deadlock')!;
  assert.deepEqual(new Set(deadlock.threadIds), new Set([byName(a, 'transfer').id, byName(a, 'audit').id]));
  assert.ok([lineOf('        with audit_lock:'), lineOf('        with accounts_lock:')].includes(deadlock.line));
  assert.match(deadlock.message, /Lock-order deadlock/);
  assert.match(deadlock.message, /"transfer" holds accounts_lock \(stuck\.py:\d+\) and waits for audit_lock/);
  assert.match(deadlock.message, /"audit" holds audit_lock \(stuck\.py:\d+\) and waits for accounts_lock/);
  assert.equal(kinds.consumer!.kind, 'lock-wait');
  assert.match(kinds.consumer!.message, /queue\.Queue\.get/);
  assert.equal(kinds.consumer!.line, lineOf('return jobs.get()'));
  assert.equal(kinds.MainThread!.kind, 'lock-wait');
  assert.match(kinds.MainThread!.message, /Thread\.join/);
  assert.equal(kinds.napper!.kind, 'sleep');
  assert.equal(kinds.napper!.line, lineOf('time.sleep(3600)'));
  assert.equal(kinds.reader!.kind, 'io-wait');
  assert.equal(kinds.reader!.line, lineOf('sock.recv(1024)'));
  assert.equal(kinds.waiter!.kind, 'io-wait');
  assert.match(kinds.waiter!.message, /child process/);
  assert.equal(kinds.waiter!.line, lineOf('subprocess.run('));
  // Only py-spy's JSON says the spinner runs: a loop that never leaves its function.
  assert.equal(kinds.spinner!.kind, 'busy-loop');
  assert.equal(byName(a, 'spinner').active, true);
  assert.equal(byName(a, 'spinner').gil, true);
  assert.ok(a.threads.every((t) => t.stuck));
  assert.equal(a.findings[0]!.kind, 'deadlock');
  // Held locks come from the enclosing `with` lines of the source.
  assert.deepEqual(byName(a, 'transfer').held.map((h) => [h.lock, h.line]), [['accounts_lock', lineOf('    with accounts_lock:')]]);
  // --locals made it into the frames.
  assert.ok(byName(a, 'MainThread').frames.some((f) => f.locals?.some((l) => l.name === 'self')));
});

test('py-spy dump text, faulthandler in a log and a sys._current_frames() dump give the same findings', () => {
  const text = analyzeStacks(parseStackDumps(read('stuck.pyspy-dump.txt')), sources);
  assert.equal(text.dumps, 3);
  // py-spy's text says "active+gil" too, so the spinner is a busy loop here as well.
  assert.deepEqual(text.findings.map((f) => f.kind).sort(), ['busy-loop', 'deadlock', 'io-wait', 'io-wait', 'lock-wait', 'lock-wait', 'sleep']);
  const fh = parseStackDumps(read('service-faulthandler.log'));
  assert.equal(fh.dumps.length, 3);
  assert.ok(fh.dumps.every((d) => d.source === 'faulthandler' && d.threads.length === 8));
  const fa = analyzeStacks(fh, sources);
  assert.ok(fa.findings.some((f) => f.kind === 'deadlock' && f.threadIds.length === 2));
  assert.equal(fa.threads[0]!.active, null);
  const cf = parseStackDumps(read('current-frames.txt'));
  assert.equal(cf.dumps.length, 1);
  const transfer = cf.dumps[0]!.threads.find((t) => t.name === 'transfer')!;
  // traceback order turned around: innermost first, with the source line the dump carried.
  assert.equal(transfer.frames[0]!.function, 'transfer');
  assert.equal(transfer.frames[0]!.code, 'with audit_lock:');
  // Without the files, the lines in the dump are enough to see the wait.
  const ca = analyzeStacks(cf, sources);
  assert.ok(ca.threads.every((t) => !t.stuck), 'one dump cannot say what is stuck');
  assert.ok(ca.findings.some((f) => f.kind === 'deadlock'));
  assert.ok(ca.findings.filter((f) => f.kind !== 'deadlock').every((f) => /one dump/.test(f.message)));
});

test('without source lines a `with lock:` frame is not guessed at; --native frames name the lock wait', () => {
  const a = analyzeStacks(parseStackDumps(read('stuck.pyspy-dump.jsonl')));
  assert.equal(a.findings.some((f) => f.kind === 'deadlock'), false);
  assert.ok(a.findings.some((f) => f.kind === 'lock-wait' && /queue/.test(f.message)), 'library frames still say what they wait for');
  const native: ThreadDump = {
    id: 1,
    name: 't',
    active: false,
    frames: [
      { function: '0x7f51146a3f16', file: 'libc.so.6', line: 0, native: true },
      { function: 'PyThread_acquire_lock_timed', file: 'libpython3.11.so.1.0', line: 0, native: true },
      { function: 't1', file: '/tmp/dl.py', line: 6 },
    ],
  };
  assert.equal(classifyWait(native.frames, false)?.kind, 'lock-wait');
  assert.equal(classifyWait([{ function: 'clock_nanosleep', file: 'libc.so.6', line: 0, native: true }, { function: 'f', file: '/a.py', line: 2 }], false)?.kind, 'sleep');
});

test('a server waiting for requests is idle, not stuck; a thread that moved is not stuck', () => {
  const serving: ThreadDump = {
    id: 7,
    name: 'MainThread',
    active: false,
    frames: [
      { function: '_PollLikeSelector.select', file: '/usr/lib/python3.11/selectors.py', line: 415 },
      { function: 'BaseServer.serve_forever', file: '/usr/lib/python3.11/socketserver.py', line: 233 },
      { function: 'main', file: '/srv/app.py', line: 9 },
    ],
  };
  const moving = (line: number): ThreadDump => ({ id: 8, name: 'worker', active: true, frames: [{ function: 'step', file: '/srv/app.py', line }, { function: 'loop', file: '/srv/app.py', line: 30 + line }] });
  const dump = (line: number): StackDump => ({ source: 'py-spy-json', threads: [serving, moving(line)] });
  const a = analyzeStacks({ dumps: [dump(1), dump(2), dump(3)], warnings: [] });
  assert.equal(a.threads[0]!.waitingForWork, true);
  assert.equal(a.threads[0]!.stuck, false);
  assert.equal(a.threads[1]!.stuck, false);
  assert.deepEqual(a.findings, []);
  assert.equal(somethingStuck(a), false);
  // The frames the same in every dump are marked still: here only the outer frame... which moved too.
  assert.deepEqual(a.threads[1]!.frames.map((f) => f.still), [false, false]);
});

test('held locks: enclosing with-statements and unreleased acquire() calls of the same function', () => {
  const src = ['def f():', '    a.acquire()', '    b.acquire()', '    b.release()', '    with self._c, open(p) as fh:', '        if x:', '            with d:', '                pass'];
  const held = heldLocks([{ function: 'f', file: '/x.py', line: 7 }], (f) => (f === '/x.py' ? src : undefined));
  assert.deepEqual(held.map((h) => h.lock).sort(), ['a', 'self._c']);
});

// ---------------------------------------------------------------------------------- properties

const nameArb = fc.oneof(fc.stringMatching(/^[A-Za-z_][\w.]{0,14}$/), fc.constantFrom('<module>', '<img src=x onerror=alert(1)>', 'Class.method', 'f"x"'));
const fileArb = fc.constantFrom('/app/a.py', '/usr/lib/python3.11/threading.py', '/srv/some dir/b.py', '/app/<script>.py');
const frameArb = fc.record({ function: nameArb, file: fileArb, line: fc.integer({ min: 1, max: 9999 }) });
const threadArb = fc.record({
  id: fc.integer({ min: 1, max: 2 ** 40 }),
  name: fc.stringMatching(/^[\w -]{0,12}$/),
  active: fc.boolean(),
  gil: fc.boolean(),
  frames: fc.array(frameArb, { minLength: 1, maxLength: 8 }),
});
const dumpArb = fc.uniqueArray(threadArb, { minLength: 1, maxLength: 6, selector: (t) => t.id });

function pySpyText(pid: number, threads: typeof dumpArb extends fc.Arbitrary<infer T> ? T : never): string {
  return [`Process ${pid}: python3 app.py`, 'Python v3.11.2 (/usr/bin/python3.11)', '', ...threads.flatMap((t) => [`Thread ${t.id} (${t.active ? (t.gil ? 'active+gil' : 'active') : 'idle'}): "${t.name}"`, ...t.frames.map((f) => `    ${f.function} (${f.file}:${f.line})`)])].join('\n');
}

function faulthandler(threads: typeof dumpArb extends fc.Arbitrary<infer T> ? T : never): string {
  return ['Timeout (0:00:05)!', ...threads.flatMap((t, i) => [`${i === 0 ? 'Current thread' : 'Thread'} 0x${t.id.toString(16).padStart(16, '0')} (most recent call first):`, ...t.frames.map((f) => `  File "${f.file}", line ${f.line} in ${f.function}`), ''])].join('\n');
}

function currentFrames(threads: typeof dumpArb extends fc.Arbitrary<infer T> ? T : never): string {
  return threads.flatMap((t) => [`# Thread: ${t.name}(${t.id})`, ...[...t.frames].reverse().flatMap((f) => [`File: "${f.file}", line ${f.line}, in ${f.function}`, '  pass'])]).join('\n');
}

const plain = (d: StackDump) => d.threads.map((t) => ({ id: t.id, frames: t.frames.map((f) => [f.function, f.file, f.line]) }));
const expected = (threads: { id: number; frames: { function: string; file: string; line: number }[] }[]) => threads.map((t) => ({ id: t.id, frames: t.frames.map((f) => [f.function, f.file, f.line]) }));

test('every reader gives back the threads and frames it was given, several dumps in a row (property)', () => {
  fc.assert(
    fc.property(fc.array(dumpArb, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 99999 }), (dumps, pid) => {
      const text = parseStackDumps(dumps.map((d) => pySpyText(pid, d)).join('\n'));
      assert.deepEqual(text.dumps.map(plain), dumps.map(expected));
      assert.deepEqual(text.dumps.map((d) => d.threads.map((t) => [t.name, t.active, t.gil])), dumps.map((d) => d.map((t) => [t.name, t.active, t.active && t.gil])));
      const json = parseStackDumps(dumps.map((d) => JSON.stringify(d.map((t) => ({ pid, thread_id: t.id, thread_name: t.name, active: t.active, owns_gil: t.gil, frames: t.frames.map((f) => ({ name: f.function, filename: f.file, line: f.line, locals: null })) })))).join('\n'));
      assert.deepEqual(json.dumps.map(plain), dumps.map(expected));
      const log = ['2026-01-01 INFO started', ...dumps.map(faulthandler), '2026-01-01 WARNING no request in 5 s'].join('\n');
      assert.deepEqual(parseStackDumps(log).dumps.map(plain), dumps.map(expected));
      // Recipes write no header of their own: a dump ends at the next line that is not part of one.
      assert.deepEqual(parseStackDumps(dumps.map(currentFrames).join('\n2026-01-01 INFO dumped all threads\n')).dumps.map(plain), dumps.map(expected));
    }),
    { numRuns: 150 },
  );
});

test('the analysis of any dumps keeps its invariants (property)', () => {
  fc.assert(
    fc.property(fc.array(dumpArb, { minLength: 1, maxLength: 4 }), (dumps) => {
      const a = analyzeStacks({ dumps: dumps.map((threads) => ({ source: 'py-spy-json' as const, threads })), warnings: [] });
      const ids = new Set(a.threads.map((t) => t.id));
      for (const f of a.findings) for (const id of f.threadIds) assert.ok(ids.has(id));
      if (a.dumps < 2) assert.ok(a.threads.every((t) => !t.stuck));
      for (const t of a.threads) if (t.stuck) assert.ok(t.frames.every((f) => f.still));
      const report = stacksReport(a);
      assert.deepEqual(Object.keys(report).filter((k) => k !== 'pid'), ['dumps', 'threads', 'findings']);
      const snap = stacksSnapshot(a, { id: 'x', title: 't' });
      assert.equal(snap.threads.length, a.threads.length);
    }),
    { numRuns: 150 },
  );
});

test('junk, binary and cut-off input: a StackParseError or dumps, never another exception (property)', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.constantFrom('[', '[{"frames": [', '{"traceEvents": []}', '[1,2]', 'Thread 0x1 (most recent call first):\n  File "a", line x in f', '\u0000\u0001')), (text) => {
      try {
        const s = parseStackDumps(text);
        assert.ok(s.dumps.length > 0);
      } catch (e) {
        assert.ok(e instanceof StackParseError, String(e));
      }
    }),
    { numRuns: 400 },
  );
  assert.throws(() => parseStackDumps(''), /empty/);
  assert.throws(() => parseStackDumps('{"traceEvents": []}'), /a profile, not a stack dump/);
  assert.deepEqual(splitJsonValues('[1] [2]\n[3]'), ['[1]', '[2]', '[3]']);
  // A JSON Lines file cut inside its last dump keeps the complete ones.
  const lines = read('stuck.pyspy-dump.jsonl').trim().split('\n');
  const cut = parseStackDumps(`${lines[0]}\n${lines[1]}\n${lines[2]!.slice(0, 500)}`);
  assert.equal(cut.dumps.length, 2);
  assert.match(cut.warnings[0]!, /cut off/);
});

// ---------------------------------------------------------------------------------- CLI

test('iwb stacks FILE --json: the contract, exit 1 when stuck, 0 when not, 2 when unreadable', async (t) => {
  const r = await run(['stacks', 'stuck.pyspy-dump.jsonl', '--map', `/app=${FIXTURES}`, '--json']);
  assert.equal(r.code, 1, r.err);
  const j = JSON.parse(r.out);
  assert.deepEqual(Object.keys(j), ['pid', 'dumps', 'threads', 'findings']);
  assert.deepEqual(Object.keys(j.threads[0]), ['id', 'name', 'active', 'gil', 'stuck', 'frames']);
  assert.deepEqual(Object.keys(j.threads[0].frames[0]), ['function', 'file', 'line']);
  assert.deepEqual(Object.keys(j.findings[0]), ['kind', 'threadIds', 'file', 'line', 'message']);
  assert.equal(j.findings[0].kind, 'deadlock');
  for (const f of j.findings) assert.ok(['deadlock', 'lock-wait', 'io-wait', 'sleep', 'busy-loop'].includes(f.kind));
  const human = await run(['stacks', 'service-faulthandler.log', '--map', `/app=${FIXTURES}`]);
  assert.equal(human.code, 1);
  assert.match(human.out, /^3 dumps, 8 threads, 7 stuck/);
  assert.match(human.out, /DEADLOCK: Lock-order deadlock/);
  const dir = tempDir(t);
  // A healthy process: one thread that moved.
  const healthy = [0, 1].map((i) => JSON.stringify([{ pid: 5, thread_id: 1, os_thread_id: 11, thread_name: 'MainThread', active: true, owns_gil: true, frames: [{ name: 'work', filename: '/srv/w.py', line: 10 + i }, { name: 'main', filename: '/srv/w.py', line: 40 + i }] }])).join('\n');
  writeFileSync(path.join(dir, 'ok.jsonl'), healthy);
  const ok = await run(['stacks', 'ok.jsonl', '--json'], dir);
  assert.equal(ok.code, 0, ok.err);
  assert.deepEqual(JSON.parse(ok.out).findings, []);
  writeFileSync(path.join(dir, 'bin.log'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]));
  writeFileSync(path.join(dir, 'plain.log'), 'just a log line\nanother one\n');
  for (const [file, why] of [['missing.txt', /no such file/], ['bin.log', /binary/], ['plain.log', /no stack dump found/]] as const) {
    const e = await run(['stacks', file], dir);
    assert.equal(e.code, 2);
    assert.match(e.err, new RegExp(`^iwb stacks: ${file}: `));
    assert.match(e.err, why);
    assert.equal(e.err.split('\n').length, 1);
  }
  const usage = await run(['stacks', '--pid', 'x'], dir);
  assert.equal(usage.code, 2);
  assert.deepEqual(dumpArgs({ pid: 42, locals: true, native: true }), ['dump', '--pid', '42', '--json', '--locals', '--native']);
});

function pySpyWorks(): boolean {
  return spawnSync(process.env.IWB_PY_SPY ?? 'py-spy', ['--version'], { encoding: 'utf8' }).status === 0;
}

test('iwb stacks --pid: real py-spy dumps a real deadlocked process three times and names the deadlock', { skip: !pySpyWorks() && 'py-spy is not installed (requirements-dev.txt)' }, async (t) => {
  const child: ChildProcess = spawn(process.env.IWB_PYTHON ?? 'python3', [path.join(FIXTURES, 'stuck.py')], { stdio: ['ignore', 'pipe', 'ignore'] });
  t.after(() => child.kill('SIGKILL'));
  await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout!.once('data', resolve);
  });
  // The two lock threads meet at the barrier first; give them a moment to block.
  await new Promise((r) => setTimeout(r, 300));
  const r = await run(['stacks', '--pid', String(child.pid), '--dumps', '3', '--interval', '0.3', '--json']);
  assert.equal(r.code, 1, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.pid, child.pid);
  assert.equal(j.dumps, 3);
  const deadlock = j.findings.find((f: { kind: string }) => f.kind === 'deadlock');
  assert.ok(deadlock, JSON.stringify(j.findings));
  assert.ok([lineOf('        with audit_lock:'), lineOf('        with accounts_lock:')].includes(deadlock.line));
  const gone = await run(['stacks', '--pid', '999999', '--dumps', '1']);
  assert.equal(gone.code, 2);
  assert.equal(gone.err.split('\n').length, 1);
  assert.match(gone.err, /not running|could not dump/);
});

test('iwb stacks FILE.gz: a gzipped log or dump reads as the same file uncompressed; a cut-short one is exit 2 naming it', async (t) => {
  const { gzipSync } = await import('node:zlib');
  const dir = tempDir(t);
  for (const name of ['service-faulthandler.log', 'stuck.pyspy-dump.jsonl', 'stuck.pyspy-dump.txt']) {
    const gz = path.join(dir, `${name}.gz`);
    writeFileSync(gz, gzipSync(readFileSync(path.join(FIXTURES, name))));
    const plain = await run(['stacks', name, '--map', `/app=${FIXTURES}`, '--json']);
    const zipped = await run(['stacks', gz, '--map', `/app=${FIXTURES}`, '--json']);
    assert.equal(zipped.code, plain.code, zipped.err);
    assert.deepEqual(JSON.parse(zipped.out), JSON.parse(plain.out), name);
  }
  const whole = gzipSync(readFileSync(path.join(FIXTURES, 'service-faulthandler.log')));
  const cut = path.join(dir, 'cut.log.gz');
  writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
  const r = await run(['stacks', cut]);
  assert.equal(r.code, 2);
  assert.match(r.err, /^iwb stacks: .*cut\.log\.gz: .*gzip/);
  assert.equal(r.err.split('\n').length, 1);
});
