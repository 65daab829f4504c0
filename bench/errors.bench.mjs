// Error clusters (issue 4): throughput and peak memory of the whole pipeline (read → JSON → fingerprint →
// cluster → report) on a generated 1M-line JSON Lines file with real tracebacks, memory over a 1 GB file,
// the Drain miner side by side with Drain3 (Python, requirements-dev.txt) on the same messages in the same
// run, and grouping accuracy on the labelled real tracebacks of test/fixtures/logs/labelled.jsonl.
//
//   node bench/errors.bench.mjs            (or npm run bench -- errors)
//   IWB_BENCH_ERRORS_LINES=200000 …        a smaller file for a quick look
//
// Each measurement runs in its own Node process (`--worker`), so peak RSS is that run's own.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT, writeSection } from './lib/results.mjs';

const ARTIFACTS = join(REPO_ROOT, 'bench', 'artifacts');
const CORE = join(ARTIFACTS, 'errors-core.cjs');
const SELF = fileURLToPath(import.meta.url);
const LINES = Number(process.env.IWB_BENCH_ERRORS_LINES ?? 1_000_000);
const GIB = 1024 ** 3;

async function buildCore() {
  mkdirSync(ARTIFACTS, { recursive: true });
  const entry = join(ARTIFACTS, 'errors-entry.ts');
  writeFileSync(
    entry,
    [
      `export { analyzeLogFiles } from '${join(REPO_ROOT, 'src/core/errors/load')}';`,
      `export { ErrorAnalyzer } from '${join(REPO_ROOT, 'src/core/errors/analyzer')}';`,
      `export { Drain } from '${join(REPO_ROOT, 'src/core/errors/drain')}';`,
      `export { readText } from '${join(REPO_ROOT, 'src/core/logs/reader')}';`,
    ].join('\n'),
  );
  await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: CORE, logLevel: 'warning', minify: true });
  return createRequire(import.meta.url)(CORE);
}

function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Error events of the real runs: the labelled shop logs and the demo service's log. */
function realErrors() {
  const out = [];
  for (const file of ['test/fixtures/logs/labelled.jsonl', 'demo/logs/service.jsonl']) {
    const path = join(REPO_ROOT, file);
    if (!existsSync(path)) continue;
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line) continue;
      const o = JSON.parse(line);
      if ((o.levelname ?? o.level) === 'ERROR') out.push(o);
    }
  }
  return out;
}

/**
 * A JSON Lines file of about `lines` lines (or `bytes` bytes): 90% access/info lines, 10% error events copied
 * from real runs (their tracebacks, types and messages as Python printed them) with fresh times and ids.
 * Returns the path; reuses an existing file of the same name.
 */
async function generate(name, { lines, bytes }) {
  const path = join(ARTIFACTS, name);
  if (existsSync(path) && statSync(path).size > 0) return path;
  const errors = realErrors();
  const r = rng(42);
  const out = createWriteStream(path);
  const start = Date.parse('2026-11-20T06:00:00Z');
  const endpoints = ['/recommend', '/checkout', '/cart', '/search', '/health'];
  let written = 0;
  let n = 0;
  let buf = '';
  while (lines ? n < lines : written < bytes) {
    const ts = new Date(start + n * 20).toISOString();
    const req = Math.floor(r() * 2 ** 32).toString(16).padStart(8, '0');
    let line;
    if (r() < 0.1) {
      const e = errors[Math.floor(r() * errors.length)];
      line = JSON.stringify({ ...e, timestamp: ts, asctime: undefined, request_id: `req-${req}`, user_id: `u${Math.floor(r() * 5000)}` });
    } else {
      line = JSON.stringify({ timestamp: ts, level: 'INFO', logger: 'service', message: `"POST ${endpoints[n % 5]} HTTP/1.1" 200 ${Math.floor(r() * 5000)}`, service: 'recommend', request_id: `req-${req}`, user_id: `u${Math.floor(r() * 5000)}`, endpoint: endpoints[n % 5], duration_ms: Math.round(r() * 3000) / 10 });
    }
    buf += line + '\n';
    n++;
    if (buf.length > 1 << 20) {
      written += Buffer.byteLength(buf);
      if (!out.write(buf)) await new Promise((res) => out.once('drain', res));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise((res) => out.end(res));
  return path;
}

/** Runs in a child process: the whole pipeline over one file, with RSS sampled as the bytes go by. */
async function worker(file) {
  const core = createRequire(import.meta.url)(CORE);
  const samples = [];
  let next = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const result = await core.analyzeLogFiles([file], {
    onProgress: (done, total) => {
      if (done / total >= next) {
        samples.push({ at: Math.round((done / total) * 100), rssMB: Math.round(process.memoryUsage().rss / 2 ** 20), heapMB: Math.round(process.memoryUsage().heapUsed / 2 ** 20) });
        next += 0.1;
      }
    },
  });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(
    JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, lines: result.report.lines, events: result.report.events, clusters: result.report.clusters.length, bytes: result.bytes, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024), samples }),
  );
}

