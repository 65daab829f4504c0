import * as vscode from 'vscode';
import type { Command } from '../../shared/command';
import type { PatternsDeps } from '../deps';
import type { PatternsLoadSummary } from '../patternsState';

function toPaths(arg: unknown): string[] | undefined {
  const items = Array.isArray(arg) ? arg : arg === undefined ? [] : [arg];
  const paths = items.map((x) => (x instanceof vscode.Uri ? x.fsPath : typeof x === 'string' ? x : undefined)).filter((x): x is string => !!x);
  return paths.length ? paths : undefined;
}

/**
 * Find Log Patterns…: files or folders of any log (text, JSON Lines, OTLP, .gz) into the Patterns view.
 * Arguments: a path, a Uri, or an array of them (the Explorer's multi-selection); otherwise an open dialog.
 * Relative paths are taken from the first workspace folder.
 */
export const findLogPatterns: Command<PatternsDeps> = {
  id: 'incidentWorkbench.findLogPatterns',
  async run(deps, arg?: unknown, second?: unknown): Promise<PatternsLoadSummary | undefined> {
    let paths = toPaths(Array.isArray(second) && second.length > 1 ? second : arg);
    if (!paths) {
      const picked = await vscode.window.showOpenDialog({
        canSelectFiles: true,
        canSelectFolders: true,
        canSelectMany: true,
        openLabel: 'Find Patterns',
        title: 'Find log patterns: any text log, JSON Lines, OTLP export or .gz file, or folders of them',
        defaultUri: deps.patterns.state.sources[0] ? vscode.Uri.file(deps.patterns.state.sources[0]) : vscode.workspace.workspaceFolders?.[0]?.uri,
      });
      if (!picked?.length) return undefined;
      paths = picked.map((u) => u.fsPath);
    }
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    paths = paths.map((p) => (root && !/^([A-Za-z]:)?[\\/]/.test(p) ? vscode.Uri.joinPath(vscode.Uri.file(root), p).fsPath : p));
    const summary = await deps.patterns.state.load(paths);
    if (summary && !summary.cancelled && summary.files.length) await vscode.commands.executeCommand('incidentWorkbench.patterns.focus');
    return summary;
  },
};
