import * as vscode from 'vscode';
import { TraceAggregator, type TraceStatsDetails } from '../../core/traces/aggregate';
import { compareDetailed } from '../../core/traces/compare';
import { BackendError, fetchTrace, fetchTraceText, listOperations, listServices, searchTraces, type JaegerEndpoint } from '../../core/traces/jaeger';
import { buildTrace, type TraceModel } from '../../core/traces/model';
import { pickTrace, readTraceFile, spansOfTrace } from '../../core/traces/nodeFile';
import { buildQuery, incidentWindow, parseTime, QueryError, type TraceQuery } from '../../core/traces/query';
import { errorMessage } from '../../core/util/errors';
import { compareSnapshot, slowestAndTypical, statsView, traceRows } from '../../presenters/traceSearch';
import {
  isTraceCompareIntent,
  isTraceSearchIntent,
  TRACE_COMPARE_VIEW_TYPE,
  TRACE_SEARCH_VIEW_TYPE,
  type TraceCompareIntent,
  type TraceCompareSnapshot,
  type TraceSearchForm,
  type TraceSearchIntent,
  type TraceSearchSnapshot,
} from '../../protocol/traceSearch';
import { WATERFALL_VIEW_TYPE } from '../../protocol/waterfall';
import { reportError } from '../shared/reportError';
import { WebviewBridge } from '../shared/webviewBridge';
import { buildWebviewHtml, webviewOptions } from '../shared/webviewHtml';
import type { Workbench } from '../shared/workbench';
import { endpoint, headersKey, jaegerUrl } from './settings';

const HEX_ID = /^[0-9a-fA-F]{8,32}$/;

function iso(us: number): string {
  return new Date(us / 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The one Trace Search panel and the comparison panels it opens. */
export class TraceSearchPanels implements vscode.Disposable {
  search: TraceSearchPanel | undefined;
  readonly comparisons = new Set<TraceComparePanel>();

  constructor(readonly deps: Workbench) {}

  async showSearch(): Promise<TraceSearchPanel> {
    if (this.search) {
      this.search.panel.reveal();
      return this.search;
    }
    this.search = new TraceSearchPanel(this);
    const id = this.deps.activeIncident.id;
    if (id) this.search.form.range = 'incident';
    return this.search;
  }

  async refresh(): Promise<void> {
    await this.search?.push();
  }

  async compare(a: string, b: string): Promise<TraceComparePanel | undefined> {
    const panel = new TraceComparePanel(this, a, b);
    this.comparisons.add(panel);
    return (await panel.load()) ? panel : undefined;
  }

  /** The configured Jaeger, or a notification with the setting to open. */
  async endpointOrAsk(): Promise<JaegerEndpoint | undefined> {
    const e = await endpoint(this.deps);
    if (e) return e;
    const choice = await vscode.window.showWarningMessage('Set incidentWorkbench.traces.jaegerUrl to the Jaeger query service (Jaeger UI’s address, e.g. http://127.0.0.1:16686).', 'Open Settings');
    if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', 'incidentWorkbench.traces');
    return undefined;
  }

  /** Fetches a trace from Jaeger into the extension's storage (not the workspace) and opens the waterfall. */
  async openFromJaeger(traceId: string): Promise<vscode.Uri | undefined> {
    const e = await this.endpointOrAsk();
    if (!e) return undefined;
    const { text } = await this.withProgress(`Fetching trace ${traceId}`, (signal) => fetchTraceText(e, traceId, { signal }));
    const dir = vscode.Uri.joinPath(this.deps.storageUri, 'jaeger');
    await vscode.workspace.fs.createDirectory(dir);
    const uri = vscode.Uri.joinPath(dir, `${traceId.toLowerCase()}.json`);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    await vscode.commands.executeCommand('vscode.openWith', uri, WATERFALL_VIEW_TYPE);
    return uri;
  }

  /** Attaches a Jaeger trace to the active incident (the writer redacts it). Returns the evidence path. */
  async attachFromJaeger(traceId: string): Promise<string | undefined> {
    const incident = this.deps.activeIncident.id;
    if (!incident) {
      void vscode.window.showWarningMessage('No active incident: set one (Incident Workbench: Set Active Incident) to attach traces to it.');
      return undefined;
    }
    const e = await this.endpointOrAsk();
    if (!e) return undefined;
    const { text } = await this.withProgress(`Fetching trace ${traceId}`, (signal) => fetchTraceText(e, traceId, { signal }));
    const written = await this.deps.writer.addEvidence(incident, { name: `jaeger-${traceId.toLowerCase()}.json`, content: text, kind: 'trace', note: `Trace ${traceId} from Jaeger at ${new URL(e.url).origin}` });
    void vscode.window.showInformationMessage(`Attached trace ${traceId} to ${incident}: ${written.path}`);
    return written.path;
  }

  /** Runs `work` with a cancellable notification; a cancel aborts the request. */
  withProgress<T>(title: string, work: (signal: AbortSignal, progress: vscode.Progress<{ message?: string }>) => Promise<T>, external?: AbortController): Promise<T> {
    return Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
        const controller = external ?? new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return work(controller.signal, progress);
      }),
    );
  }

  dispose(): void {
    this.search?.dispose();
    for (const c of this.comparisons) c.dispose();
  }
}

