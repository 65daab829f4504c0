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
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function victoriaLogsBinary() {
  const path = process.env.IWB_VICTORIALOGS ?? fileURLToPath(new URL('../../.tools/bin/victoria-logs', import.meta.url));
  if (existsSync(path)) return { ok: true, path };
  return { ok: false, path, reason: `VictoriaLogs is not built (${path}): run bash scripts/build-victorialogs.sh (install-deps does it)` };
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function startVictoriaLogs(options = {}) {
  const bin = victoriaLogsBinary();
  if (!bin.ok) throw new Error(bin.reason);
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'iwb-victorialogs-'));
  const port = options.port ?? (await freePort());
  const child = spawn(bin.path, [
    `-httpListenAddr=127.0.0.1:${port}`,
    `-storageDataPath=${join(dataDir, 'data')}`,
    '-retentionPeriod=100y',
    '-loggerLevel=WARN',
    ...(options.args ?? []),
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-20000); });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let alive = true;
  exited.then(() => { alive = false; });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (alive) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => { if (alive) child.kill('SIGKILL'); }, 5000);
      await exited;
      clearTimeout(timer);
    }
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const user = (options.args ?? []).find((a) => a.startsWith('-httpAuth.username='))?.split('=')[1];
  const pass = (options.args ?? []).find((a) => a.startsWith('-httpAuth.password='))?.split('=')[1] ?? '';
  const auth = user ? { authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` } : {};
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30000);
  for (;;) {
    if (!alive) {
      await stop();
      throw new Error(`victoria-logs exited before it was ready:\n${stderr}`);
    }
    try {
      const r = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000), headers: auth });
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`victoria-logs was not ready within ${options.readyTimeoutMs ?? 30000} ms:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
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
  return { url, port, pid: child.pid, dataDir, stop, log: () => stderr, ingest, flush };
}
