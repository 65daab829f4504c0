import * as vscode from 'vscode';
import type { AbTestReport } from '../../core/abtest';
import { reopenState } from '../../protocol/common';
import { ABTEST_PANEL_VIEW_TYPE, ABTEST_VIEW_TYPE, isAbIntent, isAbReopen, type AbIntent, type AbReopen, type AbSnapshot } from '../../protocol/abtest';
import { toAbSnapshot } from '../../presenters/abtest';
import { targetIncident } from '../shared/sessionStep';
import type { Workbench } from '../shared/workbench';
import { WebviewBridge } from '../shared/webviewBridge';
import { buildWebviewHtml, webviewOptions } from '../shared/webviewHtml';
import { openBeside } from '../shared/openBeside';
import { evidenceStamp } from '../../core/incident/writer';
import { readText } from './settings';
import { errorMessage } from '../../core/util/errors';
import { reportError } from '../shared/reportError';

const baseName = (uri: vscode.Uri) => uri.path.split('/').pop() ?? uri.path;

/** Wires one webview (editor or panel) to a text source; a panel passes `reopen` for its serializer. */
function wire(deps: Workbench, panel: vscode.WebviewPanel, uri: vscode.Uri, text: () => Promise<string>, canOpenAsText: boolean, changes?: vscode.Event<unknown>, reopen?: AbReopen): vscode.Disposable {
  const disposables: vscode.Disposable[] = [];
  panel.webview.options = webviewOptions(deps.extensionUri);
  panel.webview.html = buildWebviewHtml(panel.webview, deps.extensionUri, { app: 'abtest', title: `A/B test: ${baseName(uri)}` });
  let report: AbTestReport | undefined;
  const snapshot = async (): Promise<AbSnapshot> => {
    // Loaded on first use: the statistics (and jstat) stay off the activation path.
    const { analyzeAbTest, parseAbTest } = await import('../../core/abtest');
    let source: string;
    try {
      source = await text();
    } catch (e) {
      report = analyzeAbTest({ issues: [{ type: 'unreadable', severity: 'error', message: errorMessage(e) }], format: 'json' });
      return toAbSnapshot(report, baseName(uri), canOpenAsText, errorMessage(e));
    }
    report = analyzeAbTest(parseAbTest(source, uri.path));
    return toAbSnapshot(report, baseName(uri), canOpenAsText);
  };
  const bridge = new WebviewBridge<AbSnapshot, AbIntent>(
    panel.webview,
    snapshot,
    isAbIntent,
    async (intent) => {
      if (intent.type === 'openAsText') {
        await vscode.commands.executeCommand('vscode.openWith', uri, 'default');
      } else if (intent.type === 'openSource') {
        const { locateVariant } = await import('../../core/abtest');
        const at = locateVariant(await text().catch(() => ''), intent.variant);
        await openBeside(uri, at?.line, at?.column);
      } else if (intent.type === 'attachToIncident' && report) {
        const id = await targetIncident(deps, undefined, 'Attach this A/B analysis to which incident?');
        if (!id) return;
        try {
          const { path } = await deps.writer.addEvidence(id, { name: `abtest-${baseName(uri).replace(/\.(abtest\.)?(json|csv)$/i, '')}-${evidenceStamp()}.json`, content: `${JSON.stringify({ source: vscode.workspace.asRelativePath(uri), ...report }, null, 2)}\n`, kind: 'abtest', note: report.verdict.headline });
          void vscode.window.showInformationMessage(`A/B analysis saved to ${id}/${path}.`);
        } catch (e) {
          void reportError(deps.log, `Could not attach the analysis: ${errorMessage(e)}`, { notify: true, cause: e });
        }
      }
    },
    reopen ? { reopen: () => reopen } : {},
  );
  disposables.push(bridge);
  if (changes) disposables.push(changes(() => void bridge.push()));
  return vscode.Disposable.from(...disposables);
}

/** `*.abtest.json` opens here: the TextDocument is the source; every edit re-analyses. */
export class AbTestEditorProvider implements vscode.CustomTextEditorProvider {
  static register(deps: Workbench): vscode.Disposable {
    return vscode.Disposable.from(
      vscode.window.registerCustomEditorProvider(ABTEST_VIEW_TYPE, new AbTestEditorProvider(deps), { supportsMultipleEditorsPerDocument: true }),
      vscode.window.registerWebviewPanelSerializer(ABTEST_PANEL_VIEW_TYPE, {
        async deserializeWebviewPanel(panel, state: unknown) {
          const reopen = reopenState(state, isAbReopen);
          if (!reopen) panel.dispose();
          else showAbTestPanel(deps, vscode.Uri.parse(reopen.uri), panel);
        },
      }),
    );
  }

  private constructor(private readonly deps: Workbench) {}

  resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): void {
    // A custom editor's frame is titled by its panel's title (VS Code leaves it "undefined" otherwise).
    panel.title = baseName(document.uri);
    const changes = new vscode.EventEmitter<unknown>();
    const sub = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.uri.toString() === document.uri.toString()) changes.fire(undefined);
    });
    const wired = wire(this.deps, panel, document.uri, async () => document.getText(), true, changes.event);
    panel.onDidDispose(() => {
      wired.dispose();
      sub.dispose();
      changes.dispose();
    });
  }
}

/** CSV files (and any other A/B file) shown in a panel; the file is re-read when it changes on disk. */
export function showAbTestPanel(deps: Workbench, uri: vscode.Uri, restored?: vscode.WebviewPanel): vscode.WebviewPanel {
  const panel = restored ?? vscode.window.createWebviewPanel(ABTEST_PANEL_VIEW_TYPE, `A/B: ${baseName(uri)}`, vscode.ViewColumn.Active, webviewOptions(deps.extensionUri));
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(uri, '..'), baseName(uri)));
  const changes = new vscode.EventEmitter<unknown>();
  watcher.onDidChange(() => changes.fire(undefined));
  const wired = wire(deps, panel, uri, () => readText(uri), false, changes.event, { uri: uri.toString() });
  panel.onDidDispose(() => {
    wired.dispose();
    watcher.dispose();
    changes.dispose();
  });
  return panel;
}
