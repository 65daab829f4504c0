/**
 * One part of the input of `iwb errors` and Load Logs (see ./errorsParallel.ts): one byte range of a plain
 * file, or one whole file (gzip included), read into a reader and a `partial` ErrorAnalyzer of its own, whose
 * states are returned as data. Run by a worker thread (./errorsWorker.ts), or on the calling thread for
 * small files.
 */
import { ErrorAnalyzer, NotMergeable, type AnalyzerExport } from '../core/errors/analyzer';
import type { FieldMapping } from '../core/logs/fieldMapping';
import { fileTextChunks, LogReadError, OutputLimitError } from '../core/logs/nodeSource';
import { IngestCancelled, ReaderContext, type ReaderPartState } from '../core/logs/reader';
import { errorMessage } from '../core/util/errors';
import { byteSteps, readRange } from './parallel';

export interface ErrorsPartTask {
  file: string;
  label: string;
  start: number;
  /** Exclusive; a whole file (gzip or not) when `whole`. */
  end: number;
  whole: boolean;
  /** The file's JSON mode, for a part that starts in the middle of its file. */
  jsonMode?: boolean;
  fields?: FieldMapping;
  maxLineLength?: number;
  samplesPerCluster?: number;
  maxDistinct?: number;
  drain?: { depth?: number; simTh?: number; maxChildren?: number };
}

export interface ErrorsPartResult {
  reader: ReaderPartState;
  analyzer: AnalyzerExport;
  /** A whole file that could not be read (or not to its end), as readLogFiles words it. */
  fileError?: string;
  /** The part's tables filled up: only one read of the whole input gives the exact result. */
  notMergeable?: string;
}

/** Reads one part; also used on the calling thread (without `report`, with the caller's `signal`). */
export async function readErrorsPart(task: ErrorsPartTask, report?: (bytes: number) => void, signal?: AbortSignal): Promise<ErrorsPartResult> {
  const analyzer = new ErrorAnalyzer({ partial: true, samplesPerCluster: task.samplesPerCluster, maxDistinct: task.maxDistinct, drain: task.drain });
  const ctx = new ReaderContext((r, shape) => analyzer.add(r, shape), {
    fields: task.fields,
    maxLineLength: task.maxLineLength,
    signal,
    ...(task.jsonMode !== undefined ? { jsonMode: task.jsonMode } : {}),
  });
  const reader = ctx.source(task.label);
  let fileError: string | undefined;
  try {
    if (task.whole) {
      for await (const chunk of fileTextChunks(task.file, { onBytes: report ? byteSteps(report) : undefined })) reader.push(chunk.text, chunk.bytes);
    } else await readRange(task.file, task.start, task.end, (text, bytes) => reader.push(text, bytes), report ?? (() => undefined));
  } catch (e) {
    if (e instanceof NotMergeable) return notMergeable(ctx, e);
    if (!task.whole || e instanceof IngestCancelled) throw e;
    fileError = e instanceof LogReadError || e instanceof OutputLimitError ? e.message : errorMessage(e);
  }
  try {
    reader.end();
  } catch (e) {
    if (e instanceof NotMergeable) return notMergeable(ctx, e);
    throw e;
  }
  return { reader: ctx.partState(), analyzer: analyzer.exportState(), ...(fileError !== undefined ? { fileError } : {}) };
}

function notMergeable(ctx: ReaderContext, e: Error): ErrorsPartResult {
  return { reader: ctx.partState(), analyzer: { events: 0, releaseErrors: [], capped: true, units: [] }, notMergeable: e.message };
}
