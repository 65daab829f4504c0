import * as vscode from 'vscode';
import { reopenState } from '../../protocol/common';
import { ROLLBACK_VIEW_TYPE, isRollbackIntent, isRollbackReopen, type RollbackIntent, type RollbackReopen, type RollbackSnapshot } from '../../protocol/rollback';
import type { Workbench } from '../shared/workbench';
import { WebviewBridge } from '../shared/webviewBridge';
import { buildWebviewHtml, webviewOptions } from '../shared/webviewHtml';
import { judge, judgementSnapshot, type Judgement } from './rollback';

/** One rollback panel; judging another pair of files replaces what it shows. */
export class RollbackPanel implements vscode.Disposable {
  static current: RollbackPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly bridge: WebviewBridge<RollbackSnapshot, RollbackIntent>;
  private lastRun: RollbackSnapshot['lastRun'];

  static show(deps: Workbench, judgement: Judgement): RollbackPanel {
    if (RollbackPanel.current) {
      RollbackPanel.current.judgement = judgement;
      RollbackPanel.current.lastRun = undefined;
      RollbackPanel.current.panel.reveal();
      void RollbackPanel.current.bridge.push();
      return RollbackPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(ROLLBACK_VIEW_TYPE, 'Rollback Judgement', vscode.ViewColumn.Active, webviewOptions(deps.extensionUri));
    return (RollbackPanel.current = new RollbackPanel(deps, panel, judgement));
  }

  /** After a window reload: the same two files judged again (they may have changed meanwhile). */
  static serializer(deps: Workbench): vscode.WebviewPanelSerializer {
    return {
      async deserializeWebviewPanel(panel, state: unknown) {
        const reopen = reopenState(state, isRollbackReopen);
        if (!reopen || RollbackPanel.current) {
          panel.dispose();
          return;
        }
        panel.webview.options = webviewOptions(deps.extensionUri);
        const judgement = await judge(deps, vscode.Uri.parse(reopen.baseline), vscode.Uri.parse(reopen.current), undefined, reopen.thresholds ? vscode.Uri.parse(reopen.thresholds) : undefined);
        RollbackPanel.current = new RollbackPanel(deps, panel, judgement);
      },
    };
  }

  private constructor(
    private readonly deps: Workbench,
    readonly panel: vscode.WebviewPanel,
    public judgement: Judgement,
  ) {
    panel.webview.html = buildWebviewHtml(panel.webview, deps.extensionUri, { app: 'rollback', title: 'Rollback Judgement' });
    const reopen = (): RollbackReopen => ({
      baseline: this.judgement.baselineUri.toString(),
      current: this.judgement.currentUri.toString(),
      ...(this.judgement.thresholdsUri ? { thresholds: this.judgement.thresholdsUri.toString() } : {}),
    });
    this.bridge = new WebviewBridge(panel.webview, async () => judgementSnapshot(this.deps, this.judgement, this.lastRun), isRollbackIntent, (i) => this.handle(i), { reopen });
    this.disposables.push(
      this.bridge,
      panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.bridge.push()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('incidentWorkbench.rollback') || e.affectsConfiguration('incidentWorkbench.prometheusUrl')) void this.refresh();
      }),
    );
    if (deps.activeIncident) this.disposables.push(deps.activeIncident.onDidChange(() => void this.bridge.push()));
  }

  async refresh(): Promise<void> {
    this.judgement = await judge(this.deps, this.judgement.baselineUri, this.judgement.currentUri, undefined, this.judgement.thresholdsUri);
    await this.bridge.push();
  }

  private async handle(intent: RollbackIntent): Promise<void> {
    switch (intent.type) {
      case 'refresh':
        await this.refresh();
        return;
      case 'openSettings':
        await vscode.commands.executeCommand('workbench.action.openSettings', 'incidentWorkbench.rollback');
        return;
      case 'openFile':
        await vscode.commands.executeCommand('vscode.open', intent.which === 'baseline' ? this.judgement.baselineUri : this.judgement.currentUri);
        return;
      case 'rollBack': {
        const result = (await vscode.commands.executeCommand('incidentWorkbench.rollBack', { baseline: this.judgement.baselineUri, current: this.judgement.currentUri, thresholds: this.judgement.thresholdsUri })) as
          | { status: string; exitCode?: number | null; evidencePath?: string; incidentId?: string }
          | undefined;
        if (result?.evidencePath && result.incidentId) {
          this.lastRun = { at: new Date().toISOString(), exitCode: result.exitCode ?? null, evidencePath: result.evidencePath, incidentId: result.incidentId, status: result.status };
          await this.bridge.push();
        }
        return;
      }
    }
  }

  dispose(): void {
    if (RollbackPanel.current === this) RollbackPanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
