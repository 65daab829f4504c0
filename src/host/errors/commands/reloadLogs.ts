import * as vscode from 'vscode';
import type { LoadSummary } from '../errorsState';
import type { Command } from '../../shared/command';
import type { ErrorsDeps } from '../deps';

/** Reads the same log files again (after they grew, or after changing a setting). */
export const reloadLogs: Command<ErrorsDeps> = {
  id: 'incidentWorkbench.reloadLogs',
  async run(deps): Promise<LoadSummary | undefined> {
    const state = deps.errors.state;
    // A log store is asked again over the same window.
    const store = deps.errors.state.storeSource;
    if (store) return vscode.commands.executeCommand('incidentWorkbench.loadLogs', { store: store.name, start: new Date(store.window.start).toISOString(), end: new Date(store.window.end).toISOString() });
    const sources = state.sources.length ? state.sources : state.lastSources;
    if (!sources.length) {
      void vscode.window.showInformationMessage('No logs loaded yet.', 'Load Logs…').then((c) => c && vscode.commands.executeCommand('incidentWorkbench.loadLogs'));
      return undefined;
    }
    return state.load(sources);
  },
};
