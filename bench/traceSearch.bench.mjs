// Traces where they live (issue 15): a real Jaeger (v2, built by install-deps) fed with N synthetic
// requests of ~100 spans over OTLP/HTTP, then, for the same queries in the same run:
//   - Jaeger's own API: GET /api/traces and JSON.parse of the whole answer (what Jaeger UI does), and
//   - ours: searchTraces streamed into the importer with the statistics built while it arrives (no spans
//     kept), as the Trace Search panel and `iwb traces stats` do.
// Sizes: a search of 1,000 traces, statistics over 10,000 traces (about 1 million spans).
// IWB_BENCH_TRACES overrides the 10,000 (e.g. 2000 for a quick run).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { REPO_ROOT, timeMedian, writeSection } from './lib/results.mjs';

const TOTAL = Number(process.env.IWB_BENCH_TRACES ?? 10_000);
const SPANS = 100;

async function loadCore() {
  const dir = mkdtempSync(join(tmpdir(), 'iwb-bench-'));
  const entry = join(dir, 'entry.ts');
  writeFileSync(entry, [`export { searchTraces } from ${JSON.stringify(join(REPO_ROOT, 'src/core/traces/jaeger'))};`, `export { TraceAggregator } from ${JSON.stringify(join(REPO_ROOT, 'src/core/traces/aggregate'))};`, `export { buildQuery, v1SearchPath } from ${JSON.stringify(join(REPO_ROOT, 'src/core/traces/query'))};`].join('\n'));
  const out = join(dir, 'core.cjs');
  await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'error', minify: true });
  return createRequire(import.meta.url)(out);
}

const hex = (n, len) => n.toString(16).padStart(len, '0');
const attr = (key, value) => ({ key, value: typeof value === 'boolean' ? { boolValue: value } : { stringValue: String(value) } });

/** One OTLP/JSON export request of `count` requests from trace number `from`: a root, a loop of DB spans, a ranking span. */
function batch(from, count, nowNs) {
  const spans = [];
  for (let t = from; t < from + count; t++) {
    const traceId = hex(t + 1, 32);
    const slow = t % 5 === 0;
    const start = nowNs - BigInt((TOTAL - t) * 20_000_000);
    const dbCount = SPANS - 3;
    const dbNs = 100_000;
    const rankNs = slow ? 400_000_000 : 40_000_000;
    const total = BigInt(dbCount * dbNs + rankNs + 2_000_000);
    const root = hex(t * 1000 + 1, 16);
    spans.push({ traceId, spanId: root, name: 'POST /recommend', kind: 2, startTimeUnixNano: String(start), endTimeUnixNano: String(start + total), attributes: [attr('http.route', '/recommend'), attr('app.client', slow ? 'ios' : t % 2 ? 'web' : 'android'), attr('recommend.pinned', slow)], status: t % 50 === 7 ? { code: 2 } : {} });
    const load = hex(t * 1000 + 2, 16);
    spans.push({ traceId, spanId: load, parentSpanId: root, name: 'load_items', kind: 1, startTimeUnixNano: String(start + 1_000_000n), endTimeUnixNano: String(start + 1_000_000n + BigInt(dbCount * dbNs)), attributes: [], status: {} });
    for (let i = 0; i < dbCount; i++) {
      const s = start + 1_000_000n + BigInt(i * dbNs);
      spans.push({ traceId, spanId: hex(t * 1000 + 3 + i, 16), parentSpanId: load, name: 'SELECT', kind: 3, startTimeUnixNano: String(s), endTimeUnixNano: String(s + BigInt(dbNs - 1000)), attributes: [attr('db.system', 'sqlite'), attr('db.statement', 'SELECT id, name FROM items WHERE id = ?')], status: {} });
    }
    const rs = start + 1_000_000n + BigInt(dbCount * dbNs);
    spans.push({ traceId, spanId: hex(t * 1000 + 999, 16), parentSpanId: root, name: 'pairwise_diversity', kind: 1, startTimeUnixNano: String(rs), endTimeUnixNano: String(rs + BigInt(rankNs)), attributes: [], status: {} });
  }
  return { resourceSpans: [{ resource: { attributes: [attr('service.name', 'recommend')] }, scopeSpans: [{ scope: { name: 'bench' }, spans }] }] };
}

