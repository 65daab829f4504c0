import * as vscode from 'vscode';
import type { DeployMarker } from '../../../core/patterns/analyzer';
import { parseTimestamp } from '../../../core/logs/values';
import type { Command } from '../../shared/command';
import type { PatternsDeps } from '../deps';

interface Choice extends vscode.QuickPickItem {
  cutoff: DeployMarker | null | undefined | 'time';
}

/** Timeline events of the active incident, deploys and releases first. */
async function incidentEvents(deps: PatternsDeps): Promise<Choice[]> {
  const id = deps.activeIncident.id;
  const store = deps.repository.store();
  if (!id || !store) return [];
  const entry = await store.read(id).catch(() => undefined);
  const events = entry?.value?.events ?? [];
  const deployish = (e: { kind: string; text: string }) => /deploy|release|rollout|roll out|rollback|upgrade|version/i.test(`${e.kind} ${e.text}`);
  return [...events]
    .sort((a, b) => Number(deployish(b)) - Number(deployish(a)) || b.at.localeCompare(a.at))
    .slice(0, 30)
    .map((e) => ({ label: `$(history) ${e.text.length > 80 ? `${e.text.slice(0, 79)}…` : e.text}`, description: `${id} · ${e.kind}`, detail: e.at, cutoff: { at: new Date(Date.parse(e.at)).toISOString(), kind: 'event' as const, label: `${id}: ${e.kind}` } }));
}

/**
 * What Is New…: patterns first seen after a cut-off — the deploy the logs show (the first record of the
 * latest release in the release/version field), an event of the active incident's timeline, or a time —
 * and patterns whose rate jumped after it. The view then sorts by change. Argument (scripts and tests):
 * "deploy", an ISO time, `{at, label}`, or null for no cut-off.
 */
export const showNewPatterns: Command<PatternsDeps> = {
  id: 'incidentWorkbench.showNewPatterns',
  async run(deps, arg?: unknown): Promise<{ cutoff?: DeployMarker; newPatterns: number; jumped: number } | undefined> {
    const state = deps.patterns.state;
    let cutoff: DeployMarker | null | undefined | 'time';
    if (arg === null) cutoff = null;
    else if (arg === 'deploy') cutoff = undefined;
    else if (typeof arg === 'string') {
      const t = parseTimestamp(arg);
      if (t === undefined) {
        void vscode.window.showWarningMessage(`"${arg}" is not a time; use ISO 8601 such as 2026-11-29T03:00:00Z.`);
        return undefined;
      }
      cutoff = { at: new Date(t).toISOString(), kind: 'time', label: arg };
    } else if (arg && typeof arg === 'object' && typeof (arg as { at?: unknown }).at === 'string') {
      const a = arg as { at: string; label?: string };
      const t = parseTimestamp(a.at);
      if (t === undefined) return undefined;
      cutoff = { at: new Date(t).toISOString(), kind: 'event', label: a.label ?? a.at };
    } else {
      const detected = state.report?.releases && state.report.releases.length > 1 ? state.report.releases[state.report.releases.length - 1] : undefined;
      const choices: Choice[] = [];
      if (detected) choices.push({ label: `$(rocket) Since the deploy of release ${detected.version}`, description: 'from the release/version field of the logs', detail: detected.firstSeen, cutoff: undefined });
      choices.push(...(await incidentEvents(deps)));
      choices.push({ label: '$(clock) Since a time…', description: 'ISO 8601, UTC', cutoff: 'time' });
      choices.push({ label: '$(clear-all) No cut-off', description: 'every pattern, nothing marked new', cutoff: null });
      const picked = await vscode.window.showQuickPick(choices, { title: 'What is new: patterns first seen after…', matchOnDescription: true, matchOnDetail: true });
      if (!picked) return undefined;
      cutoff = picked.cutoff;
      if (cutoff === 'time') {
        const text = await vscode.window.showInputBox({
          title: 'Patterns first seen at or after',
          value: state.report?.lastSeen ?? new Date().toISOString(),
          validateInput: (v) => (parseTimestamp(v.trim()) === undefined ? 'An ISO 8601 time, e.g. 2026-11-29T03:00:00Z' : undefined),
        });
        if (text === undefined) return undefined;
        cutoff = { at: new Date(parseTimestamp(text.trim())!).toISOString(), kind: 'time', label: text.trim() };
      }
    }
    await state.setCutoff(cutoff as DeployMarker | null | undefined);
    if (cutoff !== null) state.setSort('change');
    const report = state.report;
    if (report && !report.cutoff && cutoff === undefined) void vscode.window.showInformationMessage('The logs name only one release (release/version field), so there is no deploy to compare with. Pick an incident event or a time instead.');
    return report ? { ...(report.cutoff ? { cutoff: report.cutoff } : {}), newPatterns: report.patterns.filter((p) => p.isNew).length, jumped: report.patterns.filter((p) => p.change?.jumped).length } : undefined;
  },
};
