import * as nodePath from 'node:path';
import * as vscode from 'vscode';
import { analyzeMetricAnomaly, findCorrelatedErrors } from '../../core/forensics/correlate';
import { appendTimelineToPostmortem, buildTimeline } from '../../core/forensics/timeline';
import { detectAnomaly, type Anomaly } from '../../core/metrics/anomaly';
import { seriesKey } from '../../core/metrics/types';
import { seriesUnit } from '../../core/metrics/units';
import { slowestSpan } from '../../core/traces/analysis';
import { codeLocation } from '../../core/traces/analysis';
import { incidentDir } from '../../core/store/layout';
import { isWaterfallIntent, WATERFALL_VIEW_TYPE, type AnomalyReport, type WaterfallIntent, type WaterfallMessage, type WaterfallSnapshot } from '../../protocol/waterfall';
import type { Workbench } from '../shared/workbench';
import { reportError } from '../shared/reportError';
import { errorMessage } from '../../core/util/errors';
import { WorkspaceFileSystem } from '../shared/workspaceFileSystem';
import { WebviewBridge } from '../shared/webviewBridge';
import { buildWebviewHtml, webviewOptions } from '../shared/webviewHtml';
import { prometheusSettings, queryPrometheusWindow } from './prometheusMetrics';
import { anomalyReport, buildSnapshot, matchAttribute, spanDetail } from '../../presenters/traces';
import { TraceDocument } from './traceDocument';
import { attachFileToIncident } from './evidenceBundle';
import { openSpanCode } from './openCode';
import { pickFile } from '../shared/pickFile';

interface Open {
  doc: TraceDocument;
  panel: vscode.WebviewPanel;
  bridge: WebviewBridge<WaterfallSnapshot, WaterfallIntent, WaterfallMessage>;
  selected?: number;
}

/** The trace waterfall: a read-only custom editor over trace files. */
export class TraceWaterfallProvider implements vscode.CustomReadonlyEditorProvider<TraceDocument> {
  private readonly open = new Set<Open>();
  /** The last focused waterfall (commands act on it). */
  active: Open | undefined;
  /** What the last click-to-code opened (integration tests read it). */
  lastOpened: vscode.TextEditor | undefined;
  /** The last messages posted to pages besides snapshots (integration tests read them). */
  lastMessage: WaterfallMessage | undefined;

  constructor(readonly deps: Workbench) {}

  static register(provider: TraceWaterfallProvider): vscode.Disposable {
    const editor = vscode.window.registerCustomEditorProvider(WATERFALL_VIEW_TYPE, provider, { supportsMultipleEditorsPerDocument: true });
    if (provider.deps.extensionMode !== vscode.ExtensionMode.Test) return editor;
    return vscode.Disposable.from(
      editor,
      vscode.commands.registerCommand('incidentWorkbench._traceWaterfall', async (intent?: unknown) => {
        // For tests: the active waterfall's snapshot, after applying an intent if one is given.
        const open = provider.active ?? [...provider.open][0];
        if (!open) return undefined;
        if (intent && typeof intent === 'object' && isWaterfallIntent(intent as { type: string })) await provider.onIntent(open, intent as WaterfallIntent);
        return { snapshot: provider.snapshot(open.doc), lastMessage: provider.lastMessage, lastOpened: provider.lastOpened?.document.uri.toString(), lastLine: provider.lastOpened?.selection.active.line };
      }),
    );
  }

