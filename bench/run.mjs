// `npm run bench [name…]`: runs every bench/*.bench.mjs (or the named ones) in turn, each in its own Node
// process so one benchmark's heap does not colour the next one's memory figures. Each writes its own
// section of bench/RESULTS.md.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BENCH_DIR, REPO_ROOT } from './lib/results.mjs';

const wanted = process.argv.slice(2);
const all = readdirSync(BENCH_DIR).filter((f) => f.endsWith('.bench.mjs')).sort();
const chosen = wanted.length ? all.filter((f) => wanted.some((w) => f.startsWith(w))) : all;
if (chosen.length === 0) {
  console.error(`no benchmark matches ${wanted.join(' ')}; available: ${all.join(', ')}`);
  process.exit(2);
}
spawnSync('npm', ['run', '--silent', 'build:prod'], { cwd: REPO_ROOT, stdio: 'inherit' });
let failed = 0;
for (const file of chosen) {
  console.log(`\n=== ${file}`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(BENCH_DIR, file)], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
console.log(`\n${chosen.length - failed} benchmarks ran, ${failed} failed; see bench/RESULTS.md`);
process.exitCode = failed ? 1 : 0;
