import * as vscode from 'vscode';
import { WorkspaceCallSites } from './callSites';
import { CallSiteLenses } from './callSiteLenses';
import { PatternsState } from './patternsState';
import { PatternsTreeProvider, type PatternsNode } from './patternsTree';

/** The Patterns view, its state and the code lenses, built once in `activate` (no I/O there). */
export class PatternsFeature implements vscode.Disposable {
  readonly state: PatternsState;
  readonly tree: PatternsTreeProvider;
  readonly view: vscode.TreeView<PatternsNode>;
  readonly lenses: CallSiteLenses;
  readonly callSites: WorkspaceCallSites;
  private readonly disposables: vscode.Disposable[];

  constructor(extensionUri: vscode.Uri, workspaceState: vscode.Memento, log: vscode.LogOutputChannel) {
    this.callSites = new WorkspaceCallSites(extensionUri, log);
    this.state = new PatternsState(workspaceState, log, this.callSites, extensionUri);
    this.tree = new PatternsTreeProvider(this.state);
    this.view = vscode.window.createTreeView('incidentWorkbench.patterns', { treeDataProvider: this.tree, showCollapseAll: true });
    this.lenses = new CallSiteLenses(this.state);
    this.disposables = [
      this.callSites,
      this.state,
      this.tree,
      this.view,
      this.lenses,
      vscode.languages.registerCodeLensProvider({ language: 'python' }, this.lenses),
      this.state.onDidChange(() => this.showState()),
      this.state.onDidChangeLoading(() => this.showState()),
    ];
  }

  /** The line over the tree, its description and the context keys of the view's menus. */
  private showState(): void {
    this.view.message = this.state.message();
    const sort = this.state.sort === 'count' ? '' : `by ${this.state.sort}`;
    this.view.description = [this.state.filter ? `filter: ${this.state.filter}` : '', sort].filter(Boolean).join(' · ') || undefined;
    void vscode.commands.executeCommand('setContext', 'incidentWorkbench.patternsLoaded', this.state.report !== undefined);
    void vscode.commands.executeCommand('setContext', 'incidentWorkbench.patternsFiltered', this.state.filter !== '');
  }

  async reveal(id: string, options: { focus?: boolean } = {}): Promise<boolean> {
    const node = this.tree.patternNode(id);
    if (!node) return false;
    await this.view.reveal(node, { select: true, focus: options.focus ?? false, expand: true });
    return true;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
