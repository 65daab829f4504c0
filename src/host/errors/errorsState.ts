import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ErrorReport } from '../../core/errors/analyzer';
import { analyzeLogFilesParallel } from '../../node/errorsParallel';
import { IngestCancelled } from '../../core/logs/reader';
import { formatCount } from '../../core/logs/skips';
import { FrameResolver } from './frameResolver';
import { ERRORS_SETTINGS, readErrorsSettings } from './settings';
import { errorMessage } from '../../core/util/errors';
import { reportError } from '../shared/reportError';
import { applyTriage, parseTriage, type TriagedCluster, type TriagedReport, type TriageFile } from '../../core/triage/triage';
import { triageFile } from '../../core/store/layout';
import type { IncidentRepository } from '../shared/incidentRepository';
import { errorsFromStore, type StoreSourceInfo } from '../../core/logstore/analyze';
import { LogStoreError, type LogStore, type TimeWindow } from '../../core/logstore/types';
import { describeWindow, type LogStoreConfig } from '../shared/logStores';
import { LogSourceState, percentProgress, withCancellableProgress } from '../shared/logSourceState';

const LAST_SOURCES = 'incidentWorkbench.errors.lastSources';

export interface LoadSummary {
  events: number;
  clusters: number;
  lines: number;
  skipped: number;
  files: string[];
  errors: { path: string; message: string }[];
  cancelled?: boolean;
  /** When read from a log store: what the store sent. */
  source?: StoreSourceInfo;
}

/**
 * The loaded error report and where it came from. Loading streams the files through core (constant memory)
 * with a cancellable progress notification; the sources are remembered per workspace and re-read the next
 * time the Errors view is shown.
 */
export class ErrorsState extends LogSourceState<TriagedReport, LoadSummary> {
  readonly resolver: FrameResolver;
  /** As the logs say, before triage: kept to apply triage again when the file changes. */
  private raw: ErrorReport | undefined;
  /** The triage file as last read; `triageProblem` says why it could not be used. */
  triage: TriageFile | undefined;
  triageProblem: string | undefined;
  /** Only clusters seen in this release (empty: all). */
  releaseFilter = '';
  loadErrors: { path: string; message: string }[] = [];
  filter = '';
  /** The log store the report came from, if any (then `sources` is empty). */
  storeSource: (StoreSourceInfo & { name: string; window: TimeWindow }) | undefined;

