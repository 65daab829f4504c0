import * as vscode from 'vscode';
import { ErrorsTreeProvider, type ErrorsNode } from './errorsTree';
import { ErrorLenses } from './errorLenses';
import { ErrorsState } from './errorsState';
import type { IncidentRepository } from '../shared/incidentRepository';

/**
 * Everything the Errors view needs, built once in `activate` (no I/O there: the last sources are re-read
 * only when the view is first shown).
 */
export class ErrorsFeature implements vscode.Disposable {
  readonly state: ErrorsState;
  readonly tree: ErrorsTreeProvider;
  readonly view: vscode.TreeView<ErrorsNode>;
  readonly lenses: ErrorLenses;
  private readonly disposables: vscode.Disposable[];

  constructor(workspaceState: vscode.Memento, log: vscode.LogOutputChannel, repository?: IncidentRepository, extensionUri?: vscode.Uri) {
    this.state = new ErrorsState(workspaceState, log, repository, extensionUri && vscode.Uri.joinPath(extensionUri, 'dist', 'errorsWorker.js').fsPath);
    this.tree = new ErrorsTreeProvider(this.state);
    this.view = vscode.window.createTreeView('incidentWorkbench.errors', { treeDataProvider: this.tree, showCollapseAll: true });
    this.lenses = new ErrorLenses(this.state);
    const files: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'vscode-remote' }];
    this.disposables = [
      this.state,
      this.tree,
      this.view,
      this.lenses,
      vscode.window.registerFileDecorationProvider(this.tree),
      vscode.languages.registerCodeLensProvider(files, this.lenses),
      vscode.languages.registerHoverProvider(files, this.lenses),
      this.state.onDidChange(() => this.showState()),
      this.state.onDidChangeLoading(() => this.showState()),
    ];
  }

  /** The line over the tree, its description and the context keys of the view's menus. */
  private showState(): void {
    this.view.message = this.state.message();
    this.view.description = [this.state.releaseFilter ? `release ${this.state.releaseFilter}` : '', this.state.filter ? `filter: ${this.state.filter}` : ''].filter(Boolean).join(' · ') || undefined;
    void vscode.commands.executeCommand('setContext', 'incidentWorkbench.errorsLoaded', this.state.report !== undefined);
    void vscode.commands.executeCommand('setContext', 'incidentWorkbench.errorsFiltered', this.state.filter !== '' || this.state.releaseFilter !== '');
    void vscode.commands.executeCommand('setContext', 'incidentWorkbench.errorsReleases', (this.state.report?.releases.length ?? 0) > 0);
  }

  async reveal(idOrFingerprint: string, options: { focus?: boolean } = {}): Promise<boolean> {
    const node = this.tree.clusterNode(idOrFingerprint);
    if (!node) return false;
    await this.view.reveal(node, { select: true, focus: options.focus ?? false, expand: true });
    return true;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
