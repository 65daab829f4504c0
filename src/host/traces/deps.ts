import type { Workbench } from '../shared/workbench';
import type { TraceWaterfallProvider } from './waterfallEditor';

export interface TracesDeps extends Workbench {
  /** The trace waterfall custom editor: `traces.active` is the focused waterfall. */
  readonly traces: TraceWaterfallProvider;
}
