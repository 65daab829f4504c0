// Shared by the trace benchmarks (and usable by tests): a synthetic OTLP/JSON trace of N spans shaped like a
// real request fan-out (services calling services, DB queries in loops, a few errors), and the core
// importer/model/snapshot bundled from TypeScript on the fly with esbuild.
import * as esbuild from 'esbuild';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { REPO_ROOT } from './results.mjs';

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (n, width) => n.toString(16).padStart(width, '0');

/** OTLP/JSON text of one trace with `count` spans across `services` services. */
export function syntheticTrace(count, { services = 12, seed = 1 } = {}) {
  const r = rng(seed);
  const traceId = hex(0xabc, 32);
  const t0 = 1_795_900_000_000_000_000n;
  const spans = [];
  // Breadth-ish tree: each span has a parent among the previous ones, biased to recent ones (deep chains too).
  const start = new Float64Array(count);
  const end = new Float64Array(count);
  start[0] = 0;
  end[0] = count * 50 + 1_000_000;
  for (let i = 0; i < count; i++) {
    let parent = -1;
    if (i > 0) {
      parent = r() < 0.7 ? Math.max(0, i - 1 - Math.floor(r() * 8)) : Math.floor(r() * i);
      const ps = start[parent];
      const pe = end[parent];
      const len = pe - ps;
      start[i] = ps + r() * len * 0.8;
      end[i] = Math.min(pe, start[i] + 1 + r() * len * 0.3);
    }
    const service = i === 0 ? 0 : Math.floor(r() * services);
    const db = r() < 0.3;
    spans.push({
      service,
      span: {
        traceId,
        spanId: hex(i + 1, 16),
        parentSpanId: parent >= 0 ? hex(parent + 1, 16) : '',
        name: db ? 'SELECT orders' : `op-${Math.floor(r() * 200)}`,
        kind: db ? 3 : 1,
        startTimeUnixNano: String(t0 + BigInt(Math.round(start[i] * 1000))),
        endTimeUnixNano: String(t0 + BigInt(Math.round(end[i] * 1000))),
        attributes: [
          ...(db ? [{ key: 'db.system', value: { stringValue: 'postgresql' } }, { key: 'db.statement', value: { stringValue: `SELECT * FROM orders WHERE id = ${Math.floor(r() * 1e6)}` } }] : []),
          { key: 'http.route', value: { stringValue: `/api/v1/thing/${i % 50}` } },
          { key: 'code.file.path', value: { stringValue: `app/module_${i % 40}.py` } },
          { key: 'code.line.number', value: { intValue: String(10 + (i % 300)) } },
        ],
        status: r() < 0.002 ? { code: 2, message: 'boom' } : {},
      },
    });
  }
  const byService = new Map();
  for (const { service, span } of spans) {
    if (!byService.has(service)) byService.set(service, []);
    byService.get(service).push(span);
  }
  return JSON.stringify({
    resourceSpans: [...byService].map(([s, list]) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: `service-${s}` } }] },
      scopeSpans: [{ scope: { name: 'bench' }, spans: list }],
    })),
  });
}

let core;
/** { importTraces, importTraceStream, buildTrace, buildSnapshot } compiled from src/. */
export async function loadCore() {
  if (core) return core;
  const dir = mkdtempSync(join(tmpdir(), 'iwb-bench-'));
  const entry = join(dir, 'entry.ts');
  writeFileSync(
    entry,
    [
      `export { importTraces, importTraceStream } from ${JSON.stringify(join(REPO_ROOT, 'src/core/traces/import'))};`,
      `export { buildTrace } from ${JSON.stringify(join(REPO_ROOT, 'src/core/traces/model'))};`,
      `export { buildSnapshot } from ${JSON.stringify(join(REPO_ROOT, 'src/presenters/traces'))};`,
    ].join('\n'),
  );
  const out = join(dir, 'core.cjs');
  await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'error', minify: true });
  core = createRequire(import.meta.url)(out);
  return core;
}
