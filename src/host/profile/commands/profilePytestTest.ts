import * as path from 'node:path';
import * as vscode from 'vscode';
import { pytestNodeAt } from '../../../core/profile/launchTargets';
import type { Command } from '../../shared/command';
import { pythonFor } from '../../shared/pythonTargets';
import { reportError } from '../../shared/reportError';
import type { ProfileDeps } from '../deps';
import type { ProfileRunResult } from '../pySpyTask';
import { profilePythonProcess } from './profilePythonProcess';

/**
 * Profiles a pytest test with py-spy: `python -m pytest <node id>` from the workspace folder, with the
 * selected interpreter. The test is the one under the cursor (palette, editor context menu), or a test of
 * the Test Explorer (its context menu and the gutter's test icon, through the Testing API: the Python
 * extension's test items); VS Code lets no extension add a run profile to another's test controller, so
 * the test runs as pytest under py-spy rather than through the Python extension's runner. A string is a
 * node id (tests).
 */
export const profilePytestTest: Command<ProfileDeps> = {
  id: 'incidentWorkbench.profilePytestTest',
  async run(deps, arg?: unknown): Promise<ProfileRunResult | undefined> {
    const item = isTestItem(arg) ? arg : undefined;
    const editor = vscode.window.activeTextEditor;
    const from = item?.uri ?? editor?.document.uri;
    const folder = (from && vscode.workspace.getWorkspaceFolder(from)) ?? deps.repository.folder;
    if (!folder) {
      void reportError(deps.log, 'Open a folder first: pytest runs from the workspace folder.', { notify: true });
      return undefined;
    }
    let node = typeof arg === 'string' ? arg : undefined;
    if (item) {
      node = testItemNode(item, folder.uri.fsPath);
      if (!node) {
        void reportError(deps.log, `"${item.label}" is not a test of a Python file; Profile Test runs pytest tests.`, { notify: true });
        return undefined;
      }
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === item.uri!.toString());
      if (doc?.isDirty) await doc.save();
    } else if (!node && editor?.document.uri.scheme === 'file' && editor.document.languageId === 'python') {
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

function isTestItem(x: unknown): x is vscode.TestItem {
  return !!x && typeof x === 'object' && typeof (x as vscode.TestItem).id === 'string' && typeof (x as vscode.TestItem).label === 'string' && 'children' in x;
}

/**
 * A Test Explorer item's pytest node id, from its file and the labels of the items between it and the
 * file's item (class, test, parametrization as pytest names them): `tests/test_x.py::TestA::test_b`. The
 * file's own item runs the whole file; a folder or an item without a .py file gives undefined.
 */
export function testItemNode(item: vscode.TestItem, folder: string): string | undefined {
  const uri = item.uri;
  if (!uri || uri.scheme !== 'file' || !/\.py$/i.test(uri.fsPath)) return undefined;
  const chain: string[] = [];
  for (let it: vscode.TestItem | undefined = item; it && it.uri?.toString() === uri.toString() && it.label !== path.basename(uri.fsPath); it = it.parent) chain.unshift(it.label);
  return [path.relative(folder, uri.fsPath).split(path.sep).join('/'), ...chain].join('::');
}
