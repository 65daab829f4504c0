import * as vscode from 'vscode';
import { formatAge } from '../../core/incident/age';
import { closedAt } from '../../core/incident/session';
import type { EvidenceItem, Hypothesis, Incident, IncidentEvent, Severity } from '../../core/incident/types';
import { lintPostmortem } from '../../core/postmortem/lint';
import type { PostMortem } from '../../core/postmortem/types';
import type { FileReport, IncidentEntry } from '../../core/store/incidentStore';
import { incidentDir, postmortemFile } from '../../core/store/layout';
import type { FileProblem } from '../../core/validation/problems';
import type { IncidentRepository } from '../shared/incidentRepository';
import type { TreeSection } from '../shared/treeSection';

/** The seed's method, in order; each is a node under an incident with its own inline actions. */
export const STAGES = ['reproduction', 'evidence', 'hypotheses', 'rootCause', 'fix', 'fixVerification', 'prevention', 'postmortem', 'timeline'] as const;
export type Stage = (typeof STAGES)[number];

const STAGE_LABEL: Record<Stage, string> = {
  reproduction: 'Reproduction',
  evidence: 'Evidence',
  hypotheses: 'Hypotheses',
  rootCause: 'Root cause',
  fix: 'Fix',
  fixVerification: 'Fix verification',
  prevention: 'Prevention',
  postmortem: 'Post-mortem',
  timeline: 'Timeline',
};

export type IncidentsNode =
  | { kind: 'group'; group: Group; count: number; expanded: boolean }
  | { kind: 'incident'; entry: IncidentEntry }
  | { kind: 'invalid'; entry: IncidentEntry }
  | { kind: 'problem'; entry: IncidentEntry; problem: FileProblem }
  | { kind: 'stage'; entry: IncidentEntry; stage: Stage }
  | { kind: 'step'; entry: IncidentEntry; index: number; text: string }
  | { kind: 'attempt'; entry: IncidentEntry; attempt: { at: string; reproduced: boolean; note?: string } }
  | { kind: 'evidence'; entry: IncidentEntry; item: EvidenceItem }
  | { kind: 'hypothesis'; entry: IncidentEntry; index: number; hypothesis: Hypothesis }
  | { kind: 'event'; entry: IncidentEntry; event: IncidentEvent }
  | { kind: 'info'; entry: IncidentEntry; label: string; detail: string; icon?: string; command?: vscode.Command }
  | SectionNode;

/** A node of a branch another feature contributes (see TreeSection), wrapped so the tree can route it back. */
export interface SectionNode {
  kind: 'section';
  section: TreeSection<unknown>;
  node: unknown;
}

/** Incidents still being worked (OPEN, INVESTIGATING, MITIGATED) and those that are over (RESOLVED, CLOSED). */
type Group = 'open' | 'resolved';
const groupOf = (entry: IncidentEntry): Group => (entry.state === 'valid' && (entry.value?.status === 'RESOLVED' || entry.value?.status === 'CLOSED') ? 'resolved' : 'open');
const GROUP_LABEL: Record<Group, string> = { open: 'Open', resolved: 'Resolved and closed' };

const SEVERITY_ICON: Record<Severity, [string, string]> = {
  CRITICAL: ['flame', 'charts.red'],
  HIGH: ['warning', 'charts.orange'],
  MEDIUM: ['info', 'charts.yellow'],
  LOW: ['circle-outline', 'charts.blue'],
};

function wrap(section: TreeSection<unknown>, node: unknown): SectionNode {
  return { kind: 'section', section, node };
}

const DONE = new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
const TODO = new vscode.ThemeIcon('circle-large-outline');
const WARN = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));

