import * as vscode from 'vscode';

let queue: Promise<unknown> = Promise.resolve();

/**
 * Opens a file at a line (1-based) from a chart or table in a webview without covering it: in the editor
 * group beside the webview's, as a preview tab the next jump reuses, with the focus in the code. Opening in
 * the webview's own group replaced the chart's preview tab and lost the user's place in it. A file already
 * shown in a group is revealed there: "Beside" counts from the active group, which after the first jump is
 * the code's, so each further jump (the two clicks of a double click on a frame) opened yet another group.
 * Jumps run one after another, so the second sees the editor the first opened.
 */
export function openBeside(uri: vscode.Uri, line: number | undefined, column = 1): Promise<vscode.TextEditor> {
  const next = queue.then(async () => {
    const doc = await vscode.workspace.openTextDocument(uri);
    const l = Math.max(0, Math.min((line ?? 1) - 1, doc.lineCount - 1));
    const position = new vscode.Position(l, Math.max(0, column - 1));
    const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === doc.uri.toString() && e.viewColumn !== undefined);
    return vscode.window.showTextDocument(doc, { viewColumn: shown?.viewColumn ?? vscode.ViewColumn.Beside, selection: new vscode.Range(position, position), preserveFocus: false, preview: true });
  });
  queue = next.catch(() => undefined);
  return next;
}

/**
 * Opens a file at a line (1-based) in the first editor group, or beside when the view it is opened from
 * (`from`) is in the first group: the code never replaces the view the user came from.
 */
export async function openAwayFrom(uri: vscode.Uri, line: number, from: vscode.ViewColumn | undefined): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const position = new vscode.Position(Math.max(0, Math.min(line - 1, doc.lineCount - 1)), 0);
  const column = from === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
  return vscode.window.showTextDocument(doc, { viewColumn: column, selection: new vscode.Range(position, position), preserveFocus: false, preview: true });
}
