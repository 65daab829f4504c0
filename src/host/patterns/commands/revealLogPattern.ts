import * as vscode from 'vscode';
import type { Command } from '../../shared/command';
import type { PatternsDeps } from '../deps';

/** Shows a pattern in the Patterns view (from a code lens): clears a filter that hides it. */
export const revealLogPattern: Command<PatternsDeps> = {
  id: 'incidentWorkbench.revealLogPattern',
  async run(deps, id?: unknown): Promise<boolean> {
    if (typeof id !== 'string' || !deps.patterns.state.pattern(id)) return false;
    if (!deps.patterns.state.visible().some((p) => p.id === id)) deps.patterns.state.setFilter('');
    await vscode.commands.executeCommand('incidentWorkbench.patterns.focus');
    return deps.patterns.reveal(id, { focus: true });
  },
};
