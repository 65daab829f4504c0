import * as vscode from 'vscode';
import { postmortemFile } from '../../../core/store/layout';
import { incidentIdOf } from '../postmortemEditor';
import type { Command } from '../../shared/command';
import type { PostmortemDeps } from '../deps';
import { targetIncident } from '../../shared/sessionStep';

async function resolve(deps: PostmortemDeps, target: unknown): Promise<vscode.Uri | undefined> {
  if (target instanceof vscode.Uri) return target;
  const active = vscode.window.tabGroups.activeTabGroup.activeTab?.input as { uri?: vscode.Uri } | undefined;
  if (target === undefined && active?.uri && incidentIdOf(active.uri)) return active.uri;
  const id = await targetIncident(deps, target, 'Which incident’s post-mortem?');
  return id ? deps.repository.uri(postmortemFile(id)) : undefined;
}

/** Shows postmortem.json in the text editor (the same document: edits in either show in both). */
export const openPostmortemAsText: Command<PostmortemDeps> = {
  id: 'incidentWorkbench.openPostmortemAsText',
  async run(deps, target?: unknown): Promise<string | undefined> {
    const uri = await resolve(deps, target);
    if (!uri) return undefined;
    await vscode.commands.executeCommand('vscode.openWith', uri, 'default');
    return uri.toString();
  },
};

export { resolve as resolvePostmortemUri };
