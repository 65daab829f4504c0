import * as vscode from 'vscode';
import type { Finding } from '../../core/logging/lint';
import { LOGGING_DIAGNOSTIC_SOURCE, isLintable, type LoggingLinter } from './loggingLinter';

export const INSERT_SETUP_COMMAND = 'incidentWorkbench.insertStructuredLoggingSetup';

/** One quick fix per fix of each logging finding under the cursor, as WorkspaceEdits (undoable, previewable). */
export class LoggingCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly linter: LoggingLinter) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (!isLintable(document)) return [];
    const findings = this.linter.findingsFor(document);
    if (!findings) return [];
    const actions: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (d.source !== LOGGING_DIAGNOSTIC_SOURCE) continue;
      const finding = findings.find((f) => f.rule === d.code && f.line - 1 === d.range.start.line && f.column - 1 === d.range.start.character);
      if (!finding) continue;
      actions.push(...actionsFor(document, finding, d));
    }
    return actions;
  }
}

export function actionsFor(document: vscode.TextDocument, finding: Finding, diagnostic?: vscode.Diagnostic): vscode.CodeAction[] {
  const actions: vscode.CodeAction[] = [];
  if (finding.rule === 'unstructured-logger') {
    const a = new vscode.CodeAction('Insert structured logging setup (JSON formatter, request id)', vscode.CodeActionKind.QuickFix);
    a.command = { command: INSERT_SETUP_COMMAND, title: 'Insert Structured Logging Setup', arguments: [{ uri: document.uri }] };
    a.isPreferred = true;
    if (diagnostic) a.diagnostics = [diagnostic];
    actions.push(a);
  }
  for (const fix of finding.fixes) {
    const a = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
    const edit = new vscode.WorkspaceEdit();
    for (const e of fix.edits) edit.replace(document.uri, new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.text);
    a.edit = edit;
    if (fix.preferred) a.isPreferred = true;
    if (diagnostic) a.diagnostics = [diagnostic];
    actions.push(a);
  }
  return actions;
}
