import * as vscode from 'vscode';
import type { Command } from '../../shared/command';
import { reportError } from '../../shared/reportError';
import type { ProfileDeps } from '../deps';
import { fileLaunch, pythonFileFrom, pythonFor } from '../launch';
import type { ProfileRunResult } from '../pySpyTask';
import { profilePythonProcess } from './profilePythonProcess';

/**
 * Profile with py-spy, in one step: the Python file in the editor (or the one clicked in the Explorer),
 * with the selected interpreter and the workspace folder as cwd, until it exits or the status bar item is
 * clicked; the flame graph opens. `args` adds program arguments (tests).
 */
export const profileActiveFile: Command<ProfileDeps> = {
  id: 'incidentWorkbench.profileActiveFile',
  async run(deps, target?: unknown, extra?: unknown): Promise<ProfileRunResult | undefined> {
    const file = pythonFileFrom(target);
    if (!file) {
      void reportError(deps.log, 'Open a Python file (.py) in the editor first, or right-click one in the Explorer.', { notify: true });
      return undefined;
    }
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.toString());
    if (doc?.isDirty) await doc.save();
    const { args, cwd } = await fileLaunch(file);
    const more = Array.isArray(extra) && extra.every((a) => typeof a === 'string') ? (extra as string[]) : [];
    return profilePythonProcess.run(deps, { program: await pythonFor(file), args: [...args, ...more], cwd, duration: 0 });
  },
};
