import * as vscode from 'vscode';
import type { ClusterSummary, ReportException, ReportFrame, ReportSample } from '../../core/errors/analyzer';
import { ratePerRelease, type LogRelease } from '../../core/errors/releases';
import type { TriagedCluster } from '../../core/triage/triage';
import { clusterTitle } from '../../core/errors/report';
import { basename } from '../../core/errors/fingerprint';
import type { ClusterPattern } from '../../core/errors/patterns';
import type { ErrorsState } from './errorsState';
import { FrameResolver } from './frameResolver';

export type ErrorsNode =
  | { kind: 'cluster'; cluster: ClusterSummary; releases?: LogRelease[] }
  | { kind: 'frame'; cluster: ClusterSummary; frame: ReportFrame; key: string }
  | { kind: 'cause'; cluster: ClusterSummary; exception: ReportException; index: number }
  | { kind: 'section'; cluster: ClusterSummary; section: 'samples' | 'patterns' | 'why' }
  | { kind: 'sample'; cluster: ClusterSummary; sample: ReportSample; index: number }
  | { kind: 'pattern'; cluster: ClusterSummary; pattern: ClusterPattern; index: number }
  | { kind: 'text'; cluster: ClusterSummary; text: string; index: number; icon: string }
  | { kind: 'empty'; text: string };

export const DIM_SCHEME = 'iwb-errors-frame';
/** Cluster items carry this scheme so their status shows as a badge (N new, R regressed, I ignored). */
export const STATUS_SCHEME = 'iwb-errors-status';

const CATEGORY_ICON: Record<string, string> = {
  input_validation: 'symbol-parameter',
  model_inference: 'hubot',
  infrastructure: 'server-environment',
  resource_exhaustion: 'dashboard',
  third_party: 'plug',
  unknown: 'question',
};

function when(iso: string | undefined, withDate: boolean): string {
  if (!iso) return '?';
  return withDate ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
}

/** When the cluster's events happened, e.g. "02:50–02:56 UTC" (with the dates when they differ). */
export function clusterDescription(c: ClusterSummary): string {
  const sameDay = c.firstSeen?.slice(0, 10) === c.lastSeen?.slice(0, 10);
  return c.firstSeen ? `${when(c.firstSeen, !sameDay)}–${when(c.lastSeen, !sameDay)} UTC` : '';
}

/**
 * The count comes first: at the default sidebar width a long exception message is cut at the end, and the
 * count is what ranks the clusters.
 */
export function clusterLabel(c: ClusterSummary): string {
  return `${c.count.toLocaleString('en-US')} × ${clusterTitle(c)}`;
}

/** Frames of the raised exception, the raising frame first (most recent call first, as a debugger shows). */
function framesOf(e: { frames: ReportFrame[] }): ReportFrame[] {
  return [...e.frames].reverse();
}

/**
 * Error clusters of the loaded logs, biggest first. Children: the raised exception's frames (click opens
 * the workspace file at the line; frames outside the workspace are dimmed), its causes, samples, patterns,
 * and why the events are together.
 */
