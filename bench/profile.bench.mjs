// Profiles (issue 3): parse a py-spy raw file of 200k unique stacks and a 1M-sample speedscope file
// (budgets < 1 s and < 2 s, peak memory), then first paint and zoom frame time of the flame graph in
// Chromium on the 200k-stack profile, side by side with d3-flame-graph (SVG) on the same profile.
//
// Inputs are generated here (deterministic PRNG) in py-spy's own formats: frames `name (file:line)` with
// full paths, root first; the speedscope file has py-spy's layout (profiles before shared.frames, one
// sampled profile per thread, weights in seconds). Each parse runs in a fresh Node process, so the peak
// RSS (process.resourceUsage().maxRSS) is that parse's and not the previous one's.
/* global window, document, requestAnimationFrame -- code inside page.evaluate runs in Chromium */
import { spawnSync } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { BENCH_DIR, REPO_ROOT, writeSection } from './lib/results.mjs';

const ART = join(BENCH_DIR, 'artifacts', 'profile');
mkdirSync(ART, { recursive: true });
const quick = process.argv.includes('--quick');
const UNIQUE_STACKS = quick ? 20_000 : 200_000;
const SAMPLES = quick ? 100_000 : 1_000_000;

function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random call tree (parents before children) with about `nodes` nodes, py-spy-like frames. */
function callTree(nodes, rand) {
  const FUNCS = 400;
  const parent = [-1];
  const depth = [0];
  const label = ['<module> (/app/service/server.py:71)'];
  const queue = [0];
  while (parent.length < nodes && queue.length) {
    const p = queue.shift();
    // Wide near the root, then 2–4 callees or none: depth ~12 on average, as in real services.
    const fan = depth[p] < 2 ? 16 : rand() < 0.3 ? 0 : 2 + Math.floor(rand() * 3);
    for (let k = 0; k < fan && parent.length < nodes; k++) {
      const f = Math.floor(rand() * FUNCS);
      const id = parent.length;
      parent.push(p);
      depth.push(depth[p] + 1);
      label.push(`func_${f} (/app/service/pkg_${f % 40}/module_${f % 97}.py:${1 + Math.floor(rand() * 400)})`);
      queue.push(id);
    }
  }
  return { parent, depth, label };
}

async function writeLines(file, lines) {
  const out = createWriteStream(file);
  for (const line of lines()) if (!out.write(line)) await new Promise((r) => out.once('drain', r));
  await new Promise((r) => out.end(r));
}

/** py-spy raw: `UNIQUE_STACKS` distinct stacks (trie nodes) with counts. */
async function makeRaw(file, unique = UNIQUE_STACKS) {
  if (existsSync(file)) return;
  const rand = prng(42);
  const t = callTree(Math.round(unique * 1.15), rand);
  const n = t.parent.length;
  // Every leaf, then internal nodes until there are UNIQUE_STACKS distinct stacks.
  const isParent = new Uint8Array(n);
  for (let i = 1; i < n; i++) isParent[t.parent[i]] = 1;
  const chosen = [];
  for (let i = 1; i < n && chosen.length < unique; i++) if (!isParent[i]) chosen.push(i);
  for (let i = 1; i < n && chosen.length < unique; i++) if (isParent[i]) chosen.push(i);
  await writeLines(file, function* () {
    for (const leaf of chosen) {
      const path = [];
      for (let s = leaf; s >= 0; s = t.parent[s]) path.push(t.label[s]);
      yield `${path.reverse().join(';')} ${1 + Math.floor(rand() * 20)}\n`;
    }
  });
}

/**
 * The same lines in a shuffled order. The generator writes stacks in tree order, so neighbours share long
 * prefixes; py-spy writes them in the order each stack was first sampled (an IndexMap), which is closer to
 * random. The parser reuses a prefix shared with the previous line, so the shuffled file is its worst case.
 */
