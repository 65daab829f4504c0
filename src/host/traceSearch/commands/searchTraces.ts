import type { Command } from '../../shared/command';
import type { TraceSearchDeps } from '../deps';
import type { TraceSearchForm } from '../../../protocol/traceSearch';

/**
 * Opens the Trace Search panel. Arg (tests, other commands): a partial form to search at once; returns
 * the panel's snapshot after that search.
 */
export const searchTraces: Command<TraceSearchDeps> = {
  id: 'incidentWorkbench.searchTraces',
  async run(deps, form?: unknown) {
    const panel = await deps.panels.showSearch();
    if (form && typeof form === 'object') {
      await panel.search({ ...panel.form, ...(form as Partial<TraceSearchForm>) });
      return panel.snapshotNow();
    }
    return undefined;
  },
};
