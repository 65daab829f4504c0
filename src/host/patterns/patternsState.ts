import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DeployMarker, PatternReport, PatternSummary } from '../../core/patterns/analyzer';
import { analyzePatternFilesParallel } from '../../node/patternsParallel';
import { PatternReadCancelled } from '../../core/patterns/reader';
import { IngestCancelled } from '../../core/logs/reader';
import { errorMessage } from '../../core/util/errors';
import { patternsMessage, visiblePatterns, type PatternSort } from '../../presenters/patterns';
import { reportError } from '../shared/reportError';
import { WorkspaceCallSites, type WorkspaceCallSite } from './callSites';
import { readPatternsSettings } from './settings';
import { patternsFromStore, type StoreSourceInfo } from '../../core/logstore/analyze';
import { LogStoreError, type LogStore, type TimeWindow } from '../../core/logstore/types';
import { describeWindow, type LogStoreConfig } from '../shared/logStores';
import { LogSourceState, percentProgress, withCancellableProgress } from '../shared/logSourceState';

const LAST_SOURCES = 'incidentWorkbench.patterns.lastSources';

function formatBytes(n: number): string {
  return n >= 1 << 20 ? `${(n / 2 ** 20).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}

export interface PatternsLoadSummary {
  patterns: number;
  records: number;
  lines: number;
  newPatterns: number;
  files: string[];
  errors: { path: string; message: string }[];
  skipped: string[];
  cancelled?: boolean;
  /** When read from a log store: what the store sent. */
  source?: StoreSourceInfo;
}

/**
 * The loaded pattern report, where it came from, and how the view shows it (filter, sort, the cut-off for
 * "what is new"); the logging calls matched to each pattern. Loading streams the files through core with a
 * cancellable progress notification; the sources are remembered per workspace.
 */
export class PatternsState extends LogSourceState<PatternReport, PatternsLoadSummary> {
  filter = '';
  sort: PatternSort = 'count';
  /** The log store the report came from, if any (then `sources` is empty). */
  storeSource: (StoreSourceInfo & { name: string; window: TimeWindow }) | undefined;
  /** undefined: the release field's deploy (if any); null: no cut-off. */
  cutoff: DeployMarker | null | undefined;
  private sites = new Map<string, WorkspaceCallSite[]>();
  private sitesFor: PatternReport | undefined;
  private matching: Promise<void> | undefined;

  constructor(
    memento: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
    readonly callSites: WorkspaceCallSites,
    private readonly extensionUri: vscode.Uri,
  ) {
    super(memento, LAST_SOURCES);
    this.disposables.push(
      callSites.onDidChange(() => {
        this.sitesFor = undefined;
        void this.matchCallSites();
      }),
    );
  }

  pattern(id: string): PatternSummary | undefined {
    return this.report?.patterns.find((p) => p.id === id);
  }

  visible(): PatternSummary[] {
    return visiblePatterns(this.report, this.filter, this.sort);
  }

  message(): string | undefined {
    if (!this.report) return this.loading ? 'Reading logs…' : undefined;
    const message = patternsMessage(this.report, this.filter, this.visible().length);
    const s = this.storeSource;
    return s ? `${message} · from ${s.name} (${describeWindow(s.window)}): counts ${s.exact ? 'exact (counted in the store)' : 'not exact'}, ${formatBytes(s.bytesTransferred)} transferred; samples and templates from a store sample` : message;
  }

  setFilter(text: string): void {
    this.filter = text.trim();
    this.changed.fire();
  }

  setSort(sort: PatternSort): void {
    this.sort = sort;
    this.changed.fire();
  }

  /** The logging calls behind a pattern (empty until matched; see `matchCallSites`). */
  callSitesOf(id: string): WorkspaceCallSite[] {
    return this.sites.get(id) ?? [];
  }

  /** Every matched logging call with the lines its patterns hold, for the code lenses. */
  callSiteCounts(): Map<string, { site: WorkspaceCallSite; count: number; patterns: PatternSummary[] }> {
    const out = new Map<string, { site: WorkspaceCallSite; count: number; patterns: PatternSummary[] }>();
    for (const p of this.report?.patterns ?? []) {
      for (const site of this.callSitesOf(p.id)) {
        const key = `${site.uri.toString()}#${site.line}`;
        const e = out.get(key);
        if (e) {
          e.count += p.count;
          e.patterns.push(p);
        } else out.set(key, { site, count: p.count, patterns: [p] });
      }
    }
    return out;
  }

  /** Matches every pattern's samples to the workspace's logging calls (once per report). */
  matchCallSites(): Promise<void> {
    const report = this.report;
    if (!report) return Promise.resolve();
    if (this.sitesFor === report && this.matching) return this.matching;
    this.sitesFor = report;
    this.matching = (async () => {
      const index = await this.callSites.index();
      const next = new Map<string, WorkspaceCallSite[]>();
      for (const p of report.patterns) {
        const found = index.matchPattern(p.samples.map((s) => s.message));
        const withUri = found.flatMap((s) => {
          const uri = this.callSites.uriOf(s);
          return uri ? [{ ...s, uri }] : [];
        });
        if (withUri.length) next.set(p.id, withUri);
      }
      if (this.report === report) {
        this.sites = next;
        this.changed.fire();
      }
    })();
    return this.matching;
  }

  async setCutoff(cutoff: DeployMarker | null | undefined): Promise<PatternsLoadSummary | undefined> {
    this.cutoff = cutoff;
    if (!this.sources.length) {
      this.changed.fire();
      return undefined;
    }
    return this.load(this.sources, { quiet: true });
  }

  async load(paths: string[], options: { quiet?: boolean } = {}): Promise<PatternsLoadSummary | undefined> {
    return this.run(() => this.doLoad(paths, options));
  }

  /** Patterns of a log store's window: templates mined on a store sample, every count made by the store. */
  async loadStore(config: LogStoreConfig, store: LogStore, window: TimeWindow, options: { quiet?: boolean } = {}): Promise<PatternsLoadSummary | undefined> {
    return this.run(() => this.doLoadStore(config, store, window, options));
  }

  private async doLoadStore(config: LogStoreConfig, store: LogStore, window: TimeWindow, options: { quiet?: boolean }): Promise<PatternsLoadSummary | undefined> {
    const settings = readPatternsSettings();
    const title = `Log patterns from ${config.name} (${describeWindow(window)})`;
    const empty: PatternsLoadSummary = { patterns: 0, records: 0, lines: 0, newPatterns: 0, files: [], errors: [], skipped: [] };
    return withCancellableProgress(title, async (progress, signal) => {
      let phase = '';
      try {
        const result = await patternsFromStore(store, {
          window,
          query: config.query,
          fields: { ...settings.fields, ...config.fields },
          userMasks: settings.masks,
          rules: settings.rules,
          maxSignatures: settings.maxPatterns,
          problems: settings.problems,
          signal,
          onProgress: (p) => {
            if (p.phase === phase && p.lines !== undefined && p.lines % 5000 !== 0) return;
            phase = p.phase;
            progress.report({ message: `${p.phase}${p.lines !== undefined ? `: ${p.lines.toLocaleString('en-US')} lines` : ''}` });
          },
        });
        this.report = result.report;
        this.files = new Map();
        this.sources = [];
        this.sites = new Map();
        this.storeSource = { ...result.source, name: config.name, window };
        void this.matchCallSites();
        for (const p of result.report.problems) void reportError(this.log, `${config.name}: ${p}`, { notify: !options.quiet, severity: 'warning' });
        return { ...empty, patterns: result.report.patterns.length, records: result.report.records, lines: result.report.lines, files: [config.name], source: result.source };
      } catch (e) {
        if (e instanceof LogStoreError && e.kind === 'cancelled') return { ...empty, cancelled: true };
        if (e instanceof IngestCancelled || e instanceof PatternReadCancelled) return { ...empty, cancelled: true };
        if (e instanceof LogStoreError) {
          void reportError(this.log, `${config.name}: ${e.message}`, { notify: !options.quiet });
          return { ...empty, errors: [{ path: config.name, message: e.message }] };
        }
        void reportError(this.log, `Finding log patterns in ${config.name} failed: ${errorMessage(e)}`, { notify: !options.quiet, cause: e });
        return undefined;
      }
    });
  }

  private async doLoad(paths: string[], options: { quiet?: boolean }): Promise<PatternsLoadSummary | undefined> {
    const settings = readPatternsSettings();
    const title = paths.length === 1 ? `Finding log patterns in ${path.basename(paths[0]!)}` : `Finding log patterns in ${paths.length} sources`;
    return withCancellableProgress(title, async (progress, signal) => {
      try {
        const labels = new Map<string, string>();
        const result = await analyzePatternFilesParallel(paths, {
          workerScript: vscode.Uri.joinPath(this.extensionUri, 'dist', 'patternsWorker.js').fsPath,
          fields: settings.fields,
          userMasks: settings.masks,
          userMaskRules: settings.maskRules,
          rules: settings.rules,
          maxSignatures: settings.maxPatterns,
          maxLineLength: settings.maxLineLength,
          problems: settings.problems,
          signal,
          ...(this.cutoff !== undefined ? { cutoff: this.cutoff } : {}),
          label: this.labelInto(labels),
          onProgress: percentProgress(progress),
        });
        if (result.files.length === 0 && result.errors.length > 0) {
          const e = result.errors[0]!;
          void reportError(this.log, `Cannot read logs: ${e.path} ${e.message}.`, { notify: !options.quiet });
          return { patterns: 0, records: 0, lines: 0, newPatterns: 0, files: [], errors: result.errors, skipped: [] };
        }
        this.report = result.report;
        this.files = labels;
        this.sources = paths;
        this.storeSource = undefined;
        this.sites = new Map();
        await this.rememberSources(paths);
        void this.matchCallSites();
        const skipped = result.report.skipped.map((s) => s.message);
        for (const e of result.errors) void reportError(this.log, `${this.label(e.path)}: ${e.message}.`, { notify: !options.quiet, severity: 'warning' });
        for (const p of result.report.problems) void reportError(this.log, `Incident Workbench setting ignored: ${p}`, { notify: !options.quiet, severity: 'warning' });
        if (result.report.capped) this.log.warn(`Patterns: the table is full (${result.report.signatures} distinct messages); ${result.report.capped} lines were counted with the closest kept message. Raise incidentWorkbench.patterns.maxPatterns to keep more.`);
        if (!options.quiet && result.report.skipped.some((s) => s.reason === 'binary' || s.reason === 'tooLong' || s.reason === 'noFields')) {
          void vscode.window.showInformationMessage(skipped.join('; '));
        }
        return {
          patterns: result.report.patterns.length,
          records: result.report.records,
          lines: result.report.lines,
          newPatterns: result.report.patterns.filter((p) => p.isNew).length,
          files: result.files,
          errors: result.errors,
          skipped,
        };
      } catch (e) {
        if (e instanceof IngestCancelled || e instanceof PatternReadCancelled) return { patterns: 0, records: 0, lines: 0, newPatterns: 0, files: [], errors: [], skipped: [], cancelled: true };
        void reportError(this.log, `Finding log patterns failed: ${errorMessage(e)}`, { notify: !options.quiet, cause: e });
        return undefined;
      }
    });
  }
}
