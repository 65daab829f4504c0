/**
 * `iwb patterns` and the Patterns view on big files, on every core: a plain (not gzip) file is cut at line
 * boundaries into parts, worker threads (dist/patternsWorker.js) read the parts into analyzers of their
 * own, and their states are absorbed here in input order (./../core/patterns/analyzer.ts `absorb`), so the
 * report — and `--assign`'s line order — is the one a single reader would give, up to the miner's bounded
 * table. Small inputs, gzip files and a missing worker script take core's single-thread path.
 */
import { promises as fs } from 'node:fs';
import { expandLogPaths, isGzip } from '../core/logs/nodeSource';
import { SkipCounter, type SkipReason } from '../core/logs/skips';
import { PatternAnalyzer, type AnalyzerState } from '../core/patterns/analyzer';
import { analyzePatternFiles, type PatternLoadOptions, type PatternLoadResult } from '../core/patterns/load';
import type { UserMaskRule } from '../core/patterns/masking';
import { PatternReadCancelled } from '../core/patterns/reader';
import { MIN_PARALLEL_BYTES, cutPoints, partsOf, runParts, workersFor, type ParallelSettings } from './parallel';
import type { ShardTask } from './patternsWorker';

export interface ParallelOptions extends PatternLoadOptions, ParallelSettings {
  /** The user masking rules as written (they cross to the workers as data). */
  userMaskRules?: UserMaskRule[];
}

export async function analyzePatternFilesParallel(paths: string[], options: ParallelOptions = {}): Promise<PatternLoadResult> {
  const { files, errors } = await expandLogPaths(paths);
  const sizes = await Promise.all(files.map((f) => fs.stat(f).then((s) => s.size, () => 0)));
  const total = sizes.reduce((a, b) => a + b, 0);
  const workers = await workersFor(options, total, MIN_PARALLEL_BYTES.patterns);
  if (!workers) return analyzePatternFiles(paths, options);

  const label = options.label ?? ((p: string) => p);
  const tasks: (ShardTask & { index: number; fileIndex: number })[] = [];
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    const size = sizes[i]!;
    const parts = partsOf(size, total, workers, options.partBytes);
    const whole = parts < 2 || (await isGzip(file).catch(() => true));
    const offsets = whole ? [0, size] : await cutPoints(file, size, parts);
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
  let done = 0;
  const results = await runParts<ShardTask & { index: number; fileIndex: number }, Done>(options.workerScript!, tasks, {
    workers,
    signal: options.signal,
    cancelled: () => new PatternReadCancelled(),
    onBytes: (bytes, task) => {
      done += bytes;
      options.onProgress?.(Math.min(done, total), total, task.label);
    },
    // gzip and whole small files still go through core's file reader (it decompresses): on this thread.
    here: async (task) => {
      if (task.start !== 0 || task.end !== sizes[task.fileIndex] || !(await isGzip(task.file).catch(() => false))) return undefined;
      const r = await shardOnThisThread(task, options);
      done += task.end - task.start;
      options.onProgress?.(done, total, task.label);
      return r;
    },
  });

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
