import * as vscode from 'vscode';
import type { Command } from '../../shared/command';
import { pickFileOrChoice } from '../../shared/pickFile';
import type { PatternsDeps } from '../deps';
import type { PatternsLoadSummary } from '../patternsState';
import { type LogStoreConfig, activeIncidentWindow, openNamedStore, storeChoices, pickWindow, storeArgument } from '../../shared/logStores';

/** The patterns of a configured log store, over the given window or the active incident's. */
async function fromStore(deps: PatternsDeps, name: string, window?: { start: number; end: number }): Promise<PatternsLoadSummary | undefined> {
  const opened = await openNamedStore(deps, name);
  if (!opened) return undefined;
  const { config, store } = opened;
  const summary = await deps.patterns.state.loadStore(config, store, window ?? (await activeIncidentWindow(deps)).window);
  if (summary && !summary.cancelled && summary.files.length) await vscode.commands.executeCommand('incidentWorkbench.patterns.focus');
  return summary;
}

function toPaths(arg: unknown): string[] | undefined {
  const items = Array.isArray(arg) ? arg : arg === undefined ? [] : [arg];
  const paths = items.map((x) => (x instanceof vscode.Uri ? x.fsPath : typeof x === 'string' ? x : undefined)).filter((x): x is string => !!x);
  return paths.length ? paths : undefined;
}

/**
 * Find Log Patterns…: files or folders of any log (text, JSON Lines, OTLP, .gz) into the Patterns view, or
 * a configured log store (incidentWorkbench.logStores) over the active incident's window. Arguments: a
 * path, a Uri, or an array of them (the Explorer's multi-selection), or `{store: name, start?, end?}`;
 * otherwise a choice of files and stores, then an open dialog.
 * Relative paths are taken from the first workspace folder.
 */
export const findLogPatterns: Command<PatternsDeps> = {
  id: 'incidentWorkbench.findLogPatterns',
  async run(deps, arg?: unknown, second?: unknown): Promise<PatternsLoadSummary | undefined> {
    const store = storeArgument(arg);
    if (store) return fromStore(deps, store.name, store.window);
    let paths = toPaths(Array.isArray(second) && second.length > 1 ? second : arg);
    if (!paths) {
      // The incident's logs first, then the workspace's; Browse… for folders or several files at once.
      const last = deps.patterns.state.sources[0];
      const picked = await pickFileOrChoice(deps, {
        choices: storeChoices(),
        title: 'Find log patterns: any text log, JSON Lines, OTLP export or .gz file',
        kinds: ['logs'],
        include: '{**/*.log,**/*.jsonl,**/*.ndjson,**/*.log.gz,**/*.jsonl.gz,**/logs/**/*.json,**/logs/**/*.txt,**/logs/**/*.gz}',
        match: /\.(log|jsonl|ndjson|json|txt|gz)$/i,
        dialog: {
          canSelectFiles: true,
          canSelectFolders: true,
          canSelectMany: true,
          openLabel: 'Find Patterns',
          title: 'Find log patterns: any text log, JSON Lines, OTLP export or .gz file, or folders of them',
          ...(last ? { defaultUri: vscode.Uri.file(last) } : {}),
        },
      });
      if (!picked) return undefined;
      if (!Array.isArray(picked)) {
        const window = await pickWindow(deps);
        return window ? fromStore(deps, (picked.choice as LogStoreConfig).name, window) : undefined;
      }
      if (!picked.length) return undefined;
      paths = picked.map((u) => u.fsPath);
    }
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    paths = paths.map((p) => (root && !/^([A-Za-z]:)?[\\/]/.test(p) ? vscode.Uri.joinPath(vscode.Uri.file(root), p).fsPath : p));
    const summary = await deps.patterns.state.load(paths);
    if (summary && !summary.cancelled && summary.files.length) await vscode.commands.executeCommand('incidentWorkbench.patterns.focus');
    return summary;
  },
};
