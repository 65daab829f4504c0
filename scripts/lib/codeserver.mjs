// Helpers to run a real VS Code (code-server 4.100.3, VS Code 1.100) and drive it with Playwright and
// Debian's Chromium. Used by scripts/run-integration.mjs, scripts/run-e2e.mjs, test/e2e/helpers.mjs and
// scripts/start-demo.sh. See docs/vscode-in-a-browser.md for the why; scripts/setup-vscode-host.sh
// installs code-server into .vscode-host/.
//
// Library use:
//   const server = await startCodeServer({ workspace, extensionsDir, userDataDir });
//   const browser = await launchBrowser();
//   ...; await server.stop(); await browser.close();
//
// Command-line use (scripts/start-demo.sh):
//   node scripts/lib/codeserver.mjs serve --workspace DIR --extensions-dir DIR --user-data-dir DIR
//        [--port N] [--strict-port] [--detach --pid-file FILE] [--log-file FILE]
//   node scripts/lib/codeserver.mjs install-vsix --vsix FILE --extensions-dir DIR [--user-data-dir DIR]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, openSync, closeSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve, isAbsolute } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const HOST_DIR = join(REPO_ROOT, '.vscode-host');
export const CODE_SERVER_BIN = join(HOST_DIR, 'node_modules', '.bin', 'code-server');
/** Chromium used by Playwright; `npx playwright install` cannot download browsers here. */
export const CHROMIUM_PATH = process.env.IWB_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage', // /dev/shm is tiny in many CI containers
];

/** User settings written for every test instance (the trust switch is added by startCodeServer). */
export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'update.mode': 'none',
  'git.openRepositoryInParentFolders': 'never',
  // The chat/Copilot welcome in VS Code 1.100 opens a side bar over ours on first start.
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/** Throws with the fix when code-server is not installed yet. */
export function assertHostInstalled() {
  if (!existsSync(CODE_SERVER_BIN)) {
    throw new Error('code-server is not installed in .vscode-host/: run `bash scripts/setup-vscode-host.sh` first');
  }
}

/** Runs scripts/setup-vscode-host.sh (a fast no-op when the host is installed already). */
export async function ensureHost() {
  await run('bash', [join(REPO_ROOT, 'scripts', 'setup-vscode-host.sh')], { cwd: REPO_ROOT });
  assertHostInstalled();
}

/**
 * Spawns a program with an argument array (never a shell string), inheriting stdio.
 * Resolves when it exits 0, rejects otherwise.
 */
export function run(command, args, options = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolvePromise();
      else reject(new Error(`${command} ${args.join(' ')} exited with ${signal ?? code}`));
    });
  });
}

/** Like run() but captures stdout/stderr; resolves {code, stdout, stderr}. */
export function capture(command, args, options = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolvePromise, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePromise(port));
    });
  });
}

/** True when nothing listens on 127.0.0.1:port. */
export function isPortFree(port) {
  return new Promise((resolvePromise) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolvePromise(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolvePromise(true)));
  });
}

/** Merges `settings` into <userDataDir>/User/settings.json (created when missing). */
export function writeUserSettings(userDataDir, settings) {
  const file = join(userDataDir, 'User', 'settings.json');
  mkdirSync(dirname(file), { recursive: true });
  let current = {};
  if (existsSync(file)) {
    try {
      current = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      current = {}; // settings.json may hold comments after a user edited it; ours win
    }
  }
  writeFileSync(file, JSON.stringify({ ...current, ...settings }, null, 2) + '\n');
  return file;
}

/**
 * The workbench URL for a folder, optionally with a `payload` (the browser's equivalent of the
 * desktop's command-line switches), e.g. [['extensionDevelopmentPath', '/abs/ext'],
 * ['extensionTestsPath', '/abs/out/test/integration/suite']]. Absolute paths in the payload are turned
 * into vscode-remote:// URIs.
 */
export function workbenchUrl(baseUrl, { folder, payload } = {}) {
  const params = [];
  if (folder) params.push(`folder=${encodeURIComponent(folder).replace(/%2F/g, '/')}`);
  if (payload && payload.length) {
    const p = payload.map(([k, v]) => [k, typeof v === 'string' && isAbsolute(v) ? `vscode-remote://${v}` : v]);
    params.push(`payload=${encodeURIComponent(JSON.stringify(p))}`);
  }
  return `${baseUrl.replace(/\/$/, '')}/${params.length ? `?${params.join('&')}` : ''}`;
}

