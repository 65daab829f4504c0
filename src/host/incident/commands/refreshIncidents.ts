import type { Command } from '../../shared/command';
import type { IncidentDeps } from '../deps';

export const refreshIncidents: Command<IncidentDeps> = {
  id: 'incidentWorkbench.refreshIncidents',
  run(deps): void {
    deps.incidentsTree.refresh();
  },
};
