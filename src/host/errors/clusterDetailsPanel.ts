import * as vscode from 'vscode';
import type { ClusterSummary, ReportException } from '../../core/errors/analyzer';
import { ERROR_DETAILS_VIEW_TYPE, type ErrorDetailsIntent, type ErrorDetailsSnapshot, type ErrorDetailsState } from '../../protocol/errorDetails';
import type { ErrorsDeps } from './deps';
import { clusterTitle } from './errorsTree';
import { WebviewBridge } from '../shared/webviewBridge';
import { buildWebviewHtml, webviewOptions } from '../shared/webviewHtml';

/** A chain printed the way Python prints it, for reading samples as text. */
export function formatChain(chain: ReportException[]): string {
  const parts: string[] = [];
  chain.forEach((e, i) => {
    const lines = ['Traceback (most recent call last):'];
    for (const f of e.frames) {
      lines.push(`  File "${f.file}"${f.line !== undefined ? `, line ${f.line}` : ''}, in ${f.function}`);
      if (f.source) lines.push(`    ${f.source}`);
    }
    lines.push(e.message ? `${e.type}: ${e.message}` : e.type);
    parts.push(lines.join('\n'));
    if (i < chain.length - 1) {
      parts.push(e.linkToNext === 'cause' ? '\nThe above exception was the direct cause of the following exception:\n' : '\nDuring handling of the above exception, another exception occurred:\n');
    }
  });
  return parts.join('\n');
}

export function toDetailsSnapshot(c: ClusterSummary | undefined, sources: string[]): ErrorDetailsSnapshot {
  if (!c) return { missing: 'This cluster is not in the loaded logs any more. Load the logs it came from again.', sources };
  const spike = c.patterns.find((p) => p.type === 'spike');
  return {
    sources,
    cluster: {
      id: c.id,
      fingerprint: c.fingerprint,
      title: clusterTitle(c),
      exceptionType: c.exceptionType,
      category: c.category,
      hypothesis: c.hypothesis,
      actionItems: c.actionItems,
      count: c.count,
      ...(c.firstSeen ? { firstSeen: c.firstSeen } : {}),
      ...(c.lastSeen ? { lastSeen: c.lastSeen } : {}),
      reason: c.reason,
      ...(c.timeline ? { timeline: c.timeline } : {}),
      ...(spike && spike.type === 'spike'
        ? { spike: { at: spike.at, bucketMs: spike.bucket === 'minute' ? 60_000 : 3_600_000, count: spike.count, magnitude: spike.magnitude, description: spike.description } }
        : {}),
      users: c.users,
      endpoints: c.endpoints,
      services: c.services,
      versions: c.versions,
      distinctUsers: c.distinctUsers,
      distinctEndpoints: c.distinctEndpoints,
      frames: [...c.frames].reverse().map(({ file, line, function: fn, inApp }) => ({ file, function: fn, inApp, ...(line !== undefined ? { line } : {}) })),
      patterns: c.patterns.map((p) => ({ type: p.type, description: p.description })),
      samples: c.samples.map((s) => ({
        ...(s.timestamp ? { timestamp: s.timestamp } : {}),
        source: s.source,
        line: s.line,
        message: s.message,
        ...(s.userId ? { userId: s.userId } : {}),
        ...(s.endpoint ? { endpoint: s.endpoint } : {}),
        ...(s.service ? { service: s.service } : {}),
        ...(s.version ? { version: s.version } : {}),
        ...(s.requestId ? { requestId: s.requestId } : {}),
        ...(s.traceId ? { traceId: s.traceId } : {}),
        text: s.chain?.length ? formatChain(s.chain) : s.exceptionType ? `${s.exceptionType}: ${s.exceptionMessage ?? ''}` : s.message,
      })),
    },
  };
}

const INTENTS = new Set(['openFrame', 'openSample', 'addToIncident', 'copyFingerprint', 'revealInTree']);

function isIntent(m: { type: string }): m is ErrorDetailsIntent {
  if (!INTENTS.has(m.type)) return false;
  if (m.type === 'openFrame' || m.type === 'openSample') return Number.isInteger((m as { index?: unknown }).index);
  return true;
}

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

  static serializer(deps: ErrorsDeps): vscode.WebviewPanelSerializer<ErrorDetailsState> {
    return {
      async deserializeWebviewPanel(panel, state) {
        if (!state || typeof state.fingerprint !== 'string') {
          panel.dispose();
          return;
        }
        panel.webview.options = webviewOptions(deps.extensionUri);
        new ClusterDetailsPanel(deps, panel, state.fingerprint);
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
    this.bridge = new WebviewBridge(panel.webview, () => Promise.resolve(this.snapshot()), isIntent, (intent) => this.handle(intent));
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
