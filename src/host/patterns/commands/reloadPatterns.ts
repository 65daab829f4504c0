import * as vscode from 'vscode';
import type { Command } from '../../shared/command';
import type { PatternsDeps } from '../deps';
import type { PatternsLoadSummary } from '../patternsState';

/** Reads the same logs again (they may have grown), with the current settings. */
export const reloadPatterns: Command<PatternsDeps> = {
  id: 'incidentWorkbench.reloadPatterns',
  async run(deps): Promise<PatternsLoadSummary | undefined> {
    // A log store is asked again over the same window.
    const store = deps.patterns.state.storeSource;
    if (store) return vscode.commands.executeCommand('incidentWorkbench.findLogPatterns', { store: store.name, start: new Date(store.window.start).toISOString(), end: new Date(store.window.end).toISOString() });
    const sources = deps.patterns.state.sources.length ? deps.patterns.state.sources : deps.patterns.state.lastSources;
    if (!sources.length) return undefined;
    return deps.patterns.state.load(sources);
  },
};
