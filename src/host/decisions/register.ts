import * as vscode from 'vscode';
import { registerCommands } from '../shared/command';
import type { Workbench } from '../shared/workbench';
import { AbTestEditorProvider } from './abtestView';
import { analyzeAbTest } from './commands/analyzeAbTest';
import { analyzeModelPredictions } from './commands/analyzeModelPredictions';
import { judgeRollback } from './commands/judgeRollback';
import { rollBack } from './commands/rollBack';

export const DECISIONS_COMMANDS = [analyzeAbTest, judgeRollback, rollBack, analyzeModelPredictions];

/** Decisions with statistics: the A/B test editor and panel, rollback judgement and run, the ML model panel. */
export function registerDecisions(workbench: Workbench): vscode.Disposable[] {
  const disposables = [AbTestEditorProvider.register(workbench), ...registerCommands(DECISIONS_COMMANDS, workbench)];
  if (workbench.extensionMode === vscode.ExtensionMode.Test) {
    // Answers Judge Rollback's consent dialog for a Prometheus a metrics file names (loaded when called).
    disposables.push(vscode.commands.registerCommand('incidentWorkbench._prometheusConsent', async (args?: { answer?: 'allow' | 'deny' | 'dialog'; forget?: boolean }) => (await import('./prometheusConsent')).consentTestHook(workbench, args)));
  }
  return disposables;
}