  async openCustomDocument(uri: vscode.Uri, _context: vscode.CustomDocumentOpenContext, token: vscode.CancellationToken): Promise<TraceDocument> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading trace ${nodePath.basename(uri.path)}`, cancellable: true }, (_p, cancel) => {
      const both = new vscode.CancellationTokenSource();
      token.onCancellationRequested(() => both.cancel());
      cancel.onCancellationRequested(() => both.cancel());
      return TraceDocument.load(uri, both.token);
    });
  }

  async resolveCustomEditor(doc: TraceDocument, panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = webviewOptions(this.deps.extensionUri);
    // A custom editor's frame is titled by its panel's title (VS Code leaves it "undefined" otherwise).
    panel.title = nodePath.basename(doc.uri.path);
    panel.webview.html = buildWebviewHtml(panel.webview, this.deps.extensionUri, { app: 'waterfall', title: `Trace: ${nodePath.basename(doc.uri.path)}` });
    const entry = { doc, panel } as Open;
    entry.bridge = new WebviewBridge<WaterfallSnapshot, WaterfallIntent, WaterfallMessage>(panel.webview, async () => this.snapshot(doc), isWaterfallIntent, (intent) => this.onIntent(entry, intent));
    this.open.add(entry);
    this.active = entry;
    panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active) this.active = entry;
    });
    const config = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('incidentWorkbench.prometheusUrl')) void entry.bridge.push();
    });
    panel.onDidDispose(() => {
      entry.bridge.dispose();
      config.dispose();
      this.open.delete(entry);
      if (this.active === entry) this.active = undefined;
    });
    if (doc.error) void reportError(this.deps.log, doc.error, { notify: false, severity: 'warning' });
  }

  snapshot(doc: TraceDocument): WaterfallSnapshot {
    const file = vscode.workspace.asRelativePath(doc.uri);
    const empty = { file, traces: [], logs: { count: 0, all: [] }, metrics: { series: [] }, prometheus: { configured: !!prometheusSettings().url } };
    if (!doc.trace || !doc.result) return { ...empty, error: doc.error ?? 'The trace could not be read.' };
    return buildSnapshot({
      file,
      format: doc.result.format,
      trace: doc.trace,
      traces: doc.result.traces,
      problems: doc.result.problems.map((p) => (p.line ? `line ${p.line}: ${p.message}` : p.message)),
      ...(doc.logs ? { logs: doc.logs } : {}),
      ...(doc.metrics ? { metrics: doc.metrics } : {}),
      prometheusConfigured: !!prometheusSettings().url,
      ...(doc.incidentId ? { incidentId: doc.incidentId } : {}),
    });
  }

  private post(open: Open, message: WaterfallMessage): void {
    this.lastMessage = message;
    void open.bridge.post(message);
  }

  private notice(open: Open, text: string, kind: 'info' | 'error' = 'info'): void {
    this.post(open, { type: 'notice', text, kind });
    if (kind === 'error') void reportError(this.deps.log, text, { notify: true });
  }

  async onIntent(open: Open, intent: WaterfallIntent): Promise<void> {
    const { doc } = open;
    try {
      switch (intent.type) {
        case 'selectSpan': {
          if (!doc.trace) return;
          const detail = spanDetail(doc.trace, intent.row, doc.logs?.records);
          if (detail) {
            open.selected = intent.row;
            this.post(open, detail);
          }
          return;
        }
        case 'openCode': {
          const node = doc.trace?.nodes[intent.row];
          const code = node && codeLocation(node.span);
          if (!code) return;
          this.lastOpened = await openSpanCode(code.file, code.line);
          return;
        }
        case 'openTrace': {
          const error = await doc.openTrace(intent.traceId);
          if (error) this.notice(open, error, 'error');
          await open.bridge.push();
          return;
        }
        case 'filterAttribute': {
          if (!doc.trace) return;
          this.post(open, { type: 'matches', query: intent.query, rows: matchAttribute(doc.trace, intent.query) });
          return;
        }
        case 'loadLogs':
        case 'loadMetrics': {
          const logs = intent.type === 'loadLogs';
          // The incident's logs/metrics first, then the workspace's, next to the trace first; Browse… last.
          const picked = await pickFile(this.deps, {
            title: logs ? 'Logs for this trace (JSON Lines with trace_id/span_id, or OTLP logs)' : 'Metrics for this trace (Prometheus query_range JSON, OTLP metrics, or CSV)',
            kinds: logs ? ['logs'] : ['metrics'],
            include: logs ? '{**/*.jsonl,**/*.ndjson,**/*.log,**/*.log.gz,**/*.jsonl.gz,**/logs/**/*.json}' : '{**/*.csv,**/*.prom.json,**/metrics/**/*.json,**/metrics/**/*.jsonl}',
            match: logs ? /\.(jsonl|ndjson|log|json|gz)$/i : /\.(json|csv|jsonl)$/i,
            exclude: doc.uri,
            dialog: {
              defaultUri: vscode.Uri.file(nodePath.dirname(doc.uri.fsPath)),
              filters: logs ? { Logs: ['jsonl', 'ndjson', 'log', 'json', 'gz'], 'All files': ['*'] } : { Metrics: ['json', 'csv', 'jsonl'], 'All files': ['*'] },
            },
          });
          if (!picked?.[0]) return;
          this.notice(open, logs ? await doc.loadLogs(picked[0]) : await doc.loadMetrics(picked[0]));
          await open.bridge.push();
          return;
        }
        case 'queryPrometheus': {
          if (!doc.trace) return;
          const settings = prometheusSettings();
          const pad = Math.max(5 * 60_000, doc.trace.durationUs / 1000);
          const from = doc.trace.startUs / 1000 - pad;
          const to = doc.trace.endUs / 1000 + pad;
          const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Querying Prometheus at ${settings.url ?? '(not set)'}`, cancellable: true }, (_p, token) => {
            const controller = new AbortController();
            token.onCancellationRequested(() => controller.abort());
            return queryPrometheusWindow(settings, from, to, controller.signal);
          });
          doc.setMetrics(`Prometheus ${settings.url}`, r.series, r.notes.join('; ') || undefined);
          this.notice(open, `${r.series.length} series from Prometheus${r.notes.length ? ` (${r.notes.join('; ')})` : ''}`);
          await open.bridge.push();
          return;
        }
        case 'analyzeAnomaly': {
          const report = this.analyze(doc, intent.series);
          if (typeof report === 'string') this.notice(open, report, 'error');
          else this.post(open, report);
          return;
        }
        case 'appendTimeline': {
          const r = await this.appendTimeline(doc);
          if (r) this.notice(open, r);
          return;
        }
        case 'attachToIncident': {
          const r = await attachFileToIncident(this.deps, doc.uri, 'trace', `Trace ${doc.trace?.traceId ?? ''}`.trim());
          if (r) this.notice(open, r);
          return;
        }
        case 'openAsText':
          await vscode.commands.executeCommand('vscode.openWith', doc.uri, 'default');
          return;
      }
    } catch (e) {
      this.notice(open, errorMessage(e), 'error');
    }
  }

  /** `analyze_metric_anomaly` for a series of the band, around its most anomalous point. */
  analyze(doc: TraceDocument, index: number): AnomalyReport | string {
    const series = doc.metrics?.series ?? [];
    const band = this.bandSeries(doc);
    const key = band[index];
    if (!key) return 'That metric is no longer loaded.';
    const spans = doc.result?.spans ?? [];
    const r = analyzeMetricAnomaly({ series, metric: key, windowMinutes: 5, ...(doc.logs ? { logs: doc.logs.records } : {}), spans });
    if ('error' in r) return r.error;
    const clusters = doc.logs ? findCorrelatedErrors(doc.logs.records, { windowMinutes: 5, failedSpans: spans }) : [];
    const s = series.find((x) => seriesKey(x) === key);
    return anomalyReport(r, clusters, s ? seriesUnit(s.name, s.unit) : '');
  }

  private bandSeries(doc: TraceDocument): string[] {
    // The same order and selection as the snapshot's metrics band.
    return this.snapshot(doc).metrics.series.map((s) => s.series);
  }

  /** Builds the forensics timeline and appends it to the incident's post-mortem. Returns a summary. */
  async appendTimeline(doc: TraceDocument, incidentArg?: string): Promise<string | undefined> {
    const folder = this.deps.repository.folder;
    const store = this.deps.repository.store();
    if (!folder || !store) throw new Error('Open a workspace folder first: the post-mortem lives in its .incidents/ folder.');
    let id = incidentArg ?? doc.incidentId ?? this.deps.activeIncident.id;
    if (!id) {
      const ids = await store.ids();
      id = await vscode.window.showQuickPick(ids, { title: 'Append the timeline to which incident’s post-mortem?' });
      if (!id) return undefined;
    }
    const entry = await store.read(id);
    const anomalies: Anomaly[] = [];
    const trace = doc.trace;
    if (doc.metrics && trace) {
      const from = trace.startUs / 1000 - 30 * 60_000;
      const to = trace.endUs / 1000 + 30 * 60_000;
      for (const s of doc.metrics.series.slice(0, 20)) {
        const a = detectAnomaly(s, from, to);
        if (a.startMs !== undefined) anomalies.push({ ...a, series: seriesKey(s) });
      }
    }
    const slow = trace ? slowestSpan(trace) : undefined;
    const entries = buildTimeline({
      ...(doc.logs ? { logs: doc.logs.records } : {}),
      ...(doc.metrics ? { series: doc.metrics.series } : {}),
      anomalies,
      ...(trace
        ? {
            trace: {
              traceId: trace.traceId,
              startMs: trace.startUs / 1000,
              durationMs: trace.durationUs / 1000,
              ...(slow ? { slowest: `slowest span ${slow.service} ${slow.operation} ${slow.durationMs} ms (${slow.percentage}%)` } : {}),
              link: vscode.workspace.asRelativePath(doc.uri),
            },
          }
        : {}),
      incidentEvents: entry.value?.events ?? [],
    });
    const r = await appendTimelineToPostmortem(new WorkspaceFileSystem(folder.uri), id, entries, { root: store.root, ...(entry.value?.title ? { title: `Post-mortem: ${entry.value.title}` } : {}) });
    this.deps.repository.invalidate();
    const message = `${r.added} timeline entr${r.added === 1 ? 'y' : 'ies'} appended to ${incidentDir(id, store.root)}/postmortem.json${r.created ? ' (created)' : ''}; ${entries.length - r.added} were already there.`;
    void vscode.window.showInformationMessage(message, 'Open Post-Mortem').then((c) => {
      if (c) void vscode.commands.executeCommand('vscode.open', vscode.Uri.joinPath(folder.uri, r.path));
    });
    return message;
  }
}
