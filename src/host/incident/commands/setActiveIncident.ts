import * as vscode from 'vscode';
import type { Command } from './command';
import { incidentIdFrom } from './pickIncident';

/**
 * Makes an incident the active one (status bar; where other features attach evidence). Args: an id or tree
 * node; `{ clear: true }` or `null` clears it. Returns the active id afterwards.
 */
export const setActiveIncident: Command = {
  id: 'incidentWorkbench.setActiveIncident',
  async run(services, target?: unknown): Promise<string | undefined> {
    if (target === null || (target && typeof target === 'object' && (target as { clear?: unknown }).clear === true)) {
      await services.activeIncident.set(undefined);
      return undefined;
    }
    if (target === undefined && services.activeIncident.id) {
      const entries = await services.repository.list();
      const picked = await vscode.window.showQuickPick(
        [
          ...entries.filter((e) => e.value?.status !== 'CLOSED').map((e) => ({ label: e.id, description: e.value?.title ?? e.state, detail: e.id === services.activeIncident.id ? 'active' : undefined, id: e.id as string | undefined })),
          { label: '$(close) No active incident', description: '', detail: undefined, id: undefined },
        ],
        { title: 'Set Active Incident', placeHolder: `Active: ${services.activeIncident.id}` },
      );
      if (!picked) return services.activeIncident.id;
      await services.activeIncident.set(picked.id);
      return picked.id;
    }
    const id = await incidentIdFrom(services, target, 'Make which incident active?');
    if (!id) return services.activeIncident.id;
    await services.activeIncident.set(id);
    vscode.window.setStatusBarMessage(`$(pulse) ${id} is the active incident`, 3000);
    return id;
  },
};
