// Logs where they live (issue #20): 10 million lines generated from the demo service's real log shapes,
// ingested into a real VictoriaLogs; `iwb patterns --source` over the whole range (templates mined on a
// store sample, every template counted by the store) next to `iwb patterns FILE` on the same lines from a
// file, in the same run: wall and CPU time, bytes transferred from the store against the data's size, and
// whether every count equals the file's.
//
//   node bench/logstore.bench.mjs            (or npm run bench -- logstore; needs npm run build)
//   IWB_BENCH_LOGSTORE_LINES=1000000 …       fewer lines
//
// This is a bench, not a test: CI tests use the demo's 591 lines (test/unit/logstore.test.ts).
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT, writeSection } from './lib/results.mjs';

const LINES = Number(process.env.IWB_BENCH_LOGSTORE_LINES ?? 10_000_000);
const ARTIFACTS = join(REPO_ROOT, 'bench', 'artifacts');
const FILE = join(ARTIFACTS, `logstore-${LINES}.jsonl`);
const CLI = process.env.IWB_BENCH_CLI ?? join(REPO_ROOT, 'dist', 'cli.js');
const START = Date.parse('2026-11-20T00:00:00Z');
const SPAN = 7 * 86_400_000;

// A small deterministic PRNG: the same lines every run.
let seed = 20;
const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);

/** The demo's records, each a shape: numbers and ids in messages and fields are drawn afresh per line. */
function shapes() {
  const out = [];
  for (const f of ['service.jsonl', 'deploy.jsonl']) {
    for (const line of readFileSync(join(REPO_ROOT, 'demo', 'logs', f), 'utf8').split('\n')) if (line.trim()) out.push(JSON.parse(line));
  }
  return out;
}

async function generate() {
  if (existsSync(FILE)) return statSync(FILE).size;
  mkdirSync(ARTIFACTS, { recursive: true });
  const all = shapes();
  const out = createWriteStream(`${FILE}.part`);
  let block = '';
  for (let i = 0; i < LINES; i++) {
    const s = all[Math.floor(rand() * all.length)];
    const r = { ...s, timestamp: new Date(START + Math.floor((i / LINES) * SPAN)).toISOString() };
    r.message = s.message.replace(/\d+(\.\d+)?/g, (m) => (m.includes('.') ? (rand() * 10).toFixed(2) : String(Math.floor(rand() * 1000))));
    if (r.request_id) r.request_id = Math.floor(rand() * 2 ** 52).toString(16).padStart(16, '0');
    if (r.user_id !== undefined) r.user_id = Math.floor(rand() * 500);
    block += `${JSON.stringify(r)}\n`;
    if (block.length > 4 << 20) {
      if (!out.write(block)) await new Promise((res) => out.once('drain', res));
      block = '';
    }
  }
  out.write(block);
  await new Promise((res) => out.end(res));
  const { renameSync } = await import('node:fs');
  renameSync(`${FILE}.part`, FILE);
  return statSync(FILE).size;
}

/** Streams the file to /insert/jsonline in blocks of whole lines. */
async function ingest(url) {
  let pending = '';
  let posts = [];
  const post = async (body) => {
    const r = await fetch(`${url}/insert/jsonline?_stream_fields=service&_time_field=timestamp&_msg_field=message`, { method: 'POST', body, headers: { 'content-type': 'application/stream+json' } });
    if (!r.ok) throw new Error(`insert: HTTP ${r.status} ${await r.text()}`);
  };
  for await (const chunk of createReadStream(FILE, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    pending += chunk;
    if (pending.length > 16 << 20) {
      const cut = pending.lastIndexOf('\n') + 1;
      posts.push(post(pending.slice(0, cut)));
      pending = pending.slice(cut);
      if (posts.length >= 2) await Promise.all(posts.splice(0));
    }
  }
  if (pending) posts.push(post(pending));
  await Promise.all(posts);
  await fetch(`${url}/internal/force_flush`);
}

/** Runs `iwb …` in its own process: wall time, CPU time (user+sys of the child), stdout. */
function iwb(args) {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(process.execPath, ['--max-old-space-size=4096', CLI, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wall = performance.now() - t;
      resolve({ code, out, err, wall });
    });
  });
}

function cpuOf(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * 10; // utime + stime in clock ticks (100/s) → ms
  } catch {
    return undefined;
  }
}

