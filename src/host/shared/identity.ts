import { execFile } from 'node:child_process';
import * as os from 'node:os';
import * as vscode from 'vscode';

function gitUserName(cwd: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    // An argument array and no shell: the folder path and the repository's config are not trusted input.
    execFile('git', ['config', 'user.name'], { cwd, timeout: 3000, windowsHide: true }, (error, stdout) => {
      resolve(error ? undefined : stdout.trim() || undefined);
    });
  });
}

/**
 * Who reports a new incident: the setting, then git's user.name (only in a trusted workspace, because running
 * git reads the repository's config, which an untrusted repository controls), then the OS user.
 */
export async function resolveReporter(folder: vscode.WorkspaceFolder | undefined): Promise<string> {
  const configured = vscode.workspace.getConfiguration('incidentWorkbench').get<string>('reporterName', '').trim();
  if (configured) return configured;
  if (vscode.workspace.isTrusted && folder?.uri.scheme === 'file') {
    const fromGit = await gitUserName(folder.uri.fsPath);
    if (fromGit) return fromGit;
  }
  try {
    return os.userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}
