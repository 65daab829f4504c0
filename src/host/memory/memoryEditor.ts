import * as path from 'node:path';
import * as vscode from 'vscode';
import { reopenState } from '../../protocol/common';
import { MEMORY_DIFF_VIEW_TYPE, MEMORY_VIEW_TYPE, isMemoryDiffReopen, isMemoryIntent, type MemoryDiffReopen, type MemoryIntent, type MemorySnapshot } from '../../protocol/memory';
import { memoryDiffSnapshot, memorySnapshot } from '../../presenters/memory';
import { offerPathMapping, type PathResolver } from '../shared/pathResolver';
import { openAwayFrom } from '../shared/openBeside';
import { WebviewBridge } from '../shared/webviewBridge';
import { buildWebviewHtml, webviewOptions } from '../shared/webviewHtml';
import type { EditorHeat } from '../shared/editorHeat';
import { MemoryDocument, type CaptureReader } from './memoryDocument';
import type { MemoryHeat } from './memoryHeat';

export interface MemoryEditorHost extends CaptureReader {
  extensionUri: vscode.Uri;
  resolver: PathResolver;
  heat: MemoryHeat;
  editorHeat: EditorHeat;
  log: vscode.LogOutputChannel;
  cwdFor(uri: vscode.Uri): string | undefined;
}

/**
 * Opens a recorded file at its line, in the editor group beside the memory view so the view stays open.
 * Returns the editor, or undefined when the file is not found (after offering a path mapping).
 */
export async function openCaptureSource(resolver: PathResolver, file: string, line: number, cwd: string | undefined, beside: vscode.ViewColumn | undefined): Promise<vscode.TextEditor | undefined> {
  const uri = await resolver.resolve(file, cwd);
  if (!uri) {
    if (await offerPathMapping(file)) return openCaptureSource(resolver, file, line, cwd, beside);
    return undefined;
  }
  return openAwayFrom(uri, line, beside);
}

/** The read-only custom editor for memory captures; every open panel is a memory view of one document. */
export class MemoryEditorProvider implements vscode.CustomReadonlyEditorProvider<MemoryDocument> {
  private readonly panels = new Map<MemoryDocument, Set<{ bridge: WebviewBridge<MemorySnapshot, MemoryIntent>; panel: vscode.WebviewPanel }>>();
  /** The last focused memory view's document (Compare starts from it; the tests read it). */
  active: MemoryDocument | undefined;
  /** The last snapshot each document's page was sent (the tests read the suspects from it). */
  readonly lastSnapshot = new Map<MemoryDocument, MemorySnapshot>();

  constructor(private readonly host: MemoryEditorHost) {
    host.heat.onDidChange(() => this.pushAll());
  }

  static register(host: MemoryEditorHost): { provider: MemoryEditorProvider; disposable: vscode.Disposable } {
    const provider = new MemoryEditorProvider(host);
    const disposable = vscode.Disposable.from(
      vscode.window.registerCustomEditorProvider(MEMORY_VIEW_TYPE, provider, { supportsMultipleEditorsPerDocument: true, webviewOptions: { enableFindWidget: false } }),
      // A memory diff comes back after a window reload with the same two captures, read again.
      vscode.window.registerWebviewPanelSerializer(MEMORY_DIFF_VIEW_TYPE, {
        async deserializeWebviewPanel(panel, state: unknown) {
          const reopen = reopenState(state, isMemoryDiffReopen);
          if (!reopen) panel.dispose();
          else await showMemoryDiff(host, vscode.Uri.parse(reopen.before), vscode.Uri.parse(reopen.after), panel);
        },
      }),
    );
    return { provider, disposable };
  }

