/**
 * A client of Jaeger's query service (and of anything that speaks its API): services, operations, trace
 * search and one trace, over the HTTP JSON API that Jaeger UI uses, or api_v3 where that is the only one.
 * Answers are streamed into the trace importer as they arrive, so a search of 1,000 traces shows progress
 * and a cancel keeps what was read. Failures are `BackendError`s that say what went wrong in words a user
 * can act on: unreachable, too slow, refused credentials, not Jaeger at all.
 */
import { importTraceStream, type ImportOptions, type TraceFileResult } from './import';
import { checkTraceId, parseOperations, parseServices, v1SearchPath, v3SearchPath, type TraceQuery } from './query';
import { errorMessage } from '../util/errors';

export type JaegerApi = 'auto' | 'v1' | 'v3';

export interface JaegerEndpoint {
  /** The query service's base URL (Jaeger UI's address, e.g. http://127.0.0.1:16686; a base path is kept). */
  url: string;
  /** Extra request headers (Authorization, tenant headers); never logged. */
  headers?: Record<string, string>;
  api?: JaegerApi;
  /** How long to wait for an answer to start (and for the next bytes of one). Default 30 s. */
  timeoutMs?: number;
}

export type BackendErrorKind = 'config' | 'unreachable' | 'timeout' | 'unauthorized' | 'notFound' | 'http' | 'notJaeger' | 'cancelled';

export class BackendError extends Error {
  constructor(
    readonly kind: BackendErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'BackendError';
  }
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Bytes of the answer read so far. */
  onBytes?: (bytes: number) => void;
}

/** The base URL without a trailing slash; a URL that is not http(s) is refused before any request. */
export function baseUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw new BackendError('config', `"${url}" is not a URL (write e.g. http://127.0.0.1:16686)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new BackendError('config', `${url}: only http and https addresses are queried`);
  if (u.username || u.password) throw new BackendError('config', `${u.origin}: put credentials in the auth headers, not in the URL`);
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

/** The address as shown in messages: origin and path, never a query string. */
function shown(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url;
  }
}

function causeOf(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused: nothing listens there';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve';
  if (code === 'ECONNRESET') return 'the connection was reset';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'the host is unreachable';
  if (code && /CERT|SSL|TLS/.test(code)) return `TLS: ${cause?.message ?? code}`;
  return cause?.message ?? errorMessage(e);
}

/**
 * One GET with a deadline for the answer to start and for each next piece of it (a slow backend is told
 * apart from a cancel); the caller reads the body through `read`.
 */
async function get<T>(endpoint: JaegerEndpoint, path: string, options: RequestOptions, read: (res: Response, chunks: AsyncIterable<string>) => Promise<T>): Promise<T> {
  const url = `${baseUrl(endpoint.url)}${path}`;
  const timeoutMs = endpoint.timeoutMs ?? 30_000;
  const controller = new AbortController();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
  };
  const onAbort = () => controller.abort();
  if (options.signal?.aborted) throw new BackendError('cancelled', 'cancelled');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  arm();
  const fail = (e: unknown): BackendError => {
    if (e instanceof BackendError) return e;
    if (timedOut) return new BackendError('timeout', `Jaeger at ${shown(url)} did not answer within ${Math.round(timeoutMs / 1000)} s (a slow or overloaded backend: narrow the time range or lower the limit)`);
    if (options.signal?.aborted) return new BackendError('cancelled', 'cancelled');
    return new BackendError('unreachable', `cannot reach Jaeger at ${baseUrl(endpoint.url)}: ${causeOf(e)}`);
  };
  try {
    let res: Response;
    try {
      res = await fetch(url, { headers: { Accept: 'application/json', ...endpoint.headers }, signal: controller.signal, redirect: 'follow' });
    } catch (e) {
      throw fail(e);
    }
    if (res.status === 401 || res.status === 403) {
      void res.body?.cancel().catch(() => undefined);
      throw new BackendError('unauthorized', `Jaeger at ${baseUrl(endpoint.url)} answered ${res.status} ${res.status === 401 ? 'Unauthorized' : 'Forbidden'}: the auth headers are missing or not accepted`, res.status);
    }
    if (res.status === 404) {
      void res.body?.cancel().catch(() => undefined);
      throw new BackendError('notFound', `${shown(url)} answered 404 Not Found`, 404);
    }
    if (!res.ok) {
      const text = (await res.text().catch(() => '')).slice(0, 300).replace(/\s+/g, ' ').trim();
      throw new BackendError('http', `Jaeger at ${baseUrl(endpoint.url)} answered ${res.status} ${res.statusText}${text ? `: ${text}` : ''}`, res.status);
    }
    const type = res.headers.get('content-type') ?? '';
    if (/text\/html/i.test(type)) {
      void res.body?.cancel().catch(() => undefined);
      throw new BackendError('notJaeger', `${shown(url)} answered with a web page, not Jaeger's JSON: is ${baseUrl(endpoint.url)} the query service's address (Jaeger UI, port 16686 by default)?`);
    }
    const body = res.body;
    const onBytes = options.onBytes;
    async function* chunks(): AsyncIterable<string> {
      if (!body) return;
      const decoder = new TextDecoder();
      let bytes = 0;
      let turn = performance.now();
      try {
        for await (const part of body as unknown as AsyncIterable<Uint8Array>) {
          arm();
          bytes += part.byteLength;
          onBytes?.(bytes);
          yield decoder.decode(part, { stream: true });
          // Chunks already queued resolve as microtasks: without a turn of the event loop now and then, a
          // fast backend would keep a cancel (and everything else on this thread) waiting until the end.
          if (performance.now() - turn > 20) {
            await new Promise((r) => setImmediate(r));
            turn = performance.now();
          }
        }
      } catch (e) {
        throw fail(e);
      }
      const rest = decoder.decode();
      if (rest) yield rest;
    }
    return await read(res, chunks());
  } catch (e) {
    throw fail(e);
  } finally {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

async function getJson(endpoint: JaegerEndpoint, path: string, options: RequestOptions): Promise<unknown> {
  return get(endpoint, path, options, async (_res, chunks) => {
    let text = '';
    for await (const c of chunks) {
      text += c;
      if (text.length > 64 * 1024 * 1024) throw new BackendError('http', `${path}: the answer is larger than 64 MB`);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new BackendError('notJaeger', `${baseUrl(endpoint.url)}${path.split('?')[0]} did not answer with JSON: is ${baseUrl(endpoint.url)} Jaeger's query service?`);
    }
  });
}

