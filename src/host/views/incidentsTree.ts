import * as vscode from 'vscode';
import type { Incident, IncidentEvent, EvidenceItem, Severity } from '../../core/incident/types';
import type { IncidentEntry } from '../../core/store/incidentStore';
import { incidentDir } from '../../core/store/layout';
import type { FileProblem } from '../../core/validation/problems';
import { formatAge } from '../../core/incident/age';
import type { IncidentRepository } from '../store/incidentRepository';

export type IncidentsNode =
  | { kind: 'incident'; entry: IncidentEntry }
  | { kind: 'invalid'; entry: IncidentEntry }
  | { kind: 'problem'; entry: IncidentEntry; problem: FileProblem }
  | { kind: 'group'; entry: IncidentEntry; group: 'evidence' | 'timeline' }
  | { kind: 'evidence'; entry: IncidentEntry; item: EvidenceItem }
  | { kind: 'event'; entry: IncidentEntry; event: IncidentEvent }
  | { kind: 'info'; entry: IncidentEntry; label: string; detail: string };

const SEVERITY_ICON: Record<Severity, [string, string]> = {
  CRITICAL: ['flame', 'charts.red'],
  HIGH: ['warning', 'charts.orange'],
  MEDIUM: ['info', 'charts.yellow'],
  LOW: ['circle-outline', 'charts.blue'],
};

