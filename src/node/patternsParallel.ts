/**
 * `iwb patterns` and the Patterns view on big files, on every core: a plain (not gzip) file is cut at line
 * boundaries into parts, worker threads (dist/patternsWorker.js) read the parts into analyzers of their
 * own, and their states are absorbed here in input order (./../core/patterns/analyzer.ts `absorb`), so the
 * report — and `--assign`'s line order — is the one a single reader would give, up to the miner's bounded
 * table. Small inputs, gzip files and a missing worker script take core's single-thread path.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { expandLogPaths } from '../core/logs/nodeSource';
import { SkipCounter, type SkipReason } from '../core/logs/skips';
import { PatternAnalyzer, type AnalyzerState } from '../core/patterns/analyzer';
import { analyzePatternFiles, type PatternLoadOptions, type PatternLoadResult } from '../core/patterns/load';
import type { UserMaskRule } from '../core/patterns/masking';
import { PatternReadCancelled } from '../core/patterns/reader';
import { errorMessage } from '../core/util/errors';
import type { ShardTask } from './patternsWorker';

export interface ParallelOptions extends PatternLoadOptions {
  /** dist/patternsWorker.js; without it (or when it does not exist) everything runs on this thread. */
  workerScript?: string;
  /** Worker threads (default: the cores, at most 4, and none while the machine is busy). */
  workers?: number;
  /** The user masking rules as written (they cross to the workers as data). */
  userMaskRules?: UserMaskRule[];
  /** Below this many bytes in all, everything is read on this thread (default 256 MiB). */
  minParallelBytes?: number;
  /** Size of the parts a file is cut into (default 64 MiB). */
  partBytes?: number;
}

/**
 * Inputs under this size are read on this thread: each worker starts its own module and JIT, and the
 * parts' states are merged, which costs about as much CPU again as reading 50 MB (measured in
 * bench/patterns.bench.mjs); below a few hundred MB one thread is as fast and cheaper.
 */
const MIN_PARALLEL_BYTES = 256 << 20;
const PART_BYTES = 64 << 20;

async function isGzip(path: string): Promise<boolean> {
  const h = await fs.open(path, 'r');
  try {
    const b = Buffer.alloc(2);
    const { bytesRead } = await h.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await h.close();
  }
}

/** Offsets just after a newline near each multiple of `part` (the first is 0, the last the size). */
async function cuts(path: string, size: number, parts: number): Promise<number[]> {
  const out = [0];
  const h = await fs.open(path, 'r');
  try {
    const buf = Buffer.alloc(64 << 10);
    for (let k = 1; k < parts; k++) {
      let at = Math.floor((size * k) / parts);
      if (at <= out[out.length - 1]!) continue;
      for (;;) {
        const { bytesRead } = await h.read(buf, 0, buf.length, at);
        if (bytesRead === 0) {
          at = size;
          break;
        }
        const nl = buf.subarray(0, bytesRead).indexOf(10);
        if (nl !== -1) {
          at += nl + 1;
          break;
        }
        at += bytesRead;
      }
      if (at < size && at > out[out.length - 1]!) out.push(at);
    }
  } finally {
    await h.close();
  }
  out.push(size);
  return out;
}