export class IncidentsTreeProvider implements vscode.TreeDataProvider<IncidentsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<IncidentsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Incident nodes by id and the two groups, so `reveal` and `getParent` hand VS Code the objects it was given. */
  private roots = new Map<string, IncidentsNode>();
  private groups = new Map<Group, Extract<IncidentsNode, { kind: 'group' }>>();
  private parents = new Map<string, Group>();
  private postmortems = new Map<string, Promise<FileReport<PostMortem> | undefined>>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly repository: IncidentRepository,
    private readonly activeId: () => string | undefined = () => undefined,
    onActiveChange?: vscode.Event<unknown>,
  ) {
    this.subscriptions = [
      repository.onDidChange(() => {
        this.postmortems.clear();
        this.changed.fire(undefined);
      }),
    ];
    if (onActiveChange) this.subscriptions.push(onActiveChange(() => this.changed.fire(undefined)));
  }

  /** Branches other features show under the incidents (the logging linter's "Logging health"). */
  private readonly sections: TreeSection<unknown>[] = [];
  addSection(section: TreeSection<unknown>): void {
    this.sections.push(section);
    this.subscriptions.push(section.onDidChange(() => this.changed.fire(undefined)));
  }

  refresh(): void {
    this.repository.invalidate();
  }

  private postmortem(id: string): Promise<FileReport<PostMortem> | undefined> {
    let p = this.postmortems.get(id);
    if (!p) {
      p = Promise.resolve(this.repository.store()?.readPostmortem(id)).catch(() => undefined);
      this.postmortems.set(id, p);
    }
    return p;
  }

  async getChildren(node?: IncidentsNode): Promise<IncidentsNode[]> {
    if (!node) {
      const entries = await this.repository.list();
      this.roots = new Map(entries.map((entry) => [entry.id, entry.state === 'valid' ? { kind: 'incident', entry } : { kind: 'invalid', entry }]));
      this.parents = new Map(entries.map((e) => [e.id, groupOf(e)]));
      const count = (g: Group) => [...this.parents.values()].filter((x) => x === g).length;
      const groups: IncidentsNode[] = [];
      this.groups.clear();
      for (const g of ['open', 'resolved'] as const) {
        const n = count(g);
        if (n === 0) continue;
        // Finished incidents fold away unless there is nothing else to show (a fresh clone of the demo).
        const group = { kind: 'group' as const, group: g, count: n, expanded: g === 'open' || count('open') === 0 };
        this.groups.set(g, group);
        groups.push(group);
      }
      return entries.length === 0 ? [] : [...groups, ...this.sections.flatMap((s) => s.roots().map((n) => wrap(s, n)))];
    }
    if (node.kind === 'section') return node.section.children(node.node).map((n) => wrap(node.section, n));
    if (node.kind === 'group') return [...this.roots.values()].filter((n) => 'entry' in n && this.parents.get(n.entry.id) === node.group);
    const { entry } = node;
    const incident = entry.value as Incident;
    switch (node.kind) {
      case 'invalid':
        return entry.problems.map((problem) => ({ kind: 'problem', entry, problem }));
      case 'incident':
        return STAGES.map((stage) => ({ kind: 'stage', entry, stage }));
      case 'stage':
        return this.stageChildren(entry, incident, node.stage);
      default:
        return [];
    }
  }

  private async stageChildren(entry: IncidentEntry, incident: Incident, stage: Stage): Promise<IncidentsNode[]> {
    switch (stage) {
      case 'reproduction':
        return [
          ...(incident.reproduction?.steps ?? []).map((text, index) => ({ kind: 'step' as const, entry, index, text })),
          ...(incident.reproduction?.attempts ?? []).map((attempt) => ({ kind: 'attempt' as const, entry, attempt })),
        ];
      case 'evidence':
        return (incident.evidence ?? []).map((item) => ({ kind: 'evidence', entry, item }));
      case 'hypotheses':
        return (incident.hypotheses ?? []).map((hypothesis, index) => ({ kind: 'hypothesis', entry, index, hypothesis }));
      case 'fix': {
        const out: IncidentsNode[] = [];
        if (incident.fix?.description) out.push({ kind: 'info', entry, label: incident.fix.description, detail: '', icon: 'tools' });
        if (incident.fix?.ref) out.push({ kind: 'info', entry, label: 'Reference', detail: incident.fix.ref, icon: 'git-commit' });
        return out;
      }
      case 'prevention':
        return (incident.prevention ?? []).map((p) => ({ kind: 'info', entry, label: p, detail: '', icon: 'shield' }));
      case 'postmortem': {
        const report = await this.postmortem(entry.id);
        if (!report || report.state === 'missing') return [];
        if (report.state !== 'valid') return report.problems.slice(0, 20).map((problem) => ({ kind: 'info', entry, label: problem.message, detail: `${problem.line}:${problem.column}`, icon: 'error' }));
        const pm = report.value!;
        const uri = this.repository.uri(postmortemFile(entry.id));
        const open: vscode.Command | undefined = uri ? { command: 'incidentWorkbench.openPostmortem', title: 'Open Post-Mortem', arguments: [entry.id] } : undefined;
        const items = pm.actionItems ?? [];
        const lint = lintPostmortem(pm);
        const out: IncidentsNode[] = [
          { kind: 'info', entry, label: 'Action items', detail: `${items.filter((a) => a.status !== 'DONE').length} open of ${items.length}`, icon: 'checklist', ...(open ? { command: open } : {}) },
        ];
        if (lint.length) out.push({ kind: 'info', entry, label: 'Blameless lint', detail: `${lint.length} finding${lint.length === 1 ? '' : 's'}`, icon: 'warning', ...(open ? { command: open } : {}) });
        return out;
      }
      case 'timeline':
        return [...(incident.events ?? [])].reverse().map((event) => ({ kind: 'event', entry, event }));
      default:
        return [];
    }
  }

  getParent(node: IncidentsNode): IncidentsNode | undefined {
    if (node.kind === 'group') return undefined;
    if (node.kind === 'section') {
      const parent = node.section.parent(node.node);
      return parent === undefined ? undefined : wrap(node.section, parent);
    }
    if (node.kind === 'incident' || node.kind === 'invalid') return this.groups.get(this.parents.get(node.entry.id) ?? 'open');
    if (node.kind === 'stage' || node.kind === 'problem') return this.roots.get(node.entry.id);
    return undefined;
  }

  /** The tree node of an incident, once the tree has listed it. */
  async nodeFor(id: string): Promise<IncidentsNode | undefined> {
    if (!this.roots.has(id)) await this.getChildren();
    return this.roots.get(id);
  }

  getTreeItem(node: IncidentsNode): vscode.TreeItem | Promise<vscode.TreeItem> {
    if (node.kind === 'section') return node.section.treeItem(node.node);
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(GROUP_LABEL[node.group], node.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `group:${node.group}`;
      item.tooltip = node.group === 'open' ? 'OPEN, INVESTIGATING and MITIGATED incidents' : 'RESOLVED and CLOSED incidents';
      item.description = String(node.count);
      item.contextValue = `group.${node.group}`;
      return item;
    }
    const { entry } = node;
    switch (node.kind) {
      case 'incident': {
        const incident = entry.value as Incident;
        const active = this.activeId() === entry.id;
        // The title is what a person reads first; the id, state and age follow and may be cut (the tooltip has all).
        const item = new vscode.TreeItem(incident.title, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `incident:${entry.id}`;
        const age = formatAge(incident.status === 'CLOSED' ? (closedAt(incident) ?? incident.reportedAt) : incident.reportedAt, Date.now());
        item.description = `${active ? '● active · ' : ''}${incident.id} · ${incident.status} · ${age}`;
        item.accessibilityInformation = { label: `${incident.title}, ${incident.id}, ${incident.severity}, ${incident.status}, ${age}${active ? ', active incident' : ''}` };
        // A resolved incident is not a live warning: its severity stays in the tooltip and the accessible name.
        const [icon, color] = incident.status === 'RESOLVED' || incident.status === 'CLOSED' ? ['pass', 'testing.iconPassed'] : SEVERITY_ICON[incident.severity];
        item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
        item.tooltip = new vscode.MarkdownString(undefined, true);
        item.tooltip.appendMarkdown(`**${escapeMd(incident.id)}** — ${escapeMd(incident.title)}\n\n`);
        item.tooltip.appendMarkdown(`Severity ${incident.severity} · ${incident.status} · reported by ${escapeMd(incident.reportedBy)} at ${escapeMd(incident.reportedAt)}`);
        if (active) item.tooltip.appendMarkdown('\n\n$(pulse) Active incident: evidence from other views is attached here.');
        item.contextValue = `incident.${incident.status === 'CLOSED' ? 'closed' : 'open'}${active ? '.active' : ''}`;
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
        item.tooltip = `${entry.path} was not loaded and will not be changed by Incident Workbench:\n${entry.problems.map((p) => `${p.line}:${p.column} ${p.message}`).join('\n')}`;
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
      case 'stage':
        return this.stageItem(node.entry, node.stage);
      case 'step': {
        const item = new vscode.TreeItem(`${node.index + 1}. ${node.text}`, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('list-ordered');
        item.tooltip = node.text;
        return item;
      }
      case 'attempt': {
        const a = node.attempt;
        const item = new vscode.TreeItem(a.reproduced ? 'Reproduced' : 'Not reproduced', vscode.TreeItemCollapsibleState.None);
        item.description = `${a.at}${a.note ? ` · ${a.note}` : ''}`;
        item.tooltip = `${a.reproduced ? 'Reproduced' : 'Not reproduced'} at ${a.at}${a.note ? `\n${a.note}` : ''}`;
        // A reproduction that worked is progress (the bug can now be studied), not a failure: no red bug.
        item.iconPath = a.reproduced ? new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')) : new vscode.ThemeIcon('circle-slash');
        return item;
      }
      case 'evidence': {
        const item = new vscode.TreeItem(node.item.path.split('/').pop() ?? node.item.path, vscode.TreeItemCollapsibleState.None);
        item.description = `${node.item.kind}${node.item.note ? ` · ${node.item.note}` : ''}${node.item.redaction?.ran ? ' · redacted' : ''}`;
        item.tooltip = `${node.item.path}\n${node.item.note ?? ''}\nadded ${node.item.at}`;
        item.iconPath = new vscode.ThemeIcon(EVIDENCE_ICON[node.item.kind] ?? 'file');
        // `evidence.profile` adds Open Profile and, with two selected, Compare Profiles to the context menu;
        // `evidence.memory` the same for memory captures.
        item.contextValue = isProfileEvidence(node.item) ? 'evidence.profile' : node.item.kind === 'memory' ? 'evidence.memory' : 'evidence';
        const uri = this.repository.uri(`${incidentDir(entry.id)}/${node.item.path}`);
        if (uri) {
          item.resourceUri = uri;
          item.command = { command: 'vscode.open', title: 'Open evidence', arguments: [uri] };
        }
        return item;
      }
      case 'hypothesis': {
        const h = node.hypothesis;
        const item = new vscode.TreeItem(`#${node.index + 1} ${h.text}`, vscode.TreeItemCollapsibleState.None);
        const v = h.verification;
        item.description = v ? `${v.result} · ${v.test}` : 'not verified yet';
        item.tooltip = `${h.text}\n\n${v ? `${v.result} by: ${v.test} (${v.at})` : 'Record the test that confirms or rejects it.'}`;
        item.iconPath = !v
          ? new vscode.ThemeIcon('question')
          : v.result === 'CONFIRMED'
            ? new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'))
            : v.result === 'REJECTED'
              ? new vscode.ThemeIcon('close', new vscode.ThemeColor('testing.iconFailed'))
              : new vscode.ThemeIcon('circle-slash');
        item.contextValue = 'hypothesis';
        return item;
      }
      case 'event': {
        const item = new vscode.TreeItem(node.event.text, vscode.TreeItemCollapsibleState.None);
        item.description = `${node.event.kind} · ${node.event.actor} · ${node.event.at}`;
        item.tooltip = `${node.event.at} ${node.event.actor} (${node.event.kind}): ${node.event.text}`;
        item.iconPath = new vscode.ThemeIcon(node.event.kind === 'guardrail-override' ? 'shield' : 'circle-small-filled');
        return item;
      }
      case 'info': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.description = node.detail;
        item.tooltip = node.detail ? `${node.label}: ${node.detail}` : node.label;
        if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon);
        if (node.command) item.command = node.command;
        return item;
      }
    }
  }

  private async stageItem(entry: IncidentEntry, stage: Stage): Promise<vscode.TreeItem> {
    const i = entry.value as Incident;
    const item = new vscode.TreeItem(STAGE_LABEL[stage], vscode.TreeItemCollapsibleState.None);
    item.id = `incident:${entry.id}:${stage}`;
    item.contextValue = `stage.${stage}`;
    let done = false;
    let description = '';
    let children = 0;
    let warn = false;
    switch (stage) {
      case 'reproduction': {
        const steps = i.reproduction?.steps?.length ?? 0;
        const attempts = i.reproduction?.attempts ?? [];
        const hits = attempts.filter((a) => a.reproduced).length;
        children = steps + attempts.length;
        done = hits > 0;
        description = attempts.length ? `${steps} step${steps === 1 ? '' : 's'} · reproduced ${hits}/${attempts.length} (rate ${Math.round((hits / attempts.length) * 100)}%)` : steps ? `${steps} steps · no attempts yet` : 'not reproduced yet';
        break;
      }
      case 'evidence':
        children = i.evidence?.length ?? 0;
        done = children > 0;
        description = children ? `${children} item${children === 1 ? '' : 's'}` : 'none yet';
        break;
      case 'hypotheses': {
        const hs = i.hypotheses ?? [];
        children = hs.length;
        const confirmed = hs.filter((h) => h.verification?.result === 'CONFIRMED').length;
        done = confirmed > 0;
        description = hs.length ? `${hs.length} · ${confirmed} confirmed` : 'none yet';
        break;
      }
      case 'rootCause':
        done = !!i.rootCause;
        description = i.rootCause ?? 'not identified';
        warn = ((i.overrides as { rule?: string }[] | undefined) ?? []).some((o) => o.rule?.startsWith('root-cause'));
        item.tooltip = i.rootCause ? `${i.rootCause}${warn ? '\n\nSet with a guardrail override (see Timeline).' : ''}` : 'Why it happened — set after evidence and a confirmed hypothesis.';
        break;
      case 'fix':
        children = (i.fix?.description ? 1 : 0) + (i.fix?.ref ? 1 : 0);
        done = !!i.fix?.description;
        description = i.fix?.ref ?? (done ? '' : 'not recorded');
        break;
      case 'fixVerification':
        done = i.fixVerification?.verified === true;
        warn = i.fixVerification !== undefined && !done;
        description = i.fixVerification ? `${i.fixVerification.verified ? 'verified' : 'NOT verified'}${i.fixVerification.method ? ` · ${i.fixVerification.method}` : ''}` : 'not verified';
        break;
      case 'prevention':
        children = i.prevention?.length ?? 0;
        done = children > 0;
        description = children ? `${children} measure${children === 1 ? '' : 's'}` : 'none yet';
        break;
      case 'postmortem': {
        const report = await this.postmortem(entry.id);
        if (!report || report.state === 'missing') {
          description = i.severity === 'CRITICAL' || i.severity === 'HIGH' ? 'required before closing' : 'not started';
          item.command = { command: 'incidentWorkbench.openPostmortem', title: 'Open Post-Mortem', arguments: [entry.id] };
        } else if (report.state !== 'valid') {
          warn = true;
          children = Math.min(20, report.problems.length);
          description = `postmortem.json is ${report.state}`;
          item.command = { command: 'incidentWorkbench.openPostmortem', title: 'Open Post-Mortem', arguments: [entry.id] };
        } else {
          const items = report.value?.actionItems ?? [];
          children = 2;
          done = items.some((a) => a.owner && a.dueDate);
          description = `${items.length} action item${items.length === 1 ? '' : 's'}`;
          item.command = { command: 'incidentWorkbench.openPostmortem', title: 'Open Post-Mortem', arguments: [entry.id] };
          item.contextValue = 'stage.postmortem.exists';
        }
        break;
      }
      case 'timeline':
        children = i.events?.length ?? 0;
        description = `${children} event${children === 1 ? '' : 's'}`;
        item.iconPath = new vscode.ThemeIcon('history');
        break;
    }
    item.description = description;
    if (!item.iconPath) item.iconPath = warn ? WARN : done ? DONE : TODO;
    if (children > 0) item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
    return item;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

/** A profile among an incident's evidence: kind `profile`, or a file under `evidence/profiles/` (where the py-spy task writes). */
export function isProfileEvidence(item: EvidenceItem): boolean {
  return item.kind === 'profile' || /^evidence\/profiles\/[^/]/.test(item.path);
}

const EVIDENCE_ICON: Partial<Record<string, string>> = {
  profile: 'flame',
  memory: 'symbol-numeric',
  errors: 'bug',
  trace: 'type-hierarchy-sub',
  logs: 'output',
  metrics: 'graph-line',
  snapshot: 'device-camera',
  abtest: 'beaker',
  rollback: 'discard',
  model: 'symbol-misc',
};

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
