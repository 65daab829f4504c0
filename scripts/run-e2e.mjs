// `npm run test:e2e`: packages the extension (scripts/package.mjs), installs the .vsix into a fresh
// extensions dir with code-server, then runs the Playwright specs test/e2e/*.e2e.mjs with node's test
// runner, one file at a time. Each spec opens its own code-server + Chromium via test/e2e/helpers.mjs,
// which copies the installed extension from IWB_E2E_EXTENSIONS_DIR.
//
//   npm run test:e2e                      all specs
//   npm run test:e2e -- workbench         only specs whose file name contains "workbench"
//   IWB_E2E_SKIP_PACKAGE=1 npm run test:e2e   reuse the existing incident-workbench-<version>.vsix
// Screenshots land in test/e2e/artifacts/ (git-ignored); the README's pictures in docs/images/ (committed).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, capture, ensureHost, installVsix, removeOnExit } from './lib/codeserver.mjs';

const E2E_DIR = join(REPO_ROOT, 'test', 'e2e');
const log = (msg) => console.log(`[e2e] ${msg}`);
const started = Date.now();

const filters = process.argv.slice(2);
const specs = readdirSync(E2E_DIR)
  .filter((f) => f.endsWith('.e2e.mjs'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort()
  .map((f) => join('test', 'e2e', f));
if (specs.length === 0) {
  console.error(`[e2e] no specs match ${filters.join(' ') || 'test/e2e/*.e2e.mjs'}`);
  process.exit(1);
}

await ensureHost();

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
const tmp = removeOnExit(mkdtempSync(join(tmpdir(), 'iwb-e2e-ext-')));
const extensionsDir = join(tmp, 'extensions');
let vsix = join(REPO_ROOT, `${pkg.name}-${pkg.version}.vsix`);
if (process.env.IWB_E2E_SKIP_PACKAGE === '1' && existsSync(vsix)) {
  log(`reusing ${vsix}`);
} else {
  // Packaged into our temp dir, so a concurrent `npm run package` cannot delete it under us.
  vsix = join(tmp, `${pkg.name}-${pkg.version}.vsix`);
  const r = await capture(process.execPath, [join(REPO_ROOT, 'scripts', 'package.mjs'), '--out', vsix], { cwd: REPO_ROOT });
  if (r.code !== 0) {
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    console.error('[e2e] packaging failed');
    rmSync(tmp, { recursive: true, force: true });
    process.exit(1);
  }
  vsix = r.stdout.trim().split('\n').pop();
  log(`packaged ${vsix}`);
}

let child;
const cleanup = () => rmSync(tmp, { recursive: true, force: true });
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    // node --test and the specs share our process group on a terminal and get the signal too; the
    // specs' code-servers are stopped by their own exit handlers.
    child?.kill(sig);
    cleanup();
    process.exit(130);
  });
}

let code = 1;
try {
  await installVsix(vsix, extensionsDir);
  log(`installed into a fresh extensions dir; running ${specs.length} spec file(s)`);
  code = await new Promise((resolvePromise, reject) => {
    child = spawn(
      process.execPath,
      ['--test', '--test-reporter=spec', '--test-concurrency=1', ...specs],
      {
        cwd: REPO_ROOT,
        stdio: 'inherit',
        env: { ...process.env, IWB_E2E_EXTENSIONS_DIR: extensionsDir, IWB_E2E_VSIX: vsix },
      },
    );
    child.on('error', reject);
    child.on('exit', (c, signal) => resolvePromise(signal ? 1 : (c ?? 1)));
  });
} finally {
  cleanup();
}
log(`${code === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s (screenshots: test/e2e/artifacts/, README pictures: docs/images/)`);
process.exit(code);
