// `npm start`'s live tracing backend: Jaeger v2 (.tools/bin/jaeger, built by install-deps) in the
// background on free ports of 127.0.0.1, fed with the demo service's traces (demo/scripts/trace_load.py
// through the OpenTelemetry SDK's OTLP exporter), and the demo's user settings pointed at it
// (incidentWorkbench.traces.jaegerUrl). Its pid is in .run/demo/jaeger.pid; a Jaeger started earlier by
// this script is stopped first. Without the binary (no Go to build it) it says so and does nothing.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, writeUserSettings, REPO_ROOT } from './lib/codeserver.mjs';
import { countTraces, feedDemoLoad, jaegerAvailable } from '../test/support/jaeger.mjs';

const RUN_DIR = join(REPO_ROOT, '.run', 'demo');
const PID_FILE = join(RUN_DIR, 'jaeger.pid');
const log = (m) => console.log(`[start] ${m}`);

const available = jaegerAvailable();
if (!available.ok) {
  log(`no live Jaeger for the demo: ${available.reason}`);
  process.exit(0);
}
mkdirSync(RUN_DIR, { recursive: true });
if (existsSync(PID_FILE)) {
  const old = Number(readFileSync(PID_FILE, 'utf8').trim());
  try {
    if (old > 0 && readFileSync(`/proc/${old}/cmdline`, 'utf8').includes('jaeger')) process.kill(old, 'SIGTERM');
  } catch {
    // gone already
  }
}
const ports = { query: await freePort(), grpc: await freePort(), http: await freePort(), otlpGrpc: await freePort() };
const out = openSync(join(RUN_DIR, 'jaeger.log'), 'w');
const child = spawn(available.bin, ['--config', join(REPO_ROOT, 'test', 'support', 'jaeger.yaml')], {
  detached: true,
  stdio: ['ignore', out, out],
  env: { ...process.env, IWB_JAEGER_QUERY_PORT: String(ports.query), IWB_JAEGER_QUERY_GRPC_PORT: String(ports.grpc), IWB_JAEGER_OTLP_HTTP_PORT: String(ports.http), IWB_JAEGER_OTLP_GRPC_PORT: String(ports.otlpGrpc), IWB_JAEGER_MAX_TRACES: '20000' },
});
child.unref();
writeFileSync(PID_FILE, `${child.pid}\n`);
const jaeger = { url: `http://127.0.0.1:${ports.query}`, otlpHttp: `http://127.0.0.1:${ports.http}` };
for (let i = 0; i < 300; i++) {
  try {
    if ((await fetch(`${jaeger.url}/api/services`)).ok) break;
  } catch {
    // not yet listening
  }
  await new Promise((r) => setTimeout(r, 200));
}
log(`Jaeger at ${jaeger.url} (pid ${child.pid}; stop: kill ${child.pid}); sending it the demo's traces`);
await feedDemoLoad(jaeger, { requests: 24, bad: 3 });
log(`Jaeger holds ${await countTraces(jaeger, 'recommend')} traces of recommend`);
writeUserSettings(join(RUN_DIR, 'user'), { 'incidentWorkbench.traces.jaegerUrl': jaeger.url });
