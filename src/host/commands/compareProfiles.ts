import * as path from 'node:path';
import * as vscode from 'vscode';
import { showProfileDiff } from '../profile/flamegraphEditor';
import type { Services } from '../services';
import type { Command } from './command';
import { PROFILE_FILTERS, profileUriFrom } from './openProfile';

const PROFILE_GLOB = '{**/*.speedscope.json,**/*.raw,**/*.collapsed,**/*.folded,**/*.chrometrace.json,**/*.pt.trace.json,**/profiles/**,**/evidence/profiles/**}';

async function pickProfile(services: Services, title: string, exclude?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const found = (await vscode.workspace.findFiles(PROFILE_GLOB, '**/node_modules/**', 500)).filter((u) => u.toString() !== exclude?.toString());
  type Item = vscode.QuickPickItem & { uri?: vscode.Uri };
  const items: Item[] = [
    ...found
      .sort((a, b) => b.path.localeCompare(a.path))
      .map((u) => ({ label: path.basename(u.path), description: vscode.workspace.asRelativePath(path.dirname(u.fsPath)), uri: u })),
    { label: '$(folder-opened) Browse…' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title, matchOnDescription: true, ignoreFocusOut: true });
  if (!picked) return undefined;
  if (picked.uri) return picked.uri;
  const files = await vscode.window.showOpenDialog({ title, canSelectMany: false, filters: PROFILE_FILTERS, ...(services.repository.folder ? { defaultUri: services.repository.folder.uri } : {}) });
  return files?.[0];
}

/**
 * Compares two profiles: from the Explorer with two files selected (clicked + selection), from arguments
 * (before, after), or by picking. Opens the differential flamegraph with the table of changes.
 */
export const compareProfiles: Command = {
  id: 'incidentWorkbench.compareProfiles',
  async run(services, first?: unknown, second?: unknown) {
    let before: vscode.Uri | undefined;
    let after: vscode.Uri | undefined;
    if (Array.isArray(second) && second.length === 2) {
      [before, after] = [profileUriFrom(services, second[0]), profileUriFrom(services, second[1])];
    } else {
      before = profileUriFrom(services, first);
      after = profileUriFrom(services, second);
    }
    before ??= await pickProfile(services, 'Compare Profiles (1/2): the profile BEFORE (baseline)');
    if (!before) return undefined;
    after ??= await pickProfile(services, `Compare Profiles (2/2): the profile AFTER (compared with ${path.basename(before.path)})`, before);
    if (!after) return undefined;
    const { snapshot } = await showProfileDiff(services.profiling, before, after);
    if (snapshot.error) void vscode.window.showErrorMessage(snapshot.error);
    return snapshot;
  },
};
