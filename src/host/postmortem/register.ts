import * as vscode from 'vscode';
import { registerCommands } from '../shared/command';
import type { Workbench } from '../shared/workbench';
import { ActionItemsTreeProvider } from './actionItemsTree';
import { exportPostmortem } from './commands/exportPostmortem';
import { markActionItemDone } from './commands/markActionItemDone';
import { openPostmortem } from './commands/openPostmortem';
import { openPostmortemAsText } from './commands/openPostmortemAsText';
import { openPostmortemForm } from './commands/openPostmortemForm';
import { refreshActionItems } from './commands/refreshActionItems';
import type { PostmortemDeps } from './deps';
import { PostmortemDiagnostics } from './postmortemDiagnostics';
import { PostmortemEditorProvider } from './postmortemEditor';

export const POSTMORTEM_COMMANDS = [openPostmortem, exportPostmortem, openPostmortemAsText, openPostmortemForm, refreshActionItems, markActionItemDone];

/** The post-mortem form (a custom text editor), its diagnostics, the Action Items view and their commands. */
export function registerPostmortem(workbench: Workbench): vscode.Disposable[] {
  const actionItemsTree = new ActionItemsTreeProvider(workbench.repository);
  const actionItemsView = vscode.window.createTreeView('incidentWorkbench.actionItems', { treeDataProvider: actionItemsTree });
  actionItemsTree.attach(actionItemsView);
  const deps: PostmortemDeps = { ...workbench, actionItemsTree };
  return [actionItemsTree, actionItemsView, new PostmortemDiagnostics(), PostmortemEditorProvider.register(deps), ...registerCommands(POSTMORTEM_COMMANDS, deps)];
}
