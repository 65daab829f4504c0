import type { Command } from '../../shared/command';
import { askFilter } from '../../shared/viewFilter';
import type { ErrorsDeps } from '../deps';

/** Shows only clusters whose type, template, category, frames, services or endpoints contain the text. */
export const filterErrorClusters: Command<ErrorsDeps> = {
  id: 'incidentWorkbench.filterErrorClusters',
  async run(deps, text?: unknown): Promise<number | undefined> {
    const state = deps.errors.state;
    const set = await askFilter(state, text, {
      title: 'Filter error clusters',
      prompt: 'Text in the exception type, message template, category, frames, services or endpoints (empty: show all)',
    });
    return set ? state.visibleClusters().length : undefined;
  },
};