export class IncidentsTreeProvider implements vscode.TreeDataProvider<IncidentsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<IncidentsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Top-level nodes by id, so `reveal` and `getParent` hand VS Code the same objects it was given. */
  private roots = new Map<string, IncidentsNode>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly repository: IncidentRepository) {
    this.subscription = repository.onDidChange(() => this.changed.fire(undefined));
  }

  refresh(): void {
    this.repository.invalidate();
  }

  async getChildren(node?: IncidentsNode): Promise<IncidentsNode[]> {
    if (!node) {
      const entries = await this.repository.list();
      this.roots = new Map(
        entries.map((entry) => [entry.id, entry.state === 'valid' ? { kind: 'incident', entry } : { kind: 'invalid', entry }]),
      );
      return [...this.roots.values()];
    }
    const { entry } = node;
    switch (node.kind) {
      case 'invalid':
        return entry.problems.map((problem) => ({ kind: 'problem', entry, problem }));
      case 'incident': {
        const incident = entry.value!;
        const info: IncidentsNode[] = [
          { kind: 'info', entry, label: 'Status', detail: `${incident.status} · reported by ${incident.reportedBy} ${formatAge(incident.reportedAt, Date.now())}` },
        ];
        if (incident.description) info.push({ kind: 'info', entry, label: 'Description', detail: incident.description });
        if (incident.rootCause) info.push({ kind: 'info', entry, label: 'Root cause', detail: incident.rootCause });
        return [...info, { kind: 'group', entry, group: 'evidence' }, { kind: 'group', entry, group: 'timeline' }];
      }
      case 'group':
        return node.group === 'evidence'
          ? (entry.value?.evidence ?? []).map((item) => ({ kind: 'evidence', entry, item }))
          : [...(entry.value?.events ?? [])].reverse().map((event) => ({ kind: 'event', entry, event }));
      default:
        return [];
    }
  }

  getParent(node: IncidentsNode): IncidentsNode | undefined {
    if (node.kind === 'incident' || node.kind === 'invalid') return undefined;
    return this.roots.get(node.entry.id);
  }

  /** The tree node of an incident, once the tree has listed it. */
  async nodeFor(id: string): Promise<IncidentsNode | undefined> {
    if (!this.roots.has(id)) await this.getChildren();
    return this.roots.get(id);
  }

  getTreeItem(node: IncidentsNode): vscode.TreeItem {
    const { entry } = node;
    switch (node.kind) {
      case 'incident': {
        const incident = entry.value as Incident;
        const item = new vscode.TreeItem(`${incident.id} ${incident.title}`, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `incident:${entry.id}`;
        item.description = `${incident.severity} · ${incident.status} · ${formatAge(incident.reportedAt, Date.now())}`;
        const [icon, color] = SEVERITY_ICON[incident.severity];
        item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
        item.tooltip = new vscode.MarkdownString(undefined, true);
        item.tooltip.appendMarkdown(`**${escapeMd(incident.id)}** — ${escapeMd(incident.title)}\n\n`);
        item.tooltip.appendMarkdown(`Severity ${incident.severity} · ${incident.status} · reported by ${escapeMd(incident.reportedBy)} at ${escapeMd(incident.reportedAt)}`);
        item.contextValue = 'incident';
        item.resourceUri = this.repository.uri(incidentDir(entry.id));
        item.command = { command: 'incidentWorkbench.openIncidentFile', title: 'Open incident.json', arguments: [node] };
        return item;
      }
      case 'invalid': {
        const item = new vscode.TreeItem(entry.id, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `incident:${entry.id}`;
        const first = entry.problems[0];
        item.description = `${labelForState(entry.state)}${first ? `: ${first.message}` : ''}`;
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
        item.tooltip = `${entry.path} was not loaded and will not be changed by Incident Workbench:\n${entry.problems
          .map((p) => `${p.line}:${p.column} ${p.message}`)
          .join('\n')}`;
        item.contextValue = 'incident-invalid';
        item.command = { command: 'incidentWorkbench.openIncidentFile', title: 'Open incident.json', arguments: [node] };
        return item;
      }
      case 'problem': {
        const p = node.problem;
        const item = new vscode.TreeItem(p.message, vscode.TreeItemCollapsibleState.None);
        item.description = `${entry.path.split('/').pop()}:${p.line}:${p.column}`;
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
        item.tooltip = `${entry.path}:${p.line}:${p.column}: ${p.message}`;
        item.command = { command: 'incidentWorkbench.openIncidentFile', title: 'Go to problem', arguments: [node] };
        return item;
      }
      case 'group': {
        const incident = entry.value as Incident;
        const count = node.group === 'evidence' ? (incident.evidence?.length ?? 0) : (incident.events?.length ?? 0);
        const item = new vscode.TreeItem(node.group === 'evidence' ? 'Evidence' : 'Timeline',
          count > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.id = `incident:${entry.id}:${node.group}`;
        item.description = count === 0 ? (node.group === 'evidence' ? 'none yet' : 'no events') : String(count);
        item.iconPath = new vscode.ThemeIcon(node.group === 'evidence' ? 'archive' : 'history');
        return item;
      }
      case 'evidence': {
        const item = new vscode.TreeItem(node.item.path.split('/').pop() ?? node.item.path, vscode.TreeItemCollapsibleState.None);
        item.description = `${node.item.kind}${node.item.note ? ` · ${node.item.note}` : ''}`;
        item.tooltip = `${node.item.path}\nadded ${node.item.at}`;
        item.iconPath = new vscode.ThemeIcon('file');
        const uri = this.repository.uri(`${incidentDir(entry.id)}/${node.item.path}`);
        if (uri) item.command = { command: 'vscode.open', title: 'Open evidence', arguments: [uri] };
        return item;
      }
      case 'event': {
        const item = new vscode.TreeItem(node.event.text, vscode.TreeItemCollapsibleState.None);
        item.description = `${node.event.kind} · ${node.event.actor} · ${node.event.at}`;
        item.tooltip = `${node.event.at} ${node.event.actor} (${node.event.kind}): ${node.event.text}`;
        item.iconPath = new vscode.ThemeIcon('circle-small-filled');
        return item;
      }
      case 'info': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.description = node.detail;
        item.tooltip = node.detail;
        return item;
      }
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function labelForState(state: IncidentEntry['state']): string {
  switch (state) {
    case 'missing':
      return 'incident.json missing';
    case 'tooLarge':
      return 'too large';
    case 'unreadable':
      return 'unreadable';
    default:
      return 'invalid';
  }
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
