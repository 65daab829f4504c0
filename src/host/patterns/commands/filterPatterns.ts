import type { Command } from '../../shared/command';
import { askFilter } from '../../shared/viewFilter';
import type { PatternsDeps } from '../deps';

/** Filter the Patterns view: words, `level:ERROR`, `service:NAME`, `is:new`, `is:jumped`. Returns the count shown. */
export const filterPatterns: Command<PatternsDeps> = {
  id: 'incidentWorkbench.filterPatterns',
  async run(deps, arg?: unknown): Promise<number | undefined> {
    const state = deps.patterns.state;
    const set = await askFilter(state, arg, {
      title: 'Filter log patterns',
      prompt: 'Words in the template or samples; level:ERROR, service:NAME, is:new, is:jumped narrow further',
      placeHolder: 'timeout level:WARNING',
    });
    return set ? state.visible().length : undefined;
  },
};