function runWorker(file) {
  const r = spawnSync(process.execPath, [SELF, '--worker', file], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`worker failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** The message each line stands for: the log message, or `Type: message` of an exception. */
function messagesOf(text, limit) {
  const out = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    if (out.length >= limit) break;
    const o = JSON.parse(line);
    const tb = o.exc_info ?? o.exception?.traceback;
    if (typeof tb === 'string' && tb.trim()) {
      const last = tb.trimEnd().split('\n').pop().replace(/^\s*\|\s*/, '');
      out.push(last);
    } else out.push(o.message);
  }
  return out;
}

const DRAIN3 = `
import json, sys, time
from drain3 import TemplateMiner
from drain3.template_miner_config import TemplateMinerConfig
lines = open(sys.argv[1], encoding="utf-8").read().split("\\n")[:-1]
config = TemplateMinerConfig()
config.profiling_enabled = False
miner = TemplateMiner(config=config)
t = time.perf_counter()
ids = [miner.add_log_message(l)["cluster_id"] for l in lines]
ms = (time.perf_counter() - t) * 1000
print(json.dumps({"ms": ms, "clusters": len(miner.drain.clusters), "ids": ids if len(ids) <= 5000 else []}))
`;

function drain3(file) {
  const r = spawnSync('python3', ['-c', DRAIN3, file], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || 'python3 failed').trim().split('\n').pop() };
  return JSON.parse(r.stdout);
}

function groupingAccuracy(truth, predicted) {
  const byTruth = new Map();
  const byPred = new Map();
  truth.forEach((t, i) => (byTruth.get(t) ?? byTruth.set(t, new Set()).get(t)).add(i));
  predicted.forEach((p, i) => (byPred.get(p) ?? byPred.set(p, new Set()).get(p)).add(i));
  let right = 0;
  for (const members of byPred.values()) {
    const first = members.values().next().value;
    const t = byTruth.get(truth[first]);
    if (t.size === members.size && [...members].every((i) => t.has(i))) right += members.size;
  }
  return right / truth.length;
}

async function main() {
  const core = await buildCore();
  const fmt = (n) => Math.round(n).toLocaleString('en-US');

  // 1. Throughput and peak memory, 1M lines (median of 3 runs).
  const file = await generate(`errors-${LINES}.jsonl`, { lines: LINES });
  const size = statSync(file).size;
  const runs = [runWorker(file), runWorker(file), runWorker(file)].sort((a, b) => a.ms - b.ms);
  const med = runs[1];
  const linesPerSec = med.lines / (med.ms / 1000);
  const byCpu = [...runs].sort((a, b) => a.cpuMs - b.cpuMs)[1];
  const linesPerCpuSec = byCpu.lines / (byCpu.cpuMs / 1000);
  const load = (await import('node:os')).loadavg()[0];
  console.log(`throughput: ${fmt(linesPerSec)} lines/s wall, ${fmt(linesPerCpuSec)} lines per CPU-second, ${(size / 2 ** 20 / (med.ms / 1000)).toFixed(0)} MB/s, peak RSS ${med.maxRssMB} MB, load ${load.toFixed(1)}`);

  // 2. Memory over a 1 GB file.
  const big = await generate('errors-1gib.jsonl', { bytes: GIB });
  const bigRun = runWorker(big);
  console.log(`1 GiB: ${fmt(bigRun.lines)} lines in ${(bigRun.ms / 1000).toFixed(1)} s, peak RSS ${bigRun.maxRssMB} MB, RSS by progress ${bigRun.samples.map((s) => `${s.at}%:${s.rssMB}`).join(' ')}`);

  // 3. Drain vs Drain3 on the same messages.
  const sample = messagesOf(readFileSync(file, 'utf8').slice(0, 200 * 2 ** 20), 200_000);
  const msgFile = join(ARTIFACTS, 'errors-messages.txt');
  writeFileSync(msgFile, sample.join('\n') + '\n');
  const d = new core.Drain();
  for (const m of sample.slice(0, 20000)) d.add(m); // warm-up
  const ours = new core.Drain();
  const t0 = performance.now();
  for (const m of sample) ours.add(m);
  const oursMs = performance.now() - t0;
  const theirs = drain3(msgFile);
  const oursRate = sample.length / (oursMs / 1000);
  const theirsRate = theirs.error ? undefined : sample.length / (theirs.ms / 1000);
  console.log(`Drain: ${fmt(oursRate)} msg/s, ${ours.clusters.length} templates; Drain3: ${theirsRate ? `${fmt(theirsRate)} msg/s, ${theirs.clusters} templates` : theirs.error}`);

  // 4. Grouping accuracy on the labelled real tracebacks.
  const labelledText = readFileSync(join(REPO_ROOT, 'test/fixtures/logs/labelled.jsonl'), 'utf8');
  const labels = new Map();
  labelledText.split('\n').forEach((l, i) => {
    if (!l) return;
    const o = JSON.parse(l);
    if (o.levelname === 'ERROR') labels.set(i + 1, o.bug_site);
  });
  const analyzer = new core.ErrorAnalyzer();
  const keyed = core.readText(labelledText).records.map((r) => [r.line, analyzer.add(r)]);
  analyzer.report({ lines: 0, records: 0, sources: [], skipped: [], fieldMapping: {} });
  const truth = keyed.map(([line]) => labels.get(line));
  const gaOurs = groupingAccuracy(truth, keyed.map(([, k]) => analyzer.fingerprintOfKey(k)));
  const sites = new Set(truth).size;
  const predictedClusters = new Set(keyed.map(([, k]) => analyzer.fingerprintOfKey(k))).size;
  // The same events as one line each (`Type: message` or the log message), grouped by Drain3 and by our Drain.
  const errorLines = labelledText.split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((o) => o.levelname === 'ERROR');
  const lineMessages = errorLines.map((o) => (o.exc_info ? o.exc_info.trimEnd().split('\n').pop().replace(/^\s*\|\s*/, '') : o.message));
  const lmFile = join(ARTIFACTS, 'errors-labelled-messages.txt');
  writeFileSync(lmFile, lineMessages.join('\n') + '\n');
  const d3 = drain3(lmFile);
  const gaDrain3 = d3.error ? undefined : groupingAccuracy(errorLines.map((o) => o.bug_site), d3.ids);
  const ourDrain = new core.Drain();
  const gaOurDrain = groupingAccuracy(errorLines.map((o) => o.bug_site), lineMessages.map((m) => ourDrain.add(m).id));
  console.log(`GA: fingerprints ${gaOurs.toFixed(3)} (${predictedClusters} clusters for ${sites} sites); message lines only: Drain3 ${gaDrain3?.toFixed(3)}, our Drain ${gaOurDrain.toFixed(3)}`);

  writeSection(
    'errors',
    `## Error clusters (issue 4)

Whole pipeline (stream → split lines → JSON.parse → field mapping → traceback parse → fingerprint → cluster →
report), one Node process per run, on generated JSON Lines: 90% info lines, 10% error events copied from real
runs (the labelled shop tracebacks and the demo service's log, with their real tracebacks), fresh times and ids.

| Measure | Result | Budget |
| --- | --- | --- |
| Throughput per CPU-second (user + system time of the process), ${fmt(med.lines)} lines (${(size / 2 ** 20).toFixed(0)} MB), median of 3 | **${fmt(linesPerCpuSec)} lines/s** (CPU ${runs.map((r) => (r.cpuMs / 1000).toFixed(2)).join(' / ')} s) | ≥ 300,000 lines/s on one core |
| Throughput by wall clock, same runs (the 2 shared cores had a load average of ${load.toFixed(1)} at the end) | ${fmt(linesPerSec)} lines/s, ${(size / 2 ** 20 / (med.ms / 1000)).toFixed(0)} MB/s (wall ${runs.map((r) => (r.ms / 1000).toFixed(2)).join(' / ')} s) | — |
| Peak RSS, same run | ${med.maxRssMB} MB (${fmt(med.events)} error events, ${med.clusters} clusters) | bounded |
| 1 GiB file (${fmt(bigRun.lines)} lines) | ${(bigRun.ms / 1000).toFixed(1)} s wall, ${fmt(bigRun.lines / (bigRun.cpuMs / 1000))} lines per CPU-second, peak RSS ${bigRun.maxRssMB} MB | memory flat |
| RSS (MB) by progress through the 1 GiB file | ${bigRun.samples.map((s) => `${s.at}%: ${s.rssMB}`).join(', ')} | flat |

Template mining alone, on the same ${fmt(sample.length)} messages (the lines of the file above, exceptions as
\`Type: message\`), in the same run:

| Miner | Messages/s | Templates | Ratio |
| --- | --- | --- | --- |
| Ours (\`src/core/errors/drain.ts\`, masking included) | ${fmt(oursRate)} | ${ours.clusters.length} | ${theirsRate ? `${(oursRate / theirsRate).toFixed(1)}×` : '—'} |
| Drain3 0.9.11 (Python ${theirs.error ? '—' : 'default config'}) | ${theirsRate ? fmt(theirsRate) : `not run: ${theirs.error}`} | ${theirs.error ? '—' : theirs.clusters} | 1× |

Grouping accuracy (GA: an event counts when its cluster holds exactly the events of its true group) on
\`test/fixtures/logs/labelled.jsonl\`: ${errorLines.length} error events from ${sites} bug sites of real Python code
(varying values, two releases with shifted line numbers; see its NOTE.md):

| Grouping | GA | Clusters |
| --- | --- | --- |
| Stack fingerprints + templates (what the Errors view and \`iwb errors\` use) | **${gaOurs.toFixed(3)}** | ${predictedClusters} for ${sites} sites |
| Drain3 on the one-line messages (\`Type: message\`) | ${gaDrain3 === undefined ? `not run: ${d3.error}` : gaDrain3.toFixed(3)} | ${d3.error ? '—' : new Set(d3.ids).size} |
| Our Drain on the same one-line messages | ${gaOurDrain.toFixed(3)} | ${ourDrain.clusters.length} |

Grouping accuracy on the public Loghub-2k sets (16 systems, \`bench/data/loghub-2k/\`) is measured for log patterns
(the template miner of \`src/core/patterns/\`), next to Drain3, in the "Log patterns (issue 14)" section.`,
  );
}

if (process.argv[2] === '--worker') await worker(process.argv[3]);
else await main();
