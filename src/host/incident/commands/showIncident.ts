import { IncidentOverviewPanel } from '../webviews/incidentOverviewPanel';
import type { Command } from './command';
import { incidentIdFrom } from './pickIncident';

export const showIncident: Command = {
  id: 'incidentWorkbench.showIncident',
  async run(services, arg?: unknown): Promise<string | undefined> {
    const id = await incidentIdFrom(services, arg, 'Show which incident?');
    if (!id) return undefined;
    IncidentOverviewPanel.show(services, id);
    return id;
  },
};
