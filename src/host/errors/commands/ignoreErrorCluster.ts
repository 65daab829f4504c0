import * as vscode from 'vscode';
import { ignoreCluster } from '../../../core/triage/triage';
import { errorMessage } from '../../../core/util/errors';
import type { Command } from '../../shared/command';
import { reportError } from '../../shared/reportError';
import type { ErrorsDeps } from '../deps';
import { triageTarget } from '../triageTarget';

interface Until {
  count?: number;
  date?: string;
}

/**
 * Ignore…: the cluster goes to the bottom of the Errors view with an "I" badge until the loaded logs hold
 * more than a count of its events, or until a date (or for good); kept in `.incidents/triage.json`.
 * Arguments: the cluster, then `{count?, date?}`.
 */
export const ignoreErrorCluster: Command<ErrorsDeps> = {
  id: 'incidentWorkbench.ignoreErrorCluster',
  async run(deps, arg?: unknown, untilArg?: unknown): Promise<Until | undefined> {
    const cluster = await triageTarget(deps, arg);
    if (!cluster) return undefined;
    let until = untilArg && typeof untilArg === 'object' ? (untilArg as Until) : undefined;
    if (!until) {
      const picked = await vscode.window.showQuickPick(
        [
          { label: `Until it has more than ${cluster.count * 2} events`, description: `${cluster.count} now`, until: { count: cluster.count * 2 } as Until | undefined },
          { label: 'Until it has more than…', until: undefined, ask: 'count' },
          { label: 'Until a date…', until: undefined, ask: 'date' },
          { label: 'For good', until: {} },
        ],
        { placeHolder: `Ignore ${cluster.exceptionType || 'this cluster'} until when?` },
      );
      if (!picked) return undefined;
      until = picked.until;
      if (!until && 'ask' in picked && picked.ask === 'count') {
        const v = await vscode.window.showInputBox({ prompt: `Events in the loaded logs (now ${cluster.count})`, validateInput: (x) => (/^\d+$/.test(x.trim()) && Number(x) >= 1 ? undefined : 'A whole number of events') });
        if (v === undefined) return undefined;
        until = { count: Number(v.trim()) };
      } else if (!until) {
        const v = await vscode.window.showInputBox({ prompt: 'Date (YYYY-MM-DD, UTC)', validateInput: (x) => (/^\d{4}-\d{2}-\d{2}$/.test(x.trim()) && Number.isFinite(Date.parse(x.trim())) ? undefined : 'A date such as 2026-12-31') });
        if (v === undefined) return undefined;
        until = { date: `${v.trim()}T00:00:00Z` };
      }
    }
    try {
      await deps.writer.changeTriage((t, actor) => ignoreCluster(t, cluster, until!, actor));
      await deps.errors.state.applyTriageFile();
      return until;
    } catch (e) {
      void reportError(deps.log, `Could not record the triage: ${errorMessage(e)}`, { notify: true, cause: e });
      return undefined;
    }
  },
};
