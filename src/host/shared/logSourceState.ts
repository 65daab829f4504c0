import * as path from 'node:path';
import * as vscode from 'vscode';

/** A load's progress notification: the fraction of bytes read so far, reported in whole percent steps. */
export type FileProgress = (done: number, total: number, file: string) => void;

/**
 * Runs `work` under a cancellable progress notification; Cancel aborts the signal it gets. Reading logs
 * streams through core, so the signal is all that is needed to stop it.
 */
export function withCancellableProgress<T>(
  title: string,
  work: (progress: vscode.Progress<{ message?: string; increment?: number }>, signal: AbortSignal) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => ac.abort());
    try {
      return await work(progress, ac.signal);
    } finally {
      sub.dispose();
    }
  });
}

/** Reports a file read's progress as "file (42%)", once per whole percent. */
export function percentProgress(progress: vscode.Progress<{ message?: string; increment?: number }>): FileProgress {
  let reported = 0;
  return (done, total, file) => {
    const pct = total > 0 ? Math.floor((done / total) * 100) : 0;
    if (pct > reported) {
      progress.report({ increment: pct - reported, message: `${file} (${pct}%)` });
      reported = pct;
    }
  };
}

/**
 * What the views that read log files share (errors, patterns): the report loaded, the files it came from
 * by the label shown for each, loads run one after another, and the sources remembered per workspace and
 * read again the first time the view is shown in a new session.
 */
export abstract class LogSourceState<Report, Summary> implements vscode.Disposable {
  protected readonly changed = new vscode.EventEmitter<void>();
  /** The report or how it is shown changed: trees and lenses render again. */
  readonly onDidChange = this.changed.event;
  private readonly loadingChanged = new vscode.EventEmitter<void>();
  /**
   * A load started or ended. Apart from onDidChange so that the end of a load does not render the tree a
   * second time: a tree rendered again drops the nodes a context menu opened on a moment before.
   */
  readonly onDidChangeLoading = this.loadingChanged.event;
  report: Report | undefined;
  sources: string[] = [];
  /** Absolute paths of the files read, by the label used in the report. */
  protected files = new Map<string, string>();
  protected loading: Promise<Summary | undefined> | undefined;
  private restored = false;
  protected readonly disposables: vscode.Disposable[] = [this.changed, this.loadingChanged];

  constructor(
    protected readonly memento: vscode.Memento,
    private readonly lastSourcesKey: string,
  ) {}

  abstract load(paths: string[], options?: { quiet?: boolean }): Promise<Summary | undefined>;

  get lastSources(): string[] {
    const v = this.memento.get<unknown>(this.lastSourcesKey);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  }

  protected rememberSources(paths: string[]): Thenable<void> {
    return this.memento.update(this.lastSourcesKey, paths);
  }

  get isLoading(): boolean {
    return this.loading !== undefined;
  }

  /** On first show: re-read the sources of the last session, if there were any. */
  restore(): void {
    if (this.restored || this.report || this.loading) return;
    this.restored = true;
    const last = this.lastSources;
    if (last.length) void this.load(last, { quiet: true });
  }

  /** Display label of an absolute path: workspace-relative when inside the workspace. */
  label(fsPath: string): string {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(fsPath));
    return folder ? path.relative(folder.uri.fsPath, fsPath) || path.basename(fsPath) : fsPath;
  }

  /** A label function for core's readers that also records which file each label stands for. */
  protected labelInto(labels: Map<string, string>): (fsPath: string) => string {
    return (p) => {
      const l = this.label(p);
      labels.set(l, p);
      return l;
    };
  }

  fileOf(label: string): string | undefined {
    return this.files.get(label);
  }

  /** Loads one after another: a load waits for the one running, and the view shows "loading" meanwhile. */
  protected async run(load: () => Promise<Summary | undefined>): Promise<Summary | undefined> {
    if (this.loading) await this.loading.catch(() => undefined);
    const run = load();
    this.loading = run;
    this.loadingChanged.fire();
    try {
      return await run;
    } finally {
      this.loading = undefined;
      this.loadingChanged.fire();
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
