import * as vscode from 'vscode';
import type { PatternsState } from './patternsState';
import { readPatternsSettings } from './settings';

/**
 * "466 lines in production logs" over each Python logging call that wrote lines of the loaded logs: the
 * count of every pattern matched to the call; the lens reveals the (biggest) pattern in the Patterns view.
 */
export class CallSiteLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly state: PatternsState) {
    this.subscription = state.onDidChange(() => this.changed.fire());
  }

  /** file Uri → line → lens data, for tests. */
  lines(): Map<string, Map<number, { count: number; patterns: string[] }>> {
    const out = new Map<string, Map<number, { count: number; patterns: string[] }>>();
    for (const { site, count, patterns } of this.state.callSiteCounts().values()) {
      const key = site.uri.toString();
      let byLine = out.get(key);
      if (!byLine) out.set(key, (byLine = new Map()));
      byLine.set(site.line, { count, patterns: patterns.map((p) => p.id) });
    }
    return out;
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (document.languageId !== 'python' || !readPatternsSettings().codeLens) return [];
    const byLine = this.lines().get(document.uri.toString());
    if (!byLine) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const [line, { count, patterns }] of byLine) {
      if (line < 1 || line > document.lineCount) continue;
      const p = patterns.map((id) => this.state.pattern(id)!).sort((a, b) => b.count - a.count)[0]!;
      const range = document.lineAt(line - 1).range;
      const isNew = patterns.some((id) => this.state.pattern(id)?.isNew);
      lenses.push(
        new vscode.CodeLens(range, {
          title: `$(graph-line) ${count.toLocaleString('en-US')} line${count === 1 ? '' : 's'} in production logs${patterns.length > 1 ? ` (${patterns.length} patterns)` : ''}${isNew ? ' · new' : ''}`,
          tooltip: `Show the pattern "${p.template}" in the Patterns view`,
          command: 'incidentWorkbench.revealLogPattern',
          arguments: [p.id],
        }),
      );
    }
    return lenses;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
