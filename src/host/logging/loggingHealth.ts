import * as vscode from 'vscode';
import { RULES } from '../../core/logging/rules';
import type { TreeSection } from '../shared/treeSection';
import type { FileHealth, LoggingLinter, LoggingHealthSummary } from './loggingLinter';

/** Nodes of the Incidents view's "Logging health" branch (the tree delegates them here). */
export type LoggingHealthNode = { kind: 'loggingHealth' } | { kind: 'loggingFile'; file: FileHealth } | { kind: 'loggingScan' };

const MAX_FILES = 100;

/**
 * The logging linter's findings, one node per file (most errors first), for the Incidents view: a summary of
 * how debuggable the code's logging is next to the incidents it will have to explain.
 */
export class LoggingHealth implements TreeSection<LoggingHealthNode>, vscode.Disposable {
  private readonly root: LoggingHealthNode = { kind: 'loggingHealth' };
  private summaryCache: LoggingHealthSummary | undefined;
  readonly onDidChange: vscode.Event<void>;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly linter: LoggingLinter) {
    this.onDidChange = linter.onDidChange;
    this.subscription = linter.onDidChange(() => (this.summaryCache = undefined));
  }

  summary(): LoggingHealthSummary {
    this.summaryCache ??= this.linter.summary();
    return this.summaryCache;
  }

  roots(): LoggingHealthNode[] {
    return [this.root];
  }

  parent(node: LoggingHealthNode): LoggingHealthNode | undefined {
    return node.kind === 'loggingHealth' ? undefined : this.root;
  }

  children(node: LoggingHealthNode): LoggingHealthNode[] {
    if (node.kind !== 'loggingHealth') return [];
    const s = this.summary();
    const files: LoggingHealthNode[] = s.files.slice(0, MAX_FILES).map((file) => ({ kind: 'loggingFile', file }));
    return s.scannedAt ? files : [...files, { kind: 'loggingScan' }];
  }

  treeItem(node: LoggingHealthNode): vscode.TreeItem {
    if (node.kind === 'loggingHealth') {
      const { totals, scannedAt } = this.summary();
      const counts = `${totals.findings} finding${totals.findings === 1 ? '' : 's'} in ${totals.files} file${totals.files === 1 ? '' : 's'}`;
      const what = 'prints, errors without traceback, swallowed exceptions, missing request context, secrets in logs';
      if (!scannedAt && totals.findings === 0) {
        // Nothing checked yet says nothing about the code: offer the scan rather than a green "no findings".
        const item = new vscode.TreeItem('Logging health', vscode.TreeItemCollapsibleState.None);
        item.id = 'loggingHealth';
        item.description = 'not scanned yet · click to scan';
        item.iconPath = new vscode.ThemeIcon('search');
        item.tooltip = `The workspace's Python files have not been checked yet. Click to scan them for ${what}.`;
        item.command = { command: 'incidentWorkbench.scanWorkspaceLogging', title: 'Scan Workspace Logging' };
        item.contextValue = 'loggingHealth';
        return item;
      }
      const item = new vscode.TreeItem('Logging health', totals.findings ? vscode.TreeItemCollapsibleState.Collapsed : scannedAt ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Collapsed);
      item.id = 'loggingHealth';
      item.description = scannedAt ? (totals.findings ? counts : 'no findings') : `${counts} · open files only, not scanned yet`;
      item.iconPath = scannedAt && totals.findings === 0 ? new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')) : new vscode.ThemeIcon(totals.errors ? 'output' : 'warning', new vscode.ThemeColor(totals.errors ? 'list.errorForeground' : 'list.warningForeground'));
      item.tooltip = scannedAt ? `Logging findings of the workspace's Python files (scanned ${scannedAt}): ${what}.` : `Findings in the files opened so far; the workspace has not been scanned yet (expand for Scan workspace logging…): ${what}.`;
      item.contextValue = 'loggingHealth';
      return item;
    }
    if (node.kind === 'loggingScan') {
      const item = new vscode.TreeItem('Scan workspace logging…', vscode.TreeItemCollapsibleState.None);
      item.id = 'loggingHealth:scan';
      item.iconPath = new vscode.ThemeIcon('search');
      item.command = { command: 'incidentWorkbench.scanWorkspaceLogging', title: 'Scan Workspace Logging' };
      return item;
    }
    const f = node.file;
    const item = new vscode.TreeItem(f.path.split('/').pop() ?? f.path, vscode.TreeItemCollapsibleState.None);
    item.id = `loggingHealth:${f.uri.toString()}`;
    item.resourceUri = f.uri;
    const parts = [f.errors && `${f.errors} error${f.errors === 1 ? '' : 's'}`, f.warnings && `${f.warnings} warning${f.warnings === 1 ? '' : 's'}`, f.other && `${f.other} info`].filter(Boolean);
    item.description = `${parts.join(' · ')} — ${f.path}`;
    item.iconPath = new vscode.ThemeIcon(f.errors ? 'error' : f.warnings ? 'warning' : 'info', new vscode.ThemeColor(f.errors ? 'list.errorForeground' : f.warnings ? 'list.warningForeground' : 'foreground'));
    const tooltip = new vscode.MarkdownString(undefined, false);
    tooltip.appendText(`${f.path}\n\n`);
    for (const [rule, n] of Object.entries(f.byRule)) tooltip.appendText(`${n} × ${rule} — ${RULES[rule as keyof typeof RULES].title}\n`);
    item.tooltip = tooltip;
    const at = new vscode.Position(f.first.line - 1, f.first.column - 1);
    item.command = { command: 'vscode.open', title: 'Open', arguments: [f.uri, { selection: new vscode.Range(at, at) }] };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
