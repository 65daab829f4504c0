/**
 * VictoriaLogs over its HTTP API (v1.52): `/select/logsql/query` streams JSON Lines, `/select/logsql/hits`
 * counts over time, `stats` pipes count in the store. Counting by filter is one pass: a chain of
 * `format if (_msg:~RE) "i" as <tag>` pipes tags each line with the first filter it matches, then
 * `stats by (<tag>, …) count(), min(_time), max(_time)` — so each line is counted once, by the store.
 * Every request is a POST form (long generated queries do not fit a URL); a 400 carries the store's own
 * message (a LogsQL syntax error), shown as it is.
 */
import { errorMessage } from '../util/errors';
import { LogStoreError, type CountOptions, type FilterCountRow, type HitsResult, type LogStore, type MessageFilter, type QueryOptions, type TimeWindow } from './types';

const TAG = '_iwb_pattern';

export interface VictoriaLogsOptions {
  /** Extra request headers (Authorization from SecretStorage, tenant headers). */
  headers?: Record<string, string>;
  /** Longest wait for a response to start, and for the whole of a counting request (default 60 s). */
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

/** A LogsQL quoted string (Go's quoting rules accept JSON's). */
export function logsqlString(s: string): string {
  return JSON.stringify(s);
}

/** The time filter of a window: `_time:[start, end)`. */
export function windowFilter(w: TimeWindow): string {
  return `_time:[${new Date(w.start).toISOString()}, ${new Date(w.end).toISOString()})`;
}

/** `(query) _time:[…)` — the service's filter and the window. */
export function scoped(query: string, window: TimeWindow): string {
  return `(${query.trim() || '*'}) ${windowFilter(window)}`;
}

/** The pipes that tag each line with the index of the first filter its message matches. */
export function tagPipes(filters: MessageFilter[]): string {
  return filters.map((f, i) => ` | format if (${i ? `${TAG}:"" ` : ''}_msg:~${logsqlString(f.messageRegex)}) "${i}" as ${TAG}`).join('');
}

function durationLiteral(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

function num(v: unknown): number {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : 0;
}

export class VictoriaLogsStore implements LogStore {
  readonly kind = 'victorialogs';
  private bytes = 0;
  private readonly doFetch: typeof fetch;

  constructor(
    readonly url: string,
    private readonly options: VictoriaLogsOptions = {},
  ) {
    this.doFetch = options.fetchImpl ?? fetch;
  }

  get bytesTransferred(): number {
    return this.bytes;
  }

  private async post(path: string, params: Record<string, string>, signal: AbortSignal | undefined): Promise<Response> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 60_000);
    const both = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await this.doFetch(`${this.url}${path}`, {
        method: 'POST',
        body: new URLSearchParams(params),
        headers: { ...(this.options.headers ?? {}), 'content-type': 'application/x-www-form-urlencoded' },
        signal: both,
      });
    } catch (e) {
      throw this.networkError(e, signal, timeout);
    }
    if (response.ok) return response;
    const text = (await response.text().catch(() => '')).trim();
    this.bytes += text.length;
    if (response.status === 401 || response.status === 403) {
      throw new LogStoreError('auth', `VictoriaLogs at ${this.url} refused the request (HTTP ${response.status}): set the store's headers (an Authorization header) or credentials in the URL`);
    }
    if (response.status === 400) throw new LogStoreError('query', `VictoriaLogs rejected the query: ${text.slice(0, 2000) || 'HTTP 400'}`);
    throw new LogStoreError('http', `VictoriaLogs at ${this.url} answered HTTP ${response.status}${text ? `: ${text.slice(0, 500)}` : ''}`);
  }

  private networkError(e: unknown, signal: AbortSignal | undefined, timeout: AbortSignal): LogStoreError {
    if (signal?.aborted) return new LogStoreError('cancelled', 'the query was cancelled');
    if (timeout.aborted) return new LogStoreError('timeout', `VictoriaLogs at ${this.url} did not answer within ${seconds(this.options.timeoutMs ?? 60_000)}; raise the timeout or narrow the window`);
    const c = (e as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }).cause;
    const cause = c?.code ?? c?.errors?.find((x) => x.code)?.code ?? c?.message;
    return new LogStoreError('unreachable', `cannot reach VictoriaLogs at ${this.url}${cause ? ` (${cause})` : `: ${errorMessage(e)}`}; is it running? (check the URL and port)`);
  }

  /** The body as text chunks, counted into `bytesTransferred`. */
  private async *stream(response: Response, signal: AbortSignal | undefined, onBytes?: (n: number) => void): AsyncGenerator<string> {
    if (!response.body) return;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let got = 0;
    try {
      for (;;) {
        if (signal?.aborted) throw new LogStoreError('cancelled', 'the query was cancelled');
        let step: Awaited<ReturnType<typeof reader.read>>;
        try {
          step = await reader.read();
        } catch (e) {
          if (signal?.aborted) throw new LogStoreError('cancelled', 'the query was cancelled');
          throw new LogStoreError('unreachable', `VictoriaLogs at ${this.url} stopped answering mid-response (${errorMessage(e)})`);
        }
        if (step.done) break;
        got += step.value.byteLength;
        this.bytes += step.value.byteLength;
        onBytes?.(got);
        const text = decoder.decode(step.value, { stream: true });
        if (text) yield text;
      }
      const rest = decoder.decode();
      if (rest) yield rest;
    } finally {
      reader.releaseLock();
      if (signal?.aborted) await response.body.cancel().catch(() => undefined);
    }
  }

  private async lines(path: string, params: Record<string, string>, signal: AbortSignal | undefined): Promise<Record<string, unknown>[]> {
    const response = await this.post(path, params, signal);
    let text = '';
    for await (const chunk of this.stream(response, signal)) text += chunk;
    const out: Record<string, unknown>[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        throw new LogStoreError('http', `VictoriaLogs at ${this.url} answered something that is not JSON Lines: ${line.slice(0, 200)}`);
      }
    }
    return out;
  }

  query(query: string, options: QueryOptions): { chunks: AsyncGenerator<string>; result: () => { lines: number; cut: boolean } } {
    const limit = options.limit;
    let lines = 0;
    let cut = false;
    const post = (q: string) => this.post('/select/logsql/query', { query: q }, options.signal);
    const stream = (r: Response) => this.stream(r, options.signal, options.onBytes);
    async function* chunks(): AsyncGenerator<string> {
      const q = `${scoped(query, options.window)}${limit !== undefined ? ` | limit ${limit + 1}` : ''}`;
      const response = await post(q);
      let pending = '';
      for await (const chunk of stream(response)) {
        if (limit === undefined) {
          for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) lines++;
          yield chunk;
          continue;
        }
        // Keep at most `limit` lines: the one past it only says that the limit cut.
        pending += chunk;
        let out = '';
        let nl: number;
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl + 1);
          pending = pending.slice(nl + 1);
          if (!line.trim()) continue;
          if (lines === limit) {
            cut = true;
            break;
          }
          lines++;
          out += line;
        }
        if (out) yield out;
        if (cut) return;
      }
      if (pending.trim()) {
        if (limit !== undefined && lines === limit) cut = true;
        else {
          lines++;
          yield pending;
        }
      }
    }
    return { chunks: chunks(), result: () => ({ lines, cut }) };
  }

  async hits(query: string, options: { window: TimeWindow; stepMs: number; signal?: AbortSignal }): Promise<HitsResult> {
    const response = await this.post(
      '/select/logsql/hits',
      { query: query.trim() || '*', start: new Date(options.window.start).toISOString(), end: new Date(options.window.end - 1).toISOString(), step: durationLiteral(options.stepMs) },
      options.signal,
    );
    let text = '';
    for await (const chunk of this.stream(response, options.signal)) text += chunk;
    let body: { hits?: { timestamps?: string[]; values?: (number | string)[]; total?: number | string }[] };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new LogStoreError('http', `VictoriaLogs at ${this.url} answered /hits with something that is not JSON`);
    }
    const byTime = new Map<number, number>();
    let total = 0;
    for (const h of body.hits ?? []) {
      total += num(h.total);
      (h.timestamps ?? []).forEach((t, i) => {
        const ms = Date.parse(t);
        if (Number.isFinite(ms)) byTime.set(ms, (byTime.get(ms) ?? 0) + num(h.values?.[i]));
      });
    }
    // Buckets the store left out had no lines: fill them, so the series covers the window.
    const timestamps: number[] = [];
    const counts: number[] = [];
    const first = Math.floor(options.window.start / options.stepMs) * options.stepMs;
    for (let t = first; t < options.window.end; t += options.stepMs) {
      timestamps.push(t);
      counts.push(byTime.get(t) ?? 0);
    }
    return { timestamps, counts, total };
  }

  async countByFilters(query: string, filters: MessageFilter[], options: CountOptions): Promise<FilterCountRow[]> {
    const by = [TAG, ...(options.groupBy ?? []).map((f) => logsqlString(f)), ...(options.bucketMs ? [`_time:${durationLiteral(options.bucketMs)}`] : [])];
    const q = `${scoped(query, options.window)}${tagPipes(filters)} | stats by (${by.join(', ')}) count() c, min(_time) f, max(_time) l`;
    const rows = await this.lines('/select/logsql/query', { query: q }, options.signal);
    return rows.map((r) => {
      const tag = r[TAG];
      const group: Record<string, string> = {};
      for (const g of options.groupBy ?? []) if (typeof r[g] === 'string' && r[g] !== '') group[g] = r[g] as string;
      if (options.bucketMs && typeof r._time === 'string') group._time = r._time;
      const first = typeof r.f === 'string' ? Date.parse(r.f) : NaN;
      const last = typeof r.l === 'string' ? Date.parse(r.l) : NaN;
      return {
        filter: typeof tag === 'string' && tag !== '' ? Number(tag) : -1,
        group,
        count: num(r.c),
        ...(Number.isFinite(first) ? { first } : {}),
        ...(Number.isFinite(last) ? { last } : {}),
      };
    });
  }

  async *sampleUnmatched(query: string, filters: MessageFilter[], options: { window: TimeWindow; size: number; expected: number; fields?: string[]; signal?: AbortSignal }): AsyncGenerator<string> {
    const rate = Math.floor(options.expected / options.size);
    const q = `${scoped(query, options.window)}${tagPipes(filters)}${filters.length ? ` | filter ${TAG}:""` : ''}${rate > 1 ? ` | sample ${rate}` : ''} | limit ${options.size}${options.fields?.length ? ` | fields ${options.fields.map(logsqlString).join(', ')}` : ` | delete ${TAG}`}`;
    const response = await this.post('/select/logsql/query', { query: q }, options.signal);
    yield* this.stream(response, options.signal);
  }

  async fieldNames(query: string, options: { window: TimeWindow; signal?: AbortSignal }): Promise<string[]> {
    const response = await this.post(
      '/select/logsql/field_names',
      { query: query.trim() || '*', start: new Date(options.window.start).toISOString(), end: new Date(options.window.end - 1).toISOString() },
      options.signal,
    );
    let text = '';
    for await (const chunk of this.stream(response, options.signal)) text += chunk;
    try {
      const body = JSON.parse(text) as { values?: { value?: string }[] };
      return (body.values ?? []).map((v) => v.value ?? '').filter(Boolean);
    } catch {
      throw new LogStoreError('http', `VictoriaLogs at ${this.url} answered /field_names with something that is not JSON`);
    }
  }
}
