import * as vscode from 'vscode';
import { parseHeaderText } from '../../../core/traces/query';
import { errorMessage } from '../../../core/util/errors';
import type { Command } from '../../shared/command';
import type { TraceSearchDeps } from '../deps';
import { headersKey, jaegerUrl } from '../settings';

/**
 * Stores the auth headers sent to the configured Jaeger in VS Code's SecretStorage (never in a file).
 * Arg (tests): the header text (`Name: value` lines, `;` between headers); an empty text removes them.
 */
export const setJaegerHeaders: Command<TraceSearchDeps> = {
  id: 'incidentWorkbench.setJaegerHeaders',
  async run(deps, arg?: unknown): Promise<string[] | undefined> {
    const url = jaegerUrl();
    if (!url) {
      const choice = await vscode.window.showWarningMessage('Set incidentWorkbench.traces.jaegerUrl first: headers are stored for that address.', 'Open Settings');
      if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', 'incidentWorkbench.traces.jaegerUrl');
      return undefined;
    }
    const text =
      typeof arg === 'string'
        ? arg
        : await vscode.window.showInputBox({
            title: `Auth headers for ${url}`,
            prompt: 'Name: value, several separated by ";" (e.g. Authorization: Bearer …). Kept in VS Code\'s secret storage; empty removes them.',
            password: true,
            ignoreFocusOut: true,
          });
    if (text === undefined) return undefined;
    let headers: Record<string, string>;
    try {
      headers = parseHeaderText(text.replace(/;\s*/g, '\n'));
    } catch (e) {
      void vscode.window.showErrorMessage(errorMessage(e));
      return undefined;
    }
    if (Object.keys(headers).length === 0) await deps.secrets.delete(headersKey(url));
    else await deps.secrets.store(headersKey(url), JSON.stringify(headers));
    await deps.panels.refresh();
    void vscode.window.showInformationMessage(Object.keys(headers).length ? `Stored ${Object.keys(headers).join(', ')} for ${new URL(url).origin}.` : `Removed the auth headers for ${url}.`);
    return Object.keys(headers);
  },
};
