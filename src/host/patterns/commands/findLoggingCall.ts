import * as vscode from 'vscode';
import { PatternReaderContext, type PatternRecord } from '../../../core/patterns/reader';
import type { Command } from '../../shared/command';
import type { PatternsDeps } from '../deps';
import type { WorkspaceCallSite } from '../callSites';
import { readPatternsSettings } from '../settings';

/** The message a log line carries: the JSON message field, or the text after the header. */
export function messageOfLine(line: string): string {
  let record: PatternRecord | undefined;
  const ctx = new PatternReaderContext((r) => (record ??= r), { lines: true, fields: readPatternsSettings().fields });
  const reader = ctx.source('line');
  reader.push(line);
  reader.end();
  return record?.message ?? line;
}

/**
 * Find the Logging Call for a Log Line: the line under the cursor of a log file (or the text given) is read
 * like any log line, and the workspace's Python logging calls that can write its message are offered; one
 * match opens at once. Returns the calls found.
 */
export const findLoggingCall: Command<PatternsDeps> = {
  id: 'incidentWorkbench.findLoggingCall',
  async run(deps, arg?: unknown): Promise<{ file: string; line: number }[]> {
    let text = typeof arg === 'string' ? arg : undefined;
    if (text === undefined) {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void vscode.window.showInformationMessage('Put the cursor on a line of a log file first.');
        return [];
      }
      text = editor.document.lineAt(editor.selection.active.line).text;
    }
    const message = messageOfLine(text);
    const index = await deps.patterns.callSites.index();
    const found: WorkspaceCallSite[] = index.match(message).flatMap((s) => {
      const uri = deps.patterns.callSites.uriOf(s);
      return uri ? [{ ...s, uri }] : [];
    });
    if (found.length === 0) {
      void vscode.window.showInformationMessage(`No logging call in this workspace writes "${message.length > 80 ? `${message.slice(0, 79)}…` : message}".`);
      return [];
    }
    let site: WorkspaceCallSite | undefined = found[0];
    if (found.length > 1 && typeof arg !== 'string') {
      const picked = await vscode.window.showQuickPick(
        found.map((s) => ({ label: `${s.file}:${s.line}`, description: `logger.${s.method}("${s.template}")`, site: s })),
        { title: 'Logging calls that can write this line' },
      );
      site = picked?.site;
    }
    if (site) await vscode.window.showTextDocument(site.uri, { preview: true, selection: new vscode.Range(site.line - 1, site.column - 1, site.line - 1, site.column - 1) });
    return found.map((s) => ({ file: s.file, line: s.line }));
  },
};
