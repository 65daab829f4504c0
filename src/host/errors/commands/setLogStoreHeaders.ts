import * as vscode from 'vscode';
import type { Command } from '../../shared/command';
import { readLogStores, setLogStoreHeaders as storeHeaders } from '../../shared/logStores';
import type { ErrorsDeps } from '../deps';

/**
 * Set Log Store Headers…: request headers for a configured log store (an Authorization token), kept in
 * SecretStorage, never in settings. Arguments: `(name, {header: value} | null)` for scripts and tests
 * (null removes them); otherwise a pick of the store and an input box for `Name: value`.
 */
export const setLogStoreHeaders: Command<ErrorsDeps> = {
  id: 'incidentWorkbench.setLogStoreHeaders',
  async run(deps, nameArg?: unknown, headersArg?: unknown): Promise<boolean> {
    let name = typeof nameArg === 'string' ? nameArg : undefined;
    if (!name) {
      const { stores } = readLogStores();
      if (!stores.length) {
        void vscode.window.showInformationMessage('No log store is configured: add one to incidentWorkbench.logStores first.', 'Open Settings').then((a) => {
          if (a) void vscode.commands.executeCommand('workbench.action.openSettings', 'incidentWorkbench.logStores');
        });
        return false;
      }
      name = (await vscode.window.showQuickPick(stores.map((s) => ({ label: s.name, description: s.url }))))?.label;
      if (!name) return false;
    }
    if (headersArg === null) {
      await storeHeaders(deps, name, undefined);
      return true;
    }
    let headers: Record<string, string> | undefined;
    if (typeof headersArg === 'object' && headersArg !== null) {
      headers = Object.fromEntries(Object.entries(headersArg).filter((x): x is [string, string] => typeof x[1] === 'string'));
    } else {
      const line = await vscode.window.showInputBox({
        title: `Request header for log store "${name}" (kept in SecretStorage)`,
        prompt: "Name: value, e.g. Authorization: Bearer … (empty removes the store's headers)",
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() === '' || /^[A-Za-z0-9-]+\s*:/.test(v) ? undefined : 'Write Name: value'),
      });
      if (line === undefined) return false;
      if (line.trim() === '') {
        await storeHeaders(deps, name, undefined);
        return true;
      }
      const colon = line.indexOf(':');
      headers = { [line.slice(0, colon).trim().toLowerCase()]: line.slice(colon + 1).trim() };
    }
    await storeHeaders(deps, name, headers);
    return true;
  },
};