  async openCustomDocument(uri: vscode.Uri): Promise<MemoryDocument> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading ${path.basename(uri.path)}` }, () => MemoryDocument.load(uri, this.host, this.host.cwdFor(uri)));
  }

  async resolveCustomEditor(doc: MemoryDocument, panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = webviewOptions(this.host.extensionUri);
    // Titles the page's frame too (left unset, VS Code writes "undefined" there for screen readers).
    panel.title = path.basename(doc.uri.path);
    panel.webview.html = buildWebviewHtml(panel.webview, this.host.extensionUri, { app: 'memory', title: `Memory: ${path.basename(doc.uri.path)}` });
    const bridge = new WebviewBridge<MemorySnapshot, MemoryIntent>(
      panel.webview,
      async () => {
        const s = this.snapshot(doc);
        this.lastSnapshot.set(doc, s);
        return s;
      },
      isMemoryIntent,
      (intent) => this.onIntent(doc, intent, panel),
    );
    let set = this.panels.get(doc);
    if (!set) this.panels.set(doc, (set = new Set()));
    const entry = { bridge, panel };
    set.add(entry);
    const focus = () => {
      this.active = doc;
      if (doc.capture) void this.host.heat.follow(doc);
    };
    focus();
    panel.onDidChangeViewState((e) => e.webviewPanel.active && focus());
    panel.onDidDispose(() => {
      bridge.dispose();
      set.delete(entry);
      if (set.size === 0) {
        this.panels.delete(doc);
        this.lastSnapshot.delete(doc);
        this.host.heat.forget(doc);
        if (this.active === doc) this.active = undefined;
      }
    });
    if (doc.error) this.host.log.warn(doc.error);
  }

  snapshot(doc: MemoryDocument): MemorySnapshot {
    return memorySnapshot(doc, `Memory: ${path.basename(doc.uri.path)}`, { on: this.host.heat.enabled, shown: this.host.heat.shown });
  }

  private pushAll(): void {
    for (const set of this.panels.values()) for (const e of set) void e.bridge.push();
  }

  async onIntent(doc: MemoryDocument, intent: MemoryIntent, panel: vscode.WebviewPanel): Promise<void> {
    switch (intent.type) {
      case 'openSourceFor':
        if (!doc.hasFile(intent.file)) return;
        await openCaptureSource(this.host.resolver, intent.file, intent.line, doc.cwd, panel.viewColumn);
        return;
      case 'setHeat':
        await this.host.heat.setEnabled(intent.on);
        return;
      case 'heatView':
        await this.host.heat.follow(doc, { view: intent.view, measure: intent.measure, ...(intent.range ? { range: intent.range } : {}) });
        return;
      case 'showCpuHeat':
        await this.host.editorHeat.show('cpu');
        return;
    }
  }
}

/** Two captures compared in a panel: the differential flame graph and the tables of biggest changes. */
export async function showMemoryDiff(host: MemoryEditorHost, before: vscode.Uri, after: vscode.Uri, restored?: vscode.WebviewPanel): Promise<{ panel: vscode.WebviewPanel; snapshot: MemorySnapshot }> {
  const [a, b] = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Reading both memory captures…' }, () =>
    Promise.all([MemoryDocument.load(before, host, host.cwdFor(before)), MemoryDocument.load(after, host, host.cwdFor(after))]),
  );
  const title = `${path.basename(before.path)} → ${path.basename(after.path)}`;
  const make = () => memoryDiffSnapshot(a, b, { title, before: vscode.workspace.asRelativePath(before), after: vscode.workspace.asRelativePath(after) }, { on: host.heat.enabled, shown: host.heat.shown });
  const snapshot = make();
  const panel = restored ?? vscode.window.createWebviewPanel(MEMORY_DIFF_VIEW_TYPE, `Memory diff: ${title}`, vscode.ViewColumn.Beside, webviewOptions(host.extensionUri));
  panel.webview.options = webviewOptions(host.extensionUri);
  const reopen: MemoryDiffReopen = { before: before.toString(), after: after.toString() };
  panel.webview.html = buildWebviewHtml(panel.webview, host.extensionUri, { app: 'memory', title: `Memory diff: ${title}` });
  const bridge = new WebviewBridge<MemorySnapshot, MemoryIntent>(
    panel.webview,
    async () => make(),
    isMemoryIntent,
    async (intent) => {
      if (intent.type === 'openSourceFor' && (a.hasFile(intent.file) || b.hasFile(intent.file))) await openCaptureSource(host.resolver, intent.file, intent.line, b.cwd ?? a.cwd, panel.viewColumn);
      else if (intent.type === 'setHeat') await host.heat.setEnabled(intent.on);
      else if (intent.type === 'heatView' && b.capture) await host.heat.follow(b, { view: intent.view, measure: intent.measure });
      else if (intent.type === 'showCpuHeat') await host.editorHeat.show('cpu');
    },
    { reopen: () => reopen },
  );
  const sub = host.heat.onDidChange(() => void bridge.push());
  panel.onDidDispose(() => {
    bridge.dispose();
    sub.dispose();
    host.heat.forget(b);
  });
  return { panel, snapshot };
}
