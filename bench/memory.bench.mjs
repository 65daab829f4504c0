// Memory (issue 12): a memray capture of more than 5 million allocations, made here by running a generated
// Python program under memray; `iwb memory summarize` on it (wall time and peak RSS) next to memray's own
// reporters on the same file in the same run (`memray stats`, `memray flamegraph`, and the four reports that
// together say what one summarize says); reading it for the memory view (with memory over time); and the
// memory view's first paint in Chromium: the real page bundle, given the snapshot the host would post; and
// the host's part of that snapshot (prepared once per read, assembled per message) and its size.
/* global window, document, requestAnimationFrame -- code inside page.evaluate runs in Chromium */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { BENCH_DIR, REPO_ROOT, writeSection } from './lib/results.mjs';

const ART = join(BENCH_DIR, 'artifacts', 'memory');
mkdirSync(ART, { recursive: true });
const quick = process.argv.includes('--quick');
const PYTHON = process.env.IWB_PYTHON ?? 'python3';
const CALLS = quick ? 600_000 : 2_600_000; // each call allocates twice: a kept or freed buffer and a temporary one
const runsArg = process.argv.indexOf('--runs');
// --runs N: fewer rounds of the slow commands when the machine is busy (each round reads the capture 7 times).
const RUNS = runsArg > 0 ? Math.max(1, Number(process.argv[runsArg + 1]) || 1) : quick ? 1 : 3;

/**
 * A program with many distinct call paths: 400 generated functions, each calling one of its callees chosen
 * by the iteration number (modulo 2,039), 6 to 12 deep; at the bottom a 600-byte buffer (malloc, so memray sees it without
 * --trace-python-allocators) that is kept one time in 500 (a leak), or freed at once (churn), plus a
 * temporary list; half-way a batch of 2,000 buffers is held and dropped (the peak).
 */
function workloadSource() {
  const lines = ['import sys', 'kept = []', 'def leaf(i):', '    b = bytearray(600 + i % 64)', '    t = [0] * 80', '    if i % 500 == 0:', '        kept.append(b)', '    return len(t)', ''];
  const FUNCS = 400;
  for (let f = 0; f < FUNCS; f++) {
    const callees = [1, 2, 3].map((k) => (f * 7 + k * 131 + 17) % FUNCS);
    lines.push(`def f${f}(i, d):`);
    lines.push(`    if d == 0:`);
    lines.push(`        return leaf(i)`);
    // At most 2,039 paths per root: tens of thousands of distinct stacks, as in a large service.
    lines.push(`    c = (i % 2039 + d * ${f % 5 + 1}) % 3`);
    lines.push(`    if c == 0:`);
    lines.push(`        return f${callees[0]}(i, d - 1)`);
    lines.push(`    if c == 1:`);
    lines.push(`        return f${callees[1]}(i, d - 1)`);
    lines.push(`    return f${callees[2]}(i, d - 1)`);
    lines.push('');
  }
  lines.push('ROOTS = [' + Array.from({ length: 40 }, (_, k) => `f${(k * 37) % FUNCS}`).join(', ') + ']');
  lines.push('def main(n):');
  lines.push('    for i in range(n):');
  lines.push('        ROOTS[i % 40](i, 6 + i % 7)');
  lines.push('        if i == n // 2:');
  lines.push('            batch = [bytearray(4096) for _ in range(2000)]');
  lines.push('            del batch');
  lines.push('if __name__ == "__main__":');
  lines.push('    main(int(sys.argv[1]))');
  return `${lines.join('\n')}\n`;
}