// Process groups started here and not stopped yet. They are in their own groups, so Ctrl-C in a
// terminal does not reach them: they are killed when this process exits normally ('exit') and when it
// is ended by a signal (a signal ends Node without 'exit' events; see onFatalSignal).
const liveGroups = new Set();
// Temp dirs removed at exit, also after a signal (by the reaper, once the groups are gone).
const tempDirs = new Set();
process.on('exit', () => {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* gone already */
    }
  }
  for (const dir of tempDirs) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      /* best effort */
    }
  }
});

/**
 * Removes `dir` when this process ends, however it ends (normal exit, process.exit, SIGINT/SIGTERM/
 * SIGHUP). Returns `dir`. Call `forgetTempDir(dir)` after removing it yourself or to keep it.
 */
export function removeOnExit(dir) {
  tempDirs.add(dir);
  installSignalHandlers();
  return dir;
}
export function forgetTempDir(dir) {
  tempDirs.delete(dir);
}

const FATAL_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let signalHandlersInstalled = false;
/**
 * SIGTERM to every live group, plus a detached reaper that SIGKILLs what is left 3 s later. When no
 * one else handles the signal, it is raised again so the process ends as it would have without us.
 */
function onFatalSignal(signal) {
  const groups = [...liveGroups];
  const dirs = [...tempDirs];
  liveGroups.clear();
  tempDirs.clear();
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGTERM');
    } catch {
      /* gone already */
    }
  }
  if (groups.length || dirs.length) {
    spawn(process.execPath, [fileURLToPath(import.meta.url), 'reap', ...groups.map(String), '--', ...dirs], {
      detached: true,
      stdio: 'ignore',
    }).unref();
  }
  if (process.listenerCount(signal) === 1) {
    for (const s of FATAL_SIGNALS) process.removeListener(s, onFatalSignal);
    signalHandlersInstalled = false;
    process.kill(process.pid, signal);
  }
}
function installSignalHandlers() {
  if (!signalHandlersInstalled) {
    signalHandlersInstalled = true;
    for (const s of FATAL_SIGNALS) process.on(s, onFatalSignal);
  }
}
function trackGroup(pgid) {
  liveGroups.add(pgid);
  installSignalHandlers();
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Kills a whole process group: SIGTERM, then SIGKILL after `graceMs`. Safe to call twice. */
export async function killProcessGroup(pgid, graceMs = 3000) {
  if (!pgid || !groupAlive(pgid)) {
    liveGroups.delete(pgid);
    return;
  }
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    /* raced with exit */
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && groupAlive(pgid)) await sleep(100);
  if (groupAlive(pgid)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* raced with exit */
    }
    const hardDeadline = Date.now() + 2000;
    while (Date.now() < hardDeadline && groupAlive(pgid)) await sleep(100); // zombies may linger; give up
  }
  liveGroups.delete(pgid);
}

/** Environment for code-server: ours, minus variables that would make it talk to another VS Code. */
function serverEnv(extra, stateDir) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    // Inside a VS Code terminal VSCODE_IPC_HOOK_CLI etc. would redirect code-server to that window;
    // PORT/PASSWORD/HASHED_PASSWORD are read by code-server itself.
    if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE' || ['PORT', 'PASSWORD', 'HASHED_PASSWORD', 'GITHUB_TOKEN'].includes(k)) {
      delete env[k];
    }
  }
  // code-server writes rotating logs to $XDG_DATA_HOME/code-server/coder-logs: keep them out of $HOME
  // (the extension host inherits this too). Its config file is --config in the state dir.
  env.XDG_DATA_HOME = join(stateDir, 'xdg-data');
  return { ...env, ...extra };
}

/** Last `lines` lines of a text file ('' when missing). */
export function tailFile(file, lines = 60) {
  if (!file || !existsSync(file)) return '';
  const text = readFileSync(file, 'utf8');
  return text.split('\n').slice(-lines).join('\n');
}

/**
 * Starts code-server serving `workspace`.
 * @param {object} o
 * @param {string} o.workspace      folder to open (absolute or relative to cwd)
 * @param {string} o.extensionsDir  --extensions-dir (created)
 * @param {string} o.userDataDir    --user-data-dir (created; User/settings.json is written into it)
 * @param {number} [o.port]         fixed port; a free one on 127.0.0.1 when omitted
 * @param {object} [o.env]          extra environment for code-server (and so its extension host)
 * @param {boolean} [o.trust]       false: keep Workspace Trust on (the folder opens in Restricted Mode,
 *                                  without the startup prompt). Default: trust disabled, all trusted.
 * @param {object} [o.settings]     extra user settings merged over the defaults
 * @param {string[]} [o.extraArgs]  more code-server arguments
 * @param {string} [o.logFile]      where stdout+stderr go (default <userDataDir>/../code-server.log)
 * @param {boolean} [o.detached]    leave the server running when this process exits (demo mode)
 * @param {number} [o.startTimeoutMs]
 * @returns {Promise<{url:string, port:number, pid:number, logFile:string, userDataDir:string,
 *           workspace:string, workbenchUrl:(o?:object)=>string, logTail:(n?:number)=>string,
 *           exited:()=>boolean, stop:()=>Promise<void>}>}
 */
