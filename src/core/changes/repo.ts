/**
 * The git questions suspect ranking asks, over a `GitRun` (src/node/git.ts runs the real git with argument
 * arrays). Answers are cached per repository object: ranking every cluster of a log asks about the same
 * files and revisions many times.
 */
import { LOG_FORMAT, TAG_FORMAT, parseBlamePorcelain, parseLog, parseNameStatus, parseNulList, parseTags, type BlameResult, type CommitMeta, type LogRecord, type TagRef } from './gitParse';
import { RepoPaths } from './paths';
import { GitError, type GitRun } from './types';

export class GitRepo {
  private readonly cache = new Map<string, Promise<unknown>>();

  constructor(private readonly run: GitRun) {}

  private memo<T>(key: string, work: () => Promise<T>): Promise<T> {
    let p = this.cache.get(key) as Promise<T> | undefined;
    if (!p) {
      p = work();
      this.cache.set(key, p);
      // A failure (a cancelled run) is not an answer worth keeping.
      p.catch(() => this.cache.delete(key));
    }
    return p;
  }

  /** The commit HEAD is on; NO_HISTORY when the repository has no commit yet. */
  head(): Promise<string> {
    return this.memo('head', async () => {
      const sha = await this.resolve('HEAD');
      if (!sha) throw new GitError('NO_HISTORY', 'The repository has no commits yet: there is no history to find suspects in.');
      return sha;
    });
  }

  /** The commit a revision names, or undefined when git does not know it. */
  resolve(rev: string): Promise<string | undefined> {
    return this.memo(`resolve\0${rev}`, async () => {
      if (rev.startsWith('-')) return undefined;
      try {
        const out = (await this.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`])).trim();
        return /^[0-9a-f]{40,64}$/.test(out) ? out : undefined;
      } catch (e) {
        if (e instanceof GitError && (e.code === 'BAD_REVISION' || e.code === 'FAILED')) return undefined;
        throw e;
      }
    });
  }

  isShallow(): Promise<boolean> {
    return this.memo('shallow', async () => (await this.run(['rev-parse', '--is-shallow-repository'])).trim() === 'true');
  }

  tags(): Promise<TagRef[]> {
    return this.memo('tags', async () => parseTags(await this.run(['for-each-ref', `--format=${TAG_FORMAT}`, 'refs/tags'])));
  }

  /** Tracked files at a revision. */
  files(rev: string): Promise<RepoPaths> {
    return this.memo(`files\0${rev}`, async () => new RepoPaths(parseNulList(await this.run(['ls-tree', '-r', '-z', '--name-only', rev]))));
  }

  /** A file's text at a revision. */
  show(rev: string, path: string): Promise<string> {
    return this.memo(`show\0${rev}\0${path}`, () => this.run(['show', `${rev}:${path}`]));
  }

  /** Who last changed each line of `path` at `rev` (renames followed). */
  blame(rev: string, path: string): Promise<BlameResult> {
    return this.memo(`blame\0${rev}\0${path}`, async () => parseBlamePorcelain(await this.run(['blame', '--line-porcelain', rev, '--', path])));
  }

  /** Commits that changed lines start..end of `path` as they are at `rev` (`git log -L`), newest first, with patches. */
  logLines(rev: string, path: string, start: number, end: number, max: number): Promise<LogRecord[]> {
    return this.memo(`logL\0${rev}\0${path}\0${start}\0${end}\0${max}`, async () =>
      parseLog(await this.run(['log', `--format=${LOG_FORMAT}`, `-n${max}`, `-L${start},${end}:${path}`, rev])),
    );
  }

  /** Commits after `from` up to `to` (all ancestors of `to` when `from` is undefined), with changed files. */
  logRange(from: string | undefined, to: string, max: number): Promise<LogRecord[]> {
    return this.memo(`range\0${from ?? ''}\0${to}\0${max}`, async () =>
      parseLog(await this.run(['log', `--format=${LOG_FORMAT}`, '--name-status', '-M', `-n${max}`, from ? `${from}..${to}` : to])),
    );
  }

  /** The nearest tag strictly before `rev` (on its ancestry), if any. */
  previousTag(rev: string): Promise<TagRef | undefined> {
    return this.memo(`prevtag\0${rev}`, async () => {
      let name: string;
      try {
        name = (await this.run(['describe', '--tags', '--abbrev=0', `${rev}^`])).trim();
      } catch (e) {
        if (e instanceof GitError && (e.code === 'FAILED' || e.code === 'BAD_REVISION')) return undefined; // no tag before, or a root commit
        throw e;
      }
      const tags = await this.tags();
      const commit = await this.resolve(`refs/tags/${name}`);
      return tags.find((t) => t.name === name) ?? (commit ? { name, commit, date: '' } : undefined);
    });
  }

  /** Author, dates, subject of one commit. */
  commit(rev: string): Promise<CommitMeta | undefined> {
    return this.memo(`commit\0${rev}`, async () => parseLog(await this.run(['log', '-1', `--format=${LOG_FORMAT}`, rev, '--']))[0]);
  }

  /** A commit as a reviewable patch: header, message, stat and diff (what is attached as evidence). */
  patch(commit: string): Promise<string> {
    return this.run(['show', '--format=fuller', '--stat', '--patch', '-M', commit, '--']);
  }

  /**
   * The name `path` (as it is at `rev`) had in `commit`, following renames back, and how the commit changed
   * it; undefined when the commit did not touch it.
   */
  pathInCommit(rev: string, path: string, commit: string): Promise<{ path: string; from?: string; status: string } | undefined> {
    return this.memo(`follow\0${rev}\0${path}\0${commit}`, async () => {
      const records = parseLog(await this.run(['log', '--follow', '-M', '--name-status', `--format=${LOG_FORMAT}`, '-n2000', rev, '--', path]));
      const found = records.find((r) => r.commit === commit);
      const entry = found ? parseNameStatus(found.body)[0] : undefined;
      return entry ? { path: entry.path, ...(entry.from ? { from: entry.from } : {}), status: entry.status } : undefined;
    });
  }

  /** Files a commit changed against its first parent, renames detected (`status`, `path`, `from`). */
  changedFiles(commit: string): Promise<LogRecord | undefined> {
    return this.memo(`changed\0${commit}`, async () => parseLog(await this.run(['show', `--format=${LOG_FORMAT}`, '--name-status', '-M', '--diff-merges=first-parent', commit, '--']))[0]);
  }
}
