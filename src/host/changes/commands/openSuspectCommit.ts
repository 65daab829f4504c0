import * as vscode from 'vscode';
import { parseNameStatus } from '../../../core/changes/gitParse';
import { GitError } from '../../../core/changes/types';
import { errorMessage } from '../../../core/util/errors';
import type { Command } from '../../shared/command';
import { reportError } from '../../shared/reportError';
import { commitFileUri } from '../commitContent';
import type { ChangesDeps } from '../deps';
import { openRepository } from '../gitAccess';
import type { SuspectsNode } from '../suspectsTree';

export interface CommitFileArg {
  /** The repository's top folder. */
  root: string;
  commit: string;
  /** A path as it is at `rev` (the deployed revision): its name in the commit is found through renames. */
  file?: string;
  rev?: string;
}

function argFrom(deps: ChangesDeps, arg: unknown): CommitFileArg | undefined {
  const node = arg as SuspectsNode | undefined;
  if (node && typeof node === 'object' && node.kind === 'suspect') {
    return { root: node.entry.root, commit: node.suspect.commit, rev: node.entry.report.revision.commit, ...(node.suspect.files[0] ? { file: node.suspect.files[0].file } : {}) };
  }
  const o = arg as Partial<CommitFileArg> | undefined;
  if (o && typeof o === 'object' && typeof o.root === 'string' && typeof o.commit === 'string') return o as CommitFileArg;
  const latest = deps.suspects.latest;
  const top = latest?.report.suspects[0];
  return latest && top ? { root: latest.root, commit: top.commit, rev: latest.report.revision.commit, ...(top.files[0] ? { file: top.files[0].file } : {}) } : undefined;
}

/**
 * Opens a suspect commit's change to a file in VS Code's diff editor (the parent on the left, the commit on
 * the right): the file of the stack it changed, under the name it had then, else the first file it changed.
 * Returns the two sides' URIs.
 */
export const openSuspectCommit: Command<ChangesDeps> = {
  id: 'incidentWorkbench.openSuspectCommit',
  async run(deps, arg?: unknown): Promise<{ left: string; right: string } | undefined> {
    const target = argFrom(deps, arg);
    if (!target) {
      void vscode.window.showInformationMessage('No suspect commit to open yet: run Show Suspect Commits first.');
      return undefined;
    }
    if (!vscode.workspace.isTrusted) {
      void reportError(deps.log, 'Opening a commit runs git; that needs a trusted workspace.', { notify: true });
      return undefined;
    }
    const { repo } = openRepository(target.root);
    try {
      const meta = await repo.changedFiles(target.commit);
      if (!meta) throw new GitError('BAD_REVISION', `Commit ${target.commit} is not in the repository.`);
      const changed = parseNameStatus(meta.body);
      let entry: { path: string; from?: string; status: string } | undefined;
      if (target.file) {
        entry = changed.find((c) => c.path === target.file || c.from === target.file);
        if (!entry && target.rev) entry = await repo.pathInCommit(target.rev, target.file, target.commit);
        const base = target.file.split('/').pop();
        entry ??= changed.find((c) => c.path.split('/').pop() === base);
      }
      entry ??= changed[0];
      if (!entry) {
        void vscode.window.showInformationMessage(`Commit ${target.commit.slice(0, 7)} (${meta.summary}) changes no file${meta.parents && meta.parents.length > 1 ? ' against its first parent (a merge)' : ''}.`);
        return undefined;
      }
      const before = entry.from ?? entry.path;
      const left = commitFileUri(target.root, `${target.commit}^`, before);
      const right = commitFileUri(target.root, target.commit, entry.path);
      const name = entry.path.split('/').pop();
      await vscode.commands.executeCommand('vscode.diff', left, right, `${target.commit.slice(0, 7)} ${name} — ${meta.summary}`, { preview: true });
      return { left: left.toString(), right: right.toString() };
    } catch (e) {
      void reportError(deps.log, e instanceof GitError ? e.message : `Could not open commit ${target.commit.slice(0, 7)}: ${errorMessage(e)}`, { notify: true, cause: e instanceof GitError ? undefined : e });
      return undefined;
    }
  },
};
