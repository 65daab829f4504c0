/**
 * A worker thread's parts of `iwb patterns` (see ./patternsParallel.ts): reads each byte range of a file it
 * is given, counts its records into a PatternAnalyzer, and posts the analyzer's state back. Built to
 * dist/patternsWorker.js; the host and the CLI start it with its first range in `workerData`.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { PatternAnalyzer } from '../core/patterns/analyzer';
import { compileUserMasks, type UserMaskRule } from '../core/patterns/masking';
import { PatternReaderContext } from '../core/patterns/reader';
import type { FieldMapping } from '../core/logs/fieldMapping';
import { readRange, serveParts } from './parallel';

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

async function runShard(port: MessagePort, task: ShardTask): Promise<{ result: object; transfer: ArrayBuffer[] }> {
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
        port.postMessage({ type: 'progress', bytes: read - reported });
        reported = read;
      }
    },
  );
  reader.end();
  port.postMessage({ type: 'progress', bytes: read - reported });
  const sigs = lineSigs ? lineSigs.slice(0, n) : undefined;
  return {
    result: { state: analyzer.exportState(), lines: ctx.stats.lines, skips: ctx.skips.summaries().map((s) => [s.reason, s.count, s.first.source, s.first.line]), lineSigs: sigs },
    transfer: sigs ? [sigs.buffer] : [],
  };
}

if (parentPort) {
  const port = parentPort;
  serveParts(port, workerData as ShardTask, (task) => runShard(port, task));
}
