/**
 * Who is acting, for incident events written by `iwb incident`: git's user.name, read only inside a git
 * repository (outside one, `git config` would answer with the global name of whoever runs a shared CI
 * runner). git runs with an argument array and no shell.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';

/** Whether `dir` or a folder above it holds `.git` (a folder, or a file in worktrees and submodules). */
export function insideGitRepository(dir: string): boolean {
  for (let d = nodePath.resolve(dir); ; d = nodePath.dirname(d)) {
    if (existsSync(nodePath.join(d, '.git'))) return true;
    if (nodePath.dirname(d) === d) return false;
  }
}

export function gitUserName(cwd: string, timeoutMs = 3000): Promise<string | undefined> {
  if (!insideGitRepository(cwd)) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    execFile('git', ['config', 'user.name'], { cwd, timeout: timeoutMs, windowsHide: true }, (error, stdout) => {
      resolve(error ? undefined : stdout.trim() || undefined);
    });
  });
}

export function osUserName(): string {
  try {
    return os.userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}
