// Issue 17, "Done when": the bad-input corpus (test/fixtures/bad/, plus the large files test/support/badInputs.ts
// writes at test time) through every `iwb` command, as a new user would run them. Each command runs in a child
// process with a 512 MB heap and a time limit per case; every case must end with exit 0, 1 or 2 (rollback: 0, 2,
// 3, 4), no internal error, no stack trace, no out-of-memory and no hang, and an exit 2 must say in a line or two
// which file could not be used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { runBadInputChild, type RunnerMessage } from '../support/badInputRunner';
import { writeLargeBadInputs } from '../support/badInputs';
import { repoRoot, tempDir, validIncident } from './helpers';

const HEAP_MB = 512;
const CASE_TIMEOUT_MS = 90_000;
const BAD = path.join(repoRoot, 'test', 'fixtures', 'bad');

const OK = {
  log: path.join(repoRoot, 'demo', 'logs', 'service.jsonl'),
  trace: path.join(repoRoot, 'test', 'fixtures', 'traces', 'checkout.otlp.json'),
  baseline: path.join(repoRoot, 'demo', 'deploy', 'baseline.json'),
  current: path.join(repoRoot, 'demo', 'deploy', 'current-healthy.json'),
  profile: path.join(repoRoot, 'test', 'fixtures', 'profile', 'workload.speedscope.json'),
};

interface Case {
  id: number;
  command: string;
  file: string;
  argv: string[];
  cwd: string;
  /** Exit codes that are answers, not failures. */
  codes: number[];
  /** A further check on a finished run (e.g. validate went on to the valid incident). */
  check?: (r: Result) => string | undefined;
  /**
   * A command without a template here (added after this test) is run as `iwb NAME FILE`, which may be a
   * usage error that cannot name the file; it must still not crash, hang or run out of memory.
   */
  generic?: boolean;
}

interface Result {
  code?: number;
  out: string;
  err: string;
  stray: string;
  ms?: number;
  failure?: string;
}

/** The command names `iwb --help` lists: a command added later is run on the corpus too (as `iwb NAME FILE`). */
async function commandNames(): Promise<string[]> {
  const out: string[] = [];
  await main(['--help'], { out: (l) => out.push(l), err: () => undefined, cwd: repoRoot });
  return [...out.join('\n').matchAll(/^ {2}([a-z][\w-]*) {2,}\S/gm)].map((m) => m[1]!);
}

/** A workspace whose INC-2026-001 incident.json and postmortem.json are the bad file, next to a valid INC-2026-002. */
function validateWorkspace(root: string, file: string, index: number): string {
  const ws = path.join(root, `ws-${index}`);
  for (const name of ['incident.json', 'postmortem.json']) {
    mkdirSync(path.join(ws, '.incidents', 'INC-2026-001'), { recursive: true });
    symlinkSync(file, path.join(ws, '.incidents', 'INC-2026-001', name));
  }
  mkdirSync(path.join(ws, '.incidents', 'INC-2026-002'), { recursive: true });
  writeFileSync(path.join(ws, '.incidents', 'INC-2026-002', 'incident.json'), JSON.stringify({ ...validIncident, id: 'INC-2026-002' }));
  return ws;
}

function casesFor(names: string[], files: string[], work: string): Case[] {
  const cases: Case[] = [];
  const add = (command: string, file: string, argv: string[], extra: Partial<Case> = {}) => cases.push({ id: cases.length, command, file, argv, cwd: work, codes: [0, 1, 2], ...extra });
  files.forEach((file, index) => {
    for (const name of names) {
      switch (name) {
        case 'validate': {
          const ws = validateWorkspace(work, file, index);
          add(name, file, ['validate', path.join(ws, '.incidents'), '--json'], {
            check: (r) => {
              if (r.code === 2) return undefined;
              let files: { file: string; state: string }[];
              try {
                files = (JSON.parse(r.out) as { files: { file: string; state: string }[] }).files;
              } catch (e) {
                return `--json output is not JSON (${String(e)})`;
              }
              return files.some((f) => f.file.endsWith(path.join('INC-2026-002', 'incident.json')) && f.state === 'valid') ? undefined : 'the valid second incident was not reported valid';
            },
          });
          break;
        }
        case 'errors':
          add(name, file, ['errors', file]);
          add(name, file, ['errors', OK.log, '--rules', file]);
          break;
        case 'profile':
          add(name, file, ['profile', 'summarize', file]);
          add(name, file, ['profile', 'diff', OK.profile, file]);
          break;
        case 'postmortem':
          add(name, file, ['postmortem', 'render', file]);
          add(name, file, ['postmortem', 'lint', file, '--json']);
          break;
        case 'abtest':
          add(name, file, ['abtest', file]);
          break;
        case 'rollback':
          add(name, file, ['rollback', '--baseline', file, '--current', OK.current], { codes: [0, 2, 3, 4] });
          add(name, file, ['rollback', '--baseline', OK.baseline, '--current', OK.current, '--thresholds', file], { codes: [0, 2, 3, 4] });
          break;
        case 'trace':
          add(name, file, ['trace', file]);
          add(name, file, ['trace', OK.trace, '--logs', file]);
          add(name, file, ['trace', OK.trace, '--metrics', file, '--json']);
          break;
        case 'model':
          add(name, file, ['model', file]);
          break;
        case 'lint-logging':
          add(name, file, ['lint-logging', file]);
          break;
        case 'redact':
          add(name, file, ['redact', file, '--json']);
          break;
        case 'incident': {
          // Attached as evidence (read, redacted, copied through the writer) to a valid incident of its own.
          const ws = path.join(work, `incident-ws-${index}`);
          mkdirSync(path.join(ws, '.incidents', 'INC-2026-001'), { recursive: true });
          writeFileSync(path.join(ws, '.incidents', 'INC-2026-001', 'incident.json'), JSON.stringify(validIncident));
          add(name, file, ['incident', 'evidence', 'INC-2026-001', file, '--kind', 'logs', '--workspace', ws, '--actor', 'ci', '--json']);
          break;
        }
        default:
          add(name, file, [name, file], { generic: true });
      }
    }
  });
  return cases;
}

