import type { Workbench } from '../shared/workbench';
import type { PatternsFeature } from './patternsFeature';

export interface PatternsDeps extends Workbench {
  readonly patterns: PatternsFeature;
}
