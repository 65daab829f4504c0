import type { Workbench } from '../shared/workbench';
import type { TraceSearchPanels } from './panels';

export interface TraceSearchDeps extends Workbench {
  readonly panels: TraceSearchPanels;
}
