import * as vscode from 'vscode';
import type { Command } from '../../shared/command';
import type { PatternsDeps } from '../deps';

/** Filter the Patterns view: words, `level:ERROR`, `service:NAME`, `is:new`, `is:jumped`. Returns the count shown. */
export const filterPatterns: Command<PatternsDeps> = {
  id: 'incidentWorkbench.filterPatterns',
  async run(deps, arg?: unknown): Promise<number | undefined> {
    const state = deps.patterns.state;
    const text =
      typeof arg === 'string'
        ? arg
        : await vscode.window.showInputBox({
            title: 'Filter log patterns',
            prompt: 'Words in the template or samples; level:ERROR, service:NAME, is:new, is:jumped narrow further',
            value: state.filter,
            placeHolder: 'timeout level:WARNING',
          });
    if (text === undefined) return undefined;
    state.setFilter(text);
    return state.visible().length;
  },
};
