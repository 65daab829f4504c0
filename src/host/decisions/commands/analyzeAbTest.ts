import * as vscode from 'vscode';
import type { AbTestReport } from '../../../core/abtest';
import { ABTEST_VIEW_TYPE } from '../../../protocol/abtest';
import { showAbTestPanel } from '../abtestView';
import { readText, resolveUri } from '../settings';
import type { Workbench } from '../../shared/workbench';
import type { Command } from '../../shared/command';
import { errorMessage } from '../../../core/util/errors';
import { reportError } from '../../shared/reportError';
import { pickFile } from '../../shared/pickFile';

/**
 * Opens an A/B test in the analysis view: `*.abtest.json` in its custom editor, CSV (or other JSON) in a
 * panel. Argument: a Uri or a workspace-relative path; else the active editor's file; else a pick of the
 * incident's A/B evidence and the workspace's A/B files (Browse… for any other).
 * Returns the analysis, so tests and other commands can use the verdict without the UI.
 */
export const analyzeAbTest: Command<Workbench> = {
  id: 'incidentWorkbench.analyzeAbTest',
  async run(deps, arg?: unknown): Promise<{ uri: string; report: AbTestReport } | undefined> {
    let uri = resolveUri(arg);
    if (!uri) {
      const active = vscode.window.activeTextEditor?.document.uri ?? vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      const candidate = active instanceof vscode.Uri ? active : (active as { uri?: unknown } | undefined)?.uri;
      if (candidate instanceof vscode.Uri && /\.(abtest\.json|csv)$/i.test(candidate.path)) uri = candidate;
    }
    if (!uri) {
      const picked = await pickFile(deps, {
        title: 'Analyze A/B Test: an *.abtest.json, or a CSV of one row per user',
        kinds: ['abtest'],
        include: '{**/*.abtest.json,**/experiments/**/*.csv,**/*abtest*.csv,**/*experiment*.csv}',
        match: /\.(json|csv)$/i,
        dialog: { openLabel: 'Analyze', filters: { 'A/B tests': ['json', 'csv'] } },
      });
      uri = picked?.[0];
    }
    if (!uri) return undefined;
    let text: string;
    try {
      text = await readText(uri);
    } catch (e) {
      void reportError(deps.log, `Cannot analyze the A/B test: ${errorMessage(e)}`, { notify: true, cause: e });
      return undefined;
    }
    const { analyzeAbTest: analyze, parseAbTest } = await import('../../../core/abtest');
    const report = analyze(parseAbTest(text, uri.path));
    if (/\.abtest\.json$/i.test(uri.path)) await vscode.commands.executeCommand('vscode.openWith', uri, ABTEST_VIEW_TYPE);
    else showAbTestPanel(deps, uri);
    return { uri: uri.toString(), report };
  },
};
