import * as vscode from 'vscode';
import type { PatternSample, PatternSummary } from '../../core/patterns/analyzer';
import { levelMix } from '../../core/patterns/present';
import { patternRow } from '../../presenters/patterns';
import type { WorkspaceCallSite } from './callSites';
import type { PatternsState } from './patternsState';

export type PatternsNode =
  | { kind: 'pattern'; pattern: PatternSummary }
  | { kind: 'site'; pattern: PatternSummary; site: WorkspaceCallSite; index: number }
  | { kind: 'noSite'; pattern: PatternSummary }
  | { kind: 'sample'; pattern: PatternSummary; sample: PatternSample; index: number }
  | { kind: 'info'; pattern: PatternSummary; text: string; icon: string; index: number }
  | { kind: 'empty'; text: string };

/**
 * Log patterns, biggest first (or by change, or newest): the template with its count, share and a
 * sparkline; children are the logging calls that wrote it (click opens the line), its level mix and time
 * span, and sample lines (click opens the log at the line).
 */
export class PatternsTreeProvider implements vscode.TreeDataProvider<PatternsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<PatternsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private readonly nodes = new Map<string, PatternsNode>();

  constructor(private readonly state: PatternsState) {
    this.subscription = state.onDidChange(() => {
      this.nodes.clear();
      this.changed.fire(undefined);
    });
  }

  getChildren(node?: PatternsNode): PatternsNode[] {
    if (!node) {
      this.state.restore();
      if (!this.state.report) return [];
      const list = this.state.visible();
      if (list.length === 0) return [{ kind: 'empty', text: this.state.filter ? `No pattern matches "${this.state.filter}"` : 'No log records in these files' }];
      return list.map((pattern) => this.remember({ kind: 'pattern', pattern }));
    }
    if (node.kind !== 'pattern') return [];
    const p = node.pattern;
    const sites = this.state.callSitesOf(p.id);
    const out: PatternsNode[] = sites.length ? sites.map((site, index) => this.remember({ kind: 'site', pattern: p, site, index })) : [this.remember({ kind: 'noSite', pattern: p })];
    out.push(this.remember({ kind: 'info', pattern: p, text: `Levels: ${levelMix(p.levels)}`, icon: 'symbol-enum', index: 0 }));
    out.push(this.remember({ kind: 'info', pattern: p, text: p.firstSeen ? `First ${p.firstSeen.replace('T', ' ').slice(0, 19)}, last ${p.lastSeen!.replace('T', ' ').slice(0, 19)} UTC` : 'No timestamps', icon: 'calendar', index: 1 }));
    if (p.services.length) out.push(this.remember({ kind: 'info', pattern: p, text: `Services: ${p.services.map((s) => `${s.value} (${s.count})`).join(', ')}`, icon: 'server', index: 2 }));
    p.samples.forEach((sample, index) => out.push(this.remember({ kind: 'sample', pattern: p, sample, index })));
    return out;
  }

  private id(node: PatternsNode): string {
    switch (node.kind) {
      case 'pattern':
        return node.pattern.id;
      case 'site':
        return `${node.pattern.id}/site/${node.index}`;
      case 'noSite':
        return `${node.pattern.id}/nosite`;
      case 'sample':
        return `${node.pattern.id}/sample/${node.index}`;
      case 'info':
        return `${node.pattern.id}/info/${node.index}`;
      case 'empty':
        return 'empty';
    }
  }

  private remember(node: PatternsNode): PatternsNode {
    const id = this.id(node);
    const known = this.nodes.get(id);
    if (known) return known;
    this.nodes.set(id, node);
    return node;
  }

  /** The pattern's node, for reveal (undefined when filtered out). */
  patternNode(id: string): PatternsNode | undefined {
    if (!this.nodes.size) this.getChildren();
    return this.nodes.get(id);
  }

  getParent(node: PatternsNode): PatternsNode | undefined {
    return node.kind === 'pattern' || node.kind === 'empty' ? undefined : this.nodes.get(node.pattern.id);
  }

  getTreeItem(node: PatternsNode): vscode.TreeItem {
    switch (node.kind) {
      case 'pattern': {
        const row = patternRow(node.pattern);
        const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = this.id(node);
        item.description = row.description;
        const md = new vscode.MarkdownString();
        for (const line of row.tooltip) {
          md.appendText(line);
          md.appendMarkdown('\n\n');
        }
        item.tooltip = md;
        item.iconPath = new vscode.ThemeIcon(row.badge === 'new' ? 'sparkle' : row.badge === 'jumped' ? 'arrow-up' : (node.pattern.levels.ERROR ?? 0) + (node.pattern.levels.CRITICAL ?? 0) > node.pattern.count / 2 ? 'error' : 'list-flat', row.badge ? new vscode.ThemeColor('charts.orange') : undefined);
        item.contextValue = 'logPattern';
        item.accessibilityInformation = { label: `${row.label}, ${row.description}` };
        return item;
      }
      case 'site': {
        const item = new vscode.TreeItem(`${node.site.file}:${node.site.line}`, vscode.TreeItemCollapsibleState.None);
        item.id = this.id(node);
        item.description = `logger.${node.site.method}("${node.site.template.length > 60 ? `${node.site.template.slice(0, 59)}…` : node.site.template}")`;
        item.iconPath = new vscode.ThemeIcon('go-to-file');
        item.tooltip = `Open the logging call that writes this pattern: ${node.site.file}:${node.site.line}`;
        item.command = { command: 'incidentWorkbench.openPatternCallSite', title: 'Open Logging Call', arguments: [node.pattern.id, node.index] };
        item.contextValue = 'logPatternCallSite';
        return item;
      }
      case 'noSite': {
        const item = new vscode.TreeItem('No logging call in this workspace matches', vscode.TreeItemCollapsibleState.None);
        item.id = this.id(node);
        item.iconPath = new vscode.ThemeIcon('question');
        item.tooltip = 'Python files of the workspace are searched for logger.<level>("…") calls whose message can produce these lines.';
        return item;
      }
      case 'sample': {
        const text = node.sample.message.length > 200 ? `${node.sample.message.slice(0, 199)}…` : node.sample.message;
        const item = new vscode.TreeItem(text || '(empty)', vscode.TreeItemCollapsibleState.None);
        item.id = this.id(node);
        item.description = `${node.sample.source}:${node.sample.line}`;
        item.iconPath = new vscode.ThemeIcon('note');
        item.tooltip = `${node.sample.timestamp ?? ''} ${node.sample.level ?? ''} ${node.sample.message}`.trim();
        item.command = { command: 'incidentWorkbench.openPatternSample', title: 'Open Log Line', arguments: [node.pattern.id, node.index] };
        return item;
      }
      case 'info': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.id = this.id(node);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        return item;
      }
      case 'empty': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('info');
        return item;
      }
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
