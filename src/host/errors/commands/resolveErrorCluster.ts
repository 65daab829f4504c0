import * as vscode from 'vscode';
import { resolveCluster } from '../../../core/triage/triage';
import { errorMessage } from '../../../core/util/errors';
import type { Command } from '../../shared/command';
import { reportError } from '../../shared/reportError';
import type { ErrorsDeps } from '../deps';
import { triageTarget } from '../triageTarget';

/**
 * Resolve in Release…: records in `.incidents/triage.json` that the cluster is fixed in a release; seen in a
 * later release, it comes back as regressed when logs are (re)loaded. Arguments: the cluster (node, id),
 * the release ('' resolves it as of now, by time). Returns the release recorded ('' for none).
 */
export const resolveErrorCluster: Command<ErrorsDeps> = {
  id: 'incidentWorkbench.resolveErrorCluster',
  async run(deps, arg?: unknown, releaseArg?: unknown): Promise<string | undefined> {
    const cluster = await triageTarget(deps, arg);
    if (!cluster) return undefined;
    let release = typeof releaseArg === 'string' ? releaseArg : undefined;
    if (release === undefined) {
      const releases = [...(deps.errors.state.report?.releases ?? [])].reverse();
      const picked = await vscode.window.showQuickPick(
        [
          ...releases.map((r) => ({ label: r.name, description: r === releases[0] ? 'the latest release in the logs' : '', release: r.name })),
          { label: '$(edit) Another release (the one that will ship the fix)…', release: undefined as string | undefined },
          { label: '$(clock) No release: resolved as of now', description: 'seen after now, it is a regression', release: '' },
        ],
        { placeHolder: `Resolved in which release? Seen in a later one, ${cluster.exceptionType || 'the cluster'} is flagged as regressed.` },
      );
      if (!picked) return undefined;
      release = picked.release ?? (await vscode.window.showInputBox({ prompt: 'The release that fixes it, as the logs will name it (e.g. 1.9.0)', validateInput: (v) => (v.trim() ? undefined : 'A release name') }))?.trim();
      if (release === undefined) return undefined;
    }
    try {
      await deps.writer.changeTriage((t, actor) => resolveCluster(t, cluster, release, actor));
      await deps.errors.state.applyTriageFile();
      return release;
    } catch (e) {
      void reportError(deps.log, `Could not record the triage: ${errorMessage(e)}`, { notify: true, cause: e });
      return undefined;
    }
  },
};
