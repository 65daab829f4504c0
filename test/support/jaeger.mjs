// A real Jaeger for tests, benches and the demo: Jaeger v2 (v1.75.0) built from the Go module proxy by
// scripts/install-deps.sh (scripts/build-jaeger.sh) into .tools/bin/jaeger.
//
// API
//   import { startJaeger, jaegerAvailable, feedDemoLoad } from '../support/jaeger.mjs';
//
//   jaegerAvailable(): { ok: boolean, bin: string, reason?: string }
//       Whether the binary is built ($IWB_JAEGER_BIN overrides where it is looked for).
//
//   const jaeger = await startJaeger({ maxTraces? = 20000, readyTimeoutMs? = 60000 })
//       Starts the all-in-one of test/support/jaeger.yaml (in-memory storage) with OTLP/HTTP, OTLP/gRPC and
//       the query API on free ports of 127.0.0.1, waits until /api/services answers.
//       Returns { url (query API and UI), otlpHttp (base URL: POST /v1/traces), otlpGrpc (host:port), pid,
//       stop(): Promise<void>, log(): string }. stop() sends SIGTERM (SIGKILL after 5 s) to that pid.
//
//   await feedDemoLoad(jaeger, { requests? = 12, bad? = 2, seed? = 7 })
//       Runs the demo service under load (demo/scripts/trace_load.py --otlp): the real OpenTelemetry SDK in
//       the service (demo/service/telemetry.py) and in the load generator sends every span to this Jaeger;
//       waits until Jaeger holds all requests' traces. Half of the good requests pin 150 items: slow.
//       Returns the number of traces of service "recommend" Jaeger holds.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startDaemon } from './daemon.mjs';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function jaegerBinary() {
  return process.env.IWB_JAEGER_BIN || join(REPO, '.tools', 'bin', 'jaeger');
}

export function jaegerAvailable() {
  const bin = jaegerBinary();
  if (!existsSync(bin)) return { ok: false, bin, reason: `${bin} is missing: bash scripts/install-deps.sh builds it (Go, about 5 minutes once)` };
  return { ok: true, bin };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function startJaeger(options = {}) {
  const available = jaegerAvailable();
  if (!available.ok) throw new Error(available.reason);
  const ports = { query: await freePort(), queryGrpc: await freePort(), otlpHttp: await freePort(), otlpGrpc: await freePort() };
  const url = `http://127.0.0.1:${ports.query}`;
  const daemon = await startDaemon({
    name: 'jaeger',
    bin: available.bin,
    args: ['--config', join(REPO, 'test', 'support', 'jaeger.yaml')],
    env: {
      ...process.env,
      IWB_JAEGER_QUERY_PORT: String(ports.query),
      IWB_JAEGER_QUERY_GRPC_PORT: String(ports.queryGrpc),
      IWB_JAEGER_OTLP_HTTP_PORT: String(ports.otlpHttp),
      IWB_JAEGER_OTLP_GRPC_PORT: String(ports.otlpGrpc),
      IWB_JAEGER_MAX_TRACES: String(options.maxTraces ?? 20000),
    },
    readyUrl: `${url}/api/services`,
    readyTimeoutMs: options.readyTimeoutMs ?? 60000,
  });
  return { url, otlpHttp: `http://127.0.0.1:${ports.otlpHttp}`, otlpGrpc: `127.0.0.1:${ports.otlpGrpc}`, ...daemon };
}

function python(args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.IWB_PYTHON || 'python3', args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`python3 ${args.join(' ')} exited ${code}:\n${out.slice(-4000)}`))));
  });
}

/** How many traces of `service` Jaeger holds in the last `lookbackUs`. */
export async function countTraces(jaeger, service, lookbackUs = 3600e6) {
  const end = Date.now() * 1000;
  const r = await fetch(`${jaeger.url}/api/traces?service=${encodeURIComponent(service)}&start=${end - lookbackUs}&end=${end + 60e6}&limit=1000`);
  if (!r.ok) return 0;
  const doc = await r.json();
  return Array.isArray(doc.data) ? doc.data.length : 0;
}

export async function feedDemoLoad(jaeger, options = {}) {
  const requests = options.requests ?? 12;
  const bad = options.bad ?? 2;
  await python([join(REPO, 'demo', 'scripts', 'trace_load.py'), '--otlp', jaeger.otlpHttp, '--requests', String(requests), '--bad', String(bad), '--seed', String(options.seed ?? 7)], { cwd: join(REPO, 'demo') });
  // The SDK exports in batches and Jaeger's pipeline batches again: wait until every request is stored.
  const deadline = Date.now() + 30000;
  let n = 0;
  while (Date.now() < deadline) {
    n = await countTraces(jaeger, 'recommend');
    if (n >= requests + bad) break;
    await sleep(300);
  }
  return n;
}
