import type { Command } from './command';

export const refreshIncidents: Command = {
  id: 'incidentWorkbench.refreshIncidents',
  run(services): void {
    services.incidentsTree.refresh();
  },
};
