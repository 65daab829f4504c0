// Decisions (issue 7): how long the analyses take on inputs far larger than the demo's. No budget is named
// for them; the figures show they stay interactive. Core code bundled from src/ (what the CLI and the
// extension run), deterministic synthetic inputs:
//   - A/B per-user CSV (variant, segment, converted, value, day) of 1,000,000 rows: read + aggregate + analyse
//   - model predictions JSONL of 200,000 lines: parse + confusion/calibration/characteristics/groups
//   - rollback: one-sided Mann-Whitney + Hodges-Lehmann (98 % CI) on 20,000 vs 20,000 latency samples
import * as esbuild from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, timeMedian, writeSection } from './lib/results.mjs';

function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const out = join(mkdtempSync(join(tmpdir(), 'iwb-bench-decisions-')), 'core.js');
await esbuild.build({
  stdin: { contents: "export * from './src/core/abtest'; export * from './src/core/mlmodel/analyze'; export * from './src/core/stats';", resolveDir: REPO_ROOT, loader: 'ts' },
  bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'warning',
});
const core = createRequire(import.meta.url)(out);

// ---- inputs
const r = rng(11);
const rows = ['variant,segment,converted,value,day'];
for (let i = 0; i < 1_000_000; i++) {
  const b = i % 2;
  const conv = r() < (b ? 0.105 : 0.1);
  rows.push(`${b ? 'treatment' : 'control'},${i % 3 ? 'mobile' : 'desktop'},${conv ? 1 : 0},${conv ? (20 + r() * 40).toFixed(2) : 0},2026-11-${String((i % 14) + 1).padStart(2, '0')}`);
}
const csv = rows.join('\n');
const lines = [];
const labels = ['cat', 'dog', 'bird', 'fish'];
for (let i = 0; i < 200_000; i++) {
  const t = labels[i % 4];
  const wrong = r() < 0.2;
  lines.push(JSON.stringify({ id: `p${i}`, input: i % 50 ? `a photo of a ${t} number ${i}` : `A PHOTO OF A ${t.toUpperCase()}!`, trueLabel: t, predictedLabel: wrong ? labels[(i + 1) % 4] : t, confidence: 0.5 + r() * 0.5, group: `g${i % 7}` }));
}
const jsonl = lines.join('\n');
const lat = (m) => Array.from({ length: 20_000 }, () => m * Math.exp(0.35 * (r() + r() + r() - 1.5)));
const base = lat(180);
const cur = lat(200);

// ---- timings
let abReport;
const abMs = await timeMedian(() => { abReport = core.analyzeAbTest(core.parseAbTestCsv(csv)); }, { runs: 3, warmup: 1 });
let modelReport;
const modelMs = await timeMedian(() => { const p = core.parsePredictions(jsonl); modelReport = core.analyzePredictions(p.predictions, p.issues); }, { runs: 3, warmup: 1 });
let mw;
let hl;
const rbMs = await timeMedian(() => { mw = core.mannWhitneyU(cur, base, 'larger'); hl = core.hodgesLehmann(cur, base, 0.98); }, { runs: 3, warmup: 1 });

const mb = (s) => (Buffer.byteLength(s) / 1024 / 1024).toFixed(1);
const md = `## Decisions: A/B CSV, model predictions, rollback statistics

Median of 3 runs after 1 warm-up, core code bundled from \`src/core\` (what \`iwb\` and the extension run).
No budget is named for these analyses; they are far above the demo's sizes.

| input | size | time | rate |
| --- | --- | --- | --- |
| A/B per-user CSV → aggregate + full analysis (${abReport.verdict.kind}, novelty ${abReport.novelty?.detected ? 'flagged' : 'not flagged'}) | 1,000,000 rows, ${mb(csv)} MB | ${abMs.toFixed(0)} ms | ${(1_000_000 / (abMs / 1000) / 1e6).toFixed(2)} M rows/s |
| model predictions JSONL → confusion, calibration (ECE ${modelReport.calibration.ece.toFixed(3)}), characteristics, groups | 200,000 lines, ${mb(jsonl)} MB | ${modelMs.toFixed(0)} ms | ${(200_000 / (modelMs / 1000) / 1e3).toFixed(0)} k lines/s |
| rollback: Mann-Whitney (p ${core.formatPValue(mw.pValue)}) + Hodges-Lehmann 98 % CI (pairs thinned to ≤ 2 M: ${hl.sampled}) | 20,000 vs 20,000 samples | ${rbMs.toFixed(0)} ms | |
`;
writeSection('decisions', md);
console.log(md);
