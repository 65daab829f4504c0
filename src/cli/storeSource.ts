/**
 * `--source URL` on `iwb errors` and `iwb patterns` (issue #20): the store, the window (--start/--end or
 * --lookback, default the last hour), the limit and request headers, read from the arguments.
 */
import { parseStoreUrl, resolveWindow } from '../core/logstore/source';
import { LogStoreError, type TimeWindow } from '../core/logstore/types';
import { VictoriaLogsStore } from '../core/logstore/victorialogs';
import { UsageError, type ParsedArgs } from './args';

export const STORE_VALUE_OPTIONS = ['source', 'start', 'end', 'lookback', 'limit', 'header', 'timeout'];

export const STORE_USAGE = `  --source URL        read from a log store instead of files: victorialogs://HOST:PORT?query=LOGSQL
                      (victorialogs+https:// for TLS; user:password@ for basic auth); the JSON gains
                      source: {kind, url, linesScanned, bytesTransferred, exact}
  --start T --end T   the window (ISO 8601); or --lookback 2h (before --end, default now); default 1h
  --header 'Name: value'  a request header for the store (repeatable; e.g. Authorization)
  --timeout 60s       longest wait for the store's answer`;

function values(args: ParsedArgs, name: string): string[] {
  return (args.all ?? []).filter(([n, v]) => n === name && typeof v === 'string').map(([, v]) => v as string);
}

export interface StoreArgs {
  store: VictoriaLogsStore;
  query: string;
  window: TimeWindow;
  limit?: number;
}

/** The store named by --source, or undefined; bad values are a UsageError naming the option. */
export function storeFromArgs(args: ParsedArgs, now: number): StoreArgs | undefined {
  const url = values(args, 'source')[0];
  for (const o of ['start', 'end', 'lookback', 'limit', 'header', 'timeout']) {
    if (url === undefined && values(args, o).length) throw new UsageError(`--${o} is for a log store: add --source URL`);
  }
  if (url === undefined) return undefined;
  if (args.positionals.length) throw new UsageError('--source reads a log store: name no files with it');
  try {
    const source = parseStoreUrl(url);
    const window = resolveWindow({ start: values(args, 'start')[0], end: values(args, 'end')[0], lookback: values(args, 'lookback')[0] }, now);
    const headers: Record<string, string> = {};
    if (source.authorization) headers.authorization = source.authorization;
    for (const h of values(args, 'header')) {
      const colon = h.indexOf(':');
      if (colon <= 0) throw new UsageError(`--header needs 'Name: value', got "${h.slice(0, 40)}"`);
      headers[h.slice(0, colon).trim().toLowerCase()] = h.slice(colon + 1).trim();
    }
    let limit: number | undefined;
    const limitArg = values(args, 'limit')[0];
    if (limitArg !== undefined) {
      limit = Number(limitArg);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit needs a positive whole number, got "${limitArg}"`);
    }
    const timeoutArg = values(args, 'timeout')[0];
    let timeoutMs: number | undefined;
    if (timeoutArg !== undefined) {
      const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(timeoutArg);
      if (!m) throw new UsageError(`--timeout needs a duration such as 30s, got "${timeoutArg}"`);
      timeoutMs = Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1000);
    }
    const store = new VictoriaLogsStore(source.baseUrl, { headers, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
    return { store, query: source.query, window, ...(limit !== undefined ? { limit } : {}) };
  } catch (e) {
    if (e instanceof LogStoreError) throw new UsageError(e.message);
    throw e;
  }
}
