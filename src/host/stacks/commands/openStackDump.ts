import * as vscode from 'vscode';
import { STACKS_VIEW_TYPE } from '../../../protocol/stacks';
import type { Command } from '../../shared/command';
import { fileUriFrom } from '../../shared/pickFile';
import type { StacksDeps } from '../deps';

/**
 * "Open Stack Dump…": a dump someone already has — py-spy dump output, a log with faulthandler blocks, a
 * sys._current_frames() dump — in the stack view.
 */
export const openStackDump: Command<StacksDeps> = {
  id: 'incidentWorkbench.openStackDump',
  async run(deps, arg?: unknown): Promise<vscode.Uri | undefined> {
    let uri = fileUriFrom(deps, arg);
    if (!uri) {
      const picked = await vscode.window.showOpenDialog({
        title: 'Open Stack Dump (py-spy dump, faulthandler output or a log holding it)',
        canSelectMany: false,
        filters: { 'Stack dumps and logs': ['jsonl', 'json', 'txt', 'log', 'out', 'err'], 'All files': ['*'] },
        ...(deps.repository.folder ? { defaultUri: deps.repository.folder.uri } : {}),
      });
      uri = picked?.[0];
    }
    if (!uri) return undefined;
    await vscode.commands.executeCommand('vscode.openWith', uri, STACKS_VIEW_TYPE, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    return uri;
  },
};
