import * as vscode from 'vscode';
import {
  analyzePredictions,
  checkRobustness,
  httpPredictor,
  parsePredictions,
  type MlModelReport,
  type Prediction,
  type Predictor,
  type RobustnessReport,
} from '../../core/mlmodel';
import { commandPredictor } from '../../node/commandPredictor';
import { reopenState } from '../../protocol/common';
import { ML_MODEL_VIEW_TYPE, isMlModelIntent, isMlModelReopen, type MlModelIntent, type MlModelReopen, type MlModelRobustness, type MlModelSnapshot } from '../../protocol/mlmodel';
import { robustnessDone, toMlModelSnapshot } from '../../presenters/mlmodel';
import type { Workbench } from '../shared/workbench';
import { WebviewBridge } from '../shared/webviewBridge';
import { openBeside } from '../shared/openBeside';
import { buildWebviewHtml, webviewOptions } from '../shared/webviewHtml';
import { decisionSettings, readText } from './settings';
import { errorMessage } from '../../core/util/errors';

function predictorFromSettings(scope: vscode.Uri): { predictor?: Predictor; name?: string; state?: MlModelRobustness } {
  const s = decisionSettings(scope);
  if (!s.predictCommand.length && !s.predictEndpoint) {
    return { state: { state: 'unconfigured', message: 'Set incidentWorkbench.model.predictCommand (JSON on stdin/stdout) or incidentWorkbench.model.predictEndpoint to test robustness.' } };
  }
  if (!vscode.workspace.isTrusted) return { state: { state: 'untrusted', message: 'Testing robustness runs your model (a program or an endpoint from settings); trust this workspace first.' } };
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (s.predictCommand.length) return { predictor: commandPredictor(s.predictCommand, folder ? { cwd: folder } : {}), name: s.predictCommand.join(' ') };
  return { predictor: httpPredictor(s.predictEndpoint!), name: s.predictEndpoint! };
}

/** One panel per predictions file. */
export class MlModelPanel implements vscode.Disposable {
  static readonly open = new Map<string, MlModelPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly bridge: WebviewBridge<MlModelSnapshot, MlModelIntent>;
  private report: MlModelReport | undefined;
  private predictions: Prediction[] = [];
  private error: string | undefined;
  private robustness: MlModelRobustness | undefined;
  robustnessResult: RobustnessReport | undefined;

  static async show(deps: Workbench, uri: vscode.Uri): Promise<MlModelPanel> {
    const key = uri.toString();
    const existing = MlModelPanel.open.get(key);
    if (existing) {
      await existing.load();
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(ML_MODEL_VIEW_TYPE, `Model: ${uri.path.split('/').pop()}`, vscode.ViewColumn.Active, webviewOptions(deps.extensionUri));
    const p = new MlModelPanel(deps, panel, uri);
    await p.load();
    return p;
  }

  /** After a window reload: the same predictions file, read again. */
  static serializer(deps: Workbench): vscode.WebviewPanelSerializer {
    return {
      async deserializeWebviewPanel(panel, state: unknown) {
        const reopen = reopenState(state, isMlModelReopen);
        const uri = reopen && vscode.Uri.parse(reopen.uri);
        if (!uri || MlModelPanel.open.has(uri.toString())) {
          panel.dispose();
          return;
        }
        panel.webview.options = webviewOptions(deps.extensionUri);
        await new MlModelPanel(deps, panel, uri).load();
      },
    };
  }

  private constructor(
    deps: Workbench,
    readonly panel: vscode.WebviewPanel,
    readonly uri: vscode.Uri,
  ) {
    MlModelPanel.open.set(uri.toString(), this);
    panel.webview.html = buildWebviewHtml(panel.webview, deps.extensionUri, { app: 'mlmodel', title: `Model: ${uri.path.split('/').pop()}` });
    const reopen: MlModelReopen = { uri: uri.toString() };
    this.bridge = new WebviewBridge(panel.webview, async () => this.snapshot(), isMlModelIntent, (i) => this.handle(i), { reopen: () => reopen });
    this.disposables.push(this.bridge, panel.onDidDispose(() => this.dispose()), vscode.workspace.onDidGrantWorkspaceTrust(() => void this.bridge.push()));
  }

  get lastReport(): MlModelReport | undefined {
    return this.report;
  }

  async load(): Promise<void> {
    try {
      const { predictions, issues } = parsePredictions(await readText(this.uri, 512 * 1024 * 1024));
      this.predictions = predictions;
      this.report = analyzePredictions(predictions, issues);
      this.error = undefined;
    } catch (e) {
      this.error = errorMessage(e);
      this.report = undefined;
    }
    await this.bridge.push();
  }

  private snapshot(): MlModelSnapshot {
    const robustness = this.robustness ?? (predictorFromSettings(this.uri).state ?? { state: 'ready', predictor: predictorFromSettings(this.uri).name ?? '' });
    return toMlModelSnapshot(vscode.workspace.asRelativePath(this.uri), this.report, this.error, robustness);
  }

  /** Sends the seed's variations to the configured model, with progress and cancel. */
  async runRobustness(): Promise<RobustnessReport | undefined> {
    const { predictor, name, state } = predictorFromSettings(this.uri);
    if (!predictor) {
      this.robustness = state;
      await this.bridge.push();
      if (state?.state === 'unconfigured') {
        const choice = await vscode.window.showInformationMessage(state.message, 'Open Settings');
        if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', 'incidentWorkbench.model');
      }
      return undefined;
    }
    this.robustness = { state: 'running', predictor: name! };
    await this.bridge.push();
    try {
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Testing model robustness', cancellable: true }, (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        let last = 0;
        return checkRobustness(this.predictions, predictor, {
          signal: controller.signal,
          onProgress: (done, total) => {
            progress.report({ message: `${done}/${total} predictions`, increment: ((done - last) / total) * 100 });
            last = done;
          },
        });
      });
      this.robustnessResult = result;
      this.robustness = robustnessDone(name!, result);
      await this.bridge.push();
      return result;
    } catch (e) {
      this.robustness = { state: 'failed', predictor: name!, message: errorMessage(e) };
      await this.bridge.push();
      return undefined;
    }
  }

  private async handle(intent: MlModelIntent): Promise<void> {
    switch (intent.type) {
      case 'runRobustness':
        await this.runRobustness();
        return;
      case 'openSettings':
        await vscode.commands.executeCommand('workbench.action.openSettings', 'incidentWorkbench.model');
        return;
      case 'openLine': {
        await openBeside(this.uri, intent.line);
        return;
      }
    }
  }

  dispose(): void {
    MlModelPanel.open.delete(this.uri.toString());
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
