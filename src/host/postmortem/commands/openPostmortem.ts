import * as vscode from 'vscode';
import { postmortemFromIncident } from '../../../core/postmortem/prefill';
import { StoreError } from '../../../core/store/errors';
import { postmortemFile } from '../../../core/store/layout';
import { POSTMORTEM_VIEW_TYPE } from '../../../protocol/postmortem';
import type { Command } from '../../shared/command';
import type { PostmortemDeps } from '../deps';
import { targetIncident } from '../../shared/sessionStep';
import { errorMessage } from '../../../core/util/errors';
import { reportError } from '../../shared/reportError';

/**
 * Opens `.incidents/<id>/postmortem.json` in the post-mortem form, first creating it pre-filled from the
 * incident (timeline, root cause, fix, prevention as action items, milestones, evidence) when there is none.
 * Never replaces an existing file. Returns `{ uri, created }`.
 */
export const openPostmortem: Command<PostmortemDeps> = {
  id: 'incidentWorkbench.openPostmortem',
  async run(deps, target?: unknown): Promise<{ uri: string; created: boolean } | undefined> {
    const id = await targetIncident(deps, target, 'Open the post-mortem of which incident?');
    if (!id) return undefined;
    const store = deps.repository.store();
    const uri = deps.repository.uri(postmortemFile(id));
    if (!store || !uri) return undefined;
    let created = false;
    const existing = await store.readPostmortem(id);
    if (existing.state === 'missing') {
      const entry = await store.read(id);
      if (entry.state !== 'valid' || !entry.value) {
        void reportError(deps.log, `${id}: incident.json is ${entry.state}, so the post-mortem cannot be pre-filled from it. Fix it first (${entry.problems[0]?.message ?? ''}).`, { notify: true });
        return undefined;
      }
      try {
        await deps.writer.createPostmortem(id, postmortemFromIncident(entry.value));
        created = true;
        deps.log.info(`${id}: created postmortem.json from the incident timeline`);
      } catch (e) {
        // Someone created it a moment ago: open theirs.
        if (!(e instanceof StoreError && e.code === 'CONFLICT')) {
          void reportError(deps.log, errorMessage(e), { notify: true, cause: e, subject: id });
          return undefined;
        }
      }
      deps.repository.invalidate();
    }
    await vscode.commands.executeCommand('vscode.openWith', uri, POSTMORTEM_VIEW_TYPE);
    return { uri: uri.toString(), created };
  },
};
