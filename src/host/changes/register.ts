import * as vscode from 'vscode';
import { registerCommands } from '../shared/command';
import type { Workbench } from '../shared/workbench';
import { attachSuspectCommit } from './commands/attachSuspectCommit';
import { openSuspectCommit } from './commands/openSuspectCommit';
import { showSuspectCommits } from './commands/showSuspectCommits';
import { COMMIT_SCHEME, CommitContentProvider } from './commitContent';
import type { ChangesDeps } from './deps';
import { SuspectsTree } from './suspectsTree';

export const CHANGES_COMMANDS = [showSuspectCommits, openSuspectCommit, attachSuspectCommit];

/**
 * What changed: suspect commits behind error clusters, hot functions, slow spans and leaks (the Suspect
 * Commits view, commit diffs in VS Code's diff editor, attaching a commit to an incident).
 */
export function registerChanges(workbench: Workbench): vscode.Disposable[] {
  const suspects = new SuspectsTree();
  const suspectsView = vscode.window.createTreeView('incidentWorkbench.suspects', { treeDataProvider: suspects, showCollapseAll: true });
  const deps: ChangesDeps = { ...workbench, suspects, suspectsView };
  return [suspects, suspectsView, vscode.workspace.registerTextDocumentContentProvider(COMMIT_SCHEME, new CommitContentProvider()), ...registerCommands(CHANGES_COMMANDS, deps)];
}
