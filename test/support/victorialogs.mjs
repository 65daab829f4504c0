// A real VictoriaLogs for tests, benches and the demo (built by scripts/build-victorialogs.sh into
// .tools/bin/victoria-logs from the Go module proxy).
//
// API
//   import { startVictoriaLogs, victoriaLogsBinary } from '../support/victorialogs.mjs';
//
//   victoriaLogsBinary(): { ok: boolean, path: string, reason?: string }
//
//   const vl = await startVictoriaLogs({ dataDir?, port?, readyTimeoutMs? = 30000, args?: [] })
//       Starts victoria-logs on a free 127.0.0.1 port (or `port`) with a fresh temp data folder (or
//       `dataDir`, kept on stop) and a retention of 100 years: the default 7 days silently drops old test
//       timestamps. `args`: more flags (e.g. -httpAuth.username=u -httpAuth.password=p: every request
//       then needs basic auth, which `ingest` and `flush` send). Waits for /health.
//       Returns { url, port, pid, dataDir, stop(), log(), ingest(records, o?), flush() }.
//   await vl.ingest(records, { streamFields?: ['service'], timeField?: '_time', msgField?: '_msg' })
//       Posts records (objects, or JSON Lines text) to /insert/jsonline, then flushes so that they are
//       searchable at once. Returns the number of lines posted.
//   stop() sends SIGTERM (SIGKILL after 5 s), waits for exit and removes the temp data folder.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startDaemon } from './daemon.mjs';

export function victoriaLogsBinary() {
  const path = process.env.IWB_VICTORIALOGS ?? fileURLToPath(new URL('../../.tools/bin/victoria-logs', import.meta.url));
  if (existsSync(path)) return { ok: true, path };
  return { ok: false, path, reason: `VictoriaLogs is not built (${path}): run bash scripts/build-victorialogs.sh (install-deps does it)` };
}

export async function startVictoriaLogs(options = {}) {
  const bin = victoriaLogsBinary();
  if (!bin.ok) throw new Error(bin.reason);
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'iwb-victorialogs-'));
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const user = (options.args ?? []).find((a) => a.startsWith('-httpAuth.username='))?.split('=')[1];
  const pass = (options.args ?? []).find((a) => a.startsWith('-httpAuth.password='))?.split('=')[1] ?? '';
  const auth = user ? { authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` } : {};
  const daemon = await startDaemon({
    name: 'victoria-logs',
    bin: bin.path,
    args: [`-httpListenAddr=127.0.0.1:${port}`, `-storageDataPath=${join(dataDir, 'data')}`, '-retentionPeriod=100y', '-loggerLevel=WARN', ...(options.args ?? [])],
    readyUrl: `${url}/health`,
    headers: auth,
    readyTimeoutMs: options.readyTimeoutMs ?? 30000,
    pollMs: 100,
    cleanup: () => ownDir && rmSync(dataDir, { recursive: true, force: true }),
  });
  const flush = async () => {
    const r = await fetch(`${url}/internal/force_flush`, { headers: auth });
    if (!r.ok) throw new Error(`force_flush: HTTP ${r.status}`);
  };
  const ingest = async (records, o = {}) => {
    const body = typeof records === 'string' ? records : records.map((r) => JSON.stringify(r)).join('\n') + '\n';
    const params = new URLSearchParams();
    if (o.streamFields?.length) params.set('_stream_fields', o.streamFields.join(','));
    if (o.timeField) params.set('_time_field', o.timeField);
    if (o.msgField) params.set('_msg_field', o.msgField);
    const r = await fetch(`${url}/insert/jsonline?${params}`, { method: 'POST', body, headers: { ...auth, 'content-type': 'application/stream+json' } });
    if (!r.ok) throw new Error(`insert: HTTP ${r.status} ${await r.text()}`);
    await flush();
    return body.split('\n').filter((l) => l.trim()).length;
  };
  return { url, port, dataDir, ...daemon, ingest, flush };
}
