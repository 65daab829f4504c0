import * as vscode from 'vscode';
import type { Command } from '../../shared/command';
import type { ErrorsDeps } from '../deps';

/** Shows only clusters whose type, template, category, frames, services or endpoints contain the text. */
export const filterErrorClusters: Command<ErrorsDeps> = {
  id: 'incidentWorkbench.filterErrorClusters',
  async run(deps, text?: unknown): Promise<number | undefined> {
    const state = deps.errors.state;
    const value =
      typeof text === 'string'
        ? text
        : await vscode.window.showInputBox({
            title: 'Filter error clusters',
            prompt: 'Text in the exception type, message template, category, frames, services or endpoints (empty: show all)',
            value: state.filter,
          });
    if (value === undefined) return undefined;
    state.setFilter(value);
    return state.visibleClusters().length;
  },
};
