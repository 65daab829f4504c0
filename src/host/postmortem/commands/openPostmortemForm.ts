import * as vscode from 'vscode';
import { POSTMORTEM_VIEW_TYPE } from '../../protocol/postmortem';
import type { Command } from './command';
import { resolvePostmortemUri } from './openPostmortemAsText';

/** Back from text to the form, on the same document. */
export const openPostmortemForm: Command = {
  id: 'incidentWorkbench.openPostmortemForm',
  async run(services, target?: unknown): Promise<string | undefined> {
    const editorUri = vscode.window.activeTextEditor?.document.uri;
    const uri = target === undefined && editorUri && /\/\.incidents\/[^/]+\/postmortem\.json$/.test(editorUri.path) ? editorUri : await resolvePostmortemUri(services, target);
    if (!uri) return undefined;
    await vscode.commands.executeCommand('vscode.openWith', uri, POSTMORTEM_VIEW_TYPE);
    return uri.toString();
  },
};
