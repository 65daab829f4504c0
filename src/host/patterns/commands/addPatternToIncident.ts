import * as vscode from 'vscode';
import { errorMessage } from '../../../core/util/errors';
import type { Command } from '../../shared/command';
import { incidentIdFrom } from '../../shared/pickIncident';
import { reportError } from '../../shared/reportError';
import type { PatternsDeps } from '../deps';
import { addPatternToIncident as attach, type PatternEvidence } from '../evidence';
import type { PatternsNode } from '../patternsTree';

/**
 * Add Pattern to Incident: the pattern (tree node or id) with its samples — redacted by the incident writer —
 * becomes evidence of the active incident, of the incident given as second argument, or of one picked.
 */
export const addPatternToIncident: Command<PatternsDeps> = {
  id: 'incidentWorkbench.addPatternToIncident',
  async run(deps, arg?: unknown, incidentArg?: unknown): Promise<PatternEvidence | undefined> {
    const node = arg as PatternsNode | undefined;
    const id = typeof arg === 'string' ? arg : node && node.kind !== 'empty' ? node.pattern.id : undefined;
    const state = deps.patterns.state;
    const pattern = id ? state.pattern(id) : undefined;
    if (!pattern || !state.report) return undefined;
    const incident = typeof incidentArg === 'string' ? incidentArg : (deps.activeIncident.id ?? (await incidentIdFrom(deps, undefined, 'Add the log pattern to which incident?')));
    if (!incident) return undefined;
    try {
      await state.matchCallSites();
      const result = await attach(deps.writer, incident, pattern, { report: state.report, sources: state.sources.map((s) => state.label(s)), callSites: state.callSitesOf(pattern.id) });
      void vscode.window.showInformationMessage(`Added pattern ${pattern.id} (${pattern.count} lines) to ${incident} as ${result.path}.`);
      return result;
    } catch (e) {
      void reportError(deps.log, `Could not add the pattern to ${incident}: ${errorMessage(e)}`, { notify: true, cause: e });
      return undefined;
    }
  },
};
