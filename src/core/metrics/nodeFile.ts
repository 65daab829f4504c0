/**
 * Metrics files from disk (CLI and extension host). JSON (Prometheus answers, OTLP) is read whole, up to a
 * limit on its content (gzip counted decompressed); CSV streams record by record, so its size and the
 * length of its lines never decide the memory used.
 */
import { fileChunks } from '../logs/nodeSource';
import { readCsvStream } from '../csv/records';
import { readTextFile, TraceFileError } from '../traces/nodeFile';
import { errorMessage } from '../util/errors';
import { CsvMetrics, importMetrics, NOT_METRICS, Series } from './parse';
import type { MetricsResult } from './types';

/** The first characters of a file that are not blanks (or a BOM), or '' for an empty file. */
async function firstSignificant(path: string): Promise<string> {
  for await (const chunk of fileChunks(path)) {
    const t = chunk.replace(/^[\uFEFF\s]+/, '');
    if (t !== '') return t.slice(0, 1);
  }
  return '';
}

export async function readMetricsFile(path: string, maxJsonBytes = 256 * 1024 * 1024): Promise<MetricsResult> {
  const first = await firstSignificant(path).catch(() => '');
  if (first === '' || first === '{' || first === '[') return importMetrics(await readTextFile(path, 'metrics', maxJsonBytes));
  const into = new Series();
  const problems: MetricsResult['problems'] = [];
  const csv = new CsvMetrics(into, problems);
  let read;
  try {
    read = await readCsvStream(fileChunks(path), csv.record, { stop: () => !csv.usable });
  } catch (e) {
    throw new TraceFileError(`${path}: cannot be read (${errorMessage(e)})`);
  }
  if (csv.finish(read)) return { format: 'csv', series: into.all(), problems };
  return { format: 'unknown', series: [], problems: [{ message: NOT_METRICS }] };
}
