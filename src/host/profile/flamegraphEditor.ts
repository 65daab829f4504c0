import * as path from 'node:path';
import * as vscode from 'vscode';
import { reopenState } from '../../protocol/common';
import { FLAMEGRAPH_VIEW_TYPE, PROFILE_DIFF_VIEW_TYPE, isFlamegraphIntent, isProfileDiffReopen, type FlamegraphIntent, type FlamegraphSnapshot, type ProfileDiffReopen } from '../../protocol/flamegraph';
import { profileDiffSnapshot, profileSnapshot } from '../../presenters/flamegraph';
import { openBeside } from '../shared/openBeside';
import { WebviewBridge } from '../shared/webviewBridge';
import { buildWebviewHtml, webviewOptions } from '../shared/webviewHtml';
import { offerPathMapping, type PathResolver } from '../shared/pathResolver';
import { ProfileDocument } from './profileDocument';
import type { ProfilePair, SourceHeat } from './sourceHeat';

export interface FlamegraphHost {
  extensionUri: vscode.Uri;
  resolver: PathResolver;
  heat: SourceHeat;
  cwdFor(uri: vscode.Uri): string | undefined;
  log: vscode.LogOutputChannel;
}

/** Opens a frame's file at its line beside the flame graph, which stays open. Returns the editor, or undefined. */
export async function openFrameSource(host: FlamegraphHost, file: string, line: number, cwd?: string): Promise<vscode.TextEditor | undefined> {
  const uri = await host.resolver.resolve(file, cwd);
  if (!uri) {
    if (await offerPathMapping(file)) return openFrameSource(host, file, line, cwd);
    return undefined;
  }
  return openBeside(uri, line);
}

/** The read-only custom editor for profile files; every open panel is a flamegraph of one document. */
export class FlamegraphEditorProvider implements vscode.CustomReadonlyEditorProvider<ProfileDocument> {
  private readonly panels = new Map<ProfileDocument, Set<WebviewBridge<FlamegraphSnapshot, FlamegraphIntent>>>();
  /** The last focused flamegraph's document (the Compare command starts from it). */
  active: ProfileDocument | undefined;

  constructor(private readonly host: FlamegraphHost) {
    host.heat.onDidChange(() => this.pushAll());
  }

  static register(host: FlamegraphHost): { provider: FlamegraphEditorProvider; disposable: vscode.Disposable } {
    const provider = new FlamegraphEditorProvider(host);
    const disposable = vscode.Disposable.from(
      vscode.window.registerCustomEditorProvider(FLAMEGRAPH_VIEW_TYPE, provider, { supportsMultipleEditorsPerDocument: true, webviewOptions: { enableFindWidget: false } }),
      vscode.window.registerWebviewPanelSerializer(PROFILE_DIFF_VIEW_TYPE, {
        async deserializeWebviewPanel(panel, state: unknown) {
          const reopen = reopenState(state, isProfileDiffReopen);
          if (!reopen) panel.dispose();
          else await showProfileDiff(host, vscode.Uri.parse(reopen.before), vscode.Uri.parse(reopen.after), panel);
        },
      }),
    );
    return { provider, disposable };
  }

  /** The snapshot's parts that change after the data is sent (heat on/off, its filter), per page, as last sent. */
  private readonly sent = new Map<WebviewBridge<FlamegraphSnapshot, FlamegraphIntent>, string>();