const STACK = /^\s+at .+(:\d+:\d+\)?|\(native\)|\(<anonymous>\))$/m;

function verdict(c: Case, r: Result): string | undefined {
  if (r.failure) return r.failure;
  const all = `${r.out}\n${r.err}\n${r.stray}`;
  if (!c.codes.includes(r.code!)) return `exit ${r.code}`;
  if (/internal error/i.test(all)) return 'internal error';
  if (STACK.test(all)) return 'a stack trace';
  if (/FATAL ERROR|heap out of memory|Aborted\(\)|Maximum call stack/.test(all)) return 'a crash message';
  if (r.code === 2) {
    const message = r.err.trim() || r.out.trim();
    if (!message) return 'exit 2 without saying why';
    const lines = message.split('\n');
    if (lines.length > 3 && !c.argv.includes('lint-logging')) return `exit 2 with a ${lines.length}-line message`;
    if (!c.generic && !lines.some((l) => l.includes(path.basename(c.file)) || (c.argv.includes('validate') && /INC-2026-001/.test(l)))) return `exit 2 without naming ${path.basename(c.file)}: ${lines[0]}`;
  }
  return c.check?.(r);
}

/** Runs the cases in one child (restarted after a crash or a hang) and returns a result per case. */
async function runAll(cases: Case[]): Promise<Map<number, Result>> {
  const results = new Map<number, Result>();
  let queue = cases;
  while (queue.length > 0) {
    const child: ChildProcess = fork(__filename, [], { execArgv: [`--max-old-space-size=${HEAP_MB}`], env: { ...process.env, IWB_BAD_INPUT_CHILD: '1' }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    child.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    let current: number | undefined;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (current !== undefined) results.set(current, { out: '', err: '', stray: '', failure: `no answer within ${CASE_TIMEOUT_MS / 1000} s (a hang)` });
        child.kill('SIGKILL');
      }, CASE_TIMEOUT_MS);
    };
    await new Promise<void>((resolve) => {
      child.on('message', (m: RunnerMessage) => {
        if (m.type === 'start') {
          current = m.id;
          arm();
        } else if (m.type === 'done') {
          results.set(m.id, { code: m.code, out: m.out, err: m.err, stray: m.stray, ms: m.ms });
          current = undefined;
        } else if (m.type === 'crash') results.set(m.id, { out: '', err: '', stray: '', failure: `the process crashed: ${m.message.split('\n')[0]}` });
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (current !== undefined && !results.has(current)) results.set(current, { out: '', err: '', stray: output, failure: `the process died (${signal ?? `exit ${code}`}): ${/heap out of memory/.test(output) ? 'out of memory' : output.split('\n').slice(-3).join(' ')}` });
        resolve();
      });
      child.send(queue.map(({ id, argv, cwd }) => ({ id, argv, cwd })));
    });
    const left = queue.filter((c) => !results.has(c.id));
    // A child that died before finishing any case would be restarted for ever: give up on the rest.
    if (left.length === queue.length) for (const c of left) results.set(c.id, { out: '', err: '', stray: output, failure: `the runner did not start: ${output.slice(-300)}` });
    queue = left;
  }
  return results;
}

if (process.env.IWB_BAD_INPUT_CHILD) runBadInputChild();
else test('every iwb command on every bad input: exit 0/1/2 with a message, no internal error, no stack, no OOM, no hang', { timeout: 20 * 60_000 }, async (t) => {
  const work = tempDir(t);
  const large = path.join(work, 'large');
  mkdirSync(large);
  const small = readdirSync(BAD)
    .filter((f) => !/\.(md|py)$/.test(f) || f === 'syntax-error.py')
    .map((f) => path.join(BAD, f));
  // Copies, so that a command writing next to its input (it must not) cannot touch the fixtures.
  const inputs = path.join(work, 'inputs');
  mkdirSync(inputs);
  const files = [...small.map((f) => (copyFileSync(f, path.join(inputs, path.basename(f))), path.join(inputs, path.basename(f)))), ...(await writeLargeBadInputs(large))];
  const names = await commandNames();
  assert.ok(names.length >= 10, names.join(' '));
  const cases = casesFor(names, files, work);
  // Two children at a time (CI has two cores): the cases of half the files each.
  const halves = [cases.filter((c) => files.indexOf(c.file) % 2 === 0), cases.filter((c) => files.indexOf(c.file) % 2 === 1)];
  const results = new Map([...(await Promise.all(halves.map(runAll))).flatMap((m) => [...m])]);
  const failures = cases.flatMap((c) => {
    const v = verdict(c, results.get(c.id)!);
    return v ? [`iwb ${c.argv.map((a) => a.replace(work, '…')).join(' ')}: ${v}`] : [];
  });
  const slowest = [...results.entries()].sort((a, b) => (b[1].ms ?? 0) - (a[1].ms ?? 0)).slice(0, 3);
  t.diagnostic(`${cases.length} cases over ${files.length} files and ${names.length} commands; slowest: ${slowest.map(([id, r]) => `${cases[id]!.argv.slice(0, 2).join(' ')} ${path.basename(cases[id]!.file)} ${Math.round(r.ms ?? 0)} ms`).join(', ')}`);
  assert.deepEqual(failures, []);
});