export async function analyzePatternFilesParallel(paths: string[], options: ParallelOptions = {}): Promise<PatternLoadResult> {
  const workers = Math.max(1, Math.min(options.workers ?? os.availableParallelism?.() ?? os.cpus().length, 4));
  const script = options.workerScript;
  // A machine already busy (load average at or over its cores) gains nothing from more threads.
  const busy = options.workers === undefined && os.loadavg()[0] >= os.cpus().length;
  if (workers < 2 || busy || !script || !(await fs.stat(script).then((s) => s.isFile(), () => false))) return analyzePatternFiles(paths, options);
  const { files, errors } = await expandLogPaths(paths);
  const sizes = await Promise.all(files.map((f) => fs.stat(f).then((s) => s.size, () => 0)));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total < (options.minParallelBytes ?? MIN_PARALLEL_BYTES)) return analyzePatternFiles(paths, options);
  const partBytes = options.partBytes ?? PART_BYTES;

  const label = options.label ?? ((p: string) => p);
  const tasks: (ShardTask & { index: number; fileIndex: number })[] = [];
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    const size = sizes[i]!;
    const whole = size < partBytes * 2 || (await isGzip(file).catch(() => true));
    const offsets = whole ? [0, size] : await cuts(file, size, Math.min(64, Math.ceil(size / partBytes)));
    for (let k = 0; k + 1 < offsets.length; k++) {
      tasks.push({
        index: tasks.length,
        fileIndex: i,
        file,
        label: label(file),
        start: offsets[k]!,
        end: offsets[k + 1]!,
        fields: options.fields,
        maxLineLength: options.maxLineLength,
        maxSignatures: options.maxSignatures,
        samplesPerPattern: options.samplesPerPattern,
        userMasks: options.userMaskRules,
        assign: options.assign,
      });
    }
  }
  type Done = { state: AnalyzerState; lines: number; skips: [SkipReason, number, string, number][]; lineSigs?: Int32Array };
  const results: (Done | undefined)[] = new Array(tasks.length);
  let done = 0;
  const running = new Set<Worker>();
  let failure: Error | undefined;
  const abort = () => {
    failure ??= new PatternReadCancelled();
    for (const w of running) void w.terminate();
  };
  options.signal?.addEventListener('abort', abort, { once: true });
  let next = 0;
  const runOne = async (): Promise<void> => {
    while (next < tasks.length && !failure) {
      const task = tasks[next++]!;
      // gzip and whole small files still go through core's file reader (it decompresses): on this thread.
      if (task.start === 0 && task.end === sizes[task.fileIndex] && (await isGzip(task.file).catch(() => false))) {
        results[task.index] = await shardOnThisThread(task, options);
        done += task.end - task.start;
        options.onProgress?.(done, total, task.label);
        continue;
      }
      results[task.index] = await new Promise<Done>((resolve, reject) => {
        const w = new Worker(script, { workerData: (({ index: _i, fileIndex: _f, ...t }) => t)(task) });
        running.add(w);
        w.on('message', (m: { type: string; bytes?: number; message?: string } & Done) => {
          if (m.type === 'progress') {
            done += m.bytes!;
            options.onProgress?.(Math.min(done, total), total, task.label);
          } else if (m.type === 'done') resolve(m);
          else if (m.type === 'error') reject(new Error(m.message));
        });
        w.on('error', reject);
        w.on('exit', (code) => {
          running.delete(w);
          if (code !== 0) reject(failure ?? new Error(`a pattern worker stopped (exit code ${code})`));
        });
      }).catch((e: unknown) => {
        failure ??= e instanceof Error ? e : new Error(errorMessage(e));
        abort();
        throw failure;
      });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(workers, tasks.length) }, runOne));
  } catch {
    // the failure is thrown below, once every worker has stopped
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
  if (failure) throw failure;

  // Absorb the parts in input order: lines of a file are numbered across its parts.
  const analyzer = new PatternAnalyzer(options);
  const skips = new SkipCounter();
  let lines = 0;
  let assignment = options.assign ? new Int32Array(1 << 16) : undefined;
  let n = 0;
  let fileLines = 0;
  let lastFile = -1;
  for (const task of tasks) {
    const r = results[task.index]!;
    if (task.fileIndex !== lastFile) {
      fileLines = 0;
      lastFile = task.fileIndex;
    }
    const map = analyzer.absorb(r.state, fileLines);
    for (const [reason, count, source, line] of r.skips) skips.absorb(reason, count, source, line + fileLines);
    if (assignment && r.lineSigs) {
      if (n + r.lineSigs.length > assignment.length) {
        const grown = new Int32Array(Math.max(assignment.length * 2, n + r.lineSigs.length));
        grown.set(assignment);
        assignment = grown;
      }
      for (let i = 0; i < r.lineSigs.length; i++) assignment[n++] = map[r.lineSigs[i]!]!;
    }
    fileLines += r.lines;
    lines += r.lines;
  }
  const { report, patternOfSignature } = analyzer.report({ lines, sources: files.map(label), skipped: skips.summaries(), problems: options.problems ?? [], cutoff: options.cutoff });
  let out: Int32Array | undefined;
  if (assignment) {
    out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = patternOfSignature[assignment[i]!]!;
  }
  return { report, files, errors, bytes: total, ...(out ? { assignment: out } : {}) };
}

/** A whole (gzip) file read on this thread into an analyzer state, like a worker would. */
async function shardOnThisThread(task: ShardTask, options: ParallelOptions): Promise<{ state: AnalyzerState; lines: number; skips: [SkipReason, number, string, number][]; lineSigs?: Int32Array }> {
  const r = await analyzePatternFiles([task.file], { ...options, label: () => task.label, onProgress: undefined, rules: [], keepState: true });
  return { state: r.state!, lines: r.report.lines, skips: r.report.skipped.map((s) => [s.reason, s.count, s.first.source, s.first.line]), ...(r.lineSignatures ? { lineSigs: r.lineSignatures } : {}) };
}
