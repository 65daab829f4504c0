import * as vscode from 'vscode';
import type { Command } from '../../shared/command';
import type { TracesDeps } from '../deps';
import { errorMessage } from '../../../core/util/errors';
import { reportError } from '../../shared/reportError';

/**
 * Merges first error, anomaly start/peak, deploys, the slow trace and the incident's events into one
 * timeline and appends it to the incident's postmortem.json. Works on the active trace waterfall.
 */
export const appendForensicsTimeline: Command<TracesDeps> = {
  id: 'incidentWorkbench.appendForensicsTimeline',
  async run(deps, incidentArg?: unknown): Promise<string | undefined> {
    const open = deps.traces.active;
    if (!open) {
      void vscode.window.showInformationMessage('Open a trace in the waterfall first (Open Trace Waterfall): the timeline is built from its trace, logs and metrics.');
      return undefined;
    }
    try {
      return await deps.traces.appendTimeline(open.doc, typeof incidentArg === 'string' ? incidentArg : undefined);
    } catch (e) {
      void reportError(deps.log, errorMessage(e), { notify: true, cause: e });
      return undefined;
    }
  },
};