function run(command, args, options = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, ...options });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${r.stderr}`);
  const last = r.stderr.trim().split('\n').pop();
  const [secs, kb] = last.split(' ').map(Number);
  return { ms: secs * 1000, rssMB: kb / 1024, stdout: r.stdout };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

// ---------------------------------------------------------------- the capture

const script = join(ART, 'workload.py');
writeFileSync(script, workloadSource());
const capture = join(ART, `workload-${CALLS}.memray.bin`);
if (!existsSync(capture)) {
  console.log(`recording ${CALLS.toLocaleString('en')} calls under memray (cached in bench/artifacts/memory/) …`);
  run(PYTHON, ['-m', 'memray', 'run', '-q', '-f', '-o', capture, script, String(CALLS)]);
}
const cli = join(REPO_ROOT, 'dist', 'cli.js');
const summary = JSON.parse(run(process.execPath, [cli, 'memory', 'summarize', capture, '--json', '--python', PYTHON]).stdout);
console.log(`capture: ${summary.totalAllocations.toLocaleString('en')} allocations, ${(statSync(capture).size / 2 ** 20).toFixed(1)} MB`);
if (!quick && summary.totalAllocations < 5_000_000) throw new Error(`the capture has ${summary.totalAllocations} allocations, fewer than 5 million`);

// ---------------------------------------------------------------- summarize vs memray's reporters, interleaved

const tasks = {
  ours: () => run(process.execPath, [cli, 'memory', 'summarize', capture, '--json', '--python', PYTHON]),
  stats: () => run(PYTHON, ['-m', 'memray', 'stats', '--json', '-f', '-o', join(ART, 'stats.json'), capture]),
  flamegraph: () => run(PYTHON, ['-m', 'memray', 'flamegraph', '-f', '-o', join(ART, 'flame.html'), capture]),
  flamegraphLeaks: () => run(PYTHON, ['-m', 'memray', 'flamegraph', '--leaks', '-f', '-o', join(ART, 'flame-leaks.html'), capture]),
  flamegraphTemporary: () => run(PYTHON, ['-m', 'memray', 'flamegraph', '--temporary-allocations', '-f', '-o', join(ART, 'flame-temp.html'), capture]),
  view: () => run(PYTHON, [join(REPO_ROOT, 'python', 'iwb_memray.py'), capture, '--time'], { stdio: ['ignore', 'ignore', 'pipe'] }),
};
const results = Object.fromEntries(Object.keys(tasks).map((k) => [k, []]));
for (let i = 0; i < RUNS; i++) {
  for (const [name, fn] of Object.entries(tasks)) {
    const r = fn();
    results[name].push(r);
    console.log(`${name}: ${fmt(r.ms)}, ${r.rssMB.toFixed(0)} MB`);
  }
}
const m = Object.fromEntries(Object.entries(results).map(([k, rs]) => [k, { ms: median(rs.map((r) => r.ms)), rssMB: Math.max(...rs.map((r) => r.rssMB)), runs: rs.map((r) => r.ms) }]));
const memrayAll = m.stats.ms + m.flamegraph.ms + m.flamegraphLeaks.ms + m.flamegraphTemporary.ms;

// ---------------------------------------------------------------- first paint of the memory view in Chromium

async function snapshotFor(file) {
  const out = join(ART, 'presenter.cjs');
  await esbuild.build({
    stdin: { contents: "export { readMemoryFile } from './src/node/memoryReader'; export { memorySnapshot, encodeMemoryData, prepareCapture } from './src/presenters/memory';", resolveDir: REPO_ROOT, loader: 'ts' },
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: out, logLevel: 'warning',
  });
  const { readMemoryFile, memorySnapshot, encodeMemoryData, prepareCapture } = await import(out);
  const r = await readMemoryFile(file, { pythons: [PYTHON], helperDir: join(REPO_ROOT, 'python'), time: true });
  if (r.error) throw new Error(r.error);
  // The host's side, as the memory editor does it: columns and prepared parts once per read (the first
  // call of a fresh process, as when a capture is opened), then a snapshot per `ready` or heat change.
  let t = performance.now();
  const data = encodeMemoryData(r.capture, () => true);
  const prepared = prepareCapture(r.capture);
  const prepareMs = performance.now() - t;
  const assembly = [];
  const unprepared = [];
  let snap;
  for (let i = 0; i < 5; i++) {
    t = performance.now();
    snap = memorySnapshot({ version: 'bench', capture: r.capture, data, prepared }, 'Memory: bench', { on: true, shown: true });
    assembly.push(performance.now() - t);
    // The same snapshot with nothing prepared: suspects, lifetimes and facts worked out for each one.
    t = performance.now();
    memorySnapshot({ version: 'bench', capture: r.capture, data }, 'Memory: bench', { on: true, shown: true });
    unprepared.push(performance.now() - t);
  }
  // What VS Code sends: typed arrays as binary buffers, the rest as JSON.
  let binary = 0;
  const json = JSON.stringify(snap, (_, v) => {
    if (!ArrayBuffer.isView(v)) return v;
    binary += v.byteLength;
    return 0;
  }).length;
  return { snap, stacks: r.capture.stackParent.length, frames: r.capture.frames.length, prepareMs, snapshotMs: median(assembly), unpreparedMs: median(unprepared), json, binary };
}

/** The snapshot as JSON with typed arrays as plain arrays and the names of the fields to turn back. */
function toWire(snap) {
  return JSON.stringify(snap, (_, v) => (ArrayBuffer.isView(v) ? { __typed: v.constructor.name, values: Array.from(v) } : v));
}

async function firstPaint(wire, runs) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  const times = [];
  try {
    for (let i = 0; i < runs; i++) {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const css = readFileSync(join(REPO_ROOT, 'media', 'webview.css'), 'utf8') + readFileSync(join(REPO_ROOT, 'media', 'memory.css'), 'utf8');
      await page.setContent(`<!DOCTYPE html><html><head><style>${css}</style></head><body><main id="app"></main></body></html>`);
      await page.evaluate(() => {
        window.acquireVsCodeApi = () => ({ postMessage: () => {}, getState: () => undefined, setState: () => {} });
      });
      await page.addScriptTag({ path: join(REPO_ROOT, 'dist', 'webview', 'memory.js') });
      times.push(
        await page.evaluate(async (json) => {
          const snapshot = JSON.parse(json, (_, v) => (v && v.__typed ? new window[v.__typed](v.values) : v));
          const t0 = performance.now();
          window.postMessage({ type: 'snapshot', snapshot }, '*');
          // Drawn: the flame graph's status line is written after the canvas is painted; then the next frame.
          await new Promise((resolve) => {
            const check = () => (document.querySelector('.fg-status')?.textContent ? resolve() : requestAnimationFrame(check));
            check();
          });
          await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
          return performance.now() - t0;
        }, wire),
      );
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return times;
}

console.log('memory view in Chromium …');
const big = await snapshotFor(capture);
const wire = toWire(big.snap);
const demoFile = join(REPO_ROOT, 'demo', '.incidents', 'INC-2026-001', 'evidence', 'memory', 'recommend-leak.memray.bin');
const demo = await snapshotFor(demoFile);
const paintLoad = loadavg();
const PAINTS = quick ? 2 : 9;
const paints = await firstPaint(wire, PAINTS);
const demoPaints = await firstPaint(toWire(demo.snap), PAINTS);
console.log(`first paint: ${paints.map(fmt).join(', ')}; demo: ${demoPaints.map(fmt).join(', ')}`);

const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
const row = (name, r) => `| ${name} | ${fmt(r.ms)} | ${r.runs.map(fmt).join(', ')} | ${r.rssMB.toFixed(0)} MB |`;
writeSection(
  'memory',
  `## Memory: summarizing a big memray capture, and the memory view (issue 12)

