import * as vscode from 'vscode';
import type { Command } from '../../shared/command';
import type { ErrorsDeps } from '../deps';

/**
 * Shows only the clusters seen in one release (the events' release/version field). Argument: the release
 * name ('' for all); otherwise a pick among the releases of the loaded logs, latest first.
 */
export const filterErrorClustersByRelease: Command<ErrorsDeps> = {
  id: 'incidentWorkbench.filterErrorClustersByRelease',
  async run(deps, arg?: unknown): Promise<number | undefined> {
    const state = deps.errors.state;
    const releases = state.report?.releases ?? [];
    let release = typeof arg === 'string' ? arg : undefined;
    if (release === undefined) {
      if (releases.length === 0) {
        void vscode.window.showInformationMessage(
          state.report ? 'The loaded logs name no release: map the field that holds it (incidentWorkbench.errors.fieldMapping, "version": "your.field").' : 'Load logs first.',
        );
        return undefined;
      }
      const clusters = state.report?.clusters ?? [];
      const picked = await vscode.window.showQuickPick(
        [
          { label: 'All releases', release: '' },
          ...[...releases].reverse().map((r) => {
            const n = clusters.filter((c) => c.releases?.some((x) => x.name === r.name)).length;
            const fresh = clusters.filter((c) => c.status === 'new' && c.releases?.some((x) => x.name === r.name)).length;
            return {
              label: r.name,
              description: `${n} cluster${n === 1 ? '' : 's'}${fresh ? `, ${fresh} new` : ''} · ${r.errors.toLocaleString('en-US')} errors in ${r.records.toLocaleString('en-US')} records`,
              detail: r.firstSeen ? `first seen ${r.firstSeen.replace('T', ' ').slice(0, 19)} UTC` : undefined,
              release: r.name,
            };
          }),
        ],
        { placeHolder: 'Show the error clusters of which release?' },
      );
      if (!picked) return undefined;
      release = picked.release;
    }
    state.setReleaseFilter(release);
    return state.visibleClusters().length;
  },
};
