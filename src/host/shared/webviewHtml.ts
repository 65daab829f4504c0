import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { WebviewApp } from '../../protocol/apps';

/** What every webview may load: our bundles, icons and CSS; nothing from the network. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The one HTML page all webviews use. Data never goes into this HTML: it arrives later as a message and
 * is rendered as text, so a `<script>` in a log line or span name stays a string.
 */
export function buildWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, options: { app: WebviewApp; title: string }): string {
  const nonce = randomBytes(18).toString('base64');
  const asset = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path)).toString();
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    `style-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(options.title)}</title>
<link rel="stylesheet" href="${asset('dist', 'codicons', 'codicon.css')}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${asset('media', 'webview.css')}">
</head>
<body data-app="${escapeHtml(options.app)}">
<main id="app" aria-busy="true"></main>
<script nonce="${nonce}" src="${asset('dist', 'webview', `${options.app}.js`)}"></script>
</body>
</html>`;
}