/**
 * Which API the backend speaks: the HTTP JSON API unless it is missing (404) and api_v3 answers. Asked
 * once per endpoint by the caller (see `resolveApi`).
 */
export async function detectApi(endpoint: JaegerEndpoint, options: RequestOptions = {}): Promise<'v1' | 'v3'> {
  if (endpoint.api === 'v1' || endpoint.api === 'v3') return endpoint.api;
  const key = baseUrl(endpoint.url);
  const known = detected.get(key);
  if (known) return known;
  const api = await probeApi(endpoint, options);
  detected.set(key, api);
  return api;
}

/** What each address answered to, for this process (an address that changes API is rare; a restart asks again). */
const detected = new Map<string, 'v1' | 'v3'>();

async function probeApi(endpoint: JaegerEndpoint, options: RequestOptions): Promise<'v1' | 'v3'> {
  try {
    const doc = await getJson(endpoint, '/api/services', options);
    if (parseServices(doc)) return 'v1';
  } catch (e) {
    if (!(e instanceof BackendError) || (e.kind !== 'notFound' && e.kind !== 'notJaeger')) throw e;
  }
  try {
    const doc = await getJson(endpoint, '/api/v3/services', options);
    if (parseServices(doc)) return 'v3';
  } catch (e) {
    if (!(e instanceof BackendError) || (e.kind !== 'notFound' && e.kind !== 'notJaeger')) throw e;
  }
  throw new BackendError('notJaeger', `${baseUrl(endpoint.url)} answers neither Jaeger's /api/services nor /api/v3/services: is it Jaeger's query service (Jaeger UI's address)?`);
}

export async function listServices(endpoint: JaegerEndpoint, options: RequestOptions = {}): Promise<string[]> {
  const api = await detectApi(endpoint, options);
  const doc = await getJson(endpoint, api === 'v1' ? '/api/services' : '/api/v3/services', options);
  const services = parseServices(doc);
  if (!services) throw new BackendError('notJaeger', `${baseUrl(endpoint.url)}: the service list is not in Jaeger's form`);
  return services;
}

export async function listOperations(endpoint: JaegerEndpoint, service: string, options: RequestOptions = {}): Promise<string[]> {
  const api = await detectApi(endpoint, options);
  const path = api === 'v1' ? `/api/services/${encodeURIComponent(service)}/operations` : `/api/v3/operations?service=${encodeURIComponent(service)}`;
  const doc = await getJson(endpoint, path, options);
  const ops = parseOperations(doc);
  if (!ops) throw new BackendError('notJaeger', `${baseUrl(endpoint.url)}: the operation list is not in Jaeger's form`);
  return ops;
}

