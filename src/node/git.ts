/**
 * The real `git`, for suspect commits (the host's Suspect Commits and `iwb errors --suspects`). Always an
 * argument array, never a shell; the host only calls it in a trusted workspace, because git reads the
 * repository's own config (hooks do not run for these read-only commands, but config can name programs).
 * Output is bounded, the child is killed on timeout or cancel, and failures become GitErrors that say what
 * to do.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { GitError, type GitRun } from '../core/changes/types';

export interface GitRunnerOptions {
  /** The git executable (a setting); default `git` from PATH. */
  gitPath?: string;
  timeoutMs?: number;
  maxBytes?: number;
  signal?: AbortSignal;
}

const INSTALL_HINT = 'Install git (Debian/Ubuntu: sudo apt-get install git; macOS: xcode-select --install; Windows: https://git-scm.com) or set incidentWorkbench.gitPath.';

/** Reads git's failure: what the user can do about it, in one sentence. */
export function classifyGitFailure(args: readonly string[], stderr: string, cwd: string): GitError {
  const text = stderr.trim();
  const first = text.split('\n').find((l) => l.startsWith('fatal:') || l.startsWith('error:')) ?? text.split('\n')[0] ?? '';
  if (/not a git repository/i.test(text)) return new GitError('NOT_A_REPOSITORY', `${cwd} is not inside a git repository: suspect commits need the repository's history (clone it, or pass --repo).`, text);
  if (/dubious ownership/i.test(text)) return new GitError('FAILED', `git refuses ${cwd}: it belongs to another user (git's safe.directory). ${first.replace(/^fatal:\s*/, '')}`, text);
  if (/does not have any commits yet|bad default revision 'HEAD'|ambiguous argument 'HEAD'/i.test(text)) return new GitError('NO_HISTORY', 'The repository has no commits yet: there is no history to find suspects in.', text);
  if (/no such path|does not exist in|exists on disk, but not in|has only \d+ lines?|There is no path/i.test(text)) return new GitError('NO_PATH', first.replace(/^fatal:\s*/, ''), text);
  if (/unknown revision|bad revision|bad object|invalid object name|ambiguous argument|Needed a single revision/i.test(text)) {
    return new GitError('BAD_REVISION', `${first.replace(/^fatal:\s*/, '')} (a shallow clone or a missing fetch? \`git fetch --tags --unshallow\`)`, text);
  }
  return new GitError('FAILED', `git ${args[0] ?? ''} failed${first ? `: ${first.replace(/^(fatal|error):\s*/, '')}` : ''}`, text);
}

/** A `GitRun` in `cwd`. */
export function gitRunner(cwd: string, options: GitRunnerOptions = {}): GitRun {
  const git = options.gitPath?.trim() || 'git';
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  return (args) =>
    new Promise<string>((resolve, reject) => {
      if (options.signal?.aborted) return reject(new GitError('CANCELLED', 'Cancelled.'));
      // Config that would change what is printed (colour, signatures, rename limits) is pinned here.
      const full = ['-c', 'color.ui=never', '-c', 'core.quotepath=on', '-c', 'log.showSignature=false', '-c', 'diff.renameLimit=2000', '--no-pager', ...args];
      const child = execFile(
        git,
        full,
        {
          cwd,
          encoding: 'utf8',
          maxBuffer: maxBytes,
          timeout: options.timeoutMs ?? 60_000,
          windowsHide: true,
          env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C', LANG: 'C' },
          ...(options.signal ? { signal: options.signal } : {}),
        },
        (error, stdout, stderr) => {
          if (!error) return resolve(stdout);
          const e = error as NodeJS.ErrnoException & { killed?: boolean; signal?: string; code?: string | number };
          if (e.code === 'ENOENT') return reject(new GitError('NOT_INSTALLED', `${git === 'git' ? 'git is not installed or not on PATH' : `${git} (incidentWorkbench.gitPath) does not exist`}. ${INSTALL_HINT}`));
          if (e.name === 'AbortError' || options.signal?.aborted) return reject(new GitError('CANCELLED', 'Cancelled.'));
          if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return reject(new GitError('TOO_LARGE', `git ${args[0]} printed more than ${Math.round(maxBytes / 1048576)} MB; skipped.`));
          if (e.killed || e.signal === 'SIGTERM') return reject(new GitError('TIMEOUT', `git ${args[0]} did not finish within ${Math.round((options.timeoutMs ?? 60_000) / 1000)} s.`));
          reject(classifyGitFailure(args, String(stderr ?? ''), cwd));
        },
      );
      child.stdin?.end();
    });
}

/**
 * The top folder of the repository holding `dir` (git rev-parse --show-toplevel), or a GitError saying why
 * there is none.
 */
export async function repositoryRoot(dir: string, options: GitRunnerOptions = {}): Promise<string> {
  const out = await gitRunner(dir, options)(['rev-parse', '--show-toplevel']);
  return path.resolve(out.trim());
}
