/**
 * What `iwb patterns` and `iwb errors` (and their views) share to read big files on several threads: when to
 * (thresholds, cores, load), where to cut a plain file (at line boundaries a reader may start from), how a
 * worker reads its byte range, and the pool of threads that take one part after another and collect the
 * parts' results in input order. The analysis itself, and merging its parts, belong to each pipeline.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import { Worker, type MessagePort } from 'node:worker_threads';
import { fileTextChunks } from '../core/logs/nodeSource';
import { errorMessage } from '../core/util/errors';

/**
 * Inputs under this size are read on the calling thread. Each worker starts its own module and JIT (about
 * 150 ms of CPU before it reads at full speed), and the parts' states are merged, so two workers always cost
 * more CPU than one thread. On the 2 shared cores of the bench machine (bench/patterns.bench.mjs, "When two
 * workers pay" in bench/RESULTS.md, median ratios of paired runs, two workers / one thread, wall time):
 * - the errors pipeline paid at 44 MB in four runs of five (0.78, 0.79, 0.80, 0.82; 1.10 in the fifth), at 87 MB
 *   in all, at 22 MB in one of four (0.95; 1.01 to 1.22 in the others): from 32 MiB; since it reads error lines
 *   in place (src/core/logs/rawRecord.ts), at 44 MB in two runs of three (0.92, 0.95; 1.06), at 87 MB in all;
 *   since one thread reads them through the WebAssembly scanner's shapes and times, at 44 MB in none of three
 *   runs (0.98, 1.14, 1.06), at 87 MB in all (0.80, 0.82, 0.82), with 40–60% more CPU at 44 MB: from 64 MiB;
 * - patterns, since its reader got faster, only at 87 MB (0.77, 0.80, 0.80; 1.00 and 1.03 at 44 MB): from 64 MiB.
 * Per pipeline, as they differ in work per line.
 */
export const MIN_PARALLEL_BYTES = { errors: 64 << 20, patterns: 64 << 20 } as const;

/** Size of the parts a big file is cut into. */
export const PART_BYTES = 64 << 20;

/**
 * How many parts a plain file is cut into: one per `partBytes`, and at least one per worker when the file is
 * the bulk of the input (a file under 1 MiB, or under `partBytes` when that is smaller, is one part).
 */
export function partsOf(size: number, total: number, workers: number, partBytes = PART_BYTES): number {
  if (size < Math.min(1 << 20, partBytes)) return 1;
  return Math.min(64, Math.max(size * 2 >= total ? workers : 1, Math.ceil(size / partBytes)));
}

export interface ParallelSettings {
  /** The worker script (dist/…Worker.js); without it (or when it does not exist) everything runs on this thread. */
  workerScript?: string;
  /** Worker threads (default: the cores, at most 4, and none while the machine is busy). */
  workers?: number;
  /** Below this many bytes in all, everything is read on this thread (default: the pipeline's MIN_PARALLEL_BYTES). */
  minParallelBytes?: number;
  /** Size of the parts a big file is cut into (default PART_BYTES, see `partsOf`). */
  partBytes?: number;
}

/** The worker threads to use, or 0 when the input is read on this thread. */
export async function workersFor(settings: ParallelSettings, totalBytes: number, minBytes: number): Promise<number> {
  const workers = Math.max(1, Math.min(settings.workers ?? os.availableParallelism?.() ?? os.cpus().length, 4));
  // A machine already busy (load average at or over its cores) gains nothing from more threads.
  const busy = settings.workers === undefined && os.loadavg()[0]! >= os.cpus().length;
  if (workers < 2 || busy || !settings.workerScript) return 0;
  if (totalBytes < (settings.minParallelBytes ?? minBytes)) return 0;
  return (await fs.stat(settings.workerScript).then((s) => s.isFile(), () => false)) ? workers : 0;
}

/** The first `bytes` of a file as whole lines (the last, possibly cut, line left out), read as latin1. */
export async function headLines(path: string, bytes = 64 << 10): Promise<string[]> {
  const h = await fs.open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await h.read(buf, 0, bytes, 0);
    const text = buf.subarray(0, bytesRead).toString('utf8');
    const lines = text.split('\n');
    if (bytesRead === bytes) lines.pop();
    return lines;
  } finally {
    await h.close();
  }
}

/**
 * Offsets of the starts of `parts` parts of a plain file, each just after a newline near a multiple of
 * size/parts (the first is 0, the last the size). With `accept`, a part starts only at a line it accepts
 * (looked for in the next MiB; a cut with none there is dropped, so the parts before and after join).
 */
export async function cutPoints(path: string, size: number, parts: number, accept?: (line: string) => boolean): Promise<number[]> {
  const out = [0];
  const h = await fs.open(path, 'r');
  const window = 1 << 20;
  try {
    const buf = Buffer.alloc(64 << 10);
    for (let k = 1; k < parts; k++) {
      let at = Math.floor((size * k) / parts);
      if (at <= out[out.length - 1]!) continue;
      // Just after the next newline.
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
      if (accept && at < size) at = await acceptedLine(h, at, Math.min(size, at + window), accept);
      if (at < size && at > out[out.length - 1]!) out.push(at);
    }
  } finally {
    await h.close();
  }
  out.push(size);
  return out;
}

