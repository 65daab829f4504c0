/**
 * Log stores the user configured (`incidentWorkbench.logStores`), shared by the Errors and Patterns
 * features: "Load Logs…" offers them next to files, the window defaults to the active incident's, and the
 * headers (an Authorization token) come from SecretStorage, never from settings.
 */
import * as vscode from 'vscode';
import { parseFieldMapping, type FieldMapping } from '../../core/logs/fieldMapping';
import { incidentWindow, parseStoreUrl } from '../../core/logstore/source';
import { LogStoreError, type TimeWindow } from '../../core/logstore/types';
import { VictoriaLogsStore } from '../../core/logstore/victorialogs';
import { errorMessage } from '../../core/util/errors';
import { reportError } from './reportError';
import type { Workbench } from './workbench';

export interface LogStoreConfig {
  name: string;
  /** victorialogs://host:port (or an http(s) URL of a VictoriaLogs). */
  url: string;
  /** HTTP base URL of the store. */
  baseUrl: string;
  /** The LogsQL filter for the service. */
  query: string;
  fields: FieldMapping;
}

const SECRET_PREFIX = 'incidentWorkbench.logStore.headers.';

/** The configured stores; entries that cannot work are reported in `problems`. */
export function readLogStores(): { stores: LogStoreConfig[]; problems: string[] } {
  const raw = vscode.workspace.getConfiguration('incidentWorkbench').get<unknown>('logStores', []);
  const stores: LogStoreConfig[] = [];
  const problems: string[] = [];
  (Array.isArray(raw) ? raw : []).forEach((entry: unknown, i) => {
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const name = typeof e.name === 'string' && e.name.trim() ? e.name.trim() : `store ${i + 1}`;
    if (typeof e.url !== 'string') {
      problems.push(`incidentWorkbench.logStores[${i}] (${name}) has no "url"`);
      return;
    }
    try {
      const url = /^https?:\/\//.test(e.url) ? e.url.replace(/^http/, 'victorialogs+http') : e.url;
      const parsed = parseStoreUrl(url);
      const query = typeof e.query === 'string' && e.query.trim() ? e.query.trim() : parsed.query;
      const fields = parseFieldMapping((e.fieldMapping as Record<string, unknown>) ?? {});
      problems.push(...fields.problems.map((p) => `incidentWorkbench.logStores[${i}] (${name}): ${p}`));
      stores.push({ name, url: e.url, baseUrl: parsed.baseUrl, query, fields: fields.mapping });
    } catch (err) {
      problems.push(`incidentWorkbench.logStores[${i}] (${name}): ${err instanceof LogStoreError ? err.message.replace(/^--source /, '') : String(err)}`);
    }
  });
  return { stores, problems };
}

/** The store's client with its headers from SecretStorage (a JSON object of header → value). */
/**
 * The configured store called `name`, opened with its headers; undefined after telling the user why (no such
 * store: a button to the setting; a store that cannot be opened: its message). Load Logs and Find Log Patterns.
 */
export async function openNamedStore(workbench: Workbench, name: string): Promise<{ config: LogStoreConfig; store: VictoriaLogsStore } | undefined> {
  const config = readLogStores().stores.find((s) => s.name === name);
  if (!config) {
    void vscode.window.showErrorMessage(`No log store named "${name}" in incidentWorkbench.logStores.`, 'Open Settings').then((a) => {
      if (a) void vscode.commands.executeCommand('workbench.action.openSettings', 'incidentWorkbench.logStores');
    });
    return undefined;
  }
  try {
    return { config, store: await openLogStore(workbench, config) };
  } catch (e) {
    void reportError(workbench.log, errorMessage(e), { notify: true });
    return undefined;
  }
}

