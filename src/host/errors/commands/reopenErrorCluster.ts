import { reopenCluster } from '../../../core/triage/triage';
import { errorMessage } from '../../../core/util/errors';
import type { Command } from '../../shared/command';
import { reportError } from '../../shared/reportError';
import type { ErrorsDeps } from '../deps';
import { triageTarget } from '../triageTarget';

/** Reopen: neither resolved nor ignored any more (its links to incidents stay). */
export const reopenErrorCluster: Command<ErrorsDeps> = {
  id: 'incidentWorkbench.reopenErrorCluster',
  async run(deps, arg?: unknown): Promise<boolean> {
    const cluster = await triageTarget(deps, arg);
    if (!cluster) return false;
    try {
      await deps.writer.changeTriage((t, actor) => reopenCluster(t, cluster, actor));
      await deps.errors.state.applyTriageFile();
      return true;
    } catch (e) {
      void reportError(deps.log, `Could not record the triage: ${errorMessage(e)}`, { notify: true, cause: e });
      return false;
    }
  },
};
