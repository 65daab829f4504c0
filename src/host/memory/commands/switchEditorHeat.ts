import * as vscode from 'vscode';
import type { HeatSource } from '../../shared/editorHeat';
import type { Command } from '../../shared/command';
import type { MemoryDeps } from '../deps';

/** Switches the editors between CPU heat (the last focused profile) and memory heat (the last memory view). */
export const switchEditorHeat: Command<MemoryDeps> = {
  id: 'incidentWorkbench.switchEditorHeat',
  async run(deps, to?: unknown): Promise<HeatSource> {
    const next: HeatSource = to === 'cpu' || to === 'memory' ? to : deps.heat.shown === 'cpu' ? 'memory' : 'cpu';
    await deps.heat.show(next);
    if (!deps.heat.has(next)) void vscode.window.showInformationMessage(next === 'cpu' ? 'Editors show CPU heat; open a profile to see hot lines.' : 'Editors show memory heat; open a memory capture to see the lines that allocate.');
    else vscode.window.setStatusBarMessage(next === 'cpu' ? '$(flame) CPU heat in the editors' : '$(symbol-numeric) Memory heat in the editors', 3000);
    return next;
  },
};
