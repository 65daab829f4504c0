import type { ActionItemsNode } from '../views/actionItemsTree';
import type { Command } from './command';

/** Re-reads every post-mortem; returns the list as the view shows it. */
export const refreshActionItems: Command = {
  id: 'incidentWorkbench.refreshActionItems',
  async run(services): Promise<ActionItemsNode[]> {
    services.repository.invalidate();
    services.actionItemsTree.refresh();
    return services.actionItemsTree.compute();
  },
};
