import { IncidentOverviewPanel } from '../incidentOverviewPanel';
import type { Command } from '../../shared/command';
import type { IncidentDeps } from '../deps';
import { incidentIdFrom } from '../../shared/pickIncident';

export const showIncident: Command<IncidentDeps> = {
  id: 'incidentWorkbench.showIncident',
  async run(deps, arg?: unknown): Promise<string | undefined> {
    const id = await incidentIdFrom(deps, arg, 'Show which incident?');
    if (!id) return undefined;
    IncidentOverviewPanel.show(deps, id);
    return id;
  },
};
