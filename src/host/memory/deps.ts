import type { Workbench } from '../shared/workbench';
import type { MemoryFeature } from './memoryFeature';

export interface MemoryDeps extends Workbench {
  /** Reading captures, the memory editor, memory heat and the memray task's helpers. */
  readonly memory: MemoryFeature;
}
