import * as vscode from 'vscode';
import { GitError } from '../../core/changes/types';
import { openRepository } from './gitAccess';

export const COMMIT_SCHEME = 'iwb-commit';

/** A file as it was at a revision of a repository, readable by VS Code's diff editor. */
export function commitFileUri(root: string, rev: string, path: string): vscode.Uri {
  return vscode.Uri.from({ scheme: COMMIT_SCHEME, path: `/${path}`, query: JSON.stringify({ root, rev }) });
}

/**
 * Serves `iwb-commit:` documents from `git show REV:PATH` (read-only). A file absent at that revision (added or
 * deleted by the commit) is empty, which is how the diff editor shows an addition or a deletion.
 */
export class CommitContentProvider implements vscode.TextDocumentContentProvider {
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    if (!vscode.workspace.isTrusted) return '(Incident Workbench runs git only in a trusted workspace.)';
    let q: { root?: unknown; rev?: unknown };
    try {
      q = JSON.parse(uri.query) as typeof q;
    } catch {
      return '';
    }
    if (typeof q.root !== 'string' || typeof q.rev !== 'string') return '';
    try {
      return await openRepository(q.root).repo.show(q.rev, uri.path.replace(/^\//, ''));
    } catch (e) {
      if (e instanceof GitError && (e.code === 'NO_PATH' || e.code === 'BAD_REVISION')) return '';
      throw e;
    }
  }
}
