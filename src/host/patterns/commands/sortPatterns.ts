import * as vscode from 'vscode';
import { PATTERN_SORTS, type PatternSort } from '../../../presenters/patterns';
import type { Command } from '../../shared/command';
import type { PatternsDeps } from '../deps';

const LABELS: Record<PatternSort, { label: string; detail: string }> = {
  count: { label: 'By count', detail: 'Biggest patterns first' },
  change: { label: 'By change', detail: 'New patterns first, then those whose rate jumped most since the cut-off' },
  newest: { label: 'Newest first', detail: 'By when each pattern was first seen' },
};

export const sortPatterns: Command<PatternsDeps> = {
  id: 'incidentWorkbench.sortPatterns',
  async run(deps, arg?: unknown): Promise<PatternSort | undefined> {
    let sort = typeof arg === 'string' && (PATTERN_SORTS as readonly string[]).includes(arg) ? (arg as PatternSort) : undefined;
    if (!sort) {
      const picked = await vscode.window.showQuickPick(
        PATTERN_SORTS.map((s) => ({ ...LABELS[s], sort: s, picked: s === deps.patterns.state.sort })),
        { title: 'Sort log patterns' },
      );
      sort = picked?.sort;
    }
    if (sort) deps.patterns.state.setSort(sort);
    return sort;
  },
};
