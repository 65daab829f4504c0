import * as path from 'node:path';
import * as vscode from 'vscode';
import { showProfileDiff } from '../flamegraphEditor';
import type { ProfileDeps } from '../deps';
import type { Command } from '../../shared/command';
import { pickProfile } from './openProfile';
import { fileUriFrom } from '../../shared/pickFile';
import { reportError } from '../../shared/reportError';

const SELECT_TWO = 'Select exactly two profiles to compare';

/** When a selected profile was recorded: an Incidents-tree evidence node's `at`, else undefined. */
function recordedAt(arg: unknown): number | undefined {
  const o = arg as { kind?: unknown; item?: { at?: unknown } } | undefined;
  if (!o || typeof o !== 'object' || o.kind !== 'evidence' || typeof o.item?.at !== 'string') return undefined;
  const t = Date.parse(o.item.at);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * A selection as [before, after]: the older recorded evidence item first, else the selection order. A string
 * (the message to show) when it is not exactly two profile files.
 */
function orderedPair(deps: ProfileDeps, selected: unknown[]): [vscode.Uri, vscode.Uri] | string {
  if (selected.length !== 2) return `${SELECT_TWO} (${selected.length} selected).`;
  const [a, b] = selected.map((x) => ({ uri: fileUriFrom(deps, x), at: recordedAt(x) }));
  if (!a?.uri || !b?.uri) return `${SELECT_TWO}: one of the two selected items is not a profile file.`;
  const swap = a.at !== undefined && b.at !== undefined && b.at < a.at;
  return swap ? [b.uri, a.uri] : [a.uri, b.uri];
}

/**
 * Compares two profiles: from a multi-selection in the Explorer or the Incidents tree (clicked item +
 * selected items; exactly two, the older evidence item is "before"), from arguments (before, after), or by
 * picking. Opens the differential flamegraph with the table of changes.
 */
export const compareProfiles: Command<ProfileDeps> = {
  id: 'incidentWorkbench.compareProfiles',
  async run(deps, first?: unknown, second?: unknown) {
    let before: vscode.Uri | undefined;
    let after: vscode.Uri | undefined;
    if (Array.isArray(second)) {
      // A list or tree context menu: (clickedItem, selectedItems[]). Never guess which two were meant.
      const pair = orderedPair(deps, second);
      if (typeof pair === 'string') {
        void reportError(deps.log, pair, { notify: true, severity: 'warning' });
        return undefined;
      }
      [before, after] = pair;
    } else {
      before = fileUriFrom(deps, first);
      after = fileUriFrom(deps, second);
    }
    before ??= await pickProfile(deps, 'Compare Profiles (1/2): the profile BEFORE (baseline)');
    if (!before) return undefined;
    after ??= await pickProfile(deps, `Compare Profiles (2/2): the profile AFTER (compared with ${path.basename(before.path)})`, before);
    if (!after) return undefined;
    const { snapshot } = await showProfileDiff(deps.profiling, before, after);
    if (snapshot.error) void reportError(deps.log, snapshot.error, { notify: true });
    return snapshot;
  },
};
