import * as vscode from 'vscode';
import type { LoadSummary } from '../errorsState';
import type { Command } from '../../shared/command';
import type { ErrorsDeps } from '../deps';
import { pickFileOrChoice } from '../../shared/pickFile';
import { type LogStoreConfig, activeIncidentWindow, openNamedStore, storeChoices, pickWindow, storeArgument } from '../../shared/logStores';

function toPaths(arg: unknown): string[] | undefined {
  const items = Array.isArray(arg) ? arg : arg === undefined ? [] : [arg];
  const paths = items.map((x) => (x instanceof vscode.Uri ? x.fsPath : typeof x === 'string' ? x : undefined)).filter((x): x is string => !!x);
  return paths.length ? paths : undefined;
}

/** The error events of a configured log store, over the given window or the active incident's. */
async function loadFromStore(deps: ErrorsDeps, name: string, window?: { start: number; end: number }, limit?: number): Promise<LoadSummary | undefined> {
  const opened = await openNamedStore(deps, name);
  if (!opened) return undefined;
  const { config, store } = opened;
  const w = window ?? (await activeIncidentWindow(deps)).window;
  const summary = await deps.errors.state.loadStore(config, store, w, limit !== undefined ? { limit } : {});
  if (summary && !summary.cancelled && summary.files.length) await vscode.commands.executeCommand('incidentWorkbench.errors.focus');
  return summary;
}

/**
 * Load Logs…: files or folders (JSON Lines, plain-text Python logs, gzip) into the Errors view, or the error
 * events of a configured log store (incidentWorkbench.logStores) over the active incident's window.
 * Arguments: a path, a Uri, or an array of them (scripts, tests, the Explorer context menu), or
 * `{store: name, start?, end?, limit?}`; otherwise a choice of files and stores, then an open dialog.
 * Relative paths are taken from the first workspace folder.
 */
export const loadLogs: Command<ErrorsDeps> = {
  id: 'incidentWorkbench.loadLogs',
  async run(deps, arg?: unknown, second?: unknown): Promise<LoadSummary | undefined> {
    const fromStore = storeArgument(arg);
    if (fromStore) return loadFromStore(deps, fromStore.name, fromStore.window, typeof (arg as { limit?: unknown }).limit === 'number' ? (arg as { limit: number }).limit : undefined);
    let paths = toPaths(Array.isArray(second) && second.length > 1 ? second : arg);
    if (!paths) {
      const last = deps.errors.state.sources[0];
      const picked = await pickFileOrChoice(deps, {
        choices: storeChoices(),
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
      if (!picked) return undefined;
      if (!Array.isArray(picked)) {
        const window = await pickWindow(deps);
        return window ? loadFromStore(deps, (picked.choice as LogStoreConfig).name, window) : undefined;
      }
      if (!picked.length) return undefined;
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
