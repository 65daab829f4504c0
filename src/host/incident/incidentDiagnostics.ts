import * as vscode from 'vscode';
import type { FileReport } from '../../core/store/incidentStore';
import type { FileProblem } from '../../core/validation/problems';
import { problemDiagnostic } from '../shared/problemDiagnostic';
import type { IncidentRepository } from '../shared/incidentRepository';

function toDiagnostic(p: FileProblem): vscode.Diagnostic {
  const line = p.line - 1;
  const column = p.column - 1;
  // Multi-line nodes are shown on their first line; the squiggle length is capped to stay readable.
  const range = new vscode.Range(line, column, line, column + Math.max(1, Math.min(p.length, 120)));
  return problemDiagnostic(range, p);
}

/** Schema problems of `.incidents/` files in the Problems panel; re-checked when those files change. */
export class IncidentDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('incidentWorkbench');
  private readonly subscription: vscode.Disposable;

  constructor(private readonly repository: IncidentRepository) {
    // Once the user has asked for validation, keep the panel true as files are fixed or broken again.
    this.subscription = repository.onDidChange(() => {
      let any = false;
      this.collection.forEach(() => (any = true));
      if (any) void this.validateAll().catch(() => undefined);
    });
  }

  async validateAll(): Promise<FileReport[]> {
    const store = this.repository.store();
    if (!store) return [];
    const reports = await store.validateAll();
    this.collection.clear();
    for (const report of reports) {
      const uri = this.repository.uri(report.path);
      if (uri && report.problems.length > 0) this.collection.set(uri, report.problems.map(toDiagnostic));
    }
    return reports;
  }

  get(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }
}