export class TraceSearchPanel implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  private readonly bridge: WebviewBridge<TraceSearchSnapshot, TraceSearchIntent>;
  private readonly disposables: vscode.Disposable[] = [];
  form: TraceSearchForm = { service: '', operation: '', tags: '', minDuration: '', maxDuration: '', range: 'lookback', lookback: '1h', start: '', end: '', limit: '100' };
  private services: string[] = [];
  private operations: string[] = [];
  private status: TraceSearchSnapshot['status'] = { state: 'idle', text: '' };
  private results: TraceSearchSnapshot['results'];
  private stats: TraceSearchSnapshot['stats'];
  private api: 'v1' | 'v3' | undefined;
  private running: AbortController | undefined;
  private statsFile: vscode.Uri | undefined;
  private picked: { a?: string; b?: string } = {};
  private incidentText: TraceSearchSnapshot['incident'];

  constructor(private readonly owner: TraceSearchPanels) {
    const deps = owner.deps;
    this.panel = vscode.window.createWebviewPanel(TRACE_SEARCH_VIEW_TYPE, 'Trace Search', vscode.ViewColumn.Active, { ...webviewOptions(deps.extensionUri), retainContextWhenHidden: false });
    this.panel.webview.html = buildWebviewHtml(this.panel.webview, deps.extensionUri, { app: 'traceSearch', title: 'Trace Search' });
    this.bridge = new WebviewBridge(this.panel.webview, async () => this.snapshot(), isTraceSearchIntent, (i) => this.handle(i));
    this.disposables.push(
      this.bridge,
      this.panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('incidentWorkbench.traces')) {
          this.services = [];
          void this.push();
        }
      }),
      deps.activeIncident.onDidChange?.(() => void this.push()) ?? { dispose() {} },
    );
  }

  async push(): Promise<void> {
    await this.bridge.push();
  }

  snapshotNow(): Promise<TraceSearchSnapshot> {
    return this.snapshot();
  }

  private async incidentRange(nowUs: number): Promise<{ startUs: number; endUs: number; id: string } | undefined> {
    const id = this.owner.deps.activeIncident.id;
    const store = this.owner.deps.repository.store();
    if (!id || !store) return undefined;
    try {
      const entry = await store.read(id);
      if (!entry.value || typeof entry.value.reportedAt !== 'string') return undefined;
      return { ...incidentWindow(entry.value, nowUs), id };
    } catch {
      return undefined;
    }
  }

  private async snapshot(): Promise<TraceSearchSnapshot> {
    const url = jaegerUrl();
    const range = await this.incidentRange(Date.now() * 1000);
    this.incidentText = range ? { id: range.id, startText: iso(range.startUs), endText: iso(range.endUs) } : undefined;
    return {
      backend: { ...(url ? { url } : {}), ...(this.api ? { api: this.api } : {}), headers: url ? (await this.owner.deps.secrets.get(headersKey(url))) !== undefined : false, trusted: vscode.workspace.isTrusted },
      services: this.services,
      operations: this.operations,
      form: this.form,
      ...(this.incidentText ? { incident: this.incidentText } : {}),
      status: this.status,
      ...(this.results ? { results: this.results } : {}),
      ...(this.stats ? { stats: this.stats } : {}),
      compare: this.picked,
    };
  }

  private async fail(e: unknown, what: string): Promise<void> {
    const message = errorMessage(e);
    this.status = { state: e instanceof BackendError && e.kind === 'cancelled' ? 'cancelled' : 'error', text: e instanceof BackendError && e.kind === 'cancelled' ? 'Cancelled.' : message };
    await this.push();
    if (this.status.state === 'error') {
      const actions = e instanceof BackendError && e.kind === 'unauthorized' ? ['Set Auth Headers'] : e instanceof BackendError && (e.kind === 'config' || e.kind === 'notJaeger' || e.kind === 'unreachable') ? ['Open Settings'] : [];
      // Not awaited: the panel shows the error at once; the notification's button acts whenever clicked.
      void reportError(this.owner.deps.log, `${what}: ${message}`, { notify: true, actions, ...(e instanceof BackendError ? {} : { cause: e }) }).then(async (choice) => {
        if (choice === 'Set Auth Headers') await vscode.commands.executeCommand('incidentWorkbench.setJaegerHeaders');
        if (choice === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'incidentWorkbench.traces');
      });
    }
  }

  async loadServices(): Promise<void> {
    const e = await this.owner.endpointOrAsk();
    if (!e) return;
    try {
      this.services = await listServices(e, { signal: AbortSignal.timeout(e.timeoutMs ?? 30_000) });
      if (!this.form.service && this.services.length) this.form = { ...this.form, service: this.services.find((s) => s !== 'jaeger-all-in-one') ?? this.services[0]! };
      if (this.form.service) this.operations = await listOperations(e, this.form.service);
      await this.push();
    } catch (err) {
      await this.fail(err, 'Listing services');
    }
  }

  private async query(form: TraceSearchForm): Promise<TraceQuery> {
    const nowUs = Date.now() * 1000;
    const tags = form.tags.split(/[\s,]+/).filter(Boolean);
    const base = { service: form.service, operation: form.operation, tags, minDuration: form.minDuration, maxDuration: form.maxDuration, limit: form.limit };
    if (form.range === 'incident') {
      const w = await this.incidentRange(nowUs);
      if (!w) throw new QueryError('there is no active incident to take the time range from: choose a lookback or a range');
      return buildQuery({ ...base, start: String(w.startUs), end: String(w.endUs) }, nowUs);
    }
    if (form.range === 'range') return buildQuery({ ...base, start: String(parseTime(form.start)), end: form.end.trim() ? String(parseTime(form.end)) : String(nowUs) }, nowUs);
    return buildQuery({ ...base, lookback: form.lookback || '1h' }, nowUs);
  }

  /** Runs a search with progress and cancel; statistics of the result are built while it streams in. */
  async search(form: TraceSearchForm): Promise<void> {
    this.form = form;
    this.running?.abort();
    let query: TraceQuery;
    try {
      query = await this.query(form);
    } catch (e) {
      this.status = { state: 'error', text: errorMessage(e) };
      await this.push();
      return;
    }
    const e = await this.owner.endpointOrAsk();
    if (!e) return;
    const controller = new AbortController();
    this.running = controller;
    this.status = { state: 'running', text: `Searching ${query.service}…` };
    await this.push();
    const agg = new TraceAggregator();
    try {
      const r = await this.owner.withProgress(
        `Searching Jaeger for ${query.service}`,
        (signal, progress) => searchTraces(e, query, { signal, keepSpans: false, onSpan: (s) => agg.add(s), onBytes: (b) => progress.report({ message: `${(b / 1e6).toFixed(1)} MB, ${agg.traceCount} traces` }) }),
        controller,
      );
      this.api = r.api;
      const rows = traceRows(r.traces);
      const words = [query.service, query.operation, ...Object.entries(query.tags ?? {}).map(([k, v]) => `${k}=${v}`), query.minDurationUs !== undefined ? `≥ ${query.minDurationUs / 1000} ms` : '', query.maxDurationUs !== undefined ? `≤ ${query.maxDurationUs / 1000} ms` : ''].filter(Boolean).join(' ');
      this.results = { query: `${words}, ${iso(query.startUs)} – ${iso(query.endUs)}`, rows, fromMs: query.startUs / 1000, toMs: query.endUs / 1000, limitReached: rows.length >= query.limit, notes: r.problems.slice(0, 5).map((p) => p.message) };
      this.stats = rows.length ? statsView(agg.result(), 'the search result', agg.spans) : undefined;
      this.statsFile = undefined;
      this.status = { state: r.cancelled ? 'cancelled' : 'done', text: `${rows.length} trace${rows.length === 1 ? '' : 's'}${r.cancelled ? ' (cancelled: those that had arrived)' : ''} via ${r.api === 'v1' ? 'the HTTP JSON API' : 'api_v3'}` };
      await this.push();
    } catch (err) {
      await this.fail(err, 'Trace search');
    } finally {
      if (this.running === controller) this.running = undefined;
    }
  }

  /** Statistics over every trace of a file, streamed (no spans kept). */
  async statsOfFile(uri: vscode.Uri): Promise<TraceStatsDetails | undefined> {
    const agg = new TraceAggregator();
    this.status = { state: 'running', text: `Reading ${vscode.workspace.asRelativePath(uri)}…` };
    await this.push();
    try {
      const r = await this.owner.withProgress(`Statistics of ${vscode.workspace.asRelativePath(uri)}`, async (signal, progress) => {
        let n = 0;
        return readTraceFile(uri.fsPath, {
          keepSpans: false,
          onSpan: (s) => {
            agg.add(s);
            if (signal.aborted) throw new BackendError('cancelled', 'cancelled');
            if (++n % 50_000 === 0) progress.report({ message: `${n.toLocaleString('en')} spans` });
          },
        });
      });
      if (r.spanCount === 0) throw new Error(`${vscode.workspace.asRelativePath(uri)}: ${r.problems[0]?.message ?? 'the file holds no spans'}`);
      const d = agg.result();
      this.stats = statsView(d, vscode.workspace.asRelativePath(uri), agg.spans, uri.toString());
      this.statsFile = uri;
      this.status = { state: 'done', text: `${d.traces} traces in ${vscode.workspace.asRelativePath(uri)}` };
      await this.push();
      return d;
    } catch (err) {
      await this.fail(err, 'Trace statistics');
      return undefined;
    }
  }

  /** A message as the page sends it, checked by the protocol's guard (the test hook uses it). */
  async intent(message: { type: string }): Promise<void> {
    if (isTraceSearchIntent(message)) await this.handle(message);
  }

  private async handle(intent: TraceSearchIntent): Promise<void> {
    try {
      switch (intent.type) {
        case 'search':
          return await this.search(intent.form);
        case 'cancel':
          this.running?.abort();
          return;
        case 'loadServices':
          return await this.loadServices();
        case 'loadOperations': {
          const e = await endpoint(this.owner.deps);
          if (!e) return;
          this.form = { ...this.form, service: intent.service, operation: '' };
          this.operations = intent.service ? await listOperations(e, intent.service) : [];
          return await this.push();
        }
        case 'openTrace':
          if (this.statsFile) {
            await vscode.commands.executeCommand('vscode.openWith', this.statsFile, WATERFALL_VIEW_TYPE);
            return;
          }
          await this.owner.openFromJaeger(intent.traceId);
          return;
        case 'attachTrace':
          await this.owner.attachFromJaeger(intent.traceId);
          return;
        case 'pick':
          this.picked = { ...this.picked, [intent.which]: intent.traceId };
          return await this.push();
        case 'compare':
          if (this.picked.a && this.picked.b) await this.owner.compare(this.picked.a, this.picked.b);
          return;
        case 'compareSlowest': {
          const pair = slowestAndTypical(this.results?.rows ?? []);
          if (!pair) {
            void vscode.window.showInformationMessage('Search first: comparing needs at least two traces.');
            return;
          }
          this.picked = pair;
          await this.push();
          await this.owner.compare(pair.a, pair.b);
          return;
        }
        case 'statsOfFile':
          await vscode.commands.executeCommand('incidentWorkbench.traceStatsOfFile');
          return;
        case 'setHeaders':
          await vscode.commands.executeCommand('incidentWorkbench.setJaegerHeaders');
          return;
        case 'openSettings':
          await vscode.commands.executeCommand('workbench.action.openSettings', 'incidentWorkbench.traces');
          return;
      }
    } catch (e) {
      await this.fail(e, 'Trace Search');
    }
  }

  dispose(): void {
    this.running?.abort();
    if (this.owner.search === this) this.owner.search = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

/** Two traces side by side: matched by operation path, critical paths, N+1 and superlinear spans that changed. */
export class TraceComparePanel implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  private readonly bridge: WebviewBridge<TraceCompareSnapshot, TraceCompareIntent>;
  private readonly disposables: vscode.Disposable[] = [];
  private snap: TraceCompareSnapshot | undefined;
  private error: string | undefined;

  constructor(
    private readonly owner: TraceSearchPanels,
    private a: string,
    private b: string,
  ) {
    const deps = owner.deps;
    this.panel = vscode.window.createWebviewPanel(TRACE_COMPARE_VIEW_TYPE, 'Trace Comparison', vscode.ViewColumn.Active, webviewOptions(deps.extensionUri));
    this.panel.webview.html = buildWebviewHtml(this.panel.webview, deps.extensionUri, { app: 'traceCompare', title: 'Trace Comparison' });
    this.bridge = new WebviewBridge(this.panel.webview, async () => this.snapshot(), isTraceCompareIntent, (i) => this.handle(i));
    this.disposables.push(this.bridge, this.panel.onDidDispose(() => this.dispose()));
  }

  private async snapshot(): Promise<TraceCompareSnapshot> {
    if (this.snap) return this.snap;
    const empty = { traceId: '', durationMs: 0, spanCount: 0 };
    return { a: empty, b: empty, onlyInA: [], onlyInB: [], changed: [], matched: [], criticalA: [], criticalB: [], nPlusOneChanges: [], superlinear: [], source: this.error ?? 'Loading…' };
  }

  snapshotNow(): Promise<TraceCompareSnapshot> {
    return this.snapshot();
  }

  private async loadOne(spec: string, signal: AbortSignal): Promise<TraceModel> {
    if (HEX_ID.test(spec) && !spec.includes('/')) {
      const e = await this.owner.endpointOrAsk();
      if (!e) throw new Error('no Jaeger configured');
      const r = await fetchTrace(e, spec, { signal });
      const id = r.traces[0]!.traceId;
      return buildTrace(r.traces.length === 1 ? r.spans : spansOfTrace(r.spans, id), id);
    }
    const hash = spec.lastIndexOf('#');
    const base = hash > 0 ? spec.slice(0, hash) : spec;
    const id = hash > 0 ? spec.slice(hash + 1) : undefined;
    const uri = base.includes('://') ? vscode.Uri.parse(base) : (this.owner.deps.repository.uri(base) ?? vscode.Uri.file(base));
    const r = await readTraceFile(uri.fsPath, id ? { traceId: id } : {});
    const picked = pickTrace(r, id);
    if ('error' in picked) throw new Error(`${vscode.workspace.asRelativePath(uri)}: ${picked.error}`);
    return picked.trace;
  }

  async load(): Promise<boolean> {
    try {
      const [ta, tb] = await this.owner.withProgress('Comparing traces', async (signal) => [await this.loadOne(this.a, signal), await this.loadOne(this.b, signal)] as const);
      const source = HEX_ID.test(this.a) && HEX_ID.test(this.b) ? `Jaeger at ${jaegerUrl() ?? ''}` : [this.a, this.b].map((s) => s.split('/').pop()).join(' and ');
      this.snap = compareSnapshot(ta, tb, compareDetailed(ta, tb), source);
      this.panel.title = `Compare ${ta.traceId.slice(0, 8)} ↔ ${tb.traceId.slice(0, 8)}`;
      await this.bridge.push();
      return true;
    } catch (e) {
      this.error = errorMessage(e);
      await this.bridge.push();
      void reportError(this.owner.deps.log, `Trace comparison: ${this.error}`, { notify: true, ...(e instanceof BackendError ? {} : { cause: e }) });
      return false;
    }
  }

  private async handle(intent: TraceCompareIntent): Promise<void> {
    try {
      if (intent.type === 'swap') {
        [this.a, this.b] = [this.b, this.a];
        this.snap = undefined;
        await this.load();
        return;
      }
      if (intent.type === 'openTrace') {
        const spec = intent.which === 'a' ? this.a : this.b;
        if (HEX_ID.test(spec)) await this.owner.openFromJaeger(spec);
        else {
          const base = spec.includes('#') ? spec.slice(0, spec.lastIndexOf('#')) : spec;
          await vscode.commands.executeCommand('vscode.openWith', base.includes('://') ? vscode.Uri.parse(base) : vscode.Uri.file(base), WATERFALL_VIEW_TYPE);
        }
        return;
      }
      if (intent.type === 'attach' && this.snap) {
        const incident = this.owner.deps.activeIncident.id;
        if (!incident) {
          void vscode.window.showWarningMessage('No active incident: set one to attach the comparison to it.');
          return;
        }
        const { a, b, onlyInA, onlyInB, changed, nPlusOneChanges, superlinear, criticalA, criticalB } = this.snap;
        const content = JSON.stringify({ a: { traceId: a.traceId, durationMs: a.durationMs }, b: { traceId: b.traceId, durationMs: b.durationMs }, onlyInA, onlyInB, changed, nPlusOneChanges, superlinear, criticalA, criticalB }, null, 2);
        const written = await this.owner.deps.writer.addEvidence(incident, { name: `trace-compare-${a.traceId.slice(0, 8)}-${b.traceId.slice(0, 8)}.json`, content, kind: 'trace', note: `Comparison of trace ${a.traceId} (${a.durationMs} ms) with ${b.traceId} (${b.durationMs} ms)` });
        this.snap = { ...this.snap, attached: `${incident}: ${written.path}` };
        await this.bridge.push();
      }
    } catch (e) {
      void reportError(this.owner.deps.log, `Trace comparison: ${errorMessage(e)}`, { notify: true, cause: e });
    }
  }

  dispose(): void {
    this.owner.comparisons.delete(this);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
