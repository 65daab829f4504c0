import * as vscode from 'vscode';
import { structuredLoggingSetup, type SetupResult } from '../../../core/logging/setup';
import type { Command } from '../../shared/command';
import type { LoggingDeps } from '../deps';
import { reportError } from '../../shared/reportError';

/**
 * Adds a JSON log formatter with a request-id context variable and configure_logging() to a Python module (the
 * active editor's, or `{uri}`), replacing its logging.basicConfig call. One undoable edit. Returns the result.
 */
export const insertStructuredLoggingSetup: Command<LoggingDeps> = {
  id: 'incidentWorkbench.insertStructuredLoggingSetup',
  async run(deps, rawArgs?: unknown): Promise<(SetupResult & { applied: boolean }) | undefined> {
    const args = rawArgs && typeof rawArgs === 'object' ? (rawArgs as { uri?: unknown }) : {};
    const uri = args.uri instanceof vscode.Uri ? args.uri : typeof args.uri === 'string' ? vscode.Uri.parse(args.uri) : vscode.window.activeTextEditor?.document.uri;
    if (!uri) {
      void vscode.window.showInformationMessage('Open the Python module that starts your service (where logging is configured), then run Insert Structured Logging Setup.');
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument(uri);
    if (document.languageId !== 'python') {
      void reportError(deps.log, `${vscode.workspace.asRelativePath(uri)} is not a Python file; open the module that starts your service.`, { notify: true, severity: 'warning' });
      return undefined;
    }
    const parser = await deps.logging.parser();
    const result = structuredLoggingSetup(parser, document.getText());
    if (result.edits.length === 0) {
      void vscode.window.showInformationMessage(result.message);
      return { ...result, applied: false };
    }
    const edit = new vscode.WorkspaceEdit();
    for (const e of result.edits) edit.replace(uri, new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.text);
    const applied = await vscode.workspace.applyEdit(edit);
    if (applied) void vscode.window.showInformationMessage(result.message);
    else void reportError(deps.log, `The structured logging setup could not be applied to ${vscode.workspace.asRelativePath(uri)} (the file changed or is read-only).`, { notify: true });
    return { ...result, applied };
  },
};
