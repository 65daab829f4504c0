import type { Workbench } from '../shared/workbench';
import type { Profiling } from './profiling';

export interface ProfileDeps extends Workbench {
  /** Path resolution, source heat and the flamegraph editor. */
  readonly profiling: Profiling;
}
