import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MemorySnapshot } from '../../../protocol/memory';
import type { Command } from '../../shared/command';
import { reportError } from '../../shared/reportError';
import type { MemoryDeps } from '../deps';
import { showMemoryDiff } from '../memoryEditor';
import { MEMORY_FILTERS, MEMORY_GLOB } from './openMemoryCapture';
import { fileUriFrom } from '../../shared/pickFile';

async function pickCapture(deps: MemoryDeps, title: string, exclude?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const found = (await vscode.workspace.findFiles(MEMORY_GLOB, '**/node_modules/**', 500)).filter((u) => u.toString() !== exclude?.toString() && !u.path.endsWith('.md'));
  type Item = vscode.QuickPickItem & { uri?: vscode.Uri };
  const items: Item[] = [
    ...found.sort((a, b) => b.path.localeCompare(a.path)).map((u) => ({ label: path.basename(u.path), description: vscode.workspace.asRelativePath(path.dirname(u.fsPath)), uri: u })),
    { label: '$(folder-opened) Browse…' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title, matchOnDescription: true, ignoreFocusOut: true });
  if (!picked) return undefined;
  if (picked.uri) return picked.uri;
  const files = await vscode.window.showOpenDialog({ title, canSelectMany: false, filters: MEMORY_FILTERS, ...(deps.repository.folder ? { defaultUri: deps.repository.folder.uri } : {}) });
  return files?.[0];
}

const SELECT_TWO = 'Select exactly two memory captures to compare';

/** When a selected capture was recorded: an Incidents-tree evidence node's `at`, else undefined. */
function recordedAt(arg: unknown): number | undefined {
  const o = arg as { kind?: unknown; item?: { at?: unknown } } | undefined;
  if (!o || typeof o !== 'object' || o.kind !== 'evidence' || typeof o.item?.at !== 'string') return undefined;
  const t = Date.parse(o.item.at);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Compares two memory captures (before and after a fix): from a multi-selection in the Explorer or the
 * Incidents tree (exactly two; the older evidence item is "before"), from arguments (before, after), or by
 * picking. Opens the differential flame graph with the tables of biggest changes, in bytes.
 */
export const compareMemoryCaptures: Command<MemoryDeps> = {
  id: 'incidentWorkbench.compareMemoryCaptures',
  async run(deps, first?: unknown, second?: unknown): Promise<MemorySnapshot | undefined> {
    let before: vscode.Uri | undefined;
    let after: vscode.Uri | undefined;
    if (Array.isArray(second)) {
      if (second.length !== 2) {
        void reportError(deps.log, `${SELECT_TWO} (${second.length} selected).`, { notify: true, severity: 'warning' });
        return undefined;
      }
      const [a, b] = second.map((x) => ({ uri: fileUriFrom(deps, x), at: recordedAt(x) }));
      if (!a?.uri || !b?.uri) {
        void reportError(deps.log, `${SELECT_TWO}: one of the two selected items is not a file.`, { notify: true, severity: 'warning' });
        return undefined;
      }
      [before, after] = a.at !== undefined && b.at !== undefined && b.at < a.at ? [b.uri, a.uri] : [a.uri, b.uri];
    } else {
      before = fileUriFrom(deps, first);
      after = fileUriFrom(deps, second);
    }
    before ??= await pickCapture(deps, 'Compare Memory Captures (1/2): the capture BEFORE (baseline)');
    if (!before) return undefined;
    after ??= await pickCapture(deps, `Compare Memory Captures (2/2): the capture AFTER (compared with ${path.basename(before.path)})`, before);
    if (!after) return undefined;
    const { snapshot } = await showMemoryDiff(deps.memory, before, after);
    if (snapshot.error) void reportError(deps.log, snapshot.error, { notify: true });
    return snapshot;
  },
};
