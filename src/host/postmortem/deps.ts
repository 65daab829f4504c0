import type { Workbench } from '../shared/workbench';
import type { ActionItemsTreeProvider } from './actionItemsTree';

export interface PostmortemDeps extends Workbench {
  readonly actionItemsTree: ActionItemsTreeProvider;
}
