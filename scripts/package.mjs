// `npm run package`: builds the production bundles and packages the extension as
// incident-workbench-<version>.vsix at the repository root (or `--out FILE`), then prints the vsix path
// as the last line. `--list` also prints the files in it.
//
// The bundles come from `vscode:prepublish` (node esbuild.mjs --production), which vsce runs itself;
// when the manifest has no such script the build runs here. esbuild bundles the runtime dependencies,
// so vsce runs with --no-dependencies (no npm ls, no node_modules in the vsix). What goes in is decided
// by .vscodeignore. vsce's keytar (an optional dependency without a built binding here) is only used by
// `vsce publish/login`, never by `vsce package`.
import { existsSync, mkdirSync, readFileSync, statSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { REPO_ROOT, run, capture } from './lib/codeserver.mjs';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
const outIndex = process.argv.indexOf('--out');
const vsix = outIndex > 0 ? resolve(process.argv[outIndex + 1]) : join(REPO_ROOT, `${pkg.name}-${pkg.version}.vsix`);
mkdirSync(dirname(vsix), { recursive: true });
const vsce = join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');

if (!pkg.scripts?.['vscode:prepublish']) {
  await run(process.execPath, [join(REPO_ROOT, 'esbuild.mjs'), '--production'], { cwd: REPO_ROOT });
}
rmSync(vsix, { force: true });
// --no-rewrite-relative-links: the manifest's repository is not on GitHub/GitLab, so vsce cannot turn README's
// relative links (docs/images/*.png) into absolute ones and would fail; they stay relative instead.
const args = [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsix];
if (!['LICENSE', 'LICENSE.md', 'LICENSE.txt'].some((f) => existsSync(join(REPO_ROOT, f)))) args.push('--skip-license');
await run(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, npm_config_update_notifier: 'false' } });
if (!existsSync(vsix)) throw new Error(`vsce did not produce ${vsix}`);

if (process.argv.includes('--list')) {
  const r = await capture(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: REPO_ROOT });
  console.log(r.stdout);
}
console.log(`packaged ${(statSync(vsix).size / 1024).toFixed(0)} KiB`);
console.log(vsix);