const support = await import(pathToFileURL(join(REPO_ROOT, 'test', 'support', 'jaeger.mjs')).href);
const available = support.jaegerAvailable();
if (!available.ok) throw new Error(available.reason);
const core = await loadCore();
const jaeger = await support.startJaeger({ maxTraces: TOTAL + 1000 });
try {
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const feedStart = performance.now();
  const PER = 100;
  for (let from = 0; from < TOTAL; from += PER) {
    const r = await fetch(`${jaeger.otlpHttp}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(batch(from, Math.min(PER, TOTAL - from), nowNs)) });
    if (from % 2000 === 0) console.error(`feeding ${from}`);
    if (!r.ok) throw new Error(`OTLP export answered ${r.status}: ${await r.text()}`);
  }
  // Wait until Jaeger holds them all.
  // Stored in order: the last request's trace answering means all are in (a search of all would cost more).
  const stored = async () => (await fetch(`${jaeger.url}/api/traces/${hex(TOTAL, 32)}`)).ok;
  for (let i = 0; i < 120 && !(await stored()); i++) await new Promise((r) => setTimeout(r, 1000));
  const feedMs = performance.now() - feedStart;
  console.error(`fed ${TOTAL} requests in ${(feedMs / 1000).toFixed(1)} s`);

  const rows = [];
  for (const limit of [1000, TOTAL]) {
    // A fixed range around what was fed: the runs of the first query can outlast a lookback window.
    const query = core.buildQuery({ service: 'recommend', start: String(Number(nowNs / 1000n) - (TOTAL * 20 + 60_000) * 1000), end: String(Number(nowNs / 1000n) + 600e6), limit }, Date.now() * 1000);
    const path = core.v1SearchPath(query);
    let bytes = 0;
    let jaegerTraces = 0;
    const runs = limit >= 10_000 ? 1 : 3;
    const peer = await timeMedian(async () => {
      const text = await (await fetch(`${jaeger.url}${path}`)).text();
      bytes = text.length;
      jaegerTraces = JSON.parse(text).data.length;
    }, { runs, warmup: limit >= 10_000 ? 0 : 1 });
    let ours = 0;
    let firstProgress = 0;
    let result;
    ours = await timeMedian(async () => {
      const agg = new core.TraceAggregator();
      const t0 = performance.now();
      firstProgress = 0;
      const r = await core.searchTraces({ url: jaeger.url, api: 'v1', timeoutMs: 300_000 }, query, { keepSpans: false, onSpan: (s) => agg.add(s), onBytes: () => (firstProgress ||= performance.now() - t0) });
      result = { traces: r.traces.length, stats: agg.result(), spans: agg.spans };
    }, { runs, warmup: limit >= 10_000 ? 0 : 1 });
    global.gc?.();
    const top = result.stats.slowAttributes[0];
    rows.push({ limit, bytes, jaegerTraces, peer, ours, firstProgress, traces: result.traces, spans: result.spans, top: top ? `${top.key}=${top.value} (${(top.slowShare * 100).toFixed(0)}% of slow, ${(top.normalShare * 100).toFixed(0)}% of others)` : '—', rss: process.memoryUsage().rss });
  }

  const md = `## Trace search and statistics against a real Jaeger (issue 15)

Jaeger v2 (v1.75.0, in-memory storage, built by install-deps) fed ${TOTAL.toLocaleString('en-US')} synthetic requests of
${SPANS} spans (a root, an N+1 loop of DB spans, a ranking span; every fifth one slow, from the \`ios\` client) over
OTLP/HTTP in ${(feedMs / 1000).toFixed(1)} s. For each query, the same \`/api/traces\` request twice in the same run:
**Jaeger API** = fetch the answer and \`JSON.parse\` it whole (what Jaeger UI does before drawing); **ours** = the
Trace Search panel's and \`iwb traces stats\`'s path: the answer streamed through the importer into the trace
summaries and the statistics (per-operation percentiles, histogram, BubbleUp), no span kept. Medians.

| Traces asked | Spans | Answer | Jaeger API (fetch + parse) | Ours (stream + summaries + stats) | Ratio | First bytes (progress shown) | What the slow ones share |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |
${rows.map((r) => `| ${r.limit.toLocaleString('en-US')} (${r.traces.toLocaleString('en-US')} returned) | ${r.spans.toLocaleString('en-US')} | ${(r.bytes / 2 ** 20).toFixed(0)} MB | ${(r.peer / 1000).toFixed(2)} s | ${(r.ours / 1000).toFixed(2)} s | ${(r.ours / r.peer).toFixed(2)}× | ${r.firstProgress.toFixed(0)} ms | ${r.top} |`).join('\n')}

Most of both columns is Jaeger building and sending its answer; the difference is our parsing and analysis.
Cancel is honoured between any two chunks of the answer (unit test), and progress reports bytes and traces
from the first chunk on, so a 10,000-trace query is never a frozen panel. RSS of the bench process after the
largest run: ${(rows.at(-1).rss / 2 ** 20).toFixed(0)} MB.`;
  writeSection('traceSearch', md);
  console.log(md);
} finally {
  await jaeger.stop();
}
