import * as vscode from 'vscode';
import { reopenState } from '../../protocol/common';
import { ERROR_DETAILS_VIEW_TYPE, isErrorDetailsIntent, isErrorDetailsReopen, type ErrorDetailsIntent, type ErrorDetailsReopen, type ErrorDetailsSnapshot } from '../../protocol/errorDetails';
import { toDetailsSnapshot } from '../../presenters/errorDetails';
import type { ErrorsDeps } from './deps';
import { WebviewBridge } from '../shared/webviewBridge';
import { buildWebviewHtml, webviewOptions } from '../shared/webviewHtml';

/** One details panel per cluster; showing the cluster again reveals it. */
export class ClusterDetailsPanel implements vscode.Disposable {
  private static readonly open = new Map<string, ClusterDetailsPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly bridge: WebviewBridge<ErrorDetailsSnapshot, ErrorDetailsIntent>;

  static show(deps: ErrorsDeps, fingerprint: string): ClusterDetailsPanel {
    const existing = ClusterDetailsPanel.open.get(fingerprint);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(ERROR_DETAILS_VIEW_TYPE, 'Error cluster', vscode.ViewColumn.Active, webviewOptions(deps.extensionUri));
    return new ClusterDetailsPanel(deps, panel, fingerprint);
  }

  static serializer(deps: ErrorsDeps): vscode.WebviewPanelSerializer {
    return {
      async deserializeWebviewPanel(panel, state: unknown) {
        const reopen = reopenState(state, isErrorDetailsReopen);
        if (!reopen) {
          panel.dispose();
          return;
        }
        panel.webview.options = webviewOptions(deps.extensionUri);
        new ClusterDetailsPanel(deps, panel, reopen.fingerprint);
        // After a window reload the cluster comes back once the remembered logs are read again.
        deps.errors.state.restore();
      },
    };
  }

  private constructor(
    private readonly deps: ErrorsDeps,
    readonly panel: vscode.WebviewPanel,
    readonly fingerprint: string,
  ) {
    ClusterDetailsPanel.open.set(fingerprint, this);
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'incidents.svg');
    panel.webview.html = buildWebviewHtml(panel.webview, deps.extensionUri, { app: 'errorDetails', title: `Error cluster ${fingerprint.slice(0, 12)}` });
    const reopen: ErrorDetailsReopen = { fingerprint };
    this.bridge = new WebviewBridge(panel.webview, () => Promise.resolve(this.snapshot()), isErrorDetailsIntent, (intent) => this.handle(intent), { reopen: () => reopen });
    this.disposables.push(
      this.bridge,
      deps.errors.state.onDidChange(() => {
        this.updateTitle();
        void this.bridge.push();
      }),
      panel.onDidDispose(() => this.dispose()),
    );
    // Named from the state at once: the tab should not wait for the page to load and say `ready`.
    this.updateTitle();
  }

  private updateTitle(): void {
    const c = this.deps.errors.state.cluster(this.fingerprint);
    this.panel.title = c ? `${c.exceptionType || 'Errors'} ×${c.count}` : 'Error cluster';
  }

  snapshot(): ErrorDetailsSnapshot {
    const state = this.deps.errors.state;
    this.updateTitle();
    return toDetailsSnapshot(state.cluster(this.fingerprint), state.sources.map((s) => state.label(s)));
  }

  private async handle(intent: ErrorDetailsIntent): Promise<void> {
    const c = this.deps.errors.state.cluster(this.fingerprint);
    if (!c) return;
    switch (intent.type) {
      case 'openFrame': {
        const f = [...c.frames].reverse()[intent.index];
        if (f) await vscode.commands.executeCommand('incidentWorkbench.openErrorFrame', { file: f.file, line: f.line, function: f.function });
        return;
      }
      case 'openSample': {
        const s = c.samples[intent.index];
        const file = s && this.deps.errors.state.fileOf(s.source);
        if (s && file) await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(s.line - 1, 0, s.line - 1, 0), viewColumn: vscode.ViewColumn.Beside });
        return;
      }
      case 'addToIncident':
        await vscode.commands.executeCommand('incidentWorkbench.addErrorClusterToIncident', c.fingerprint);
        return;
      case 'copyFingerprint':
        await vscode.commands.executeCommand('incidentWorkbench.copyErrorFingerprint', c.fingerprint);
        return;
      case 'revealInTree':
        await this.deps.errors.reveal(c.fingerprint, { focus: true });
        return;
    }
  }

  dispose(): void {
    ClusterDetailsPanel.open.delete(this.fingerprint);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