export async function startCodeServer(o) {
  assertHostInstalled();
  const workspace = resolve(o.workspace);
  const extensionsDir = resolve(o.extensionsDir);
  const userDataDir = resolve(o.userDataDir);
  const stateDir = dirname(userDataDir);
  const logFile = resolve(o.logFile ?? join(stateDir, 'code-server.log'));
  for (const d of [extensionsDir, userDataDir, dirname(logFile)]) mkdirSync(d, { recursive: true });

  const trusted = o.trust !== false;
  writeUserSettings(userDataDir, {
    ...DEFAULT_SETTINGS,
    'security.workspace.trust.enabled': !trusted,
    ...(trusted ? {} : { 'security.workspace.trust.startupPrompt': 'never' }),
    ...(o.settings ?? {}),
  });
  // An empty config file stops code-server from writing a default one with a random password.
  const configFile = join(stateDir, 'code-server-config.yaml');
  if (!existsSync(configFile)) writeFileSync(configFile, 'auth: none\n');

  const attempts = o.port ? 1 : 3; // an auto-picked port can be taken in between; try another
  let lastError;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const port = o.port ?? (await freePort());
    const args = [
      '--config', configFile,
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      ...(trusted ? ['--disable-workspace-trust'] : []),
      '--extensions-dir', extensionsDir,
      '--user-data-dir', userDataDir,
      ...(o.extraArgs ?? []),
      workspace,
    ];
    const out = openSync(logFile, 'a');
    writeFileSync(out, `\n--- ${new Date().toISOString()} code-server ${args.join(' ')}\n`);
    // detached: its own process group (setsid), so stop() reaches the file watchers and ext host too.
    const child = spawn(CODE_SERVER_BIN, args, {
      cwd: workspace,
      env: serverEnv(o.env ?? {}, stateDir),
      detached: true,
      stdio: ['ignore', out, out],
    });
    closeSync(out);
    const pgid = child.pid;
    let exitInfo = null;
    child.on('exit', (code, signal) => (exitInfo = { code, signal }));
    if (o.detached) child.unref();
    else trackGroup(pgid);

    const url = `http://127.0.0.1:${port}`;
    const stop = () => killProcessGroup(pgid);
    try {
      await waitForHttp(`${url}/healthz`, o.startTimeoutMs ?? 60000, () => exitInfo);
    } catch (err) {
      await stop();
      lastError = new Error(`${err.message}\n--- code-server log (${logFile}) ---\n${tailFile(logFile, 40)}`);
      if (!o.port && /EADDRINUSE/.test(tailFile(logFile, 40))) continue;
      throw lastError;
    }
    if (o.detached) liveGroups.delete(pgid);
    return {
      url,
      port,
      pid: pgid,
      logFile,
      userDataDir,
      extensionsDir,
      workspace,
      workbenchUrl: (opts = {}) => workbenchUrl(url, { folder: workspace, ...opts }),
      logTail: (n = 60) => tailFile(logFile, n),
      exited: () => exitInfo !== null,
      stop,
    };
  }
  throw lastError;
}

async function waitForHttp(url, timeoutMs, exitInfo) {
  const deadline = Date.now() + timeoutMs;
  let lastErr = 'no answer';
  while (Date.now() < deadline) {
    const info = exitInfo();
    if (info) throw new Error(`code-server exited (${info.signal ?? info.code}) before answering ${url}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status < 500) return;
      lastErr = `HTTP ${res.status}`;
    } catch (e) {
      lastErr = e.cause?.code ?? e.message;
    }
    await sleep(200);
  }
  throw new Error(`code-server did not answer ${url} within ${timeoutMs} ms (${lastErr})`);
}

/**
 * Launches Debian's Chromium through playwright-core. Pass `headless:false` (with a display) to watch.
 * @returns {Promise<import('playwright-core').Browser>}
 */
export async function launchBrowser({ headless = process.env.IWB_HEADED !== '1', args = [] } = {}) {
  const { chromium } = await import('playwright-core');
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} not found: run scripts/setup-vscode-host.sh (apt-get install chromium)`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless, args: [...CHROMIUM_ARGS, ...args] });
}

/**
 * Installs a .vsix into `extensionsDir` with code-server's --install-extension.
 * Uses a throw-away user-data dir next to the extensions dir unless one is given.
 */
