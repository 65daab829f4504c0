import * as vscode from 'vscode';
import type { LoadSummary } from '../errorsState';
import type { Command } from '../../shared/command';
import type { ErrorsDeps } from '../deps';
import { pickFile } from '../../shared/pickFile';

function toPaths(arg: unknown): string[] | undefined {
  const items = Array.isArray(arg) ? arg : arg === undefined ? [] : [arg];
  const paths = items.map((x) => (x instanceof vscode.Uri ? x.fsPath : typeof x === 'string' ? x : undefined)).filter((x): x is string => !!x);
  return paths.length ? paths : undefined;
}

/**
 * Load Logs…: files or folders (JSON Lines, plain-text Python logs, gzip) into the Errors view. Arguments:
 * a path, a Uri, or an array of them (scripts, tests, the Explorer context menu); otherwise a pick of the
 * incident's log evidence and the workspace's log files, "Browse…" for folders and several files at once.
 * Relative paths are taken from the first workspace folder.
 */
export const loadLogs: Command<ErrorsDeps> = {
  id: 'incidentWorkbench.loadLogs',
  async run(deps, arg?: unknown, second?: unknown): Promise<LoadSummary | undefined> {
    let paths = toPaths(Array.isArray(second) && second.length > 1 ? second : arg);
    if (!paths) {
      const last = deps.errors.state.sources[0];
      const picked = await pickFile(deps, {
        title: 'Load Logs: JSON Lines, plain-text Python logs or .gz files',
        kinds: ['logs'],
        include: '{**/*.jsonl,**/*.ndjson,**/*.log,**/*.log.gz,**/*.jsonl.gz,**/logs/**/*.json,**/logs/**/*.txt,**/logs/**/*.gz}',
        match: /\.(jsonl|ndjson|log|json|txt|gz)$/i,
        dialog: {
          canSelectFiles: true,
          canSelectFolders: true,
          canSelectMany: true,
          openLabel: 'Load Logs',
          title: 'Load logs: JSON Lines, plain-text Python logs or .gz files, or folders of them',
          ...(last ? { defaultUri: vscode.Uri.file(last) } : {}),
        },
      });
      if (!picked?.length) return undefined;
      paths = picked.map((u) => u.fsPath);
    }
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    paths = paths.map((p) => (root && !/^([A-Za-z]:)?[\\/]/.test(p) ? vscode.Uri.joinPath(vscode.Uri.file(root), p).fsPath : p));
    const summary = await deps.errors.state.load(paths);
    if (summary && !summary.cancelled && summary.files.length) {
      await vscode.commands.executeCommand('incidentWorkbench.errors.focus');
    }
    return summary;
  },
};
