import type { Workbench } from '../shared/workbench';
import type { LoggingLinter } from './loggingLinter';

export interface LoggingDeps extends Workbench {
  readonly logging: LoggingLinter;
}
