import type { Command } from '../../shared/command';
import type { ProfileDeps } from '../deps';

/**
 * The "Heat filtered to …" note's one click: the source heat counts the whole profile again (the flame
 * graph may stay zoomed). Returns whether a filter was removed.
 */
export const resetProfileHeatFilter: Command<ProfileDeps> = {
  id: 'incidentWorkbench.resetProfileHeatFilter',
  async run(deps): Promise<boolean> {
    const heat = deps.profiling.heat;
    const had = heat.filterLabel !== undefined;
    await heat.resetFilter();
    return had;
  },
};
