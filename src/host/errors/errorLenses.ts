import * as vscode from 'vscode';
import type { ClusterSummary } from '../../core/errors/analyzer';
import type { ErrorsState } from './errorsState';
import { readErrorsSettings } from './settings';

interface LineHit {
  cluster: ClusterSummary;
  count: number;
}

function short(c: ClusterSummary, max = 60): string {
  const t = c.exceptionType ? `${c.exceptionType}: ${c.template}` : c.template;
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/**
 * "37 production errors (ValueError: Invalid input shape…)" on the workspace lines that appear in the
 * loaded clusters' stacks: a code lens that opens the cluster, and a hover with every cluster of the line.
 * The index (file → line → clusters) is built once per load, resolving each logged file once.
 */
export class ErrorLenses implements vscode.CodeLensProvider, vscode.HoverProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private index = new Map<string, Map<number, LineHit[]>>();
  private building: Promise<void> | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly state: ErrorsState) {
    this.subscription = state.onDidChange(() => {
      this.building = this.build();
    });
  }

  /** file path → line → clusters, for tests and the details panel. */
  async lines(): Promise<Map<string, Map<number, LineHit[]>>> {
    await this.building;
    return this.index;
  }

  private async build(): Promise<void> {
    const next = new Map<string, Map<number, LineHit[]>>();
    for (const cluster of this.state.report?.clusters ?? []) {
      for (const l of cluster.lines) {
        const uri = await this.state.resolver.resolve(l.file);
        if (!uri) continue;
        const key = uri.toString();
        let byLine = next.get(key);
        if (!byLine) next.set(key, (byLine = new Map()));
        const hits = byLine.get(l.line) ?? [];
        const same = hits.find((h) => h.cluster === cluster);
        if (same) same.count += l.count;
        else hits.push({ cluster, count: l.count });
        byLine.set(l.line, hits);
      }
    }
    for (const byLine of next.values()) for (const hits of byLine.values()) hits.sort((a, b) => b.count - a.count);
    this.index = next;
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!readErrorsSettings().codeLens) return [];
    const byLine = this.index.get(document.uri.toString());
    if (!byLine) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const [line, hits] of byLine) {
      if (line < 1 || line > document.lineCount) continue;
      const range = document.lineAt(line - 1).range;
      for (const h of hits.slice(0, 3)) {
        lenses.push(
          new vscode.CodeLens(range, {
            title: `$(error) ${h.count.toLocaleString('en-US')} production error${h.count === 1 ? '' : 's'} (${short(h.cluster)})`,
            tooltip: `Show the ${h.cluster.exceptionType || 'error'} cluster (${h.cluster.count} events in all)`,
            command: 'incidentWorkbench.showErrorClusterDetails',
            arguments: [h.cluster.id],
          }),
        );
      }
    }
    return lenses;
  }

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const hits = this.index.get(document.uri.toString())?.get(position.line + 1);
    if (!hits?.length) return undefined;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: ['incidentWorkbench.showErrorClusterDetails'] };
    md.appendMarkdown('**Production errors on this line**\n\n');
    for (const h of hits.slice(0, 8)) {
      const args = encodeURIComponent(JSON.stringify([h.cluster.id]));
      md.appendMarkdown(`- ${h.count.toLocaleString('en-US')} × `);
      md.appendText(short(h.cluster, 100));
      md.appendMarkdown(` — [details](command:incidentWorkbench.showErrorClusterDetails?${args})\n`);
    }
    return new vscode.Hover(md);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