/** The start of the first line in [from, to) that `accept` takes, or Infinity. */
async function acceptedLine(h: fs.FileHandle, from: number, to: number, accept: (line: string) => boolean): Promise<number> {
  const buf = Buffer.alloc(to - from);
  const { bytesRead } = await h.read(buf, 0, buf.length, from);
  let start = 0;
  for (;;) {
    const nl = buf.subarray(0, bytesRead).indexOf(10, start);
    if (nl === -1) return Infinity;
    if (accept(buf.subarray(start, nl).toString('utf8'))) return from + start;
    start = nl + 1;
  }
}

/**
 * A worker's byte range of a plain file as text, in 1 MiB chunks (the range starts and ends at line
 * boundaries, so at whole UTF-8 characters), with each chunk's bytes when they are its text (see TextChunk).
 */
export async function readRange(file: string, start: number, end: number, onText: (text: string, bytes?: Uint8Array) => void, onBytes: (bytes: number) => void): Promise<void> {
  if (end <= start) return;
  for await (const chunk of fileTextChunks(file, { start, end, onBytes: byteSteps(onBytes) })) onText(chunk.text, chunk.bytes);
}

/** A reader's bytes read so far (FileChunkOptions `onBytes`) as the bytes of each step, for `report`. */
export function byteSteps(report: (bytes: number) => void): (position: number) => void {
  let last = 0;
  return (position) => {
    report(position - last);
    last = position;
  };
}

/** What a worker posts: progress in bytes, its result, or an error. */
export type WorkerMessage<R> = { type: 'progress'; bytes: number } | ({ type: 'done' } & R) | { type: 'error'; message: string };

/** What a worker is sent after its first task (in `workerData`): the next task, or that there is none. */
export type WorkerCommand<T> = { type: 'task'; task: T } | { type: 'exit' };

/**
 * A worker script's side of `runParts`: runs its first task (`workerData`), then each task it is sent, posting
 * what `run` returns as `done` (its buffers moved, not copied); ends when told there is none left. A thread
 * that takes several parts starts (its module, its JIT) once.
 */
export function serveParts<T>(port: MessagePort, first: T, run: (task: T) => Promise<{ result: object; transfer?: ArrayBuffer[] }>): void {
  const runOne = (task: T) =>
    run(task).then(
      ({ result, transfer }) => port.postMessage({ type: 'done', ...result }, transfer ?? []),
      (e: unknown) => port.postMessage({ type: 'error', message: errorMessage(e) }),
    );
  port.on('message', (m: WorkerCommand<T>) => {
    if (m.type === 'task') void runOne(m.task);
    else port.close();
  });
  void runOne(first);
}

/**
 * Runs `tasks` on at most `workers` threads of `script`, or on this thread for tasks `here` takes (it resolves
 * to undefined for the others); results come back in task order. Each thread takes the next task when it
 * finishes one (the first as `workerData`, the others as messages, see `serveParts`), so a thread slowed by
 * other work on the machine takes fewer. The first failure stops every worker and is thrown; `signal` stops
 * them with `cancelled()`.
 */
export async function runParts<T, R>(
  script: string,
  tasks: T[],
  options: {
    workers: number;
    signal?: AbortSignal;
    cancelled: () => Error;
    onBytes?: (bytes: number, task: T) => void;
    here?: (task: T) => Promise<R | undefined>;
    /** Each result as it comes (in the order the parts end), before the next task is taken. */
    onResult?: (index: number, result: R) => void;
  },
): Promise<R[]> {
  const results: R[] = new Array(tasks.length);
  const running = new Set<Worker>();
  let failure: Error | undefined;
  const abort = () => {
    failure ??= options.cancelled();
    for (const w of running) void w.terminate();
  };
  options.signal?.addEventListener('abort', abort, { once: true });
  if (options.signal?.aborted) abort();
  let next = 0;
  const runOne = async (): Promise<void> => {
    // This runner's thread, started for its first task that is not run here, and what it reports to.
    let worker: Worker | undefined;
    let current: { task: T; resolve: (r: R) => void; reject: (e: Error) => void } | undefined;
    const onThread = (task: T) =>
      new Promise<R>((resolve, reject) => {
        if (failure) return reject(failure);
        current = { task, resolve, reject };
        if (worker) {
          worker.postMessage({ type: 'task', task } satisfies WorkerCommand<T>);
          return;
        }
        const w = (worker = new Worker(script, { workerData: task }));
        running.add(w);
        w.on('message', (m: WorkerMessage<R>) => {
          if (!current) return;
          if (m.type === 'progress') options.onBytes?.(m.bytes, current.task);
          else if (m.type === 'done') current.resolve(m);
          else current.reject(new Error(m.message));
        });
        w.on('error', (e) => current?.reject(e));
        // (A thread that ends with a part unfinished, whatever its exit code, fails that part.)
        w.on('exit', (code) => {
          running.delete(w);
          current?.reject(failure ?? new Error(code !== 0 ? `a worker thread stopped (exit code ${code})` : 'a worker thread ended before its part was read'));
        });
      });
    try {
      while (next < tasks.length && !failure) {
        const index = next++;
        const task = tasks[index]!;
        results[index] = await (options.here ? options.here(task) : Promise.resolve(undefined))
          .then((local) => local ?? onThread(task))
          .catch((e: unknown) => {
            failure ??= e instanceof Error ? e : new Error(errorMessage(e));
            abort();
            throw failure;
          });
        current = undefined;
        options.onResult?.(index, results[index]!);
      }
    } finally {
      if (worker && running.has(worker)) worker.postMessage({ type: 'exit' } satisfies WorkerCommand<T>);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.workers, tasks.length) }, runOne));
  } catch {
    // the failure is thrown below, once every worker has stopped
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
  if (failure) throw failure;
  return results;
}
