import type { Workbench } from '../shared/workbench';
import type { ErrorsFeature } from './errorsFeature';

export interface ErrorsDeps extends Workbench {
  readonly errors: ErrorsFeature;
}
