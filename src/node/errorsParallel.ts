/**
 * `iwb errors` and Load Logs on big files, on every core: plain files are cut at lines a reader can start
 * from (./parallel.ts), worker threads (dist/errorsWorker.js) read the parts into readers and `partial`
 * ErrorAnalyzers of their own, and their states are merged here in input order (ReaderMerge, ErrorAnalyzer
 * `absorb`: Drain mines each message at its first event, as one read does). The report is the one a single
 * read gives — clusters, their order, counts, times, samples, skipped lines. When a part could have been read
 * differently in order (a field found another way, a full table) the input is read again on this thread.
 * Small inputs, grouping rules and a missing worker script take core's single-thread path.
 */
import { promises as fs } from 'node:fs';
import { ErrorAnalyzer, NotMergeable } from '../core/errors/analyzer';
import { analyzeLogFiles, type LoadOptions, type LoadResult } from '../core/errors/load';
import { expandLogPaths, isGzip } from '../core/logs/nodeSource';
import { IngestCancelled, jsonModeOf, ReaderMerge, startsCleanly } from '../core/logs/reader';
import { errorMessage } from '../core/util/errors';
import { MIN_PARALLEL_BYTES, cutPoints, headLines, partsOf, runParts, workersFor, type ParallelSettings } from './parallel';
import { readErrorsPart, type ErrorsPartResult, type ErrorsPartTask } from './errorsPart';

export type ParallelLoadOptions = LoadOptions & ParallelSettings;

/** Whole files under this size are read on this thread, not in a worker of their own. */
const SMALL_FILE = 16 << 20;

/**
 * `parallel`: read in `parts` parts on worker threads; `readAgain`: the parts' results were dropped and the
 * input read again on this thread, and why (for tests and the log).
 */
export type ParallelLoadResult = LoadResult & { parallel?: boolean; parts?: number; readAgain?: string };

export async function analyzeLogFilesParallel(paths: string[], options: ParallelLoadOptions = {}): Promise<ParallelLoadResult> {
  // Grouping rules see each event's cluster as it is formed: only one read in order can apply them.
  if (options.groupingRules?.length) return analyzeLogFiles(paths, options);
  const { files, errors } = await expandLogPaths(paths);
  const sizes = await Promise.all(files.map((f) => fs.stat(f).then((s) => s.size, () => 0)));
  const total = sizes.reduce((a, b) => a + b, 0);
  const workers = await workersFor(options, total, MIN_PARALLEL_BYTES.errors);
  if (!workers) return analyzeLogFiles(paths, options);
  const label = options.label ?? ((p: string) => p);
  const labels = files.map(label);

  const common = { fields: options.fields, maxLineLength: options.maxLineLength, samplesPerCluster: options.samplesPerCluster, maxDistinct: options.maxDistinct, drain: options.drain };
  const tasks: (ErrorsPartTask & { fileIndex: number })[] = [];
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    const size = sizes[i]!;
    let offsets = [0, size];
    let jsonMode: boolean | undefined;
    const parts = partsOf(size, total, workers, options.partBytes);
    if (parts > 1 && !(await isGzip(file).catch(() => true))) {
      jsonMode = jsonModeOf(await headLines(file), options.maxLineLength);
      const max = options.maxLineLength ?? 1024 * 1024;
      if (jsonMode !== undefined) offsets = await cutPoints(file, size, parts, (line) => line.length <= max && startsCleanly(line, jsonMode!));
    }
    const whole = offsets.length === 2;
    for (let k = 0; k + 1 < offsets.length; k++) {
      tasks.push({
        ...common,
        fileIndex: i,
        file,
        label: labels[i]!,
        start: offsets[k]!,
        end: offsets[k + 1]!,
        whole,
        ...(k > 0 ? { jsonMode } : {}),
      });
    }
  }

  let done = 0;
  if (options.signal?.aborted) throw new IngestCancelled();
  // (the parts are merged as they come, in input order: this thread, idle while the workers read, does the
  // merge of a part while later ones are still read)
  const parts = new PartsMerge(tasks, options);
  // (and what it merges into is made once the workers were started, not before)
  const prepare = setTimeout(() => parts.prepare(), 0);
  const results = await runParts<ErrorsPartTask & { fileIndex: number }, ErrorsPartResult>(options.workerScript!, tasks, {
    workers,
    onResult: (index, result) => parts.add(index, result),
    signal: options.signal,
    cancelled: () => new IngestCancelled(),
    onBytes: (bytes, task) => {
      done += bytes;
      options.onProgress?.(Math.min(done, total), total, task.label);
    },
    here: async (task) => {
      if (!task.whole || sizes[task.fileIndex]! >= SMALL_FILE) return undefined;
      const r = await readErrorsPart(task, undefined, options.signal);
      done += sizes[task.fileIndex]!;
      options.onProgress?.(Math.min(done, total), total, task.label);
      return r;
    },
  }).catch((e: unknown) => {
    // A worker that failed (out of memory, a bug): one read on this thread still gives the result.
    if (e instanceof IngestCancelled) throw e;
    return errorMessage(e);
  });
  clearTimeout(prepare);
  if (!Array.isArray(results)) return { ...(await analyzeLogFiles(paths, options)), readAgain: `a worker failed: ${results}` };

  const merged = parts.result();
  if (typeof merged === 'string') return { ...(await analyzeLogFiles(paths, options)), readAgain: merged };
  for (let i = 0; i < tasks.length; i++) {
    const message = results[i]!.fileError;
    if (message !== undefined) errors.push({ path: tasks[i]!.file, message });
  }
  const { analyzer, merge } = merged;
  const report = analyzer.report({
    lines: merge.stats.lines,
    records: merge.stats.records,
    sources: labels,
    skipped: merge.skips.summaries(),
    fieldMapping: merge.mapping(),
    problems: options.problems ?? [],
    timeRange: merge.timeRange(),
    releases: merge.releases,
  });
  return { report, files, errors, bytes: total, parallel: true, parts: tasks.length };
}

