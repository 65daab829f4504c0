import type { Workbench } from '../shared/workbench';
import type { SuspectsTree, SuspectsNode } from './suspectsTree';
import type * as vscode from 'vscode';

export interface ChangesDeps extends Workbench {
  /** The Suspect Commits view: the latest rankings. */
  readonly suspects: SuspectsTree;
  readonly suspectsView: vscode.TreeView<SuspectsNode>;
}
