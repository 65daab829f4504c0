import type { Command } from './command';

export const clearErrorClustersFilter: Command = {
  id: 'incidentWorkbench.clearErrorClustersFilter',
  run(services): number {
    services.errors.model.setFilter('');
    return services.errors.model.visibleClusters().length;
  },
};
