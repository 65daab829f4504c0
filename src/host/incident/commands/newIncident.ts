import * as vscode from 'vscode';
import { checkTitle } from '../../../core/incident/create';
import { SEVERITIES, isSeverity, type Incident, type Severity } from '../../../core/incident/types';
import { StoreError } from '../../../core/store/errors';
import { incidentFile } from '../../../core/store/layout';
import { resolveReporter } from '../../shared/identity';
import type { IncidentDeps } from '../deps';
import type { Command } from '../../shared/command';
import { errorMessage } from '../../../core/util/errors';
import { reportError } from '../../shared/reportError';

const SEVERITY_HELP: Record<Severity, string> = {
  CRITICAL: 'Service down, data loss or a security breach',
  HIGH: 'A major feature broken or many users affected',
  MEDIUM: 'Degraded: slower, partial errors, a workaround exists',
  LOW: 'Minor or cosmetic, few users affected',
};

/** Arguments for scripted use (tests, other extensions); the palette asks for each. */
export interface NewIncidentArgs {
  title?: string;
  severity?: Severity;
  description?: string;
}

export const newIncident: Command<IncidentDeps> = {
  id: 'incidentWorkbench.newIncident',
  async run(deps, rawArgs?: unknown): Promise<Incident | undefined> {
    const args = (rawArgs && typeof rawArgs === 'object' ? rawArgs : {}) as NewIncidentArgs;
    const store = deps.repository.store();
    if (!store) {
      const choice = await reportError(deps.log, 'Open a folder first: incidents are kept in its .incidents/ folder.', { notify: true, actions: ['Open Folder'] });
      if (choice) await vscode.commands.executeCommand('workbench.action.files.openFolder');
      return undefined;
    }
    const title =
      args.title ??
      (await vscode.window.showInputBox({
        title: 'New Incident (1/2)',
        prompt: 'Title: what is broken, for whom',
        placeHolder: 'e.g. Checkout p95 latency above 5 s for EU users',
        ignoreFocusOut: true,
        validateInput: (value) => checkTitle(value),
      }));
    if (title === undefined) return undefined;
    const titleProblem = checkTitle(title);
    if (titleProblem) {
      void reportError(deps.log, titleProblem, { notify: true });
      return undefined;
    }
    let severity = args.severity;
    if (severity !== undefined && !isSeverity(severity)) {
      void reportError(deps.log, `Severity must be one of ${SEVERITIES.join(', ')}.`, { notify: true });
      return undefined;
    }
    if (!severity) {
      const picked = await vscode.window.showQuickPick(
        SEVERITIES.map((s) => ({ label: s, description: SEVERITY_HELP[s], severity: s })),
        { title: 'New Incident (2/2)', placeHolder: 'Severity', ignoreFocusOut: true },
      );
      if (!picked) return undefined;
      severity = picked.severity;
    }
    try {
      const incident = await deps.writer.create({
        title,
        severity,
        reportedBy: await resolveReporter(deps.repository.folder),
        now: new Date().toISOString(),
        ...(args.description ? { description: args.description } : {}),
      });
      deps.log.info(`Created ${incident.id} (${incident.severity}) in ${incidentFile(incident.id)}`);
      await revealIncident(deps, incident.id);
      vscode.window.setStatusBarMessage(`$(check) Created ${incident.id}`, 5000);
      return incident;
    } catch (e) {
      const message = e instanceof StoreError ? e.message : `Could not create the incident: ${errorMessage(e)}`;
      void reportError(deps.log, message, { notify: true, cause: e });
      return undefined;
    }
  },
};

/** Shows the new incident in the tree; the incident exists either way, so a failure here is only logged. */
async function revealIncident(deps: IncidentDeps, id: string): Promise<void> {
  try {
    deps.repository.invalidate();
    const node = await deps.incidentsTree.nodeFor(id);
    if (node) await deps.incidentsView.reveal(node, { select: true, focus: true, expand: true });
  } catch (e) {
    void reportError(deps.log, `Created ${id} but could not reveal it in the Incidents view: ${errorMessage(e)}`, { notify: false, severity: 'warning', cause: e });
  }
}
