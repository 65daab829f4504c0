import * as vscode from 'vscode';
import { POSTMORTEM_VIEW_TYPE } from '../../../protocol/postmortem';
import type { Command } from '../../shared/command';
import type { PostmortemDeps } from '../deps';
import { resolvePostmortemUri } from './openPostmortemAsText';

/** Back from text to the form, on the same document. */
export const openPostmortemForm: Command<PostmortemDeps> = {
  id: 'incidentWorkbench.openPostmortemForm',
  async run(deps, target?: unknown): Promise<string | undefined> {
    const editorUri = vscode.window.activeTextEditor?.document.uri;
    const uri = target === undefined && editorUri && /\/\.incidents\/[^/]+\/postmortem\.json$/.test(editorUri.path) ? editorUri : await resolvePostmortemUri(deps, target);
    if (!uri) return undefined;
    await vscode.commands.executeCommand('vscode.openWith', uri, POSTMORTEM_VIEW_TYPE);
    return uri.toString();
  },
};
