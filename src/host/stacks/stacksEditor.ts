import * as path from 'node:path';
import * as vscode from 'vscode';
import { STACKS_VIEW_TYPE, isStacksIntent, type StacksIntent, type StacksSnapshot } from '../../protocol/stacks';
import { stacksErrorSnapshot, stacksSnapshot } from '../../presenters/stacks';
import { openAwayFrom } from '../shared/openBeside';
import { WebviewBridge } from '../shared/webviewBridge';
import { buildWebviewHtml, webviewOptions } from '../shared/webviewHtml';
import { resolveDumpFile } from './sources';
import { StackDocument } from './stackDocument';

/**
 * Opens a frame's file at its line in the first editor group, or beside the dump view when that is in the
 * first group (the code never replaces the view the user came from).
 */
export async function openDumpFrame(file: string, line: number, from?: vscode.ViewColumn): Promise<vscode.TextEditor | undefined> {
  const uri = await resolveDumpFile(file);
  if (!uri) {
    void vscode.window.showWarningMessage(`${file} is not in this workspace. If the dump was taken in a container, map its folder with the incidentWorkbench.pathMappings setting (e.g. {"/app": "\${workspaceFolder}"}).`);
    return undefined;
  }
  return openAwayFrom(uri, line, from);
}

/** The read-only custom editor for stack dump files: threads, stuck frames, findings. */
export class StacksEditorProvider implements vscode.CustomReadonlyEditorProvider<StackDocument> {
  private readonly opened = new Map<string, StackDocument>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  static register(extensionUri: vscode.Uri, log: vscode.LogOutputChannel): { provider: StacksEditorProvider; disposable: vscode.Disposable } {
    const provider = new StacksEditorProvider(extensionUri, log);
    const disposable = vscode.window.registerCustomEditorProvider(STACKS_VIEW_TYPE, provider, { supportsMultipleEditorsPerDocument: true });
    return { provider, disposable };
  }

  async openCustomDocument(uri: vscode.Uri): Promise<StackDocument> {
    const doc = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading ${path.basename(uri.path)}` }, () => StackDocument.load(uri));
    this.opened.set(uri.toString(), doc);
    return doc;
  }

  /** The analysis of an open dump (tests and commands read what the page shows). */
  documentFor(uri: vscode.Uri): StackDocument | undefined {
    return this.opened.get(uri.toString());
  }

  snapshot(doc: StackDocument): StacksSnapshot {
    const title = `Stacks: ${path.basename(doc.uri.path)}`;
    if (!doc.analysis) return stacksErrorSnapshot(doc.version, title, doc.error ?? 'Nothing to show.');
    return stacksSnapshot(doc.analysis, { id: doc.version, title, ...(doc.series?.dumps[0] ? { source: doc.series.dumps[0].source } : {}) });
  }

  async resolveCustomEditor(doc: StackDocument, panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = webviewOptions(this.extensionUri);
    // Titles the page's frame too (left unset, VS Code writes "undefined" there for screen readers).
    panel.title = path.basename(doc.uri.path);
    panel.webview.html = buildWebviewHtml(panel.webview, this.extensionUri, { app: 'stacks', title: `Stacks: ${path.basename(doc.uri.path)}` });
    const bridge = new WebviewBridge<StacksSnapshot, StacksIntent>(panel.webview, async () => this.snapshot(doc), isStacksIntent, (intent) => this.onIntent(doc, intent, panel));
    panel.onDidDispose(() => {
      bridge.dispose();
      if (this.opened.get(doc.uri.toString()) === doc) this.opened.delete(doc.uri.toString());
    });
    if (doc.error) this.log.warn(doc.error);
  }

  private async onIntent(doc: StackDocument, intent: StacksIntent, panel: vscode.WebviewPanel): Promise<void> {
    if (intent.type === 'openSource') {
      if (doc.hasFile(intent.file)) await openDumpFrame(intent.file, intent.line, panel.viewColumn);
    } else if (intent.type === 'openAsText') await vscode.commands.executeCommand('vscode.openWith', doc.uri, 'default');
  }
}