/** The parts' states merged in input order as they come (`add`), or why they do not stand for one read of the input. */
class PartsMerge {
  private merging: { merge: ReaderMerge; analyzer: ErrorAnalyzer } | undefined;
  private readonly arrived: (ErrorsPartResult | undefined)[] = [];
  private next = 0;
  private fileLines = 0;
  private lastFile = -1;
  private lastMode: boolean | undefined;
  private failed: string | undefined;
  private thrown: unknown;

  constructor(
    private readonly tasks: (ErrorsPartTask & { fileIndex: number })[],
    private readonly options: ParallelLoadOptions,
  ) {}

  /** Makes the states the parts are merged into (else the first part's `add` does). */
  prepare(): { merge: ReaderMerge; analyzer: ErrorAnalyzer } {
    return (this.merging ??= { merge: new ReaderMerge(this.options.fields), analyzer: new ErrorAnalyzer(this.options) });
  }

  /** Part `index` was read: it is merged, with the parts after it that came before it. */
  add(index: number, result: ErrorsPartResult): void {
    this.arrived[index] = result;
    while (this.failed === undefined && this.thrown === undefined && this.next < this.tasks.length && this.arrived[this.next] !== undefined) {
      try {
        this.failed = this.absorb(this.next, this.arrived[this.next]!);
      } catch (e) {
        // (a bug, not a part that cannot be merged: thrown by `result`, as the merge of all parts at the end did)
        this.thrown = e;
      }
      this.next++;
    }
  }

  /** The merged states once every part was added, or why they do not stand for one read. */
  result(): { analyzer: ErrorAnalyzer; merge: ReaderMerge } | string {
    if (this.thrown !== undefined) throw this.thrown;
    if (this.failed !== undefined) return this.failed;
    if (this.next < this.tasks.length) return `part ${this.next + 1} was not read`;
    return this.prepare();
  }

  private absorb(i: number, r: ErrorsPartResult): string | undefined {
    const task = this.tasks[i]!;
    if (r.notMergeable !== undefined) return `part ${i + 1}: ${r.notMergeable}`;
    const fileStart = task.fileIndex !== this.lastFile;
    if (fileStart) this.fileLines = 0;
    // A part read in the file's JSON mode, which the part before it must have ended in.
    else if (this.lastMode !== task.jsonMode) return `part ${i + 1}: the part before it ended in another JSON mode`;
    const { merge, analyzer } = this.prepare();
    merge.absorb(r.reader, this.fileLines, fileStart);
    if (merge.failed) return `part ${i + 1}: ${merge.failed}`;
    try {
      analyzer.absorb(r.analyzer, this.fileLines);
    } catch (e) {
      if (e instanceof NotMergeable) return `part ${i + 1}: ${e.message}`;
      throw e;
    }
    this.lastFile = task.fileIndex;
    this.lastMode = r.reader.jsonMode;
    this.fileLines += r.reader.lines;
    return undefined;
  }
}
