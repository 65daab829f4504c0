import type { Command } from '../../shared/command';
import type { ErrorsDeps } from '../deps';

export const clearErrorClustersFilter: Command<ErrorsDeps> = {
  id: 'incidentWorkbench.clearErrorClustersFilter',
  run(deps): number {
    deps.errors.state.setFilter('');
    deps.errors.state.setReleaseFilter('');
    return deps.errors.state.visibleClusters().length;
  },
};