export class ErrorsTreeProvider implements vscode.TreeDataProvider<ErrorsNode>, vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ErrorsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly decorationsChanged = new vscode.EventEmitter<vscode.Uri[] | undefined>();
  readonly onDidChangeFileDecorations = this.decorationsChanged.event;
  private readonly subscription: vscode.Disposable;
  private readonly nodes = new Map<string, ErrorsNode>();

  constructor(private readonly state: ErrorsState) {
    this.subscription = state.onDidChange(() => {
      this.nodes.clear();
      this.changed.fire(undefined);
    });
  }

  getChildren(node?: ErrorsNode): ErrorsNode[] {
    if (!node) {
      this.state.restore();
      if (!this.state.report) return [];
      const report = this.state.report;
      const clusters = this.state.visibleClusters();
      if (clusters.length === 0) {
        if (this.state.releaseFilter && !this.state.filter) return [{ kind: 'empty', text: `No cluster in release ${this.state.releaseFilter}` }];
        return [{ kind: 'empty', text: this.state.filter ? `No cluster matches "${this.state.filter}"` : `No error events in ${report.lines.toLocaleString('en-US')} lines` }];
      }
      return clusters.map((cluster) => this.remember({ kind: 'cluster', cluster, releases: report.releases }));
    }
    switch (node.kind) {
      case 'cluster': {
        const out: ErrorsNode[] = framesOf(node.cluster).map((frame, i) => this.remember({ kind: 'frame', cluster: node.cluster, frame, key: `p${i}` }));
        node.cluster.chain.slice(0, -1).reverse().forEach((exception, i) => out.push(this.remember({ kind: 'cause', cluster: node.cluster, exception, index: i })));
        out.push(this.remember({ kind: 'section', cluster: node.cluster, section: 'samples' }));
        if (node.cluster.patterns.length) out.push(this.remember({ kind: 'section', cluster: node.cluster, section: 'patterns' }));
        out.push(this.remember({ kind: 'section', cluster: node.cluster, section: 'why' }));
        return out;
      }
      case 'cause':
        return framesOf(node.exception).map((frame, i) => this.remember({ kind: 'frame', cluster: node.cluster, frame, key: `c${node.index}-${i}` }));
      case 'section':
        if (node.section === 'samples') return node.cluster.samples.map((sample, index) => this.remember({ kind: 'sample', cluster: node.cluster, sample, index }));
        if (node.section === 'patterns') return node.cluster.patterns.map((pattern, index) => this.remember({ kind: 'pattern', cluster: node.cluster, pattern, index }));
        return [
          ...node.cluster.reason.map((text, index) => this.remember({ kind: 'text', cluster: node.cluster, text, index, icon: 'link' })),
          this.remember({ kind: 'text', cluster: node.cluster, text: `Category ${node.cluster.category}: ${node.cluster.hypothesis}`, index: 100, icon: 'lightbulb' }),
          ...node.cluster.actionItems.map((text, i) => this.remember({ kind: 'text', cluster: node.cluster, text: `Suggested: ${text}`, index: 101 + i, icon: 'checklist' })),
        ];
      default:
        return [];
    }
  }

  private id(node: ErrorsNode): string {
    switch (node.kind) {
      case 'cluster':
        return node.cluster.fingerprint;
      case 'frame':
        return `${node.cluster.fingerprint}/f/${node.key}`;
      case 'cause':
        return `${node.cluster.fingerprint}/c/${node.index}`;
      case 'section':
        return `${node.cluster.fingerprint}/s/${node.section}`;
      case 'sample':
        return `${node.cluster.fingerprint}/sample/${node.index}`;
      case 'pattern':
        return `${node.cluster.fingerprint}/p/${node.index}`;
      case 'text':
        return `${node.cluster.fingerprint}/t/${node.index}`;
      case 'empty':
        return 'empty';
    }
  }

  private remember(node: ErrorsNode): ErrorsNode {
    this.nodes.set(this.id(node), node);
    return node;
  }

  /** The tree node of a cluster (for reveal from code lenses and the details panel). */
  clusterNode(idOrFingerprint: string): ErrorsNode | undefined {
    const c = this.state.cluster(idOrFingerprint);
    return c ? (this.nodes.get(c.fingerprint) ?? this.remember({ kind: 'cluster', cluster: c, ...(this.state.report ? { releases: this.state.report.releases } : {}) })) : undefined;
  }

  getParent(node: ErrorsNode): ErrorsNode | undefined {
    if (node.kind === 'cluster' || node.kind === 'empty') return undefined;
    if (node.kind === 'frame' && node.key.startsWith('c')) {
      const index = Number(node.key.slice(1).split('-')[0]);
      return this.nodes.get(`${node.cluster.fingerprint}/c/${index}`);
    }
    if (node.kind === 'sample') return this.nodes.get(`${node.cluster.fingerprint}/s/samples`);
    if (node.kind === 'pattern') return this.nodes.get(`${node.cluster.fingerprint}/s/patterns`);
    if (node.kind === 'text') return this.nodes.get(`${node.cluster.fingerprint}/s/why`);
    return this.clusterNode(node.cluster.fingerprint);
  }

  async getTreeItem(node: ErrorsNode): Promise<vscode.TreeItem> {
    const item = await this.item(node);
    item.id = this.id(node);
    return item;
  }

  private async item(node: ErrorsNode): Promise<vscode.TreeItem> {
    switch (node.kind) {
      case 'empty': {
        const item = new vscode.TreeItem(node.text);
        item.iconPath = new vscode.ThemeIcon('info');
        return item;
      }
      case 'cluster': {
        const c = node.cluster;
        const item = new vscode.TreeItem(clusterLabel(c), vscode.TreeItemCollapsibleState.Collapsed);
        item.description = clusterDescription(c);
        item.iconPath = new vscode.ThemeIcon(CATEGORY_ICON[c.category] ?? 'tag', new vscode.ThemeColor('problemsErrorIcon.foreground'));
        item.contextValue = 'errorCluster';
        const md = new vscode.MarkdownString(undefined, true);
        md.appendMarkdown(`**${c.count.toLocaleString('en-US')} events** · category \`${c.category}\`\n\n`);
        md.appendText(clusterTitle(c));
        md.appendMarkdown(`\n\nFirst ${c.firstSeen ?? '?'} · last ${c.lastSeen ?? '?'}\n\n`);
        md.appendMarkdown(`**Why together:**\n`);
        for (const r of c.reason) md.appendText(`\n- ${r}`);
        md.appendMarkdown(`\n\n**Hypothesis:** `);
        md.appendText(c.hypothesis);
        md.appendMarkdown(`\n\nFingerprint \`${c.fingerprint}\``);
        releaseTooltip(md, c, node.releases ?? []);
        item.tooltip = md;
        const badge = statusBadge(c);
        if (badge) item.resourceUri = vscode.Uri.from({ scheme: STATUS_SCHEME, path: `/${c.fingerprint}`, query: badge });
        item.accessibilityInformation = { label: `${clusterTitle(c)}, ${c.count} events, category ${c.category}` };
        return item;
      }
      case 'frame': {
        const f = node.frame;
        const uri = await this.state.resolver.resolve(f.file);
        const inWorkspace = FrameResolver.inWorkspace(uri);
        const item = new vscode.TreeItem(f.function);
        item.description = `${basename(f.file)}${f.line !== undefined ? `:${f.line}` : ''}${inWorkspace ? '' : ' · not in workspace'}`;
        item.iconPath = new vscode.ThemeIcon(inWorkspace ? 'symbol-method' : 'library', inWorkspace ? undefined : new vscode.ThemeColor('disabledForeground'));
        if (!inWorkspace) item.resourceUri = vscode.Uri.from({ scheme: DIM_SCHEME, path: `/${this.id(node)}` });
        const tip = new vscode.MarkdownString();
        tip.appendText(`${f.file}${f.line !== undefined ? `:${f.line}` : ''} in ${f.function}`);
        if (f.source) tip.appendCodeblock(f.source, 'python');
        tip.appendText(uri ? `\nOpens ${vscode.workspace.asRelativePath(uri)}` : '\nNo matching workspace file (set incidentWorkbench.pathMappings)');
        item.tooltip = tip;
        item.contextValue = inWorkspace ? 'errorFrame' : 'errorFrameExternal';
        item.command = { command: 'incidentWorkbench.openErrorFrame', title: 'Open Frame', arguments: [{ file: f.file, line: f.line, function: f.function }] };
        return item;
      }
      case 'cause': {
        const e = node.exception;
        const item = new vscode.TreeItem(`${e.linkToNext === 'context' ? 'while handling' : 'caused by'} ${e.type}${e.message ? `: ${e.message.split('\n')[0]}` : ''}`, vscode.TreeItemCollapsibleState.Collapsed);
        item.iconPath = new vscode.ThemeIcon('debug-stackframe');
        return item;
      }
      case 'section': {
        const labels = { samples: `Samples (${node.cluster.samples.length})`, patterns: `Patterns (${node.cluster.patterns.length})`, why: 'Why these events are together' };
        const icons = { samples: 'list-flat', patterns: 'pulse', why: 'question' };
        const item = new vscode.TreeItem(labels[node.section], vscode.TreeItemCollapsibleState.Collapsed);
        item.iconPath = new vscode.ThemeIcon(icons[node.section]);
        return item;
      }
      case 'sample': {
        const s = node.sample;
        const text = s.exceptionType ? `${s.exceptionType}: ${s.exceptionMessage ?? ''}` : s.message;
        const item = new vscode.TreeItem(text.split('\n')[0]!.slice(0, 200));
        item.description = [s.timestamp?.slice(11, 19), s.userId && `user ${s.userId}`, s.endpoint, `${s.source}:${s.line}`].filter(Boolean).join(' · ');
        item.iconPath = new vscode.ThemeIcon('output');
        const file = this.state.fileOf(s.source);
        if (file) item.command = { command: 'vscode.open', title: 'Open Log Line', arguments: [vscode.Uri.file(file), { selection: new vscode.Range(s.line - 1, 0, s.line - 1, 0) }] };
        const tip = new vscode.MarkdownString();
        tip.appendCodeblock(JSON.stringify(s, null, 2).slice(0, 4000), 'json');
        item.tooltip = tip;
        return item;
      }
      case 'pattern': {
        const item = new vscode.TreeItem(node.pattern.type.replace('_', ' '));
        item.description = node.pattern.description;
        item.tooltip = node.pattern.description;
        item.iconPath = new vscode.ThemeIcon(node.pattern.type === 'spike' ? 'graph-line' : node.pattern.type === 'common_frames' ? 'layers' : 'person');
        return item;
      }
      case 'text': {
        const item = new vscode.TreeItem(node.text);
        item.tooltip = node.text;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        return item;
      }
    }
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme === STATUS_SCHEME) return STATUS_DECORATIONS[uri.query];
    if (uri.scheme !== DIM_SCHEME) return undefined;
    return { color: new vscode.ThemeColor('list.deemphasizedForeground'), tooltip: 'Outside the workspace' };
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
    this.decorationsChanged.dispose();
  }
}

