// `npm run test:integration`: runs the mocha suites of test/integration/suite/ inside a real VS Code
// extension host (code-server 4.100.3, see docs/vscode-in-a-browser.md), the way @vscode/test-electron
// does on the desktop: the extension is not installed but loaded from this repository as the extension
// under development, and the compiled suite is the tests module; both reach the workbench through the
// `payload` URL parameter. Chromium (Playwright) keeps the page open while the tests run.
//
// Steps: npm run build -> node scripts/build-tests.mjs -> copy test/fixtures/workspace to a temp dir ->
// start code-server -> open the page -> wait for the results JSON written by suite/index.ts -> print
// one line per test and `integration: N passed, N failed` -> exit 1 on any failure or when nothing ran.
//
// Environment:
//   IWB_INTEGRATION_TIMEOUT_MS        whole run (default 600000)
//   IWB_INTEGRATION_START_TIMEOUT_MS  until the suite has started (default 180000)
//   IWB_SKIP_BUILD=1                  reuse dist/ and out/ as they are
//   IWB_KEEP_TMP=1                    keep the temp dir (workspace, logs, results) for inspection
//   IWB_INTEGRATION_ONLY=NAME         only the suites whose file name contains NAME (e.g. memory)
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  REPO_ROOT,
  ensureHost,
  forgetTempDir,
  launchBrowser,
  removeOnExit,
  run,
  startCodeServer,
  tailFile,
} from './lib/codeserver.mjs';

const TOTAL_TIMEOUT = Number(process.env.IWB_INTEGRATION_TIMEOUT_MS ?? 600000);
const START_TIMEOUT = Number(process.env.IWB_INTEGRATION_START_TIMEOUT_MS ?? 180000);
const FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'workspace');
const SUITE_DIR = join(REPO_ROOT, 'out', 'test', 'integration', 'suite');
const ARTIFACTS = join(REPO_ROOT, 'test', 'e2e', 'artifacts');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (msg) => console.log(`[integration] ${msg}`);

let server;
let browser;
let page;
let tmp;
let cleanedUp = false;

async function cleanup() {
  if (cleanedUp) return;
  cleanedUp = true;
  if (page) {
    try {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'integration.png'), timeout: 10000 });
    } catch {
      /* the page may be gone */
    }
  }
  await browser?.close().catch(() => {});
  await server?.stop().catch(() => {});
  if (tmp && process.env.IWB_KEEP_TMP !== '1') {
    rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
    forgetTempDir(tmp);
  } else if (tmp) log(`kept ${tmp}`);
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    log(`${sig}: stopping`);
    await cleanup();
    process.exit(130);
  });
}

/** Extension host log files written under the user-data dir (where its console and errors end up). */
function extHostLogs(userDataDir) {
  const found = [];
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      // the host's own log and our extension's output channels (not git's, github's, ...)
      else if (/exthost/i.test(full) && /^remoteexthost\.log$|incident/i.test(e.name)) found.push(full);
    }
  };
  walk(join(userDataDir, 'logs'));
  return found;
}

function extHostExited(userDataDir) {
  return extHostLogs(userDataDir).some(
    (f) => f.endsWith('remoteexthost.log') && /Extension host with pid \d+ exiting/.test(readFileSync(f, 'utf8')),
  );
}

function diagnostics(consoleErrors) {
  const parts = [];
  if (server) parts.push(`--- code-server log (last 40 lines) ---\n${server.logTail(40)}`);
  if (server) {
    for (const f of extHostLogs(server.userDataDir)) parts.push(`--- ${f.slice(tmp.length + 1)} (last 40 lines) ---\n${tailFile(f, 40)}`);
  }
  if (consoleErrors.length) parts.push(`--- browser console errors ---\n${consoleErrors.slice(-30).join('\n')}`);
  return parts.join('\n');
}

function printTest(t) {
  const mark = t.state === 'passed' ? '✓' : t.state === 'failed' ? '✗' : t.state === 'retried' ? '↻' : '-';
  const ms = typeof t.duration === 'number' ? ` (${t.duration} ms)` : '';
  console.log(`  ${mark} ${t.fullTitle}${ms}`);
  if ((t.state === 'failed' || t.state === 'retried') && t.error) {
    console.log(`      ${t.error.message.split('\n').join('\n      ')}`);
  }
}

