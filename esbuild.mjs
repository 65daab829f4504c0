// Builds three kinds of output from one place so they cannot drift apart:
// the extension host bundle, the `iwb` CLI, and one browser bundle per webview app.
import * as esbuild from 'esbuild';
import { readFileSync, readdirSync, existsSync, mkdirSync, copyFileSync, chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** The apps the host can open: WEBVIEW_APPS of src/protocol/apps.ts, read as TypeScript. */
async function listWebviewApps() {
  const { code } = await esbuild.transform(readFileSync(join('src', 'protocol', 'apps.ts'), 'utf8'), { loader: 'ts', format: 'esm' });
  const { WEBVIEW_APPS } = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
  return WEBVIEW_APPS;
}
const webviewApps = await listWebviewApps();
// Each app is webview/<app>/index.ts, and every folder under webview/ but shared/ is an app: code several apps
// share goes in shared/. Anything else would be silently left out of the build, so it stops the build instead.
const folders = readdirSync('webview', { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'shared')
  .map((d) => d.name);
const misfits = [...new Set([...folders, ...webviewApps])].filter((app) => !webviewApps.includes(app) || !existsSync(join('webview', app, 'index.ts')));
if (misfits.length) throw new Error(`webview/${misfits.join(', webview/')}: an app is listed in src/protocol/apps.ts and has webview/<app>/index.ts; shared code belongs in webview/shared/`);

const common = {
  bundle: true,
  sourcemap: true,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  // jsonc-parser's "main" is a UMD build whose dynamic requires esbuild cannot follow; its ESM build bundles.
  mainFields: ['module', 'main'],
  // web-tree-sitter's ESM build finds itself through import.meta.url, which a CommonJS bundle does not have;
  // its CommonJS build is used instead (the .wasm files are passed as bytes, see src/core/logging/parser.ts).
  alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/tree-sitter.cjs' },
};

const builds = [
  {
    ...common,
    entryPoints: { extension: 'src/host/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    // Marks when the bundle starts evaluating, so activation can report load + activate time honestly.
    banner: { js: 'globalThis.__iwbLoadStart = performance.now();' },
    footer: { js: 'globalThis.__iwbLoadEnd = performance.now();' },
  },
  {
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    // The worker threads of `iwb patterns` and `iwb errors` and their views on big files
    // (src/node/patternsParallel.ts, src/node/errorsParallel.ts).
    ...common,
    entryPoints: { patternsWorker: 'src/node/patternsWorker.ts', errorsWorker: 'src/node/errorsWorker.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  ...webviewApps.map((app) => ({
    ...common,
    entryPoints: { [app]: `webview/${app}/index.ts` },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  })),
];

function removeStaleApps() {
  // A renamed or removed app would otherwise leave its old bundle in dist/ (and in the package).
  if (!existsSync('dist/webview')) return;
  for (const f of readdirSync('dist/webview')) {
    const app = /^(.*)\.js(\.map)?$/.exec(f)?.[1];
    if (app !== undefined && !webviewApps.includes(app)) rmSync(join('dist/webview', f));
  }
}

function copyCodicons() {
  // Codicons ship a font + CSS; the webview loads them from dist/ so localResourceRoots stays tight.
  const src = 'node_modules/@vscode/codicons/dist';
  mkdirSync('dist/codicons', { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) copyFileSync(join(src, f), join('dist/codicons', f));
}

function copyWasm() {
  // The Python parser of the logging linter (web-tree-sitter runtime + grammar), read lazily by the extension
  // and the CLI from dist/wasm/.
  mkdirSync('dist/wasm', { recursive: true });
  copyFileSync('node_modules/web-tree-sitter/tree-sitter.wasm', 'dist/wasm/tree-sitter.wasm');
  copyFileSync('node_modules/tree-sitter-python/tree-sitter-python.wasm', 'dist/wasm/tree-sitter-python.wasm');
}

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  copyCodicons();
  copyWasm();
  console.log('[watch] building extension, cli and webviews:', webviewApps.join(', '));
} else {
  removeStaleApps();
  await Promise.all(builds.map((b) => esbuild.build(b)));
  copyCodicons();
  copyWasm();
  chmodSync('dist/cli.js', 0o755);
}
