import * as vscode from 'vscode';
import { IncidentStore, type IncidentEntry } from '../../core/store/incidentStore';
import { INCIDENTS_FOLDER } from '../../core/store/layout';
import { WorkspaceFileSystem } from './workspaceFileSystem';

/**
 * The workspace's `.incidents/` store plus change notification. Incidents live in the first workspace
 * folder: one place per repository, the one a pull request shows.
 */
export class IncidentRepository implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private cache: Promise<IncidentEntry[]> | undefined;
  private debounce: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    // The watcher is created lazily-cheap: it only filters events, no file is read until a view asks.
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${INCIDENTS_FOLDER}/**`);
    const fire = () => this.invalidate();
    this.disposables.push(
      watcher,
      watcher.onDidCreate(fire),
      watcher.onDidChange(fire),
      watcher.onDidDelete(fire),
      vscode.workspace.onDidChangeWorkspaceFolders(fire),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('incidentWorkbench.maxIncidentFileSizeMB')) fire();
      }),
    );
  }

  get folder(): vscode.WorkspaceFolder | undefined {
    return vscode.workspace.workspaceFolders?.[0];
  }

  /** The store, or undefined when no folder is open (the caller explains that to the user). */
  store(): IncidentStore | undefined {
    const folder = this.folder;
    if (!folder) return undefined;
    const maxMb = vscode.workspace.getConfiguration('incidentWorkbench').get<number>('maxIncidentFileSizeMB', 5);
    return new IncidentStore(new WorkspaceFileSystem(folder.uri), { maxFileBytes: Math.max(0.1, maxMb) * 1024 * 1024 });
  }

  uri(path: string): vscode.Uri | undefined {
    const folder = this.folder;
    return folder ? new WorkspaceFileSystem(folder.uri).uri(path) : undefined;
  }

  /** All incidents, read once per change burst however many views ask. */
  list(): Promise<IncidentEntry[]> {
    this.cache ??= (this.store()?.list() ?? Promise.resolve([])).catch((e: unknown) => {
      this.cache = undefined;
      throw e;
    });
    return this.cache;
  }

  /** Drops the cache now, and tells listeners once a burst of file events has settled. */
  invalidate(): void {
    this.cache = undefined;
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.changed.fire(), 100);
  }

  dispose(): void {
    clearTimeout(this.debounce);
    for (const d of this.disposables) d.dispose();
  }
}