  constructor(
    memento: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
    private readonly repository?: IncidentRepository,
    /** dist/errorsWorker.js: big files are read on worker threads (src/node/errorsParallel.ts). */
    private readonly workerScript?: string,
  ) {
    super(memento, LAST_SOURCES);
    this.resolver = new FrameResolver(readErrorsSettings().pathMappings);
    if (repository) {
      // Triage is a file in .incidents/: edited by hand, by a pull request or by another window, it applies again.
      this.disposables.push(repository.onDidChange(() => void (this.raw && this.applyTriageFile())));
    }
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('incidentWorkbench.pathMappings')) {
          this.resolver.reset(readErrorsSettings().pathMappings);
          this.changed.fire();
        }
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.resolver.reset(readErrorsSettings().pathMappings)),
    );
  }

  cluster(idOrFingerprint: string): TriagedCluster | undefined {
    return this.report?.clusters.find((c) => c.id === idOrFingerprint || c.fingerprint === idOrFingerprint);
  }

  setReleaseFilter(release: string): void {
    this.releaseFilter = release.trim();
    this.changed.fire();
  }

  /** The triage file's text as last applied: an unrelated change under .incidents/ re-renders nothing. */
  private triageText: string | undefined;
  private appliedTo: ErrorReport | undefined;

  /** Reads `.incidents/triage.json` (if any) and applies it to the loaded report. */
  async applyTriageFile(): Promise<void> {
    const folder = this.repository?.folder ?? vscode.workspace.workspaceFolders?.[0];
    let triage: TriageFile | undefined;
    let problem: string | undefined;
    if (folder) {
      const uri = vscode.Uri.joinPath(folder.uri, triageFile());
      let bytes: Uint8Array | undefined;
      try {
        bytes = await vscode.workspace.fs.readFile(uri);
      } catch {
        bytes = undefined; // no triage yet
      }
      const text = bytes ? new TextDecoder('utf-8', { fatal: false }).decode(bytes) : undefined;
      if (text === this.triageText && this.appliedTo === this.raw) return;
      this.triageText = text;
      if (text !== undefined) {
        const parsed = parseTriage(text);
        triage = parsed.file;
        const p = parsed.problems[0];
        if (!triage) problem = `${triageFile()}${p ? `:${p.line}:${p.column}` : ''} is invalid${p ? ` (${p.message})` : ''}; triage is not applied until it is fixed`;
      }
    }
    if (problem && problem !== this.triageProblem) void reportError(this.log, problem, { notify: true, severity: 'warning' });
    this.triage = triage;
    this.triageProblem = problem;
    this.appliedTo = this.raw;
    if (this.raw) this.report = applyTriage(this.raw, triage, Date.now());
    this.changed.fire();
  }

  setFilter(text: string): void {
    this.filter = text.trim();
    this.changed.fire();
  }

  visibleClusters(): TriagedCluster[] {
    const all = this.report?.clusters ?? [];
    const inRelease = this.releaseFilter ? all.filter((c) => c.releases?.some((r) => r.name === this.releaseFilter)) : all;
    // Ignored clusters go last (still there to un-ignore); the rest keep their order.
    const clusters = inRelease.some((c) => c.triage?.ignored) ? [...inRelease.filter((c) => !c.triage?.ignored), ...inRelease.filter((c) => c.triage?.ignored)] : inRelease;
    const q = this.filter.toLowerCase();
    if (!q) return clusters;
    return clusters.filter((c) =>
      [c.exceptionType, c.template, c.category, c.id, ...c.services.map((s) => s.value), ...c.endpoints.map((s) => s.value), ...c.frames.flatMap((f) => [f.function, f.file])]
        .join('\n')
        .toLowerCase()
        .includes(q),
    );
  }

  async load(paths: string[], options: { quiet?: boolean } = {}): Promise<LoadSummary | undefined> {
    return this.run(() => this.doLoad(paths, options));
  }

  /** Error events of a log store's window: only they travel; the store filters. */
  async loadStore(config: LogStoreConfig, store: LogStore, window: TimeWindow, options: { quiet?: boolean; limit?: number } = {}): Promise<LoadSummary | undefined> {
    return this.run(() => this.doLoadStore(config, store, window, options));
  }

  private async doLoadStore(config: LogStoreConfig, store: LogStore, window: TimeWindow, options: { quiet?: boolean; limit?: number }): Promise<LoadSummary | undefined> {
    const settings = readErrorsSettings();
    const title = `Error events from ${config.name} (${describeWindow(window)})`;
    return withCancellableProgress(title, async (progress, signal) => {
      let last = 0;
      try {
        const result = await errorsFromStore(store, {
          window,
          query: config.query,
          fields: { ...settings.fields, ...config.fields },
          groupingRules: settings.groupingRules,
          categoryRules: settings.categoryRules,
          problems: settings.problems,
          signal,
          ...(options.limit !== undefined ? { limit: options.limit } : {}),
          onProgress: (p) => {
            if (p.bytes - last < 256 * 1024) return;
            last = p.bytes;
            progress.report({ message: `${p.phase}: ${formatCount(p.lines ?? 0)} lines, ${formatCount(Math.round(p.bytes / 1024))} KB` });
          },
        });
        this.raw = result.report;
        this.report = result.report;
        if (this.releaseFilter && !result.report.releases.some((r) => r.name === this.releaseFilter)) this.releaseFilter = '';
        await this.applyTriageFile();
        this.files = new Map();
        this.sources = [];
        this.loadErrors = [];
        this.storeSource = { ...result.source, name: config.name, window };
        if (result.cut) void reportError(this.log, `${config.name}: ${result.report.problems[result.report.problems.length - 1]}.`, { notify: !options.quiet, severity: 'warning' });
        return { events: result.report.events, clusters: result.report.clusters.length, lines: result.report.lines, skipped: 0, files: [config.name], errors: [], source: result.source };
      } catch (e) {
        if (e instanceof LogStoreError && e.kind === 'cancelled') return { events: 0, clusters: 0, lines: 0, skipped: 0, files: [], errors: [], cancelled: true };
        if (e instanceof IngestCancelled) return { events: 0, clusters: 0, lines: 0, skipped: 0, files: [], errors: [], cancelled: true };
        if (e instanceof LogStoreError) {
          void reportError(this.log, `${config.name}: ${e.message}`, { notify: !options.quiet });
          return { events: 0, clusters: 0, lines: 0, skipped: 0, files: [], errors: [{ path: config.name, message: e.message }] };
        }
        void reportError(this.log, `Loading logs from ${config.name} failed: ${errorMessage(e)}`, { notify: !options.quiet, cause: e });
        return undefined;
      }
    });
  }

  private async doLoad(paths: string[], options: { quiet?: boolean }): Promise<LoadSummary | undefined> {
    const settings = readErrorsSettings();
    this.resolver.reset(settings.pathMappings);
    const title = paths.length === 1 ? `Loading ${path.basename(paths[0]!)}` : `Loading ${paths.length} log sources`;
    return withCancellableProgress(title, async (progress, signal) => {
      try {
        const labels = new Map<string, string>();
        const result = await analyzeLogFilesParallel(paths, {
          workerScript: this.workerScript,
          fields: settings.fields,
          groupingRules: settings.groupingRules,
          categoryRules: settings.categoryRules,
          maxLineLength: settings.maxLineLength,
          problems: settings.problems,
          signal,
          label: this.labelInto(labels),
          onProgress: percentProgress(progress),
        });
        if (result.readAgain) this.log.info(`Logs read again on one thread: ${result.readAgain}.`);
        if (result.files.length === 0 && result.errors.length > 0) {
          const e = result.errors[0]!;
          void reportError(this.log, `Cannot load logs: ${e.path} ${e.message}.`, { notify: !options.quiet });
          return { events: 0, clusters: 0, lines: 0, skipped: 0, files: [], errors: result.errors };
        }
        this.raw = result.report;
        this.report = result.report;
        if (this.releaseFilter && !result.report.releases.some((r) => r.name === this.releaseFilter)) this.releaseFilter = '';
        await this.applyTriageFile();
        this.files = labels;
        this.sources = paths;
        this.storeSource = undefined;
        this.loadErrors = result.errors;
        await this.rememberSources(paths);
        const skipped = result.report.skipped.filter((s) => s.reason !== 'notUtf8' && s.reason !== 'truncatedTraceback').reduce((a, s) => a + s.count, 0);
        const summary: LoadSummary = {
          events: result.report.events,
          clusters: result.report.clusters.length,
          lines: result.report.lines,
          skipped,
          files: result.files,
          errors: result.errors,
        };
        for (const e of result.errors) void reportError(this.log, `${this.label(e.path)}: ${e.message}.`, { notify: !options.quiet, severity: 'warning' });
        for (const p of result.report.problems) void reportError(this.log, `Incident Workbench setting ignored: ${p}`, { notify: !options.quiet, severity: 'warning' });
        if (!options.quiet && result.report.skipped.some((s) => s.reason === 'notJson' || s.reason === 'binary' || s.reason === 'noFields' || s.reason === 'tooLong')) {
          void vscode.window.showInformationMessage(result.report.skipped.map((s) => s.message).join('; '));
        }
        return summary;
      } catch (e) {
        if (e instanceof IngestCancelled) return { events: 0, clusters: 0, lines: 0, skipped: 0, files: [], errors: [], cancelled: true };
        void reportError(this.log, `Loading logs failed: ${errorMessage(e)}`, { notify: !options.quiet, cause: e });
        return undefined;
      }
    });
  }

  /** One line over the tree: what was read and what was not. */
  message(): string | undefined {
    const r = this.report;
    if (!r) return this.loading ? 'Loading logs…' : undefined;
    const from = this.storeSource ? `${this.storeSource.name} (${describeWindow(this.storeSource.window)}${this.storeSource.exact ? '' : ', cut by the limit'})` : `${formatCount(r.lines)} lines`;
    const parts = [`${formatCount(r.events)} error events in ${formatCount(r.clusters.length)} clusters from ${from}`];
    const skipped = r.skipped.filter((s) => s.reason !== 'notUtf8' && s.reason !== 'truncatedTraceback');
    if (skipped.length) parts.push(skipped.map((s) => s.message).join('; '));
    if (this.filter) parts.push(`filter: "${this.filter}" (${this.visibleClusters().length} shown)`);
    if (this.releaseFilter) parts.push(`release ${this.releaseFilter} (${this.visibleClusters().length} clusters)`);
    else if (r.releases.length > 1) parts.push(`${r.releases.length} releases, latest ${r.releases[r.releases.length - 1]!.name}`);
    const ignored = r.clusters.filter((c) => (c as TriagedCluster).triage?.ignored).length;
    if (ignored) parts.push(`${ignored} ignored`);
    if (this.triageProblem) parts.push(this.triageProblem);
    return parts.join(' · ');
  }

  static readonly settings = ERRORS_SETTINGS;
}
