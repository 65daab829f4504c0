import * as vscode from 'vscode';
import type { Command } from '../../shared/command';
import type { ErrorsDeps } from '../deps';
import { reportError } from '../../shared/reportError';

interface FrameArg {
  file: string;
  line?: number;
  function?: string;
}

/**
 * Opens the workspace file of a stack frame at its line (path mappings, then the path, then a workspace file
 * with the same trailing path). Returns the opened Uri, or undefined with a message saying what to set.
 */
export const openErrorFrame: Command<ErrorsDeps> = {
  id: 'incidentWorkbench.openErrorFrame',
  async run(deps, arg?: unknown): Promise<vscode.Uri | undefined> {
    const frame = arg as FrameArg | undefined;
    if (!frame || typeof frame.file !== 'string') return undefined;
    const uri = await deps.errors.state.resolver.resolve(frame.file);
    if (!uri) {
      const choice = await reportError(
        deps.log,
        `${frame.file} is not in this workspace. Map the production path to your checkout with incidentWorkbench.pathMappings, e.g. {"/app": "\${workspaceFolder}"}.`,
        { notify: true, severity: 'warning', actions: ['Open Settings'] },
      );
      if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', 'incidentWorkbench.pathMappings');
      return undefined;
    }
    const line = Math.max(0, (frame.line ?? 1) - 1);
    const editor = await vscode.window.showTextDocument(uri, { preview: true, selection: new vscode.Range(line, 0, line, 0) });
    editor.revealRange(new vscode.Range(line, 0, line, 0), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return uri;
  },
};
