import * as vscode from 'vscode';
import type { FileProblem } from '../../core/validation/problems';

/** A file problem as the Problems panel shows it, at `range` (each caller knows its own way to place it). */
export function problemDiagnostic(range: vscode.Range, p: FileProblem): vscode.Diagnostic {
  const d = new vscode.Diagnostic(range, p.message, p.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Error);
  d.source = 'Incident Workbench';
  if (p.pointer) d.code = p.pointer;
  return d;
}
