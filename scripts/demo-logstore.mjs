// `npm start`'s live log store: a VictoriaLogs on 127.0.0.1:${IWB_VL_PORT:-9428} (the demo's settings point
// at it) with its data in .run/demo/victorialogs, loaded with the demo service's real logs (demo/logs/*.jsonl,
// written by demo/scripts/load.py and deploy_logs.py). It keeps running after this script exits; its pid
// is in .run/demo/victorialogs.pid (stop: kill $(cat .run/demo/victorialogs.pid)). Run again, it reuses a
// VictoriaLogs already answering on the port and loads the logs only when the store does not hold them.
//
//   node scripts/demo-logstore.mjs
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { victoriaLogsBinary } from '../test/support/victorialogs.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUN = join(ROOT, '.run', 'demo');
const PORT = Number(process.env.IWB_VL_PORT ?? 9428);
const URL_ = `http://127.0.0.1:${PORT}`;
const FILES = ['service.jsonl', 'deploy.jsonl'];

async function healthy() {
  try {
    return (await fetch(`${URL_}/health`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

mkdirSync(RUN, { recursive: true });
if (!(await healthy())) {
  const bin = victoriaLogsBinary();
  if (!bin.ok) {
    console.error(`[start] ${bin.reason}`);
    process.exit(1);
  }
  const log = openSync(join(RUN, 'victorialogs.log'), 'a');
  const child = spawn(bin.path, [`-httpListenAddr=127.0.0.1:${PORT}`, `-storageDataPath=${join(RUN, 'victorialogs')}`, '-retentionPeriod=100y', '-loggerLevel=WARN'], { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  writeFileSync(join(RUN, 'victorialogs.pid'), `${child.pid}\n`);
  for (let i = 0; !(await healthy()); i++) {
    if (i > 300) {
      console.error(`[start] VictoriaLogs did not start on ${URL_}; see .run/demo/victorialogs.log`);
      process.exit(1);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const count = async () => {
  const r = await fetch(`${URL_}/select/logsql/query`, { method: 'POST', body: new URLSearchParams({ query: 'service:recommend | stats count() c' }) });
  const t = (await r.text()).trim();
  return t ? Number(JSON.parse(t).c) : 0;
};
let lines = 0;
const bodies = FILES.map((f) => readFileSync(join(ROOT, 'demo', 'logs', f), 'utf8'));
for (const b of bodies) lines += b.split('\n').filter((l) => l.trim()).length;
if ((await count()) < lines) {
  for (const body of bodies) {
    const r = await fetch(`${URL_}/insert/jsonline?_stream_fields=service&_time_field=timestamp&_msg_field=message`, { method: 'POST', body, headers: { 'content-type': 'application/stream+json' } });
    if (!r.ok) throw new Error(`insert: HTTP ${r.status} ${await r.text()}`);
  }
  await fetch(`${URL_}/internal/force_flush`);
}
console.log(`[start] VictoriaLogs on ${URL_} holds the demo logs (${await count()} lines of service:recommend)`);