const STATUS_DECORATIONS: Record<string, vscode.FileDecoration> = {
  new: { badge: 'N', tooltip: 'New in the latest release', color: new vscode.ThemeColor('list.warningForeground') },
  regressed: { badge: 'R', tooltip: 'Regressed: back after a release without it, or after being resolved', color: new vscode.ThemeColor('list.errorForeground') },
  ignored: { badge: 'I', tooltip: 'Ignored (.incidents/triage.json)', color: new vscode.ThemeColor('list.deemphasizedForeground') },
  resolved: { badge: '✓', tooltip: 'Resolved: not in the latest release, or resolved in triage' },
};

/** Which badge a cluster wears: its release status when it says something, else ignored. */
function statusBadge(c: TriagedCluster): string | undefined {
  if (c.triage?.ignored) return 'ignored';
  return c.status === 'new' || c.status === 'regressed' || c.status === 'resolved' ? c.status : undefined;
}

/** Status, triage and the rate per release, under the cluster's tooltip. */
function releaseTooltip(md: vscode.MarkdownString, c: TriagedCluster, releases: readonly LogRelease[]): void {
  if (!c.releases?.length && !c.triage) return;
  md.appendMarkdown(`\n\n**Status:** ${c.status}`);
  if (c.triage) {
    md.appendMarkdown(' — ');
    md.appendText(c.triage.summary);
  }
  if (c.releases?.length && releases.length) {
    md.appendMarkdown('\n\n**Per release** (events, per 1,000 records):');
    for (const r of ratePerRelease(c.releases, releases)) md.appendText(`\n- ${r.name}: ${r.count} (${r.perThousand}/1k)`);
  }
}
