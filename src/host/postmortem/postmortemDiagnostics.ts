import * as vscode from 'vscode';
import { checkPostmortemText } from '../../core/postmortem/check';
import type { FileProblem } from '../../core/validation/problems';
import { problemDiagnostic } from '../shared/problemDiagnostic';

const PATTERN = /\/\.incidents\/[^/]+\/postmortem\.json$/;

function toDiagnostic(document: vscode.TextDocument, p: FileProblem): vscode.Diagnostic {
  const start = document.positionAt(p.offset);
  const end = document.positionAt(p.offset + Math.max(1, Math.min(p.length, 400)));
  const range = new vscode.Range(start, end.line === start.line ? end : document.lineAt(start.line).range.end);
  return problemDiagnostic(range, p);
}

/**
 * Schema problems (errors) and blameless-lint findings (warnings) of every open postmortem.json, whichever
 * editor shows it (the form or text), updated as the document changes — before it is saved.
 */
export class PostmortemDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('incidentWorkbench.postmortem');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, 250)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        clearTimeout(this.timers.get(d.uri.toString()));
        this.collection.delete(d.uri);
      }),
    ];
    // Documents already open when the extension activated (lazy: no file is read, they are in memory).
    queueMicrotask(() => {
      for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
    });
  }

  static applies(uri: vscode.Uri): boolean {
    return PATTERN.test(uri.path);
  }

  private schedule(document: vscode.TextDocument, delayMs: number): void {
    if (!PostmortemDiagnostics.applies(document.uri)) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.update(document);
      }, delayMs),
    );
  }

  update(document: vscode.TextDocument): readonly vscode.Diagnostic[] {
    if (document.isClosed) return [];
    const check = checkPostmortemText(document.getText());
    const diagnostics = [...check.schemaProblems, ...check.lintProblems].map((p) => toDiagnostic(document, p));
    this.collection.set(document.uri, diagnostics);
    return diagnostics;
  }

  get(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }
}
