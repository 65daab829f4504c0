/**
 * A worker thread's part of `iwb patterns` (see ./patternsParallel.ts): reads one byte range of one file,
 * counts its records into a PatternAnalyzer, and posts the analyzer's state back. Built to
 * dist/patternsWorker.js; the host and the CLI start it with the range in `workerData`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PatternAnalyzer } from '../core/patterns/analyzer';
import { compileUserMasks, type UserMaskRule } from '../core/patterns/masking';
import { PatternReaderContext } from '../core/patterns/reader';
import type { FieldMapping } from '../core/logs/fieldMapping';
import { errorMessage } from '../core/util/errors';
import { readRange } from './parallel';

export interface ShardTask {
  file: string;
  label: string;
  start: number;
  /** Exclusive. */
  end: number;
  fields?: FieldMapping;
  maxLineLength?: number;
  maxSignatures?: number;
  samplesPerPattern?: number;
  userMasks?: UserMaskRule[];
  assign?: boolean;
}

async function runShard(task: ShardTask): Promise<void> {
  const analyzer = new PatternAnalyzer({ maxSignatures: task.maxSignatures, samplesPerPattern: task.samplesPerPattern, userMasks: compileUserMasks(task.userMasks).rules });
  let lineSigs = task.assign ? new Int32Array(1 << 16) : undefined;
  let n = 0;
  const ctx = new PatternReaderContext(
    (r) => {
      const sig = analyzer.add(r);
      if (lineSigs) {
        if (n === lineSigs.length) {
          const grown = new Int32Array(lineSigs.length * 2);
          grown.set(lineSigs);
          lineSigs = grown;
        }
        lineSigs[n++] = sig;
      }
    },
    { fields: task.fields, maxLineLength: task.maxLineLength, lines: task.assign },
  );
  const reader = ctx.source(task.label);
  let read = 0;
  let reported = 0;
  await readRange(
    task.file,
    task.start,
    task.end,
    (text) => reader.push(text),
    (bytes) => {
      read += bytes;
      if (read - reported >= 8 << 20) {
        parentPort!.postMessage({ type: 'progress', bytes: read - reported });
        reported = read;
      }
    },
  );
  reader.end();
  parentPort!.postMessage({ type: 'progress', bytes: read - reported });
  const sigs = lineSigs ? lineSigs.slice(0, n) : undefined;
  parentPort!.postMessage(
    { type: 'done', state: analyzer.exportState(), lines: ctx.stats.lines, skips: ctx.skips.summaries().map((s) => [s.reason, s.count, s.first.source, s.first.line]), lineSigs: sigs },
    sigs ? [sigs.buffer] : [],
  );
}

if (parentPort) {
  runShard(workerData as ShardTask).catch((e: unknown) => parentPort!.postMessage({ type: 'error', message: errorMessage(e) }));
}
