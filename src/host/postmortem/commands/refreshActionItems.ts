import type { ActionItemsNode } from '../actionItemsTree';
import type { Command } from '../../shared/command';
import type { PostmortemDeps } from '../deps';

/** Re-reads every post-mortem; returns the list as the view shows it. */
export const refreshActionItems: Command<PostmortemDeps> = {
  id: 'incidentWorkbench.refreshActionItems',
  async run(deps): Promise<ActionItemsNode[]> {
    deps.repository.invalidate();
    deps.actionItemsTree.refresh();
    return deps.actionItemsTree.compute();
  },
};