async function makeShuffled(from, file) {
  if (existsSync(file)) return;
  const lines = readFileSync(from, 'utf8').split('\n').filter((l) => l !== '');
  const rand = prng(99);
  for (let i = lines.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [lines[i], lines[j]] = [lines[j], lines[i]];
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

/** py-spy speedscope: SAMPLES samples over 4 threads from ~5k distinct stacks, weights 0.01 s. */
async function makeSpeedscope(file) {
  if (existsSync(file)) return;
  const rand = prng(7);
  const t = callTree(8000, rand);
  const n = t.parent.length;
  const frameIds = new Map();
  const frames = [];
  const frameOf = t.label.map((l) => {
    let id = frameIds.get(l);
    if (id === undefined) {
      id = frames.length;
      frameIds.set(l, id);
      const m = /^(.*) \((.*):(\d+)\)$/.exec(l);
      frames.push({ name: m[1], file: m[2], line: Number(m[3]), col: null });
    }
    return id;
  });
  const stacks = [];
  for (let i = 1; i < n; i++) {
    const path = [];
    for (let s = i; s >= 0; s = t.parent[s]) path.push(frameOf[s]);
    stacks.push(`[${path.reverse().join(',')}]`);
  }
  const threads = 4;
  await writeLines(file, function* () {
    yield '{"$schema":"https://www.speedscope.app/file-format-schema.json","profiles":[';
    for (let th = 0; th < threads; th++) {
      const count = SAMPLES / threads;
      yield `${th ? ',' : ''}{"type":"sampled","name":"Thread ${1000 + th} \\"worker-${th}\\"","unit":"seconds","startValue":0.0,"endValue":${count / 100},"samples":[`;
      for (let k = 0; k < count; k += 1000) {
        const chunk = [];
        for (let j = k; j < Math.min(count, k + 1000); j++) chunk.push(stacks[Math.floor(rand() ** 2 * stacks.length)]);
        yield (k ? ',' : '') + chunk.join(',');
      }
      yield '],"weights":[';
      for (let k = 0; k < count; k += 1000) yield (k ? ',' : '') + new Array(Math.min(1000, count - k)).fill('0.01').join(',');
      yield ']}';
    }
    yield `],"shared":{"frames":${JSON.stringify(frames)}},"activeProfileIndex":null,"exporter":"py-spy@0.4.3","name":"bench"}`;
  });
}

async function bundleCore() {
  const out = join(ART, 'profile-core.cjs');
  await esbuild.build({
    stdin: { contents: "export { parseProfile } from './src/core/profile/parse'; export { summarize } from './src/core/profile/summary';", resolveDir: REPO_ROOT, loader: 'ts' },
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: out, logLevel: 'warning', minify: true,
  });
  return out;
}

/** One parse in a fresh process: wall time (file stream -> Profile) and peak RSS. */
function parseOnce(core, file) {
  const script = `
    const { parseProfile, summarize } = require(${JSON.stringify(core)});
    const fs = require('fs');
    global.gc?.();
    const base = process.memoryUsage().rss;
    const cpu0 = process.cpuUsage();
    const t = performance.now();
    parseProfile(fs.createReadStream(${JSON.stringify(file)}, { highWaterMark: 1 << 20 })).then((p) => {
      const ms = performance.now() - t;
      const c = process.cpuUsage(cpu0);
      const cpuMs = (c.user + c.system) / 1000;
      const stacks = p.stackParent.length;
      const s = summarize(p, { top: 1 });
      process.stdout.write(JSON.stringify({ ms, cpuMs, maxRssMB: process.resourceUsage().maxRSS / 1024, baseMB: base / 2 ** 20, stacks, samples: s.samples, unique: p.threads.reduce((a, t) => a + t.stacks.length, 0) }));
    });`;
  const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', '-e', script], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function measureParse(core, file, runs = 3) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(parseOnce(core, file));
  return { ms: median(results.map((r) => r.ms)), cpuMs: median(results.map((r) => r.cpuMs)), runs: results.map((r) => r.ms), maxRssMB: Math.max(...results.map((r) => r.maxRssMB)), baseMB: results[0].baseMB, stacks: results[0].stacks, samples: results[0].samples, unique: results[0].unique };
}

// ---------------------------------------------------------------- Chromium

async function bundleChart() {
  const out = join(ART, 'flame-bench.js');
  await esbuild.build({
    stdin: {
      contents: `import { FlameChart } from './webview/shared/flameChart'; import { FrameKeys, buildFlameTree, sortChildren } from './src/core/profile/flameTree'; window.IWB = { FlameChart, FrameKeys, buildFlameTree, sortChildren };`,
      resolveDir: REPO_ROOT,
      loader: 'ts',
    },
    bundle: true, platform: 'browser', format: 'iife', target: 'es2022', outfile: out, logLevel: 'warning', minify: true,
  });
  return out;
}

/** FlameData (what the host posts to the page) and the nested {name, value, children} d3-flame-graph takes. */
function pageData(core, file, tag) {
  const script = `
    const { parseProfile } = require(${JSON.stringify(core)});
    parseProfile(require('fs').createReadStream(${JSON.stringify(file)})).then((p) => {
      const data = { frames: p.frames.map((f) => ({ ...f, mine: true, idle: false })), stackParent: p.stackParent, stackFrame: p.stackFrame, threads: p.threads, unit: p.unit };
      require('fs').writeFileSync(${JSON.stringify(join(ART, 'flame-data-'))} + ${JSON.stringify(tag)} + '.json', JSON.stringify(data));
      // The merged tree as d3-flame-graph's input: self weights placed on trie nodes, values are totals.
      const n = p.stackParent.length;
      const self = new Float64Array(n);
      for (const t of p.threads) t.stacks.forEach((s, k) => (self[s] += t.weights[k]));
      const nodes = Array.from({ length: n }, (_, i) => { const f = p.frames[p.stackFrame[i]]; return { name: f.name + ' (' + f.file + ':' + f.line + ')', value: 0, children: [] }; });
      const root = { name: 'all', value: 0, children: [] };
      const total = Float64Array.from(self);
      for (let i = n - 1; i >= 0; i--) { const pa = p.stackParent[i]; if (pa >= 0) total[pa] += total[i]; }
      for (let i = 0; i < n; i++) { nodes[i].value = total[i]; const pa = p.stackParent[i]; (pa >= 0 ? nodes[pa] : root).children.push(nodes[i]); }
      root.value = root.children.reduce((a, c) => a + c.value, 0);
      require('fs').writeFileSync(${JSON.stringify(join(ART, 'd3fg-data-'))} + ${JSON.stringify(tag)} + '.json', JSON.stringify(root));
      process.stdout.write(String(n));
    });`;
  const r = spawnSync(process.execPath, ['--max-old-space-size=4096', '-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return Number(r.stdout);
}

async function browserBench(chartBundle, tag) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  const results = {};
  try {
    // ---- ours: canvas, only boxes >= 1 px
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await page.setContent('<!DOCTYPE html><html><body style="margin:0"><div id="c" style="width:1200px"><canvas></canvas></div></body></html>');
    await page.addScriptTag({ path: chartBundle });
    const flameJson = readFileSync(join(ART, `flame-data-${tag}.json`), 'utf8');
    results.ours = await page.evaluate(async (json) => {
      const data = JSON.parse(json);
      const nextFrame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const { FlameChart, FrameKeys, buildFlameTree, sortChildren } = window.IWB;
      const t0 = performance.now();
      const keys = new FrameKeys();
      const tree = buildFlameTree(data, keys.intern(data.frames));
      sortChildren(tree, keys.frames, true);
      const chart = new FlameChart(document.querySelector('canvas'), { icicle: false, diff: false, mine: () => true });
      chart.setTree(tree, keys);
      chart.paint();
      await nextFrame();
      const firstPaint = performance.now() - t0;
      // Zoom: into each of the 20 widest nodes at depth 3, then back to the root.
      const candidates = [];
      for (let n = 1; n < tree.count; n++) if (tree.depth[n] === 3) candidates.push(n);
      candidates.sort((a, b) => tree.total[b] - tree.total[a]);
      const zoomTimes = [];
      for (const n of candidates.slice(0, 20)) {
        const t = performance.now();
        chart.zoom = n;
        chart.paint();
        await nextFrame();
        zoomTimes.push(performance.now() - t);
        chart.zoom = 0;
        chart.paint();
        await nextFrame();
      }
      zoomTimes.sort((a, b) => a - b);
      return { firstPaint, zoomMedian: zoomTimes[Math.floor(zoomTimes.length / 2)], zoomMax: zoomTimes[zoomTimes.length - 1], nodes: tree.count, drawn: chart.painted.length };
    }, flameJson);
    await page.close();

    // ---- d3-flame-graph 4.x (SVG), same tree, transitions off so animation is not counted
    const page2 = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await page2.setContent('<!DOCTYPE html><html><body style="margin:0"><div id="chart"></div></body></html>');
    await page2.addStyleTag({ path: join(REPO_ROOT, 'node_modules/d3-flame-graph/dist/d3-flamegraph.css') });
    await page2.addScriptTag({ path: join(REPO_ROOT, 'node_modules/d3/dist/d3.min.js') });
    await page2.addScriptTag({ path: join(REPO_ROOT, 'node_modules/d3-flame-graph/dist/d3-flamegraph.min.js') });
    const d3Json = readFileSync(join(ART, `d3fg-data-${tag}.json`), 'utf8');
    const LIMIT = 300_000;
    const gaveUp = new Promise((r) => setTimeout(() => r({ timeout: LIMIT }), LIMIT));
    results.d3fg = await Promise.race([gaveUp, page2.evaluate(async (json) => {
      const nextFrame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const data = JSON.parse(json);
      const t0 = performance.now();
      const chart = window.flamegraph().width(1200).transitionDuration(0).sort(true);
      window.d3.select('#chart').datum(data).call(chart);
      await nextFrame();
      const firstPaint = performance.now() - t0;
      const svgNodes = document.querySelectorAll('#chart g').length;
      const root = window.d3.select('#chart').datum();
      const depth3 = root.descendants().filter((d) => d.depth === 4).sort((a, b) => b.value - a.value).slice(0, 5);
      const zoomTimes = [];
      for (const d of depth3) {
        const t = performance.now();
        chart.zoomTo(d);
        await nextFrame();
        zoomTimes.push(performance.now() - t);
        chart.resetZoom();
        await nextFrame();
      }
      zoomTimes.sort((a, b) => a - b);
      return { firstPaint, zoomMedian: zoomTimes[Math.floor(zoomTimes.length / 2)], zoomMax: zoomTimes[zoomTimes.length - 1], svgNodes };
    }, d3Json)]).catch((e) => ({ error: String(e.message).split('\n')[0] }));
  } finally {
    await browser.close();
  }
  return results;
}

/**
 * The user's path end to end: the shuffled 200k-stack file opened from Quick Open in the real VS Code
 * (code-server, packaged extension, Chromium) until the flame graph's header and chart are drawn: host
 * parse, "my code" resolution, the message to the page, the page's tree and first paint.
 */
async function editorOpen(file, runs = 3) {
  const vsix = join(ART, 'incident-workbench.vsix');
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'package.mjs'), '--out', vsix], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr || r.stdout);
  process.env.IWB_E2E_VSIX = vsix;
  const { openWorkbench, quickInput, runCommand, webviewFrame } = await import('../test/e2e/helpers.mjs');
  const ws = join(ART, 'editor-workspace');
  mkdirSync(join(ws, 'profiles'), { recursive: true });
  copyFileSync(file, join(ws, 'profiles', 'big.pyspy.raw'));
  const wb = await openWorkbench({ workspace: ws });
  const times = [];
  try {
    for (let i = 0; i < runs; i++) {
      await runCommand(wb.page, 'View: Close All Editors');
      await wb.page.keyboard.press('Control+P');
      await quickInput(wb.page).fill('big.pyspy.raw');
      await wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'big.pyspy.raw' }).first().waitFor();
      const t0 = performance.now();
      await wb.page.keyboard.press('Enter');
      const view = await webviewFrame(wb.page, undefined, { timeout: 120000 });
      await view.locator('header p', { hasText: 'samples' }).waitFor({ timeout: 120000 });
      times.push(performance.now() - t0);
    }
  } finally {
    await wb.close();
  }
  return times;
}

