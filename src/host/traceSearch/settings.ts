import * as vscode from 'vscode';
import type { JaegerApi, JaegerEndpoint } from '../../core/traces/jaeger';
import type { Workbench } from '../shared/workbench';

const SECTION = 'incidentWorkbench.traces';

/** Where auth headers for a query URL are kept in SecretStorage (one entry per origin). */
export function headersKey(url: string): string {
  let origin = url;
  try {
    origin = new URL(url).origin;
  } catch {
    // an unparsable URL is refused later, with a message
  }
  return `incidentWorkbench.traces.headers:${origin}`;
}

export function jaegerUrl(): string | undefined {
  const url = vscode.workspace.getConfiguration(SECTION).get<string>('jaegerUrl', '').trim();
  return url || undefined;
}

/** The configured endpoint with its stored headers, or undefined when no URL is set. */
export async function endpoint(deps: Pick<Workbench, 'secrets'>): Promise<JaegerEndpoint | undefined> {
  const url = jaegerUrl();
  if (!url) return undefined;
  const config = vscode.workspace.getConfiguration(SECTION);
  const stored = await deps.secrets.get(headersKey(url));
  const headers = stored ? (JSON.parse(stored) as Record<string, string>) : undefined;
  return {
    url,
    api: config.get<JaegerApi>('api', 'auto'),
    timeoutMs: Math.max(1, config.get<number>('timeoutSeconds', 30)) * 1000,
    ...(headers && Object.keys(headers).length ? { headers } : {}),
  };
}
