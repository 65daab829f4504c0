import * as vscode from 'vscode';
import { GitRepo } from '../../core/changes/repo';
import { GitError } from '../../core/changes/types';
import { gitRunner, repositoryRoot } from '../../node/git';
import { errorMessage } from '../../core/util/errors';
import { reportError } from '../shared/reportError';

export interface OpenRepository {
  /** The repository's top folder. */
  root: string;
  repo: GitRepo;
}

function gitPath(): string | undefined {
  return vscode.workspace.getConfiguration('incidentWorkbench').get<string>('gitPath', '').trim() || undefined;
}

/**
 * The workspace's git repository, for suspect commits and their diffs. git runs only in a trusted
 * workspace (it reads the repository's own config) and always with argument arrays; a fresh GitRepo per
 * question, so answers never outlive a checkout or a fetch.
 */
export function openRepository(root: string, signal?: AbortSignal): OpenRepository {
  return { root, repo: new GitRepo(gitRunner(root, { ...(gitPath() ? { gitPath: gitPath()! } : {}), ...(signal ? { signal } : {}) })) };
}

function globEscape(s: string): string {
  return s.replace(/[[\]{}*?!]/g, (c) => `[${c}]`);
}

/**
 * The repository holding a recorded file when the workspace folder is not a repository itself (a folder of
 * several checkouts): the workspace file with the longest matching tail, and the repository around it.
 */
async function repositoryOfFiles(files: readonly string[], options: { gitPath?: string; signal?: AbortSignal }): Promise<string | undefined> {
  for (const file of files.slice(0, 6)) {
    const segs = file.replace(/\\/g, '/').split('/').filter((x) => x && x !== '.');
    for (let n = Math.min(3, segs.length); n >= 1; n--) {
      const found = await vscode.workspace.findFiles(`**/${segs.slice(-n).map(globEscape).join('/')}`, '**/{node_modules,.venv,venv,site-packages}/**', 2);
      if (found.length === 0) continue;
      if (found.length > 1 && n === 1) break;
      try {
        return await repositoryRoot(found[0]!.fsPath.replace(/[\\/][^\\/]+$/, ''), options);
      } catch {
        break;
      }
    }
  }
  return undefined;
}

/**
 * The repository suspects are read from: the workspace folder's, else the one holding the problem's files.
 * Says why git cannot run here (untrusted, no folder, no repository, no git) with the action that fixes it.
 */
export async function workspaceRepository(log: vscode.LogOutputChannel, files: readonly string[] = [], signal?: AbortSignal): Promise<OpenRepository | undefined> {
  if (!vscode.workspace.isTrusted) {
    const choice = await reportError(log, 'Suspect commits run git, which reads the repository\'s own configuration; that needs a trusted workspace.', { notify: true, actions: ['Manage Workspace Trust'] });
    if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
    return undefined;
  }
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') {
    void reportError(log, 'Open a folder that is a git repository: suspect commits come from its history.', { notify: true });
    return undefined;
  }
  const options = { ...(gitPath() ? { gitPath: gitPath()! } : {}), ...(signal ? { signal } : {}) };
  try {
    return openRepository(await repositoryRoot(folder.uri.fsPath, options), signal);
  } catch (e) {
    if (e instanceof GitError && e.code === 'NOT_A_REPOSITORY') {
      const nested = await repositoryOfFiles(files, options);
      if (nested) return openRepository(nested, signal);
    }
    const settings = e instanceof GitError && e.code === 'NOT_INSTALLED';
    const choice = await reportError(log, errorMessage(e), { notify: true, actions: settings ? ['Open Settings'] : [], cause: e instanceof GitError ? undefined : e });
    if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', 'incidentWorkbench.gitPath');
    return undefined;
  }
}