const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

const rawFile = join(ART, `pyspy-${UNIQUE_STACKS}-stacks.raw`);
const ssFile = join(ART, `pyspy-${SAMPLES}-samples.speedscope.json`);
const OPEN_PARAGRAPH = /Opening the shuffled 200k-stack file in the editor, end to end[\s\S]*?\)\.\n/;
const openParagraph = (opens) => `Opening the shuffled 200k-stack file in the editor, end to end (Quick Open → Enter in code-server with the
packaged extension, until the flame graph's header and chart are drawn: host parse, "my code" resolution of
every frame's file, the message to the page, tree and first paint): **${fmt(median(opens))}** median (runs: ${opens.map(fmt).join(', ')}).
`;
if (process.argv.includes('--editor-only')) {
  // Only the end-to-end open, re-measured after a change on that path: the rest of the section stays.
  const file = rawFile.replace(/\.raw$/, '-shuffled.raw');
  await makeRaw(rawFile);
  await makeShuffled(rawFile, file);
  const opens = await editorOpen(file);
  console.log(`open in the editor: ${opens.map((t) => t.toFixed(0)).join(', ')} ms (load ${loadavg().map((x) => x.toFixed(1)).join(', ')})`);
  const results = join(BENCH_DIR, 'RESULTS.md');
  const text = readFileSync(results, 'utf8');
  if (!OPEN_PARAGRAPH.test(text)) throw new Error('RESULTS.md has no editor-open paragraph to replace: run the whole bench');
  writeFileSync(results, text.replace(OPEN_PARAGRAPH, openParagraph(opens)));
  process.exit(0);
}
console.log('generating inputs (cached in bench/artifacts/profile/) …');
await makeRaw(rawFile);
await makeSpeedscope(ssFile);
const core = await bundleCore();
console.log('parsing …');
const shuffledFile = rawFile.replace(/\.raw$/, '-shuffled.raw');
await makeShuffled(rawFile, shuffledFile);
const raw = await measureParse(core, rawFile);
const shuffled = await measureParse(core, shuffledFile);
const ss = await measureParse(core, ssFile);
console.log(`raw ${fmt(raw.ms)} (${raw.maxRssMB.toFixed(0)} MB peak), speedscope ${fmt(ss.ms)} (${ss.maxRssMB.toFixed(0)} MB peak)`);
console.log('Chromium …');
const nodes = pageData(core, rawFile, 'big');
const chartBundle = await bundleChart();
const b = await browserBench(chartBundle, 'big');
console.log(JSON.stringify(b));
// d3-flame-graph needs a smaller profile to finish at all: the same generator with a tenth of the stacks.
const smallFile = join(ART, `pyspy-${UNIQUE_STACKS / 10}-stacks.raw`);
await makeRaw(smallFile, UNIQUE_STACKS / 10);
const smallNodes = pageData(core, smallFile, 'small');
const small = await browserBench(chartBundle, 'small');
console.log(JSON.stringify(small));
console.log('VS Code (code-server) …');
const opens = await editorOpen(shuffledFile);
console.log(`open in the editor: ${opens.map((t) => t.toFixed(0)).join(', ')} ms`);
const peer = (r, base) =>
  r.timeout
    ? `| d3-flame-graph (SVG) | did not finish in ${fmt(r.timeout)} | | | |\n| ratio d3-flame-graph / ours | > ${(r.timeout / base.firstPaint).toFixed(0)}× | | | |`
    : r.error
      ? `| d3-flame-graph (SVG) | **fails**: \`${r.error.replace(/\|/g, '\\|').slice(0, 90)}\` | | | |`
      : `| d3-flame-graph (SVG) | ${fmt(r.firstPaint)} | ${fmt(r.zoomMedian)} | ${fmt(r.zoomMax)} | ${r.svgNodes.toLocaleString('en')} SVG groups |\n| ratio d3-flame-graph / ours | **${(r.firstPaint / base.firstPaint).toFixed(1)}×** | **${(r.zoomMedian / base.zoomMedian).toFixed(1)}×** | | |`;
