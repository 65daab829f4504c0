import * as vscode from 'vscode';
import type { Command } from '../../shared/command';
import type { IncidentDeps } from '../deps';
import { incidentIdFrom } from '../../shared/pickIncident';

/**
 * Makes an incident the active one (status bar; where other features attach evidence). Args: an id or tree
 * node; `{ clear: true }` or `null` clears it. Returns the active id afterwards.
 */
export const setActiveIncident: Command<IncidentDeps> = {
  id: 'incidentWorkbench.setActiveIncident',
  async run(deps, target?: unknown): Promise<string | undefined> {
    if (target === null || (target && typeof target === 'object' && (target as { clear?: unknown }).clear === true)) {
      await deps.activeIncident.set(undefined);
      return undefined;
    }
    if (target === undefined && deps.activeIncident.id) {
      const entries = await deps.repository.list();
      const picked = await vscode.window.showQuickPick(
        [
          ...entries.filter((e) => e.value?.status !== 'CLOSED').map((e) => ({ label: e.id, description: e.value?.title ?? e.state, detail: e.id === deps.activeIncident.id ? 'active' : undefined, id: e.id as string | undefined })),
          { label: '$(close) No active incident', description: '', detail: undefined, id: undefined },
        ],
        { title: 'Set Active Incident', placeHolder: `Active: ${deps.activeIncident.id}` },
      );
      if (!picked) return deps.activeIncident.id;
      await deps.activeIncident.set(picked.id);
      return picked.id;
    }
    const id = await incidentIdFrom(deps, target, 'Make which incident active?');
    if (!id) return deps.activeIncident.id;
    await deps.activeIncident.set(id);
    vscode.window.setStatusBarMessage(`$(pulse) ${id} is the active incident`, 3000);
    return id;
  },
};