export async function openLogStore(workbench: Workbench, config: LogStoreConfig): Promise<VictoriaLogsStore> {
  const secret = await workbench.secrets.get(SECRET_PREFIX + config.name);
  let headers: Record<string, string> = {};
  if (secret) {
    try {
      const v = JSON.parse(secret) as unknown;
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) headers = Object.fromEntries(Object.entries(v).filter((x): x is [string, string] => typeof x[1] === 'string'));
    } catch {
      throw new LogStoreError('input', `the headers stored for log store "${config.name}" are not a JSON object; set them again with "Set Log Store Headers…"`);
    }
  }
  const parsed = parseStoreUrl(/^https?:\/\//.test(config.url) ? config.url.replace(/^http/, 'victorialogs+http') : config.url);
  if (parsed.authorization && !headers.authorization && !headers.Authorization) headers.authorization = parsed.authorization;
  return new VictoriaLogsStore(config.baseUrl, { headers });
}

export async function setLogStoreHeaders(workbench: Workbench, name: string, headers: Record<string, string> | undefined): Promise<void> {
  if (headers === undefined) await workbench.secrets.delete(SECRET_PREFIX + name);
  else await workbench.secrets.store(SECRET_PREFIX + name, JSON.stringify(headers));
}

/** The active incident's window, or the last hour when no incident is active. */
export async function activeIncidentWindow(workbench: Workbench): Promise<{ window: TimeWindow; label: string }> {
  const id = workbench.activeIncident.id;
  const now = Date.now();
  if (id) {
    try {
      const entry = (await workbench.repository.list()).find((e) => e.id === id);
      if (entry?.value) return { window: incidentWindow(entry.value, now), label: `${id}'s window` };
    } catch {
      // an unreadable incident: fall back to the last hour
    }
  }
  return { window: { start: now - 3_600_000, end: now }, label: 'the last hour' };
}

/** The configured stores as choices of the file pick (Load Logs…, Find Log Patterns…): picked, the value is the store. */
export function storeChoices(): { heading: string; items: { label: string; description: string; detail: string; value: LogStoreConfig }[] } {
  return {
    heading: 'Log stores',
    items: readLogStores().stores.map((s) => ({ label: `$(database) ${s.name}`, description: `${s.url} · ${s.query}`, detail: "VictoriaLogs: counted in the store over the active incident's window", value: s })),
  };
}

/** A store named in a command argument (tests, scripts): `{store: name, start?, end?}`. */
export function storeArgument(arg: unknown): { name: string; window?: TimeWindow } | undefined {
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg) || arg instanceof vscode.Uri) return undefined;
  const a = arg as Record<string, unknown>;
  if (typeof a.store !== 'string') return undefined;
  const start = typeof a.start === 'string' ? Date.parse(a.start) : NaN;
  const end = typeof a.end === 'string' ? Date.parse(a.end) : NaN;
  return { name: a.store, ...(Number.isFinite(start) && Number.isFinite(end) ? { window: { start, end } } : {}) };
}

export function describeWindow(w: TimeWindow): string {
  const t = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace(/:\d\d\.\d+Z$/, 'Z');
  return `${t(w.start)} – ${t(w.end)}`;
}

/** The window for an interactive load: the active incident's first, then recent spans. Undefined when dismissed. */
export async function pickWindow(workbench: Workbench): Promise<TimeWindow | undefined> {
  const now = Date.now();
  const incident = await activeIncidentWindow(workbench);
  type Item = vscode.QuickPickItem & { window: TimeWindow };
  const items: Item[] = [
    ...(incident.label !== 'the last hour' ? [{ label: incident.label, description: describeWindow(incident.window), window: incident.window }] : []),
    ...([['Last hour', 3_600_000], ['Last 24 hours', 86_400_000], ['Last 7 days', 7 * 86_400_000], ['Last 30 days', 30 * 86_400_000]] as const).map(([label, ms]) => ({ label, description: describeWindow({ start: now - ms, end: now }), window: { start: now - ms, end: now } })),
  ];
  return (await vscode.window.showQuickPick(items, { title: 'Time window', placeHolder: 'Which time window of the store?' }))?.window;
}
