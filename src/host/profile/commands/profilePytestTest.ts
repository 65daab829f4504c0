import * as path from 'node:path';
import * as vscode from 'vscode';
import { pytestNodeAt } from '../../../core/profile/launchTargets';
import type { Command } from '../../shared/command';
import { reportError } from '../../shared/reportError';
import type { ProfileDeps } from '../deps';
import { pythonFor } from '../../shared/pythonTargets';
import type { ProfileRunResult } from '../pySpyTask';
import { profilePythonProcess } from './profilePythonProcess';

/**
 * Profiles the pytest test under the cursor: `python -m pytest <node id>` under py-spy, from the workspace
 * folder, with the selected interpreter. `nodeId` (tests) skips the editor.
 */
export const profilePytestTest: Command<ProfileDeps> = {
  id: 'incidentWorkbench.profilePytestTest',
  async run(deps, nodeId?: unknown): Promise<ProfileRunResult | undefined> {
    const editor = vscode.window.activeTextEditor;
    const folder = (editor && vscode.workspace.getWorkspaceFolder(editor.document.uri)) ?? deps.repository.folder;
    if (!folder) {
      void reportError(deps.log, 'Open a folder first: pytest runs from the workspace folder.', { notify: true });
      return undefined;
    }
    let node = typeof nodeId === 'string' ? nodeId : undefined;
    if (!node && editor?.document.uri.scheme === 'file' && editor.document.languageId === 'python') {
      if (editor.document.isDirty) await editor.document.save();
      const rel = path.relative(folder.uri.fsPath, editor.document.uri.fsPath);
      node = pytestNodeAt(rel, editor.document.getText(), editor.selection.active.line);
    }
    if (!node) {
      void reportError(deps.log, 'Put the cursor inside a pytest test (def test_… or a method of a class Test…), then run Profile Test Under Cursor again.', { notify: true });
      return undefined;
    }
    // -p no:cacheprovider: profiling a test leaves no .pytest_cache behind; -q keeps the terminal short.
    return profilePythonProcess.run(deps, { program: await pythonFor(folder.uri), args: ['-m', 'pytest', node, '-q', '-p', 'no:cacheprovider'], cwd: folder.uri.fsPath, duration: 0 });
  },
};
