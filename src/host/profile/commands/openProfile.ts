import * as vscode from 'vscode';
import { FLAMEGRAPH_VIEW_TYPE } from '../../../protocol/flamegraph';
import type { ProfileDeps } from '../deps';
import type { Command } from '../../shared/command';
import { fileUriFrom, pickFile } from '../../shared/pickFile';

export const PROFILE_FILTERS = { 'Profiles (py-spy, cProfile, pyinstrument, scalene, austin, speedscope, torch)': ['json', 'raw', 'txt', 'collapsed', 'folded', 'pyspy', 'trace', 'prof', 'pstats', 'pyisession', 'austin', 'gz'], 'All files': ['*'] };
const PROFILE_GLOB = '{**/*.speedscope.json,**/*.raw,**/*.collapsed,**/*.folded,**/*.pyspy,**/*.chrometrace.json,**/*.pt.trace.json,**/*.prof,**/*.pstats,**/*.pyisession,**/*.austin,**/profiles/**,**/evidence/profiles/**}';

/** A profile: the incident's profile evidence first, then the workspace's profiles, Browse… for any other. */
export async function pickProfile(deps: ProfileDeps, title: string, exclude?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const picked = await pickFile(deps, { title, kinds: ['profile', 'memory'], include: PROFILE_GLOB, match: /./, ...(exclude ? { exclude } : {}), dialog: { filters: PROFILE_FILTERS } });
  return picked?.[0];
}

export const openProfile: Command<ProfileDeps> = {
  id: 'incidentWorkbench.openProfile',
  async run(deps, arg?: unknown): Promise<vscode.Uri | undefined> {
    let uri = fileUriFrom(deps, arg);
    if (!uri) {
      uri = await pickProfile(deps, 'Open Profile: py-spy (speedscope or raw), collapsed stacks, Chrome trace');
    }
    if (!uri) return undefined;
    await vscode.commands.executeCommand('vscode.openWith', uri, FLAMEGRAPH_VIEW_TYPE, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    return uri;
  },
};
