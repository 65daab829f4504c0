// @vscode/test-cli configuration (`npm run test:electron`): the same mocha suites as
// `npm run test:integration`, but in a downloaded desktop VS Code (needs access to
// update.code.visualstudio.com; where only package registries are reachable use test:integration,
// which runs them in code-server). Build first: `npm run build && node scripts/build-tests.mjs`.
//
// The suites get a fresh copy of test/fixtures/workspace (in .vscode-test/, git-ignored) so tests
// that create or edit incidents never change the checked-in fixture.
import { defineConfig } from '@vscode/test-cli';
import { cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const workspace = join(root, '.vscode-test', 'workspace');
rmSync(workspace, { recursive: true, force: true });
cpSync(join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });

export default defineConfig({
  label: 'integration',
  files: 'out/test/integration/suite/**/*.test.js',
  version: process.env.IWB_VSCODE_VERSION || 'stable',
  extensionDevelopmentPath: root,
  workspaceFolder: workspace,
  // only our extension (and VS Code's built-ins), with test-friendly settings off the user's profile
  launchArgs: ['--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  mocha: { ui: 'bdd', timeout: 60000 },
});
