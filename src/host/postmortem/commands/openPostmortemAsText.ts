import * as vscode from 'vscode';
import { postmortemFile } from '../../core/store/layout';
import { incidentIdOf } from '../postmortem/postmortemEditor';
import type { Command } from './command';
import { targetIncident } from './sessionStep';

async function resolve(services: Parameters<Command['run']>[0], target: unknown): Promise<vscode.Uri | undefined> {
  if (target instanceof vscode.Uri) return target;
  const active = vscode.window.tabGroups.activeTabGroup.activeTab?.input as { uri?: vscode.Uri } | undefined;
  if (target === undefined && active?.uri && incidentIdOf(active.uri)) return active.uri;
  const id = await targetIncident(services, target, 'Which incident’s post-mortem?');
  return id ? services.repository.uri(postmortemFile(id)) : undefined;
}

/** Shows postmortem.json in the text editor (the same document: edits in either show in both). */
export const openPostmortemAsText: Command = {
  id: 'incidentWorkbench.openPostmortemAsText',
  async run(services, target?: unknown): Promise<string | undefined> {
    const uri = await resolve(services, target);
    if (!uri) return undefined;
    await vscode.commands.executeCommand('vscode.openWith', uri, 'default');
    return uri.toString();
  },
};

export { resolve as resolvePostmortemUri };
