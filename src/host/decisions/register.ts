import * as vscode from 'vscode';
import { registerCommands } from '../shared/command';
import type { Workbench } from '../shared/workbench';
import { ML_MODEL_VIEW_TYPE } from '../../protocol/mlmodel';
import { ROLLBACK_VIEW_TYPE } from '../../protocol/rollback';
import { AbTestEditorProvider } from './abtestView';
import { analyzeAbTest } from './commands/analyzeAbTest';
import { analyzeModelPredictions } from './commands/analyzeModelPredictions';
import { judgeRollback } from './commands/judgeRollback';
import { rollBack } from './commands/rollBack';

export const DECISIONS_COMMANDS = [analyzeAbTest, judgeRollback, rollBack, analyzeModelPredictions];

/** A panel that is open when the window reloads comes back through its serializer (loaded on first use). */
function lazySerializer(load: () => Promise<vscode.WebviewPanelSerializer>): vscode.WebviewPanelSerializer {
  return { deserializeWebviewPanel: async (panel, state) => (await load()).deserializeWebviewPanel(panel, state) };
}

/** Decisions with statistics: the A/B test editor and panel, rollback judgement and run, the ML model panel. */
export function registerDecisions(workbench: Workbench): vscode.Disposable[] {
  const disposables: vscode.Disposable[] = [
    AbTestEditorProvider.register(workbench),
    vscode.window.registerWebviewPanelSerializer(ROLLBACK_VIEW_TYPE, lazySerializer(async () => (await import('./rollbackPanel')).RollbackPanel.serializer(workbench))),
    vscode.window.registerWebviewPanelSerializer(ML_MODEL_VIEW_TYPE, lazySerializer(async () => (await import('./mlModelPanel')).MlModelPanel.serializer(workbench))),
    ...registerCommands(DECISIONS_COMMANDS, workbench),
  ];
  if (workbench.extensionMode === vscode.ExtensionMode.Test) {
    // Answers Judge Rollback's consent dialog for a Prometheus a metrics file names (loaded when called).
    disposables.push(vscode.commands.registerCommand('incidentWorkbench._prometheusConsent', async (args?: { answer?: 'allow' | 'deny' | 'dialog'; forget?: boolean }) => (await import('./prometheusConsent')).consentTestHook(workbench, args)));
  }
  return disposables;
}