async function main() {
  const started = Date.now();
  await ensureHost();
  if (process.env.IWB_SKIP_BUILD !== '1') {
    await run(npm, ['run', '--silent', 'build'], { cwd: REPO_ROOT });
    await run(process.execPath, [join(REPO_ROOT, 'scripts', 'build-tests.mjs'), 'integration'], { cwd: REPO_ROOT });
  }
  if (!existsSync(join(SUITE_DIR, 'index.js'))) throw new Error(`${SUITE_DIR}/index.js missing: build the tests first`);

  tmp = mkdtempSync(join(tmpdir(), 'iwb-integration-'));
  if (process.env.IWB_KEEP_TMP !== '1') removeOnExit(tmp);
  const workspace = join(tmp, 'workspace');
  cpSync(FIXTURE, workspace, { recursive: true });
  const resultsFile = join(tmp, 'results.json');
  const progressFile = `${resultsFile}.progress`;

  server = await startCodeServer({
    workspace,
    extensionsDir: join(tmp, 'extensions'),
    userDataDir: join(tmp, 'user-data'),
    env: { IWB_TEST_RESULTS: resultsFile },
  });
  log(`code-server ${server.url} (pid ${server.pid})`);

  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const consoleErrors = [];
  let pageCrashed = false;
  page.on('console', (m) => {
    // 404s of the optional vsda module and the unreachable marketplace are expected noise
    if (m.type() === 'error' && !/Failed to load resource|open-vsx\.org/.test(m.text())) consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  page.on('crash', () => (pageCrashed = true));

  const url = server.workbenchUrl({
    payload: [
      ['extensionDevelopmentPath', REPO_ROOT],
      ['extensionTestsPath', SUITE_DIR],
    ],
  });
  await page.goto(url);
  await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
  log('workbench loaded; waiting for the suite');

  let printed = 0;
  const printProgress = () => {
    if (!existsSync(progressFile)) return;
    const lines = readFileSync(progressFile, 'utf8').split('\n').filter(Boolean);
    for (; printed < lines.length; printed++) {
      try {
        printTest(JSON.parse(lines[printed]));
      } catch {
        break; // a line still being written
      }
    }
  };

  let results;
  let hostExitedAt;
  for (;;) {
    printProgress();
    if (existsSync(resultsFile)) {
      results = JSON.parse(readFileSync(resultsFile, 'utf8'));
      break;
    }
    const elapsed = Date.now() - started;
    let reason;
    // The host exits when run() settles; without a results file by then, the suite never ran
    // (index.js failed to load, the host crashed, ...). A short grace covers the final write.
    if (hostExitedAt === undefined && extHostExited(server.userDataDir)) hostExitedAt = Date.now();
    if (server.exited()) reason = 'code-server exited';
    else if (pageCrashed) reason = 'the browser page crashed';
    else if (hostExitedAt !== undefined && Date.now() - hostExitedAt > 5000) reason = 'the extension host exited without writing results';
    else if (!existsSync(progressFile) && elapsed > START_TIMEOUT) reason = `the suite did not start within ${START_TIMEOUT} ms`;
    else if (elapsed > TOTAL_TIMEOUT) reason = `no results within ${TOTAL_TIMEOUT} ms`;
    if (reason) throw Object.assign(new Error(`${reason}\n${diagnostics(consoleErrors)}`), { harness: true });
    await sleep(500);
  }
  printProgress();

  if (results.error) {
    console.log(`  ✗ the suite could not run: ${results.error.message}`);
    if (results.error.stack) console.log(results.error.stack.split('\n').slice(0, 8).join('\n'));
  }
  const failed = results.tests.filter((t) => t.state === 'failed');
  for (const t of failed) {
    console.log(`\n✗ ${t.fullTitle}`);
    console.log(`${t.error?.stack ?? t.error?.message ?? ''}`.replace(/^/gm, '    '));
  }
  const passed = results.tests.filter((t) => t.state === 'passed').length;
  const pending = results.tests.filter((t) => t.state === 'pending').length;
  const failedCount = failed.length + (results.error ? 1 : 0);
  log(`finished in ${Math.round((Date.now() - started) / 1000)} s`);
  if (pending) console.log(`integration: ${pending} pending`);
  if (passed + failedCount === 0) console.log('integration: no tests ran');
  // A test that failed once and passed when run again is named, so that flakiness is seen, not hidden.
  const retried = results.tests.filter((t) => t.state === 'retried' && results.tests.some((u) => u.fullTitle === t.fullTitle && u.state === 'passed'));
  for (const t of retried) console.log(`[integration] passed only on a retry: ${t.fullTitle} (first: ${t.error?.message.split('\n')[0] ?? 'failed'})`);
  summary = `integration: ${passed} passed, ${failedCount} failed`;
  if (failedCount > 0 || passed + failedCount === 0) process.exitCode = 1;
}

// The summary is the last line printed, after cleanup.
let summary = 'integration: 0 passed, 1 failed';
try {
  await main();
} catch (err) {
  console.error(`[integration] ${err.harness ? err.message : (err.stack ?? err.message)}`);
  summary = 'integration: 0 passed, 1 failed';
  process.exitCode = 1;
} finally {
  await cleanup();
}
console.log(summary);
