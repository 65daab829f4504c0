/**
 * One call from files to a pattern report (the CLI, the editor and the benchmark share it): files and folders
 * expanded and streamed as the Errors view reads them (plain or gzip, decoded as UTF-8), records counted into
 * a PatternAnalyzer, and — for `--assign` — each physical line's signature kept in input order (four bytes a
 * line) to be turned into pattern ids at the end.
 */
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { expandLogPaths, fileChunks, LogReadError, type LogSourceError } from '../logs/nodeSource';
import type { FieldMapping } from '../logs/fieldMapping';
import { IngestCancelled } from '../logs/reader';
import { errorMessage } from '../util/errors';
import { PatternAnalyzer, type AnalyzerOptions, type AnalyzerState, type DeployMarker, type PatternReport } from './analyzer';
import { CallSiteIndex, indexLogCalls, type LogCallSite } from './callSites';
import type { PythonParser } from '../logging/parser';
import { decodePython } from '../logging/project';
import { PatternReadCancelled, PatternReaderContext } from './reader';

export interface PatternLoadOptions extends AnalyzerOptions {
  fields?: FieldMapping;
  maxLineLength?: number;
  signal?: AbortSignal;
  label?: (path: string) => string;
  onProgress?: (done: number, total: number, file: string) => void;
  problems?: string[];
  /** Keep each physical line's pattern, in input order. */
  assign?: boolean;
  /** What "new" is measured against; undefined: the release field's deploy; null: nothing. */
  cutoff?: DeployMarker | null;
  /** Also return the analyzer's state and each line's signature (to be absorbed elsewhere). */
  keepState?: boolean;
}

export interface PatternLoadResult {
  report: PatternReport;
  files: string[];
  errors: LogSourceError[];
  bytes: number;
  /** With `assign`: the pattern index of each physical line of every file, in order. */
  assignment?: Int32Array;
  /** With `keepState`: the analyzer's state, and with `assign` each line's signature. */
  state?: AnalyzerState;
  lineSignatures?: Int32Array;
}

/** Reads files and folders (any log format) into a pattern report. Unreadable files are listed in `errors`. */
export async function analyzePatternFiles(paths: string[], options: PatternLoadOptions = {}): Promise<PatternLoadResult> {
  const analyzer = new PatternAnalyzer(options);
  let lineSigs = options.assign ? new Int32Array(1 << 16) : undefined;
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
    { fields: options.fields, maxLineLength: options.maxLineLength, lines: options.assign, signal: options.signal },
  );
  const { files, errors } = await expandLogPaths(paths);
  const sizes = await Promise.all(files.map((f) => fs.stat(f).then((s) => s.size, () => 0)));
  const total = sizes.reduce((a, b) => a + b, 0);
  let done = 0;
  const label = options.label ?? ((p: string) => p);
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    const reader = ctx.source(label(file));
    try {
      for await (const chunk of fileChunks(file, { signal: options.signal, onBytes: (b) => options.onProgress?.(done + b, total, label(file)) })) reader.push(chunk);
    } catch (e) {
      if (e instanceof IngestCancelled || e instanceof PatternReadCancelled) throw e;
      errors.push({ path: file, message: e instanceof LogReadError ? e.message : errorMessage(e) });
    }
    reader.end();
    done += sizes[i]!;
    options.onProgress?.(done, total, label(file));
  }
  const state = options.keepState ? analyzer.exportState() : undefined;
  const { report, patternOfSignature } = analyzer.report({ lines: ctx.stats.lines, sources: files.map(label), skipped: ctx.skips.summaries(), problems: options.problems ?? [], cutoff: options.cutoff });
  let assignment: Int32Array | undefined;
  if (lineSigs) {
    assignment = new Int32Array(n);
    for (let i = 0; i < n; i++) assignment[i] = patternOfSignature[lineSigs[i]!]!;
  }
  return { report, files, errors, bytes: total, ...(assignment ? { assignment } : {}), ...(state ? { state, ...(lineSigs ? { lineSignatures: lineSigs.slice(0, n) } : {}) } : {}) };
}

const SKIP_DIRS = new Set(['.git', '.hg', 'node_modules', '__pycache__', '.venv', 'venv', 'env', '.env', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache', 'site-packages', 'build', 'dist', '.incidents', '.vscode-host', '.ipynb_checkpoints']);

/** The logging calls of every Python file under `root` (paths relative to it, `/`-separated). */
export async function indexCallSites(parser: PythonParser, root: string, options: { maxFiles?: number; maxBytes?: number } = {}): Promise<{ sites: LogCallSite[]; files: number; skipped: { file: string; reason: string }[] }> {
  const sites: LogCallSite[] = [];
  const skipped: { file: string; reason: string }[] = [];
  let files = 0;
  const maxFiles = options.maxFiles ?? 20_000;
  const maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
  const walk = async (dir: string, rel: string, depth: number): Promise<void> => {
    if (depth > 20 || files >= maxFiles) return;
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && !SKIP_DIRS.has(e.name) && !e.name.startsWith('.') && !e.name.endsWith('.egg-info')) await walk(nodePath.join(dir, e.name), childRel, depth + 1);
      else if (e.isFile() && e.name.endsWith('.py') && files < maxFiles) {
        files++;
        const abs = nodePath.join(dir, e.name);
        try {
          const stat = await fs.stat(abs);
          if (stat.size > maxBytes) {
            skipped.push({ file: childRel, reason: `larger than ${maxBytes / 1048576} MB` });
            continue;
          }
          const decoded = decodePython(await fs.readFile(abs));
          if ('skipped' in decoded) {
            skipped.push({ file: childRel, reason: decoded.skipped });
            continue;
          }
          sites.push(...indexLogCalls(parser, decoded.text, childRel));
        } catch (err) {
          skipped.push({ file: childRel, reason: errorMessage(err) });
        }
      }
    }
  };
  const stat = await fs.stat(root).catch(() => undefined);
  if (stat?.isFile()) {
    const decoded = decodePython(await fs.readFile(root));
    if (!('skipped' in decoded)) sites.push(...indexLogCalls(parser, decoded.text, nodePath.basename(root)));
    return { sites, files: 1, skipped };
  }
  if (stat?.isDirectory()) await walk(root, '', 0);
  return { sites, files, skipped };
}

export { CallSiteIndex };
