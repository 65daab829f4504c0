import * as vscode from 'vscode';
import { incidentDir } from '../../core/store/layout';
import { reopenState } from '../../protocol/common';
import {
  INCIDENT_OVERVIEW_VIEW_TYPE,
  isIncidentOverviewIntent,
  isIncidentOverviewReopen,
  type IncidentOverviewIntent,
  type IncidentOverviewReopen,
  type IncidentOverviewSnapshot,
} from '../../protocol/incidentOverview';
import { noWorkspaceSnapshot, toOverviewSnapshot } from '../../presenters/incidentOverview';
import type { IncidentDeps } from './deps';
import { WebviewBridge } from '../shared/webviewBridge';
import { buildWebviewHtml, webviewOptions } from '../shared/webviewHtml';

/** One overview panel per incident; showing an incident again reveals its panel. */
export class IncidentOverviewPanel implements vscode.Disposable {
  private static readonly open = new Map<string, IncidentOverviewPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly bridge: WebviewBridge<IncidentOverviewSnapshot, IncidentOverviewIntent>;

  static show(deps: IncidentDeps, id: string): IncidentOverviewPanel {
    const existing = IncidentOverviewPanel.open.get(id);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(INCIDENT_OVERVIEW_VIEW_TYPE, id, vscode.ViewColumn.Active, webviewOptions(deps.extensionUri));
    return new IncidentOverviewPanel(deps, panel, id);
  }

  /** Restores panels after a window reload, from the `reopen` the page kept. */
  static serializer(deps: IncidentDeps): vscode.WebviewPanelSerializer {
    return {
      async deserializeWebviewPanel(panel, state: unknown) {
        const reopen = reopenState(state, isIncidentOverviewReopen);
        if (!reopen) {
          panel.dispose();
          return;
        }
        panel.webview.options = webviewOptions(deps.extensionUri);
        new IncidentOverviewPanel(deps, panel, reopen.incidentId);
      },
    };
  }

  private constructor(
    private readonly deps: IncidentDeps,
    readonly panel: vscode.WebviewPanel,
    readonly id: string,
  ) {
    IncidentOverviewPanel.open.set(id, this);
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'incidents.svg');
    panel.webview.html = buildWebviewHtml(panel.webview, deps.extensionUri, { app: 'incident', title: `Incident ${id}` });
    const reopen: IncidentOverviewReopen = { incidentId: id };
    this.bridge = new WebviewBridge(panel.webview, () => this.snapshot(), isIncidentOverviewIntent, (intent) => this.handle(intent), { reopen: () => reopen });
    this.disposables.push(
      this.bridge,
      deps.repository.onDidChange(() => void this.bridge.push()),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private async snapshot(): Promise<IncidentOverviewSnapshot> {
    const store = this.deps.repository.store();
    if (!store) return noWorkspaceSnapshot(this.id);
    const [entry, postmortem] = await Promise.all([store.read(this.id), store.readPostmortem(this.id)]);
    this.panel.title = entry.value?.title ? `${this.id} ${entry.value.title}` : this.id;
    return toOverviewSnapshot(entry, postmortem);
  }

  private async handle(intent: IncidentOverviewIntent): Promise<void> {
    switch (intent.type) {
      case 'openIncidentFile':
        await vscode.commands.executeCommand('incidentWorkbench.openIncidentFile', this.id, intent.line, intent.column);
        return;
      case 'openEvidence': {
        // The page only names a path; resolve it inside this incident's folder and refuse anything outside.
        const segments = intent.path.split('/');
        if (segments.some((s) => s === '..' || s === '') || intent.path.startsWith('/')) return;
        const uri = this.deps.repository.uri(`${incidentDir(this.id)}/${intent.path}`);
        if (uri) await vscode.commands.executeCommand('vscode.open', uri);
        return;
      }
      case 'openPostmortem':
        // Creates it pre-filled from the incident when there is none (the post-mortem feature's command).
        await vscode.commands.executeCommand('incidentWorkbench.openPostmortem', this.id);
        return;
      case 'revealInTree': {
        const node = await this.deps.incidentsTree.nodeFor(this.id);
        if (node) await this.deps.incidentsView.reveal(node, { select: true, focus: true });
        return;
      }
    }
  }

  dispose(): void {
    IncidentOverviewPanel.open.delete(this.id);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
