// Real captures for the memory tests, produced at test time by the real tools (memray, tracemalloc,
// memory_profiler, mprof from requirements-dev.txt) from test/fixtures/memory's small workloads, once per
// test process and shared by the tests that read them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './helpers';

export const FIXTURES = path.join(repoRoot, 'test', 'fixtures', 'memory');
export const WORKLOAD = path.join(FIXTURES, 'workload.py');
export const PROFILED = path.join(FIXTURES, 'profiled.py');
export const HELPERS = path.join(repoRoot, 'python');
/** The Python with memray and memory_profiler installed (requirements-dev.txt). */
export const PYTHON = process.env.IWB_PYTHON ?? 'python3';

/** The 1-based line of `file` carrying the comment `# MARKER`. */
export function markerLine(file: string, marker: string): number {
  const i = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.trimEnd().endsWith(`# ${marker}`));
  if (i < 0) throw new Error(`${file} has no line marked # ${marker}`);
  return i + 1;
}

let dir: string | undefined;
function workDir(): string {
  if (!dir) {
    dir = mkdtempSync(path.join(tmpdir(), 'iwb-memory-'));
    const d = dir;
    process.on('exit', () => rmSync(d, { recursive: true, force: true }));
  }
  return dir;
}

function run(command: string, args: string[], cwd = FIXTURES): string {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120000 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.error?.message}`);
  return r.stdout;
}

const made = new Map<string, string>();
function once(name: string, make: (out: string) => void): string {
  let out = made.get(name);
  if (!out) {
    out = path.join(workDir(), name);
    make(out);
    made.set(name, out);
  }
  return out;
}

/** memray run of the workload (leaking, or with --fixed); a compressed capture as memray writes it. */
export function memrayCapture(fixed = false): string {
  return once(fixed ? 'workload-fixed.memray.bin' : 'workload.memray.bin', (out) => run(PYTHON, ['-m', 'memray', 'run', '-q', '-f', '-o', out, WORKLOAD, ...(fixed ? ['--fixed'] : [])]));
}

/** The same run written without compression, as a killed process leaves its capture. */
export function memrayUncompressedCapture(): string {
  return once('workload.raw.memray.bin', (out) => run(PYTHON, ['-m', 'memray', 'run', '-q', '-f', '--no-compress', '-o', out, WORKLOAD]));
}

/** A tracemalloc snapshot of the workload's leak (Snapshot.dump). */
export function tracemallocSnapshot(fixed = false): string {
  return once(fixed ? 'workload-fixed.tracemalloc' : 'workload.tracemalloc', (out) => run(PYTHON, [path.join(FIXTURES, 'make_snapshot.py'), out, ...(fixed ? ['--fixed'] : [])]));
}

/** memory_profiler's line report of profiled.py. */
export function memoryProfilerReport(): string {
  return once('profiled.memory_profiler.txt', (out) => writeFileSync(out, run(PYTHON, ['-m', 'memory_profiler', PROFILED])));
}

/** mprof's time series of profiled.py, with one FUNC record per call of the @profile function. */
export function mprofData(): string {
  return once('profiled.mprof.dat', (out) => run(PYTHON, ['-m', 'mprof', 'run', '--python', '-o', out, PROFILED]));
}
