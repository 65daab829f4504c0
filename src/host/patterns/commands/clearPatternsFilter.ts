import type { Command } from '../../shared/command';
import type { PatternsDeps } from '../deps';

export const clearPatternsFilter: Command<PatternsDeps> = {
  id: 'incidentWorkbench.clearPatternsFilter',
  run(deps): void {
    deps.patterns.state.setFilter('');
  },
};
