import * as vscode from 'vscode';
import { closedAt } from '../../core/incident/session';
import { followUp, openActionItems, type FollowUp, type OpenActionItem } from '../../core/postmortem/actionItems';
import type { PostMortem } from '../../core/postmortem/types';
import type { IncidentRepository } from '../shared/incidentRepository';

export type ActionItemsNode = { kind: 'item'; open: OpenActionItem } | { kind: 'followUp'; followUp: FollowUp } | { kind: 'problem'; incidentId: string; message: string };

function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Open post-mortem action items of every incident, overdue first, and follow-up reviews 30 days after a close. */
export class ActionItemsTreeProvider implements vscode.TreeDataProvider<ActionItemsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ActionItemsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;
  /** The last computed list, for tests and the view's badge. */
  last: ActionItemsNode[] = [];
  private view: vscode.TreeView<ActionItemsNode> | undefined;

  constructor(private readonly repository: IncidentRepository) {
    this.subscription = repository.onDidChange(() => this.changed.fire(undefined));
  }

  attach(view: vscode.TreeView<ActionItemsNode>): void {
    this.view = view;
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  async compute(today = localToday()): Promise<ActionItemsNode[]> {
    const store = this.repository.store();
    if (!store) return [];
    const entries = await this.repository.list();
    const docs: { incidentId: string; postmortem: PostMortem }[] = [];
    const followUps: FollowUp[] = [];
    const problems: ActionItemsNode[] = [];
    await Promise.all(
      entries.map(async (entry) => {
        const pm = await store.readPostmortem(entry.id).catch(() => undefined);
        if (pm?.state === 'valid' && pm.value) docs.push({ incidentId: entry.id, postmortem: pm.value });
        else if (pm && pm.state !== 'missing') problems.push({ kind: 'problem', incidentId: entry.id, message: `postmortem.json is ${pm.state}: ${pm.problems[0]?.message ?? ''}` });
        if (entry.state === 'valid' && entry.value?.status === 'CLOSED') {
          const f = followUp(entry.id, closedAt(entry.value), pm?.state === 'valid' ? pm.value : undefined, today);
          if (f) followUps.push(f);
        }
      }),
    );
    const items = openActionItems(docs, today);
    followUps.sort((a, b) => a.dueDate.localeCompare(b.dueDate));
    const nodes: ActionItemsNode[] = [
      ...followUps.filter((f) => f.due).map((f) => ({ kind: 'followUp' as const, followUp: f })),
      ...items.map((open) => ({ kind: 'item' as const, open })),
      ...followUps.filter((f) => !f.due).map((f) => ({ kind: 'followUp' as const, followUp: f })),
      ...problems,
    ];
    this.last = nodes;
    if (this.view) {
      const overdue = items.filter((i) => i.overdue).length + followUps.filter((f) => f.due).length;
      this.view.badge = overdue ? { value: overdue, tooltip: `${overdue} overdue` } : undefined;
      this.view.description = items.length ? `${items.length} open` : undefined;
    }
    return nodes;
  }

  async getChildren(node?: ActionItemsNode): Promise<ActionItemsNode[]> {
    if (node) return [];
    return this.compute();
  }

  getTreeItem(node: ActionItemsNode): vscode.TreeItem {
    if (node.kind === 'problem') {
      const item = new vscode.TreeItem(`${node.incidentId}: post-mortem not readable`, vscode.TreeItemCollapsibleState.None);
      item.description = node.message;
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
      item.command = { command: 'incidentWorkbench.openPostmortem', title: 'Open Post-Mortem', arguments: [node.incidentId] };
      return item;
    }
    if (node.kind === 'followUp') {
      const f = node.followUp;
      const item = new vscode.TreeItem(`Follow-up review of ${f.incidentId}`, vscode.TreeItemCollapsibleState.None);
      item.description = `${f.due ? 'due since' : 'due'} ${f.dueDate}`;
      item.tooltip = 'Thirty days after an incident closes, review whether its action items were done and worked (Atlassian, Google SRE). Record it in the post-mortem’s review.reviewedAt.';
      item.iconPath = new vscode.ThemeIcon('calendar', f.due ? new vscode.ThemeColor('list.errorForeground') : undefined);
      item.command = { command: 'incidentWorkbench.openPostmortem', title: 'Open Post-Mortem', arguments: [f.incidentId] };
      item.contextValue = 'followUp';
      return item;
    }
    const { item: a, overdue, incidentId, daysLeft } = node.open;
    const item = new vscode.TreeItem(a.description, vscode.TreeItemCollapsibleState.None);
    const due = a.dueDate ? (overdue ? `overdue since ${a.dueDate}` : `due ${a.dueDate}${daysLeft !== undefined ? ` (${daysLeft} d)` : ''}`) : 'no due date';
    item.description = `${a.owner ? a.owner : 'no owner'} · ${due} · ${incidentId}`;
    item.tooltip = `${a.description}\n\n${a.priority ?? 'no priority'} · ${a.status ?? 'TODO'} · owner ${a.owner || '—'} · ${due}\nfrom the post-mortem of ${incidentId}`;
    item.iconPath = overdue
      ? new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'))
      : a.status === 'IN_PROGRESS'
        ? new vscode.ThemeIcon('sync')
        : new vscode.ThemeIcon(!a.owner || !a.dueDate ? 'circle-large-outline' : 'circle-outline');
    item.contextValue = 'actionItem';
    item.command = { command: 'incidentWorkbench.openPostmortem', title: 'Open Post-Mortem', arguments: [incidentId] };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
