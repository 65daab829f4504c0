import * as vscode from 'vscode';
import type { ScanResult } from '../loggingLinter';
import type { Command } from '../../shared/command';
import type { LoggingDeps } from '../deps';

/**
 * Lints every Python file of the workspace for logging problems, with progress and Cancel; findings go to the
 * Problems panel and the Incidents view's "Logging health" node. Returns the ScanResult.
 */
export const scanWorkspaceLogging: Command<LoggingDeps> = {
  id: 'incidentWorkbench.scanWorkspaceLogging',
  async run(deps): Promise<ScanResult | undefined> {
    if (!vscode.workspace.workspaceFolders?.length) {
      void vscode.window.showInformationMessage('Open a folder with Python code to scan its logging.');
      return undefined;
    }
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Checking logging in Python files', cancellable: true },
      (progress, token) => deps.logging.scanWorkspace(progress, token),
    );
    const skipped = result.skipped.length ? `; ${result.skipped.length} skipped (see the Incident Workbench output)` : '';
    const text = `${result.cancelled ? 'Logging scan cancelled after' : 'Logging scan:'} ${result.files} Python file${result.files === 1 ? '' : 's'}, ${result.findings} finding${result.findings === 1 ? '' : 's'} (${result.errors} at error severity)${skipped}.`;
    deps.log.info(`${text} ${result.ms.toFixed(0)} ms`);
    void vscode.window.showInformationMessage(text, 'Show Problems').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
    return result;
  },
};