  async openCustomDocument(uri: vscode.Uri): Promise<ProfileDocument> {
    // Not awaited: VS Code creates the panel and loads the page while the file is parsed (a 200k-stack
    // profile parses in about a second); the page's first snapshot waits for `loaded`.
    const doc = ProfileDocument.open(uri, this.host.resolver, this.host.cwdFor(uri));
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading ${path.basename(uri.path)}` }, () => doc.loaded);
    return doc;
  }

  async resolveCustomEditor(doc: ProfileDocument, panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = webviewOptions(this.host.extensionUri);
    // A custom editor's frame is titled by its panel's title (VS Code leaves it "undefined" otherwise).
    panel.title = path.basename(doc.uri.path);
    panel.webview.html = buildWebviewHtml(panel.webview, this.host.extensionUri, { app: 'flamegraph', title: `Flame graph: ${path.basename(doc.uri.path)}` });
    const bridge: WebviewBridge<FlamegraphSnapshot, FlamegraphIntent> = new WebviewBridge<FlamegraphSnapshot, FlamegraphIntent>(
      panel.webview,
      async () => {
        await doc.loaded;
        const snap = this.snapshot(doc);
        this.sent.set(bridge, heatKey(snap));
        return snap;
      },
      isFlamegraphIntent,
      async (intent) => {
        await doc.loaded;
        await this.onIntent(doc, intent);
      },
    );
    let set = this.panels.get(doc);
    if (!set) this.panels.set(doc, (set = new Set()));
    set.add(bridge);
    let disposed = false;
    const focus = () => {
      this.active = doc;
      if (doc.profile) void this.host.heat.follow(doc);
    };
    this.active = doc;
    // The heat's line table takes a few hundred ms on a big profile: after the page's first snapshot is
    // posted (a macrotask after the microtasks that post it), not before.
    void doc.loaded.then(() =>
      setImmediate(() => {
        if (doc.error) this.host.log.warn(doc.error);
        if (!disposed && (panel.active || this.active === doc)) focus();
      }),
    );
    panel.onDidChangeViewState((e) => e.webviewPanel.active && focus());
    panel.onDidDispose(() => {
      disposed = true;
      bridge.dispose();
      this.sent.delete(bridge);
      set.delete(bridge);
      if (set.size === 0) {
        this.panels.delete(doc);
        this.host.heat.forget(doc);
        if (this.active === doc) this.active = undefined;
      }
    });
  }

  snapshot(doc: ProfileDocument): FlamegraphSnapshot {
    return { ...profileSnapshot(doc, path.basename(doc.uri.path), this.host.heat.enabled), ...this.snapshotHeat(doc) };
  }

  /**
   * A heat change re-sends a page's snapshot only when what it shows of the heat changed: the snapshot
   * carries the whole profile (tens of MB for 200k stacks), and following a newly focused profile changes
   * nothing on its page.
   */
  private pushAll(): void {
    for (const [doc, set] of this.panels) {
      // Not read yet: the page's first snapshot, made when it is, shows the heat as it is then.
      if (!doc.isLoaded) continue;
      const key = heatKey(this.snapshotHeat(doc));
      for (const b of set) if (this.sent.get(b) !== key) void b.push();
    }
  }

  private snapshotHeat(doc: ProfileDocument): Pick<FlamegraphSnapshot, 'heatOn' | 'heatFilter'> {
    const filter = this.host.heat.current === doc ? this.host.heat.filterLabel : undefined;
    return { heatOn: this.host.heat.enabled, ...(filter ? { heatFilter: filter } : {}) };
  }

  async onIntent(doc: ProfileDocument, intent: FlamegraphIntent): Promise<void> {
    switch (intent.type) {
      case 'openSourceFor':
        if (!doc.hasFile(intent.file)) return;
        await openFrameSource(this.host, intent.file, intent.line, doc.cwd);
        return;
      case 'setHeat':
        await this.host.heat.setEnabled(intent.on);
        return;
      case 'threads':
        await this.host.heat.follow(doc, intent.threads);
        return;
      case 'focus':
        await this.host.heat.follow(doc, intent.threads, { path: intent.path, onlyMine: intent.onlyMine, hideIdle: intent.hideIdle });
        return;
      case 'resetHeatFilter':
        await this.host.heat.resetFilter();
        return;
      case 'openAsText':
        await vscode.commands.executeCommand('vscode.openWith', doc.uri, 'default');
        return;
      default:
        return;
    }
  }
}

function heatKey(s: Pick<FlamegraphSnapshot, 'heatOn' | 'heatFilter'>): string {
  return `${s.heatOn}\u0000${s.heatFilter ?? ''}`;
}

/** A differential flamegraph of two profiles in a panel, plus the table of biggest changes. */
export async function showProfileDiff(host: FlamegraphHost, before: vscode.Uri, after: vscode.Uri, restored?: vscode.WebviewPanel): Promise<{ panel: vscode.WebviewPanel; snapshot: FlamegraphSnapshot }> {
  const [a, b] = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Reading both profiles…' }, () =>
    Promise.all([ProfileDocument.load(before, host.resolver, host.cwdFor(before)), ProfileDocument.load(after, host.resolver, host.cwdFor(after))]),
  );
  const title = `${path.basename(before.path)} → ${path.basename(after.path)}`;
  const snapshot = profileDiffSnapshot(a, b, { title, before: vscode.workspace.asRelativePath(before), after: vscode.workspace.asRelativePath(after) }, host.heat.enabled);
  const panel = restored ?? vscode.window.createWebviewPanel(PROFILE_DIFF_VIEW_TYPE, `Diff: ${title}`, vscode.ViewColumn.Beside, webviewOptions(host.extensionUri));
  if (restored) panel.webview.options = webviewOptions(host.extensionUri);
  const reopen: ProfileDiffReopen = { before: before.toString(), after: after.toString() };
  panel.webview.html = buildWebviewHtml(panel.webview, host.extensionUri, { app: 'flamegraph', title: `Profile diff: ${title}` });
  const files = new Set([...(a.profile?.frames ?? []), ...(b.profile?.frames ?? [])].map((f) => f.file));
  // While the diff is the focused panel, the editor heat shows the change (after minus before, per line).
  const pair: ProfilePair = { before: a, after: b };
  const bridge = new WebviewBridge<FlamegraphSnapshot, FlamegraphIntent>(
    panel.webview,
    async () => {
      const filter = host.heat.currentDiff === pair ? host.heat.filterLabel : undefined;
      return { ...snapshot, heatOn: host.heat.enabled, ...(filter ? { heatFilter: filter } : {}) };
    },
    isFlamegraphIntent,
    async (intent) => {
      if (intent.type === 'openSourceFor' && files.has(intent.file)) await openFrameSource(host, intent.file, intent.line, b.cwd ?? a.cwd);
      else if (intent.type === 'setHeat') await host.heat.setEnabled(intent.on);
      else if (intent.type === 'focus') await host.heat.followDiff(pair, { path: intent.path, onlyMine: intent.onlyMine, hideIdle: intent.hideIdle });
      else if (intent.type === 'resetHeatFilter' && host.heat.currentDiff === pair) await host.heat.resetFilter();
    },
    { reopen: () => reopen },
  );
  const sub = host.heat.onDidChange(() => void bridge.push());
  const focus = () => void host.heat.followDiff(pair);
  focus();
  const viewState = panel.onDidChangeViewState((e) => e.webviewPanel.active && focus());
  panel.onDidDispose(() => {
    bridge.dispose();
    sub.dispose();
    viewState.dispose();
    host.heat.forget(pair);
  });
  return { panel, snapshot };
}
