import * as vscode from 'vscode';
import type { Suspect, SuspectReport } from '../../../core/changes/types';
import { addHypothesis } from '../../../core/incident/session';
import { errorMessage } from '../../../core/util/errors';
import type { Command } from '../../shared/command';
import { incidentIdFrom } from '../../shared/pickIncident';
import { reportError } from '../../shared/reportError';
import type { ChangesDeps } from '../deps';
import { openRepository } from '../gitAccess';
import type { SuspectsNode } from '../suspectsTree';

/** Patches bigger than this are cut (the commit id in the note still names all of it). */
const MAX_PATCH = 1024 * 1024;

export interface AttachedSuspect {
  incidentId: string;
  /** The diff's path in the incident folder. */
  path: string;
  hypothesis: string;
}

function pickFrom(deps: ChangesDeps, arg: unknown): { suspect: Suspect; report: SuspectReport; root: string } | undefined {
  const node = arg as SuspectsNode | undefined;
  if (node && typeof node === 'object' && node.kind === 'suspect') return { suspect: node.suspect, report: node.entry.report, root: node.entry.root };
  const latest = deps.suspects.latest;
  if (!latest) return undefined;
  const rank = typeof arg === 'number' ? arg : 0;
  const suspect = typeof arg === 'string' ? latest.report.suspects.find((s) => s.commit.startsWith(arg)) : latest.report.suspects[rank];
  return suspect ? { suspect, report: latest.report, root: latest.root } : undefined;
}

/** The hypothesis a suspect becomes: which commit, what it is suspected of, the strongest reasons. */
export function hypothesisText(suspect: Suspect, report: SuspectReport, evidencePath: string): string {
  return `Commit ${suspect.commit.slice(0, 10)} "${suspect.summary}" (${suspect.author}) introduced ${report.target.label}: ${suspect.reasons.slice(0, 3).join('; ')} (suspect score ${suspect.score}; diff in ${evidencePath})`;
}

/**
 * Attach Suspect Commit to Incident: the commit's patch (`git show --stat --patch`, redacted on the way in)
 * becomes `evidence/commits/commit-<id>.diff` of the active incident (or the one given or picked), and a
 * hypothesis naming the commit and its reasons is added in the same write.
 */
export const attachSuspectCommit: Command<ChangesDeps> = {
  id: 'incidentWorkbench.attachSuspectCommit',
  async run(deps, arg?: unknown, incidentArg?: unknown): Promise<AttachedSuspect | undefined> {
    const picked = pickFrom(deps, arg);
    if (!picked) {
      void vscode.window.showInformationMessage('No suspect commit to attach yet: run Show Suspect Commits first.');
      return undefined;
    }
    if (!vscode.workspace.isTrusted) {
      void reportError(deps.log, 'Attaching a commit runs git; that needs a trusted workspace.', { notify: true });
      return undefined;
    }
    const { suspect, report, root } = picked;
    const id = typeof incidentArg === 'string' ? incidentArg : (deps.activeIncident.id ?? (await incidentIdFrom(deps, undefined, `Attach commit ${suspect.commit.slice(0, 7)} to which incident?`)));
    if (!id) return undefined;
    try {
      let patch = await openRepository(root).repo.patch(suspect.commit);
      if (patch.length > MAX_PATCH) patch = `${patch.slice(0, MAX_PATCH)}\n[cut at ${MAX_PATCH / 1024} KiB by Incident Workbench; git show ${suspect.commit} has the rest]\n`;
      const header = [
        `# Suspect commit for: ${report.target.label}`,
        `# Blamed at ${report.revision.ref} (${report.revision.commit}); score ${suspect.score}`,
        ...suspect.reasons.map((r) => `# - ${r}`),
        '',
      ].join('\n');
      const ctx = await deps.writer.context();
      let hypothesis = '';
      const written = await deps.writer.addEvidence(id, {
        name: `commit-${suspect.commit.slice(0, 12)}.diff`,
        content: `${header}${patch}`,
        kind: 'commit',
        note: `Suspect commit ${suspect.commit.slice(0, 10)} "${suspect.summary}" by ${suspect.author} for ${report.target.label}: ${suspect.reasons[0] ?? ''}`,
        also: (incident, path) => {
          hypothesis = hypothesisText(suspect, report, path);
          return addHypothesis(incident, hypothesis, ctx);
        },
      });
      void vscode.window.showInformationMessage(`Attached commit ${suspect.commit.slice(0, 7)} to ${id} as ${written.path}, with a hypothesis to verify.`);
      return { incidentId: id, path: written.path, hypothesis };
    } catch (e) {
      void reportError(deps.log, `Could not attach commit ${suspect.commit.slice(0, 7)} to ${id}: ${errorMessage(e)}`, { notify: true, cause: e });
      return undefined;
    }
  },
};