const ours = (r) => `| Incident Workbench (d3 scales + canvas, boxes ≥ 1 px) | **${fmt(r.firstPaint)}** | **${fmt(r.zoomMedian)}** | ${fmt(r.zoomMax)} | ${r.drawn.toLocaleString('en')} boxes |`;

writeSection(
  'profile',
  `## Profiles: parsing and the flame graph (issue 3)

Inputs generated by \`bench/profile.bench.mjs\` in py-spy's formats (full paths, \`name (file:line)\` frames; the
speedscope file laid out as py-spy writes it). The raw file's lines come in tree order, so neighbours share
prefixes; the shuffled copy is the parser's worst case (py-spy writes stacks in first-sampled order). Parse = file stream → one Profile (format detection, frames,
stack table, weights per thread), median of 3 runs, each in a fresh Node process; peak = that process's
maximum RSS (includes Node itself, about ${raw.baseMB.toFixed(0)} MB at start). CPU time = user + system time of that
process (GC helper threads included): on a machine this loaded it is the fairer figure, as wall time includes
waiting for a core.

| input | size | parse, wall (median) | CPU time (median) | wall, runs | budget | peak RSS |
| --- | --- | --- | --- | --- | --- | --- |
| py-spy raw, ${raw.unique.toLocaleString('en')} unique stacks (${raw.stacks.toLocaleString('en')} stack-table nodes) | ${mb(statSync(rawFile).size)} | **${fmt(raw.ms)}** | ${fmt(raw.cpuMs)} | ${raw.runs.map(fmt).join(', ')} | < 1 s | ${raw.maxRssMB.toFixed(0)} MB |
| the same, lines shuffled | ${mb(statSync(shuffledFile).size)} | **${fmt(shuffled.ms)}** | ${fmt(shuffled.cpuMs)} | ${shuffled.runs.map(fmt).join(', ')} | < 1 s | ${shuffled.maxRssMB.toFixed(0)} MB |
| py-spy speedscope, ${ss.samples.toLocaleString('en')} samples, 4 threads | ${mb(statSync(ssFile).size)} | **${fmt(ss.ms)}** | ${fmt(ss.cpuMs)} | ${ss.runs.map(fmt).join(', ')} | < 2 s | ${ss.maxRssMB.toFixed(0)} MB |

Flame graph in Chromium (Debian's, headless, software rendering, 1200 px wide) on the raw profile above,
and on one with a tenth of its stacks from the same generator (d3-flame-graph does not finish the big one). First paint = from the data in the page to the first frame
after drawing (ours includes building the merged tree from the stack table); zoom = one zoom into one of
the widest nodes at depth 3 until the next frame. d3-flame-graph 4.1.3 (SVG) gets the same tree as nested
\`{name, value, children}\`, \`transitionDuration(0)\` so its animation is not counted.

| profile | viewer | first paint | zoom (median) | zoom (max) | drawn |
| --- | --- | --- | --- | --- | --- |
${[ours(b.ours), peer(b.d3fg, b.ours)].join('\n').replace(/^\| /gm, `| ${raw.unique.toLocaleString('en')} stacks, ${nodes.toLocaleString('en')} nodes | `)}
${[ours(small.ours), peer(small.d3fg, small.ours)].join('\n').replace(/^\| /gm, `| ${Math.round(UNIQUE_STACKS / 10).toLocaleString('en')} stacks, ${smallNodes.toLocaleString('en')} nodes | `)}

${openParagraph(opens)}
Design budget (DESIGN.md): first paint < 200 ms. Load average while measuring: ${loadavg().map((x) => x.toFixed(1)).join(', ')} (the 2 cores are shared with other work; figures are wall-clock).`,
);
writeFileSync(join(ART, 'last.json'), JSON.stringify({ raw, shuffled, ss, browser: b, small, nodes, smallNodes }, null, 2));
console.log('wrote the profile section of bench/RESULTS.md');