const fmt = (n) => n.toLocaleString('en-US');
const s = (ms) => `${(ms / 1000).toFixed(1)} s`;

const { startVictoriaLogs } = await import(pathToFileURL(join(REPO_ROOT, 'test', 'support', 'victorialogs.mjs')).href);
console.log(`generating ${fmt(LINES)} lines`);
const bytes = await generate();
const vl = await startVictoriaLogs({ readyTimeoutMs: 60_000, args: ['-search.maxQueryDuration=10m'], ...(process.env.IWB_BENCH_VL_DATA ? { dataDir: process.env.IWB_BENCH_VL_DATA } : {}) });
try {
  console.log(`ingesting ${(bytes / 2 ** 20).toFixed(0)} MiB into VictoriaLogs`);
  let t = performance.now();
  await ingest(vl.url);
  const ingestMs = performance.now() - t;
  const vlCpuAfterIngest = cpuOf(vl.pid);
  const source = `victorialogs://127.0.0.1:${vl.port}?query=service:recommend`;
  const window = ['--start', new Date(START).toISOString(), '--end', new Date(START + SPAN).toISOString()];

  console.log('iwb patterns --source');
  const vlCpu0 = cpuOf(vl.pid);
  const store = await iwb(['patterns', '--source', source, ...window, '--json', '--code', 'demo', '--timeout', '600s']);
  const vlCpuStore = vlCpu0 !== undefined ? cpuOf(vl.pid) - vlCpu0 : undefined;
  if (store.code !== 0) throw new Error(`iwb patterns --source failed (${store.code}): ${store.out.slice(0, 2000)} ${store.err}`);
  console.log('iwb patterns FILE');
  const file = await iwb(['patterns', FILE, '--json', '--code', 'demo']);
  if (file.code !== 0) throw new Error(`iwb patterns FILE failed (${file.code}): ${file.err}`);
  const S = JSON.parse(store.out);
  const F = JSON.parse(file.out);
  const fileCounts = new Map(F.patterns.map((p) => [p.template, p.count]));
  const same = S.patterns.filter((p) => fileCounts.get(p.template) === p.count).length;
  const storeSum = S.patterns.reduce((n, p) => n + p.count, 0);
  const share = S.source.bytesTransferred / bytes;
  const md = `## Logs where they live: patterns from VictoriaLogs (issue #20)

${fmt(LINES)} JSON lines (${(bytes / 2 ** 20).toFixed(0)} MiB) generated from the demo service's ${shapes().length} real records (numbers and ids
drawn afresh per line, times spread over 7 days), ingested into a local VictoriaLogs v1.52.2 in ${s(ingestMs)}
(VictoriaLogs CPU ${vlCpuAfterIngest !== undefined ? s(vlCpuAfterIngest) : 'n/a'}). Patterns over the whole range, in the same run:

| | wall | patterns | lines counted | bytes to iwb |
|---|---:|---:|---:|---:|
| \`iwb patterns --source victorialogs://…\` | ${s(store.wall)} (store CPU ${vlCpuStore !== undefined ? s(vlCpuStore) : 'n/a'}) | ${S.patterns.length} | ${fmt(storeSum)} (source.linesScanned ${fmt(S.source.linesScanned)}) | ${fmt(S.source.bytesTransferred)} (${(share * 100).toFixed(2)} % of the data) |
| \`iwb patterns FILE\` (same lines) | ${s(file.wall)} | ${F.patterns.length} | ${fmt(F.lines)} | ${fmt(bytes)} (the whole file read) |

- Exact counts: source.exact = ${S.source.exact}; ${same} of ${S.patterns.length} store patterns have the same template and
  count as the file's (${S.patterns.length === F.patterns.length && same === S.patterns.length ? 'all of them' : 'see the run log'}).
- Bytes transferred ${share <= 0.05 ? '≤' : '>'} 5 % of the data (the aim): ${(share * 100).toFixed(2)} %.
- Store / file wall time: ${(store.wall / file.wall).toFixed(2)}× (the machine's 2 cores are shared; load average at the end ${(await import('node:os')).loadavg()[0].toFixed(1)}).`;
  console.log(md);
  writeSection('logstore', md);
  if (process.env.IWB_BENCH_KEEP !== '1') rmSync(FILE, { force: true });
} finally {
  await vl.stop();
}
