import * as vscode from 'vscode';
import type { Command } from './command';

/**
 * Merges first error, anomaly start/peak, deploys, the slow trace and the incident's events into one
 * timeline and appends it to the incident's postmortem.json. Works on the active trace waterfall.
 */
export const appendForensicsTimeline: Command = {
  id: 'incidentWorkbench.appendForensicsTimeline',
  async run(services, incidentArg?: unknown): Promise<string | undefined> {
    const open = services.traces.active;
    if (!open) {
      void vscode.window.showInformationMessage('Open a trace in the waterfall first (Open Trace Waterfall): the timeline is built from its trace, logs and metrics.');
      return undefined;
    }
    try {
      return await services.traces.appendTimeline(open.doc, typeof incidentArg === 'string' ? incidentArg : undefined);
    } catch (e) {
      void vscode.window.showErrorMessage((e as Error).message);
      return undefined;
    }
  },
};
