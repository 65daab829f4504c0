/**
 * Trace, log and metric files from disk (CLI and extension host). Files up to `wholeFileBytes` are read as
 * one string and parsed with JSON.parse (fastest); bigger ones stream, so a 2 GB export is read in constant
 * memory apart from the spans kept. Gzip files are read transparently.
 */
import { promises as fs } from 'node:fs';
import { fileChunks, OutputLimitError } from '../logs/nodeSource';
import { importTraceStream, importTraces, type ImportOptions, type TraceFileResult, type TraceSummary } from './import';
import { buildTrace, type TraceModel } from './model';
import type { Span } from './types';
import { errorMessage } from '../util/errors';

export class TraceFileError extends Error {}

async function statOf(path: string, what: string) {
  const stat = await fs.stat(path).catch((e: NodeJS.ErrnoException) => {
    throw new TraceFileError(`${path}: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.message}`);
  });
  if (stat.isDirectory()) throw new TraceFileError(`${path}: is a directory, not a ${what} file`);
  return stat;
}

/**
 * The whole text of a file (gzip decompressed), or undefined when it holds more than `maxBytes`: the limit
 * counts what the text would hold, so a small gzip that expands to gigabytes stops at the limit.
 */
async function wholeText(path: string, maxBytes: number, signal?: AbortSignal): Promise<string | undefined> {
  let text = '';
  try {
    for await (const chunk of fileChunks(path, { maxOutputBytes: maxBytes, ...(signal ? { signal } : {}) })) text += chunk;
  } catch (e) {
    if (e instanceof OutputLimitError) return undefined;
    throw e;
  }
  return text;
}

export async function readTextFile(path: string, what: string, maxBytes = 256 * 1024 * 1024): Promise<string> {
  const stat = await statOf(path, what);
  const tooBig = (size: string) => new TraceFileError(`${path}: ${size} is more than the ${maxBytes / 2 ** 20} MB read for ${what}; cut the time range first`);
  if (stat.size > maxBytes) throw tooBig(`${(stat.size / 2 ** 20).toFixed(0)} MB`);
  let text: string | undefined;
  try {
    text = await wholeText(path, maxBytes);
  } catch (e) {
    throw new TraceFileError(`${path}: cannot be read (${errorMessage(e)})`);
  }
  if (text === undefined) throw tooBig('its gzip content');
  return text;
}

export async function readTraceFile(path: string, options: ImportOptions & { wholeFileBytes?: number; signal?: AbortSignal; onBytes?: (bytes: number) => void } = {}): Promise<TraceFileResult> {
  const stat = await statOf(path, 'trace');
  const whole = options.wholeFileBytes ?? 128 * 1024 * 1024;
  const signal = options.signal ? { signal: options.signal } : {};
  try {
    if (stat.size <= whole) {
      // Up to `whole` bytes of content (gzip included: the limit counts decompressed bytes) in one string;
      // more than that streams, reading the file again from the start.
      const text = await wholeText(path, whole, options.signal);
      if (text !== undefined) {
        if (text.includes('\u0000')) throw new TraceFileError(`${path}: binary data, not a JSON trace export`);
        return importTraces(text, options);
      }
    }
    return await importTraceStream(fileChunks(path, { ...signal, ...(options.onBytes ? { onBytes: options.onBytes } : {}) }), options);
  } catch (e) {
    if (e instanceof TraceFileError) throw e;
    if ((e as Error).name === 'IngestCancelled') throw e;
    throw new TraceFileError(`${path}: cannot be read (${errorMessage(e)})`);
  }
}

/** The spans of one trace (by full id or a unique suffix). */
export function spansOfTrace(spans: readonly Span[], traceId: string): Span[] {
  const id = traceId.trim().toLowerCase();
  return spans.filter((s) => s.traceId === id || s.traceId.endsWith(id));
}

/**
 * Picks the trace to show: the one asked for, the only one, or the slowest. Returns undefined with a
 * reason when the id is not in the file.
 */
export function pickTrace(result: TraceFileResult, traceId?: string): { trace: TraceModel; summary: TraceSummary } | { error: string } {
  if (result.traces.length === 0) return { error: result.problems[0]?.message ?? 'the file holds no spans' };
  let summary: TraceSummary | undefined;
  if (traceId) {
    const id = traceId.trim().toLowerCase();
    const found = result.traces.filter((t) => t.traceId === id || t.traceId.endsWith(id));
    if (found.length === 0) return { error: `trace ${traceId} is not in the file (it holds ${result.traces.length} trace${result.traces.length === 1 ? '' : 's'}, e.g. ${result.traces.slice(0, 3).map((t) => t.traceId).join(', ')})` };
    if (found.length > 1) return { error: `${traceId} matches ${found.length} traces; give more of the id` };
    summary = found[0]!;
  } else summary = result.traces[0]!;
  const spans = result.traces.length === 1 ? result.spans : spansOfTrace(result.spans, summary.traceId);
  return { trace: buildTrace(spans, summary.traceId), summary };
}