export async function installVsix(vsixPath, extensionsDir, { userDataDir } = {}) {
  assertHostInstalled();
  const ext = resolve(extensionsDir);
  mkdirSync(ext, { recursive: true });
  const udd = resolve(userDataDir ?? join(dirname(ext), 'install-user-data'));
  const stateDir = dirname(udd);
  mkdirSync(stateDir, { recursive: true });
  const configFile = join(stateDir, 'code-server-config.yaml');
  if (!existsSync(configFile)) writeFileSync(configFile, 'auth: none\n');
  const r = await capture(
    CODE_SERVER_BIN,
    ['--config', configFile, '--extensions-dir', ext, '--user-data-dir', udd, '--install-extension', resolve(vsixPath), '--force'],
    { env: serverEnv({}, stateDir) },
  );
  const text = `${r.stdout}${r.stderr}`;
  if (r.code !== 0 || !/successfully installed/i.test(text)) {
    throw new Error(`installing ${vsixPath} failed (exit ${r.code}):\n${text}`);
  }
  return text.trim();
}

// ------------------------------------------------------------------------------------------------
// CLI: `node scripts/lib/codeserver.mjs serve|install-vsix ...` (used by scripts/start-demo.sh)
// ------------------------------------------------------------------------------------------------
async function cli(argv) {
  const [cmd, ...rest] = argv;
  if (cmd === 'reap') {
    // internal (see onFatalSignal): `reap PGID... -- DIR...` waits up to 3 s for the groups to end
    // after their SIGTERM, SIGKILLs the rest, then removes the temp dirs.
    const sep = rest.indexOf('--');
    const groups = (sep < 0 ? rest : rest.slice(0, sep)).map(Number);
    const dirs = sep < 0 ? [] : rest.slice(sep + 1);
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline && groups.some(groupAlive)) await sleep(100);
    for (const pgid of groups) await killProcessGroup(pgid, 0);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    return;
  }
  const opts = {};
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const key = a.slice(2);
    if (['detach', 'strict-port'].includes(key)) opts[key] = true;
    else opts[key] = rest[++i];
  }
  if (cmd === 'install-vsix') {
    if (!opts.vsix || !opts['extensions-dir']) throw new Error('usage: codeserver.mjs install-vsix --vsix FILE --extensions-dir DIR [--user-data-dir DIR]');
    console.log(await installVsix(opts.vsix, opts['extensions-dir'], { userDataDir: opts['user-data-dir'] }));
    return;
  }
  if (cmd !== 'serve') {
    throw new Error(
      'usage: codeserver.mjs serve --workspace DIR --extensions-dir DIR --user-data-dir DIR [--port N] [--strict-port] [--detach --pid-file FILE] [--log-file FILE]\n' +
        '       codeserver.mjs install-vsix --vsix FILE --extensions-dir DIR [--user-data-dir DIR]',
    );
  }
  let port = opts.port ? Number(opts.port) : undefined;
  if (port && !(await isPortFree(port))) {
    if (opts['strict-port']) throw new Error(`port ${port} is taken`);
    const free = await freePort();
    console.error(`port ${port} is taken; using ${free}`);
    port = free;
  }
  const server = await startCodeServer({
    workspace: opts.workspace,
    extensionsDir: opts['extensions-dir'],
    userDataDir: opts['user-data-dir'],
    logFile: opts['log-file'],
    port,
    detached: Boolean(opts.detach),
  });
  const url = server.workbenchUrl();
  if (opts['pid-file']) writeFileSync(opts['pid-file'], `${server.pid}\n`);
  console.log(`Incident Workbench is running: ${url}`);
  if (opts.detach) {
    console.log(`code-server runs in the background (process group ${server.pid}); stop it with: kill -- -${server.pid}`);
    console.log(`log: ${server.logFile}`);
    return;
  }
  console.log('Press Ctrl-C to stop.');
  await new Promise((resolvePromise) => {
    let stopping = false;
    let watch;
    const stop = async (message) => {
      if (stopping) return;
      stopping = true;
      clearInterval(watch);
      console.log(message);
      await server.stop();
      resolvePromise();
    };
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => stop('\nstopping code-server ...'));
    watch = setInterval(() => {
      if (!stopping && server.exited()) {
        process.exitCode = 1;
        stop(`code-server exited on its own; log tail:\n${server.logTail(30)}`);
      }
    }, 1000);
  });
  if (opts['pid-file'] && existsSync(opts['pid-file'])) {
    try {
      if (statSync(opts['pid-file']).isFile() && readFileSync(opts['pid-file'], 'utf8').trim() === String(server.pid)) {
        writeFileSync(opts['pid-file'], '');
      }
    } catch {
      /* best effort */
    }
  }
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  cli(process.argv.slice(2)).catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
