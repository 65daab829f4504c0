// Compiles the tests to out/ so Node (unit) and VS Code's extension host (integration) can run them:
//   test/unit/**/*.ts                -> out/test/unit/**/*.js
//   test/integration/suite/**/*.ts   -> out/test/integration/suite/**/*.js
//   src/**/*.ts they import          -> out/src/**/*.js   (followed transitively, nothing else)
// One CommonJS file per TypeScript file (esbuild, no type check: `npm run typecheck` does that, and a
// type error in one test then does not stop the others from running). Relative imports of .ts files stay
// imports of the compiled .js next to it; packages (vscode, mocha, fast-check, ...) stay require()s;
// imported .json files are inlined. out/ is rebuilt from scratch so deleted tests do not linger.
//
// out/test/fixtures is a symlink to test/fixtures, so `path.join(__dirname, '../fixtures/...')` from a
// compiled test finds the same files as from its source.
//
// Usage: node scripts/build-tests.mjs [unit|integration ...] [--typecheck]
//   With folder names (under test/) only those tests and their imports are compiled and only their part
//   of out/test/ is cleaned, so e.g. `npm run test:integration` is not blocked by a unit test that
//   does not compile yet.
import * as esbuild from 'esbuild';
import { existsSync, lstatSync, readdirSync, rmSync, mkdirSync, symlinkSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'out');
const started = Date.now();

function walk(dir, acc = []) {
  if (!existsSync(dir)) return acc;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) walk(full, acc);
    else if (e.isFile() && /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) acc.push(full);
  }
  return acc;
}

/** The .ts file a relative import specifier refers to, or undefined when it is not TypeScript. */
function resolveTs(fromDir, spec) {
  const base = resolve(fromDir, spec);
  const candidates = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')];
  if (/\.(c|m)?js$/.test(base)) candidates.unshift(base.replace(/\.(c|m)?js$/, '.ts'), base.replace(/\.(c|m)?js$/, '.tsx'));
  return candidates.find((c) => /\.tsx?$/.test(c) && existsSync(c) && statSync(c).isFile());
}

// Entry points: every .ts under test/ except e2e (plain .mjs run by node --test) and fixtures (data).
const skip = [join(ROOT, 'test', 'e2e') + sep, join(ROOT, 'test', 'fixtures') + sep];
const scopes = process.argv.slice(2).filter((a) => !a.startsWith('--'));
for (const s of scopes) if (!existsSync(join(ROOT, 'test', s))) throw new Error(`test/${s} does not exist`);
const roots = scopes.length ? scopes.map((s) => join(ROOT, 'test', s)) : [join(ROOT, 'test')];
const queue = roots.flatMap((r) => walk(r)).filter((f) => !skip.some((s) => f.startsWith(s)));
const seen = new Set(queue);

/** Keeps relative .ts imports as imports (and queues their files), bundles nothing else but JSON. */
const perFilePlugin = {
  name: 'per-file',
  setup(build) {
    build.onResolve({ filter: /^\.\.?(\/|$)/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const target = resolveTs(args.resolveDir, args.path);
      if (!target) return undefined; // .json and friends: let esbuild inline them
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
      return { path: args.path.replace(/\.tsx?$/, ''), external: true };
    });
  },
};

if (scopes.length) for (const s of scopes) rmSync(join(OUT, 'test', s), { recursive: true, force: true });
else rmSync(OUT, { recursive: true, force: true });
let compiled = 0;
while (queue.length) {
  const batch = queue.splice(0, queue.length);
  const outside = batch.filter((f) => relative(ROOT, f).startsWith('..'));
  if (outside.length) throw new Error(`tests import files outside the repository: ${outside.join(', ')}`);
  await esbuild.build({
    entryPoints: batch,
    outbase: ROOT,
    outdir: OUT,
    bundle: true, // needed for the plugin to see imports; every non-JSON import stays external
    packages: 'external',
    external: ['vscode'],
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [perFilePlugin],
  });
  compiled += batch.length;
}

const fixtures = join(ROOT, 'test', 'fixtures');
const linked = (() => {
  try {
    return lstatSync(join(OUT, 'test', 'fixtures')).isSymbolicLink();
  } catch {
    return false;
  }
})();
if (existsSync(fixtures) && !linked) {
  mkdirSync(join(OUT, 'test'), { recursive: true });
  symlinkSync(relative(join(OUT, 'test'), fixtures), join(OUT, 'test', 'fixtures'), 'dir');
}
console.log(`build-tests${scopes.length ? ` (${scopes.join(', ')})` : ''}: ${compiled} files -> out/ in ${Date.now() - started} ms`);

if (process.argv.includes('--typecheck')) {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '--noEmit', '-p', join(ROOT, 'test', 'tsconfig.json')], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