The capture: \`bench/memory.bench.mjs\` writes a Python program of 400 generated functions calling each other
6–12 deep (from 40 roots, callee chosen by the iteration number modulo 2,039) whose leaf allocates a 600-byte buffer and a
temporary list (one buffer in 500 is kept: a leak; the rest are freed at once: churn) and holds a batch of
2,000 buffers half-way (the peak), and records ${CALLS.toLocaleString('en')} calls of it with \`memray run\`
(memray from requirements-dev.txt): **${summary.totalAllocations.toLocaleString('en')} allocations**,
${(summary.totalBytes / 2 ** 30).toFixed(2)} GiB allocated in total, ${big.stacks.toLocaleString('en')} distinct stacks, a ${(statSync(capture).size / 2 ** 20).toFixed(1)} MB file.

Same file, same run, interleaved, ${RUNS === 1 ? 'one run each (--runs 1: the shared machine was busy)' : `median of ${RUNS}`}; wall time and peak RSS of the whole command as
\`/usr/bin/time\` reports it (the largest process of its tree: our Node CLI, the Python helper, its worker
processes; memray's Python process). \`iwb memory summarize\` reads the capture through memray's own reader in
one Python helper whose passes (peak, leaks, temporary, totals) run in forked worker processes on the 2 cores.

| command | wall (median) | runs | peak RSS |
| --- | --- | --- | --- |
${row('`iwb memory summarize --json` (peak, leaks, temporary, totals)', m.ours)}
${row('`memray stats --json`', m.stats)}
${row('`memray flamegraph` (peak)', m.flamegraph)}
${row('`memray flamegraph --leaks`', m.flamegraphLeaks)}
${row('`memray flamegraph --temporary-allocations`', m.flamegraphTemporary)}
${row('the memory view\'s read (`python/iwb_memray.py --time`: also memory over time and lifetimes)', m.view)}

Ratios (memray ÷ ours, above 1 means ours is faster): \`memray stats\` **${ratio(m.stats.ms, m.ours.ms)}**, \`memray flamegraph\`
**${ratio(m.flamegraph.ms, m.ours.ms)}**, and the four memray reports that together say what one summarize says
(totals, peak, leaks, temporary) **${ratio(memrayAll, m.ours.ms)}**. Peak RSS, ours ÷ memray stats: ${ratio(m.ours.rssMB, m.stats.rssMB)}; ours ÷ \`memray flamegraph --temporary-allocations\`
(memray's temporary-allocations pass, which is also our largest process): ${ratio(m.ours.rssMB, m.flamegraphTemporary.rssMB)}.

The memory view's first paint in Chromium (Debian's, headless, software rendering, 1200 px wide): the page
bundle \`dist/webview/memory.js\` is given the snapshot the host posts (facts, timeline, lifetimes, suspects,
the six flame threads) and timed from the message to the frame after its flame graph, timeline and
suspects are drawn: **${fmt(median(paints))}** median on the big capture (${big.stacks.toLocaleString('en')} stacks, ${big.frames.toLocaleString('en')} frames; runs ${paints.map(fmt).join(', ')}),
**${fmt(median(demoPaints))}** on the demo incident's capture (runs ${demoPaints.map(fmt).join(', ')}). Budget (DESIGN.md, flame graphs): < 200 ms.
Load average when the paints started: ${paintLoad.map((x) => x.toFixed(1)).join(', ')}.

The host's part of that snapshot (big capture): columns, leak suspects, lifetimes and facts are prepared once when
the capture is read (${fmt(big.prepareMs)}, the first call), so a snapshot — sent on every \`ready\` and heat
change — is assembled in ${big.snapshotMs.toFixed(2)} ms (${big.unpreparedMs.toFixed(1)} ms when they are worked out for each snapshot, median of 5);
the message is ${(big.json / 1024).toFixed(0)} KiB of JSON and ${(big.binary / 1024).toFixed(0)} KiB of binary columns.

Load average while measuring: ${loadavg().map((x) => x.toFixed(1)).join(', ')} (the 2 cores are shared with other work; figures are wall-clock).`,
);
writeFileSync(join(ART, 'last.json'), JSON.stringify({ summary: { totalAllocations: summary.totalAllocations }, medians: m, paints, demoPaints, paintLoad, host: { prepareMs: big.prepareMs, snapshotMs: big.snapshotMs, unpreparedMs: big.unpreparedMs, json: big.json, binary: big.binary } }, null, 2));
console.log('wrote the memory section of bench/RESULTS.md');
