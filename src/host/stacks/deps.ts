import type { Workbench } from '../shared/workbench';
import type { StacksEditorProvider } from './stacksEditor';

export interface StacksDeps extends Workbench {
  /** The stack dump editor: opens dumps, resolves frame files, jumps to source. */
  readonly editor: StacksEditorProvider;
}
