import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import * as vscode from 'vscode';
import { readCorrelationLogs } from '../../core/forensics/logs';
import { parseFieldMapping } from '../../core/logs/fieldMapping';
import type { LogRecord } from '../../core/logs/types';
import { readMetricsFile } from '../../core/metrics/nodeFile';
import type { MetricSeries } from '../../core/metrics/types';
import type { TraceFileResult } from '../../core/traces/import';
import type { TraceModel } from '../../core/traces/model';
import { pickTrace, readTextFile, readTraceFile } from '../../core/traces/nodeFile';
import { errorMessage } from '../../core/util/errors';

/** A trace file opened in the waterfall, with the logs and metrics joined to it. */
export class TraceDocument implements vscode.CustomDocument {
  version = 0;
  result: TraceFileResult | undefined;
  trace: TraceModel | undefined;
  error: string | undefined;
  logs: { source: string; records: LogRecord[]; note?: string } | undefined;
  metrics: { source: string; series: MetricSeries[]; note?: string } | undefined;
  readonly incidentId: string | undefined;

  private constructor(readonly uri: vscode.Uri) {
    const m = /\/\.incidents\/([^/]+)\//.exec(uri.path);
    this.incidentId = m?.[1];
  }

  static async load(uri: vscode.Uri, token?: vscode.CancellationToken): Promise<TraceDocument> {
    const doc = new TraceDocument(uri);
    const controller = new AbortController();
    token?.onCancellationRequested(() => controller.abort());
    try {
      doc.result = await readTraceFile(uri.fsPath, { signal: controller.signal });
      const picked = pickTrace(doc.result);
      if ('error' in picked) doc.error = `${vscode.workspace.asRelativePath(uri)}: ${picked.error}`;
      else doc.trace = picked.trace;
    } catch (e) {
      doc.error = errorMessage(e);
    }
    if (doc.trace) await doc.discoverCompanions();
    return doc;
  }

  /** Shows another trace of the same file (re-reading the file for it when spans were capped). */
  async openTrace(traceId: string): Promise<string | undefined> {
    if (!this.result) return 'the file is not loaded';
    let result = this.result;
    if (result.truncated) result = await readTraceFile(this.uri.fsPath, { traceId });
    const picked = pickTrace(result, traceId);
    if ('error' in picked) return picked.error;
    this.trace = picked.trace;
    this.version++;
    return undefined;
  }

  async loadLogs(file: vscode.Uri): Promise<string> {
    const text = await readTextFile(file.fsPath, 'log');
    const name = vscode.workspace.asRelativePath(file);
    // The Errors view's field mapping (setting incidentWorkbench.errors.fieldMapping) applies here too.
    const { mapping } = parseFieldMapping(vscode.workspace.getConfiguration('incidentWorkbench').get<Record<string, unknown>>('errors.fieldMapping') ?? {});
    const r = readCorrelationLogs(text, name, mapping);
    this.logs = { source: name, records: r.records, ...(r.problems.length ? { note: r.problems.slice(0, 3).join('; ') } : {}) };
    this.version++;
    return `${r.records.length} log records read from ${name}`;
  }

  async loadMetrics(file: vscode.Uri): Promise<string> {
    const name = vscode.workspace.asRelativePath(file);
    const r = await readMetricsFile(file.fsPath);
    if (r.format === 'unknown') throw new Error(`${name}: ${r.problems[0]?.message ?? 'not a metrics file'}`);
    this.metrics = { source: name, series: r.series, ...(r.problems.length ? { note: r.problems.map((p) => p.message).join('; ') } : {}) };
    this.version++;
    return `${r.series.length} series read from ${name}`;
  }

  setMetrics(source: string, series: MetricSeries[], note?: string): void {
    this.metrics = { source, series, ...(note ? { note } : {}) };
    this.version++;
  }

  /**
   * Logs and metrics next to the trace: in its folder or in sibling `logs/` and `metrics/` folders (an
   * incident's `evidence/`), recognised by name. Never fatal: a companion that cannot be read is skipped.
   */
  private async discoverCompanions(): Promise<void> {
    const dir = nodePath.dirname(this.uri.fsPath);
    const self = nodePath.resolve(this.uri.fsPath);
    const list = async (d: string) => (await fs.readdir(d).catch(() => [] as string[])).sort().map((n) => nodePath.join(d, n));
    const isTrace = (f: string) => /\.(otlp|trace|jaeger|zipkin)\.jsonl?$|traces?[^/]*\.jsonl?$/i.test(nodePath.basename(f));
    const here = (await list(dir)).filter((f) => f !== self && !isTrace(f));
    const logDirs = [...(await list(nodePath.join(dir, 'logs'))), ...(await list(nodePath.join(dir, '..', 'logs')))];
    const metricDirs = [...(await list(nodePath.join(dir, 'metrics'))), ...(await list(nodePath.join(dir, '..', 'metrics')))];
    // In a logs/ or metrics/ folder any file of the right type; next to the trace only files named so.
    const logFile = [...logDirs, ...here.filter((f) => /log/i.test(nodePath.basename(f)))].find((f) => /\.(jsonl|ndjson|log|json)(\.gz)?$/i.test(f));
    const metricsFile = [...metricDirs, ...here.filter((f) => /(metric|prom)/i.test(nodePath.basename(f)))].find((f) => /\.(json|csv|jsonl)$/i.test(f));
    if (logFile) await this.loadLogs(vscode.Uri.file(logFile)).catch(() => undefined);
    if (metricsFile) await this.loadMetrics(vscode.Uri.file(metricsFile)).catch(() => undefined);
  }

  dispose(): void {}
}
