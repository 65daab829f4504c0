/** One call from files to an ErrorReport: what the CLI, the editor and the benchmark share. */
import { readLogFiles } from '../logs/nodeSource';
import type { FieldMapping } from '../logs/fieldMapping';
import { ErrorAnalyzer, type AnalyzerOptions, type ErrorReport } from './analyzer';

export interface LoadOptions extends AnalyzerOptions {
  fields?: FieldMapping;
  maxLineLength?: number;
  signal?: AbortSignal;
  label?: (path: string) => string;
  onProgress?: (done: number, total: number, file: string) => void;
  problems?: string[];
}

export interface LoadResult {
  report: ErrorReport;
  files: string[];
  /** Files that could not be read, and why; the others were still read. */
  errors: { path: string; message: string }[];
  bytes: number;
}

export async function analyzeLogFiles(paths: string[], options: LoadOptions = {}): Promise<LoadResult> {
  const analyzer = new ErrorAnalyzer(options);
  const { context, files, errors, bytes } = await readLogFiles(paths, (r, shape) => analyzer.add(r, shape), {
    fields: options.fields,
    maxLineLength: options.maxLineLength,
    signal: options.signal,
    label: options.label,
    onProgress: options.onProgress,
  });
  const label = options.label ?? ((p: string) => p);
  const report = analyzer.report({
    lines: context.stats.lines,
    records: context.stats.records,
    sources: files.map(label),
    skipped: context.skips.summaries(),
    fieldMapping: context.fields.mapping(),
    problems: options.problems ?? [],
    timeRange: context.timeRange(),
    releases: context.releases,
  });
  return { report, files, errors, bytes };
}
