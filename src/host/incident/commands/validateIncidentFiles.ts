import * as vscode from 'vscode';
import type { Command } from '../../shared/command';
import type { IncidentDeps } from '../deps';
import { reportError } from '../../shared/reportError';

export interface ValidationSummary {
  checked: number;
  invalid: number;
}

export const validateIncidentFiles: Command<IncidentDeps> = {
  id: 'incidentWorkbench.validateIncidentFiles',
  async run(deps): Promise<ValidationSummary | undefined> {
    if (!deps.repository.folder) {
      void reportError(deps.log, 'Open a folder first: there is no .incidents/ folder to validate.', { notify: true });
      return undefined;
    }
    const reports = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Validating incident files' },
      () => deps.diagnostics.validateAll(),
    );
    const invalid = reports.filter((r) => r.state !== 'valid').length;
    const summary = { checked: reports.length, invalid };
    deps.log.info(`Validated ${summary.checked} incident files: ${invalid} invalid`);
    if (reports.length === 0) {
      void vscode.window.showInformationMessage('No incident files found in .incidents/.');
    } else if (invalid === 0) {
      void vscode.window.showInformationMessage(`All ${reports.length} incident files are valid.`);
    } else {
      void vscode.window
        .showWarningMessage(`${invalid} of ${reports.length} incident files are invalid; they are listed in the Problems panel.`, 'Show Problems')
        .then((choice) => choice && vscode.commands.executeCommand('workbench.actions.view.problems'));
    }
    return summary;
  },
};
