import * as vscode from 'vscode';
import { registerCommands } from '../shared/command';
import type { TreeSection } from '../shared/treeSection';
import type { Workbench } from '../shared/workbench';
import { LoggingCodeActions } from './codeActions';
import { insertStructuredLoggingSetup } from './commands/insertStructuredLoggingSetup';
import { scanWorkspaceLogging } from './commands/scanWorkspaceLogging';
import type { LoggingDeps } from './deps';
import { LoggingHealth } from './loggingHealth';
import { LoggingLinter } from './loggingLinter';

export const LOGGING_COMMANDS = [scanWorkspaceLogging, insertStructuredLoggingSetup];

/**
 * The logging linter (diagnostics as you type, quick fixes, workspace scan). Returns its "Logging health"
 * branch for the Incidents view, which shows it without knowing this feature.
 */
export function registerLogging(workbench: Workbench): { disposables: vscode.Disposable[]; health: TreeSection<unknown> } {
  const logging = new LoggingLinter(workbench.extensionUri, workbench.log);
  const health = new LoggingHealth(logging);
  const deps: LoggingDeps = { ...workbench, logging };
  return {
    health,
    disposables: [
      logging,
      health,
      vscode.languages.registerCodeActionsProvider({ language: 'python' }, new LoggingCodeActions(logging), { providedCodeActionKinds: LoggingCodeActions.kinds }),
      ...registerCommands(LOGGING_COMMANDS, deps),
    ],
  };
}
