import * as vscode from 'vscode';

/**
 * Opens a file at a line (1-based) from a chart or table in a webview without covering it: in the editor
 * group beside the webview's, as a preview tab the next jump reuses, with the focus in the code. Opening in
 * the webview's own group replaced the chart's preview tab and lost the user's place in it.
 */
export async function openBeside(uri: vscode.Uri, line: number | undefined, column = 1): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const l = Math.max(0, Math.min((line ?? 1) - 1, doc.lineCount - 1));
  const position = new vscode.Position(l, Math.max(0, column - 1));
  return vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(position, position), preserveFocus: false, preview: true });
}