export interface FetchedTraces extends TraceFileResult {
  api: 'v1' | 'v3';
  /** The request as sent (path and query, no host), for "the same query in Jaeger UI". */
  request: string;
  /** Bytes of the answer. */
  bytes: number;
  /** The user cancelled while the answer was arriving: what came before is here. */
  cancelled: boolean;
}

async function readTraces(endpoint: JaegerEndpoint, api: 'v1' | 'v3', path: string, options: RequestOptions & ImportOptions): Promise<FetchedTraces> {
  let bytes = 0;
  const { signal, onBytes, ...importOptions } = options;
  let broken: BackendError | undefined;
  async function* guarded(chunks: AsyncIterable<string>): AsyncIterable<string> {
    try {
      yield* chunks;
    } catch (e) {
      broken = e instanceof BackendError ? e : new BackendError('http', errorMessage(e));
      throw broken;
    }
  }
  // Parsed while it arrives (each trace by JSON.parse on its own slice: core/json/elements), so the work
  // overlaps Jaeger's sending and memory holds one trace's text at a time, whatever the answer's size. The
  // HTTP JSON API answers one document; api_v3 may stream several (JSON Lines).
  const result = await get(endpoint, path, { ...(signal ? { signal } : {}), onBytes: (b) => ((bytes = b), onBytes?.(b)) }, (_res, chunks) => importTraceStream(guarded(chunks), importOptions, { oneDocument: api === 'v1' }));
  let problems = result.problems;
  const cut = broken as BackendError | undefined;
  if (cut) {
    // The answer broke off (cancel, stall, reset): the traces complete before it are kept.
    if (result.traces.length === 0) throw cut;
    problems = problems.filter((p) => !p.message.includes(cut.message));
    if (cut.kind !== 'cancelled') problems.push({ message: `${cut.message}; the ${result.traces.length} traces read before it are shown` });
  }
  return { ...result, problems, api, request: path, bytes, cancelled: cut?.kind === 'cancelled' };
}

/** Runs a search; traces arrive in Jaeger's order, summaries are sorted slowest first. */
export async function searchTraces(endpoint: JaegerEndpoint, query: TraceQuery, options: RequestOptions & ImportOptions = {}): Promise<FetchedTraces> {
  const api = await detectApi(endpoint, options);
  return readTraces(endpoint, api, api === 'v1' ? v1SearchPath(query) : v3SearchPath(query), options);
}

/** One trace by id (Jaeger answers 404 when it does not hold it). */
export async function fetchTrace(endpoint: JaegerEndpoint, traceId: string, options: RequestOptions = {}): Promise<FetchedTraces> {
  const id = checkTraceId(traceId);
  const api = await detectApi(endpoint, options);
  try {
    const r = await readTraces(endpoint, api, api === 'v1' ? `/api/traces/${id}` : `/api/v3/traces/${id}`, options);
    if (r.traces.length === 0) throw new BackendError('notFound', `Jaeger at ${baseUrl(endpoint.url)} holds no trace ${id}`, 404);
    return r;
  } catch (e) {
    if (e instanceof BackendError && e.kind === 'notFound') throw new BackendError('notFound', `Jaeger at ${baseUrl(endpoint.url)} holds no trace ${id} (it may have been evicted or never sampled)`, 404);
    throw e;
  }
}

/**
 * One trace as Jaeger sent it (its JSON, for a file the waterfall opens and for evidence), checked to hold
 * the trace. Traces are small next to searches: read whole.
 */
export async function fetchTraceText(endpoint: JaegerEndpoint, traceId: string, options: RequestOptions = {}): Promise<{ text: string; api: 'v1' | 'v3' }> {
  const id = checkTraceId(traceId);
  const api = await detectApi(endpoint, options);
  const path = api === 'v1' ? `/api/traces/${id}` : `/api/v3/traces/${id}`;
  try {
    const text = await get(endpoint, path, options, async (_res, chunks) => {
      let t = '';
      for await (const c of chunks) t += c;
      return t;
    });
    if (!/"(spans|resourceSpans)"\s*:\s*\[\s*\{/.test(text)) throw new BackendError('notFound', '', 404);
    return { text, api };
  } catch (e) {
    if (e instanceof BackendError && e.kind === 'notFound') throw new BackendError('notFound', `Jaeger at ${baseUrl(endpoint.url)} holds no trace ${id} (it may have been evicted or never sampled)`, 404);
    throw e;
  }
}
