// Suspect commits (issue 16): how long ranking takes for every error cluster of a log, against its peer, the
// bare git commands the ranking asks (blame, log -L, show, ls-tree, log of the release…) replayed one after
// the other in the same run: the ratio is what parsing and scoring add on top of git itself. On the demo
// workspace (demo/ with its scripted history, scripts/demo-workspace.mjs) and on the shop history of
// test/support/changesRepo.ts (three releases really run). Also `iwb errors` with and without --suspects.
//
//   node bench/changes.bench.mjs            (or npm run bench -- changes)
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, timeMedian, writeSection } from './lib/results.mjs';

const ARTIFACTS = join(REPO_ROOT, 'bench', 'artifacts');

async function buildCore() {
  mkdirSync(ARTIFACTS, { recursive: true });
  const entry = join(ARTIFACTS, 'changes-entry.ts');
  writeFileSync(
    entry,
    [
      `export { analyzeLogFiles } from '${join(REPO_ROOT, 'src/core/errors/load')}';`,
      `export { GitRepo } from '${join(REPO_ROOT, 'src/core/changes/repo')}';`,
      `export { rankSuspects } from '${join(REPO_ROOT, 'src/core/changes/suspects')}';`,
      `export { targetFromCluster } from '${join(REPO_ROOT, 'src/core/changes/targets')}';`,
      `export { gitRunner } from '${join(REPO_ROOT, 'src/node/git')}';`,
      `export { makeShopHistory } from '${join(REPO_ROOT, 'test/support/changesRepo')}';`,
    ].join('\n'),
  );
  const out = join(ARTIFACTS, 'changes-core.cjs');
  await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: out, logLevel: 'warning' });
  return createRequire(import.meta.url)(out);
}

async function measure(core, name, repoDir, logs) {
  const { report } = await core.analyzeLogFiles(logs);
  const targets = report.clusters.map((c) => core.targetFromCluster(c, report));
  let calls = [];
  const rankAll = async (record) => {
    const run = core.gitRunner(repoDir);
    const repo = new core.GitRepo(record ? (args) => (calls.push(args), run(args)) : run);
    let suspects = 0;
    for (const t of targets) suspects += (await core.rankSuspects(repo, t)).suspects.length;
    return suspects;
  };
  const suspects = await rankAll(true);
  const unique = [...new Map(calls.map((a) => [JSON.stringify(a), a])).values()];
  // The peer runs the same commands through the same runner (child process, argument array), unparsed.
  const bare = core.gitRunner(repoDir);
  const peerRun = async () => {
    for (const args of unique) await bare(args).catch(() => undefined); // an answer by exit code costs the same
  };
  // Interleaved, so a busy machine (other jobs on 2 cores) slows both sides alike.
  const { a: ours, b: peer } = await timeInterleaved(() => rankAll(false), peerRun, 7);
  calls = [];
  return { name, clusters: targets.length, suspects, gitCalls: unique.length, ours, peer };
}

/** Medians of `a` and `b` run in turn (a, b, a, b, …) after one warm-up each. */
async function timeInterleaved(a, b, runs) {
  await a();
  await b();
  const ta = [];
  const tb = [];
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    await a();
    ta.push(performance.now() - t);
    t = performance.now();
    await b();
    tb.push(performance.now() - t);
  }
  const median = (xs) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  return { a: median(ta), b: median(tb) };
}

function cli(args, cwd) {
  return () => {
    try {
      execFileSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
    } catch (e) {
      if (e.status !== 1) throw e; // 1: clusters found
    }
  };
}

const core = await buildCore();
const tmp = mkdtempSync(join(tmpdir(), 'iwb-bench-changes-'));
try {
  const demo = execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'demo-workspace.mjs'), join(tmp, 'demo')], { encoding: 'utf8' }).trim();
  const shop = core.makeShopHistory(join(tmp, 'shop-history'));
  const rows = [
    await measure(core, 'demo workspace, `logs/service.jsonl` (8 commits, 591 lines)', demo, [join(demo, 'logs', 'service.jsonl')]),
    await measure(core, 'shop history, three release logs (16 commits, a rename, a merge)', shop.repo, Object.values(shop.logs)),
  ];
  const plain = await timeMedian(cli(['errors', 'logs/service.jsonl', '--json'], demo), { runs: 5, warmup: 1 });
  const withSuspects = await timeMedian(cli(['errors', 'logs/service.jsonl', '--suspects', '--json'], demo), { runs: 5, warmup: 1 });
  const ms = (x) => `${x.toFixed(0)} ms`;
  writeSection(
    'changes',
    `## Suspect commits (issue 16)

Ranking the suspects of every error cluster of a log (blame at the release's tag, \`git log -L\` over each
frame's function, the release's commits, scoring), median of 7 runs interleaved with the peer's: the same
git commands, each asked once, replayed through the same runner with nothing else. The ratio is what parsing and
scoring add on top of git itself; both sides run the commands one at a time, so a ratio below 1× is the noise of a
shared machine, not a saving.

| Repository and log | Clusters | Suspects | git commands | Ours | Bare git | Ratio |
| --- | --- | --- | --- | --- | --- | --- |
${rows.map((r) => `| ${r.name} | ${r.clusters} | ${r.suspects} | ${r.gitCalls} | ${ms(r.ours)} | ${ms(r.peer)} | ${(r.ours / r.peer).toFixed(2)}× |`).join('\n')}

\`iwb errors logs/service.jsonl --json\` in the demo workspace: ${ms(plain)}; with \`--suspects\`: ${ms(withSuspects)}
(one Node process each, start-up included).`,
  );
  console.log(rows, { plain, withSuspects });
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
