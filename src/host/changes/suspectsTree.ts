import * as vscode from 'vscode';
import type { Suspect, SuspectFile, SuspectReport } from '../../core/changes/types';

/** One ranking: what it was for, in which repository, when. */
export interface SuspectsEntry {
  id: number;
  report: SuspectReport;
  root: string;
  /** The incident whose evidence it came from, if any (deploy markers were read from it). */
  incidentId?: string;
}

export type SuspectsNode =
  | { kind: 'report'; entry: SuspectsEntry }
  | { kind: 'suspect'; entry: SuspectsEntry; suspect: Suspect; rank: number }
  | { kind: 'reason'; entry: SuspectsEntry; suspect: Suspect; text: string; index: number }
  | { kind: 'file'; entry: SuspectsEntry; suspect: Suspect; file: SuspectFile; index: number }
  | { kind: 'note'; entry: SuspectsEntry; text: string; index: number };

const TARGET_ICON = { error: 'error', function: 'flame', span: 'watch', leak: 'database' } as const;

function when(iso: string): string {
  return iso ? iso.slice(0, 10) : '?';
}

/**
 * The Suspect Commits view: the latest rankings, newest first. A suspect opens its diff; its reasons and the
 * stack's lines it changed are its children.
 */
export class SuspectsTree implements vscode.TreeDataProvider<SuspectsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SuspectsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private entries: SuspectsEntry[] = [];
  private next = 1;
  private readonly roots = new Map<number, SuspectsNode>();

  /** Adds a ranking on top (at most 10 are kept) and returns its node. */
  add(report: SuspectReport, root: string, incidentId?: string): SuspectsNode {
    const entry: SuspectsEntry = { id: this.next++, report, root, ...(incidentId ? { incidentId } : {}) };
    this.entries = [entry, ...this.entries].slice(0, 10);
    this.changed.fire(undefined);
    void vscode.commands.executeCommand('setContext', 'incidentWorkbench.suspectsShown', true);
    return this.rootOf(entry);
  }

  get latest(): SuspectsEntry | undefined {
    return this.entries[0];
  }

  private rootOf(entry: SuspectsEntry): SuspectsNode {
    let node = this.roots.get(entry.id);
    if (!node) this.roots.set(entry.id, (node = { kind: 'report', entry }));
    return node;
  }

  getChildren(node?: SuspectsNode): SuspectsNode[] {
    if (!node) return this.entries.map((e) => this.rootOf(e));
    if (node.kind === 'report') {
      const e = node.entry;
      return [...e.report.suspects.map((suspect, rank) => ({ kind: 'suspect' as const, entry: e, suspect, rank })), ...e.report.notes.map((text, index) => ({ kind: 'note' as const, entry: e, text, index }))];
    }
    if (node.kind === 'suspect') {
      return [
        ...node.suspect.reasons.map((text, index) => ({ kind: 'reason' as const, entry: node.entry, suspect: node.suspect, text, index })),
        ...node.suspect.files.map((file, index) => ({ kind: 'file' as const, entry: node.entry, suspect: node.suspect, file, index })),
      ];
    }
    return [];
  }

  getParent(node: SuspectsNode): SuspectsNode | undefined {
    if (node.kind === 'report') return undefined;
    if (node.kind === 'note' || node.kind === 'suspect') return this.rootOf(node.entry);
    return { kind: 'suspect', entry: node.entry, suspect: node.suspect, rank: node.entry.report.suspects.indexOf(node.suspect) };
  }

  getTreeItem(node: SuspectsNode): vscode.TreeItem {
    switch (node.kind) {
      case 'report': {
        const r = node.entry.report;
        const item = new vscode.TreeItem(r.target.label, node.entry === this.entries[0] ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `r${node.entry.id}`;
        item.iconPath = new vscode.ThemeIcon(TARGET_ICON[r.target.kind]);
        item.description = `${r.suspects.length} suspect${r.suspects.length === 1 ? '' : 's'} · blamed at ${r.revision.ref}`;
        const tip = new vscode.MarkdownString();
        tip.appendText(`${r.target.label}\n\n`);
        tip.appendText(`Blamed at ${r.revision.ref} (${r.revision.commit.slice(0, 10)}, ${r.revision.source.replace('-', ' ')})`);
        if (r.releaseRange) tip.appendText(`\nRelease ${r.releaseRange.release}: ${r.releaseRange.commits} commits after ${r.releaseRange.from ?? 'the start'}`);
        if (r.target.firstSeen) tip.appendText(`\nFirst seen ${r.target.firstSeen}`);
        for (const f of r.frames) tip.appendText(`\n${f.file}${f.line !== undefined ? `:${f.line}` : ''}${f.path ? ` → ${f.path}` : ` (${f.problem})`}`);
        item.tooltip = tip;
        item.contextValue = 'suspectReport';
        return item;
      }
      case 'suspect': {
        const s = node.suspect;
        const item = new vscode.TreeItem(`${s.commit.slice(0, 7)} ${s.summary}`, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `r${node.entry.id}/s${node.rank}`;
        item.description = `score ${s.score} · ${s.author} · ${when(s.date)}`;
        item.iconPath = new vscode.ThemeIcon(node.rank === 0 ? 'target' : 'git-commit');
        const tip = new vscode.MarkdownString();
        tip.appendText(`${s.commit}\n${s.summary}\n${s.author}, ${s.date}\nScore ${s.score}\n`);
        for (const r of s.reasons) tip.appendText(`\n• ${r}`);
        item.tooltip = tip;
        item.contextValue = 'suspectCommit';
        item.accessibilityInformation = { label: `Suspect ${node.rank + 1}: commit ${s.commit.slice(0, 7)}, ${s.summary}, by ${s.author}, score ${s.score}` };
        item.command = { command: 'incidentWorkbench.openSuspectCommit', title: 'Open Commit Diff', arguments: [node] };
        return item;
      }
      case 'reason': {
        const item = new vscode.TreeItem(node.text);
        item.id = `r${node.entry.id}/s${node.entry.report.suspects.indexOf(node.suspect)}/r${node.index}`;
        item.tooltip = node.text;
        item.iconPath = new vscode.ThemeIcon('info');
        return item;
      }
      case 'file': {
        const f = node.file;
        const item = new vscode.TreeItem(f.file);
        item.id = `r${node.entry.id}/s${node.entry.report.suspects.indexOf(node.suspect)}/f${node.index}`;
        item.description = f.lines.length ? `lines ${compactLines(f.lines)}` : 'changed in the release';
        item.iconPath = new vscode.ThemeIcon('diff');
        item.command = { command: 'incidentWorkbench.openSuspectCommit', title: 'Open Commit Diff', arguments: [{ root: node.entry.root, commit: node.suspect.commit, file: f.file, rev: node.entry.report.revision.commit }] };
        return item;
      }
      case 'note': {
        const item = new vscode.TreeItem(node.text);
        item.id = `r${node.entry.id}/n${node.index}`;
        item.tooltip = node.text;
        item.iconPath = new vscode.ThemeIcon('warning');
        return item;
      }
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** 3, 5–9, 12: line lists as people write them. */
export function compactLines(lines: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j]! + 1) j++;
    out.push(j > i ? `${lines[i]}–${lines[j]}` : String(lines[i]));
    i = j;
  }
  return out.join(', ');
}
