import * as vscode from 'vscode';
import { fileChosenPrometheusUrls, type PrometheusAccess } from '../../core/rollback/prometheus';
import type { MetricsWindow } from '../../core/rollback/types';
import type { Workbench } from '../shared/workbench';

/** Addresses the user allowed metrics files of this workspace to query, remembered per workspace. */
export const PROMETHEUS_CONSENT_KEY = 'incidentWorkbench.prometheusConsent';

/** Answers for the consent dialog from integration tests (ExtensionMode.Test only), and what was asked. */
const scripted: { answer?: 'allow' | 'deny'; asked: string[] } = { asked: [] };

/**
 * Which Prometheus a judgement may query. The workspace must be trusted; the address in the settings is the
 * user's own; an address a metrics file names is queried only after the user allowed it, once per address
 * (a file in a repository otherwise chooses where the extension sends requests, with its queries).
 */
export async function prometheusAccess(deps: Workbench, windows: { uri: vscode.Uri; window: MetricsWindow }[], userUrl: string | undefined): Promise<PrometheusAccess> {
  const queries = windows.some(({ window }) => Object.values(window.metrics).some((m) => m?.kind === 'prometheus'));
  if (!queries) return {};
  if (!vscode.workspace.isTrusted) return { disabled: 'Prometheus is queried only in a trusted workspace (Manage Workspace Trust)' };
  const remembered = new Set(deps.workspaceState.get<string[]>(PROMETHEUS_CONSENT_KEY, []));
  const allowed = new Set<string>();
  // Both windows usually name the same server: one question per address and judgement.
  const asked = new Set<string>();
  for (const { uri, window } of windows) {
    for (const url of fileChosenPrometheusUrls(window, userUrl)) {
      if (remembered.has(url)) {
        allowed.add(url);
        continue;
      }
      if (asked.has(url)) continue;
      asked.add(url);
      if (await ask(url, vscode.workspace.asRelativePath(uri))) {
        allowed.add(url);
        remembered.add(url);
        await deps.workspaceState.update(PROMETHEUS_CONSENT_KEY, [...remembered]);
        deps.log.info(`Prometheus at ${url}: allowed for this workspace (named by ${vscode.workspace.asRelativePath(uri)})`);
      }
    }
  }
  return { allowFileUrl: (url) => allowed.has(url), consentHint: 'allow it when Judge Rollback asks, or set incidentWorkbench.prometheusUrl to it' };
}

async function ask(url: string, file: string): Promise<boolean> {
  if (scripted.answer) {
    scripted.asked.push(url);
    return scripted.answer === 'allow';
  }
  const choice = await vscode.window.showWarningMessage(
    `${file} asks to query Prometheus at ${url}. Allow it?`,
    {
      modal: true,
      detail: `The address comes from the metrics file, not from your settings: the file's queries (PromQL) would be sent there. Allow it only if you know this server. Allowing is remembered for this address in this workspace; the server in incidentWorkbench.prometheusUrl is never asked about.`,
    },
    'Allow',
  );
  return choice === 'Allow';
}

/**
 * The test hook `incidentWorkbench._prometheusConsent({answer?, forget?})` (registered only in
 * ExtensionMode.Test): answers the consent dialog as given ('allow', 'deny'; 'dialog' shows it again),
 * `forget` clears what was remembered; returns the addresses asked so far and those remembered.
 */
export async function consentTestHook(deps: Workbench, args?: { answer?: 'allow' | 'deny' | 'dialog'; forget?: boolean }): Promise<{ asked: string[]; remembered: string[] }> {
  if (args?.answer === 'dialog') delete scripted.answer;
  else if (args?.answer) scripted.answer = args.answer;
  if (args?.forget) {
    await deps.workspaceState.update(PROMETHEUS_CONSENT_KEY, undefined);
    scripted.asked.length = 0;
  }
  return { asked: [...scripted.asked], remembered: deps.workspaceState.get<string[]>(PROMETHEUS_CONSENT_KEY, []) };
}
