// Playwright helpers for end-to-end specs against the real VS Code workbench (code-server 4.100.3 in
// Debian's Chromium) with the packaged extension installed. Specs are `test/e2e/*.e2e.mjs`, run by
// `npm run test:e2e` (scripts/run-e2e.mjs) with node's test runner, one file at a time.
//
// A spec typically looks like:
//
//   import { describe, it, before, after } from 'node:test';
//   import assert from 'node:assert/strict';
//   import { openWorkbench, runCommand, pickQuickItem, openViewContainer, treeItem, webviewFrame,
//            screenshot } from './helpers.mjs';
//
//   describe('incident overview', () => {
//     let wb;
//     before(async () => { wb = await openWorkbench({ workspace: 'test/fixtures/workspace' }); });
//     after(async () => { await wb?.close(); });
//
//     it('opens from the command palette', async () => {
//       await runCommand(wb.page, 'Incident Workbench: Show Incident Overview');
//       await pickQuickItem(wb.page, 'INC-2026-001');
//       const view = await webviewFrame(wb.page, /INC-2026-001/);
//       await view.locator('h1').waitFor();
//       await screenshot(wb.page, 'overview');
//     });
//   });
//
// All helpers take the Playwright `page` first so they also work on pages you open yourself. Locators
// returned here auto-wait; use `await expect`-style polling via `locator.waitFor()` or assert on
// `await locator.textContent()`.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import {
  REPO_ROOT,
  forgetTempDir,
  installVsix,
  launchBrowser,
  removeOnExit,
  startCodeServer,
} from '../../scripts/lib/codeserver.mjs';

export { REPO_ROOT };
export const ARTIFACTS_DIR = join(REPO_ROOT, 'test', 'e2e', 'artifacts');
/** Pictures the README shows: committed, and rewritten by the specs that take them so they stay current. */
export const DOCS_IMAGES_DIR = join(REPO_ROOT, 'docs', 'images');
/**
 * The path of a README picture, for `screenshot(page, docsImage('traces-waterfall'))`. The committed pictures
 * are rewritten only when asked (`IWB_UPDATE_DOCS_IMAGES=1 npm run test:e2e`), so an ordinary run leaves
 * the working tree clean; otherwise the shot goes to test/e2e/artifacts/ like any other.
 */
export const docsImage = (name) => (process.env.IWB_UPDATE_DOCS_IMAGES === '1' ? join(DOCS_IMAGES_DIR, `${name}.png`) : `docs-${name}`);
export const EXTENSION_ID = 'incident-workbench.incident-workbench';
/** Title of our activity-bar view container (package.json contributes.viewsContainers.activitybar). */
export const VIEW_CONTAINER_TITLE = 'Incidents';

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = `${QUICK_INPUT} .quick-input-box input`;
const QUICK_ROWS = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const attr = (s) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

/**
 * The extensions dir prepared by scripts/run-e2e.mjs (IWB_E2E_EXTENSIONS_DIR); when a spec is run by
 * hand (`node --test test/e2e/x.e2e.mjs`) the vsix in IWB_E2E_VSIX is installed into a temp dir instead.
 */
async function preparedExtensionsDir(tmp) {
  if (process.env.IWB_E2E_EXTENSIONS_DIR) return process.env.IWB_E2E_EXTENSIONS_DIR;
  if (process.env.IWB_E2E_VSIX) {
    const dir = join(tmp, 'installed-extensions');
    await installVsix(process.env.IWB_E2E_VSIX, dir);
    return dir;
  }
  throw new Error('no extension to test: run `npm run test:e2e`, or set IWB_E2E_VSIX to a packaged .vsix');
}

/**
 * Starts code-server on a fresh temp copy of `workspace` with the packaged extension installed, opens
 * Chromium at 1400x900 and waits until the workbench (and, by default, our activity-bar container) is
 * there. Every call is isolated: own copy of the workspace, extensions, user data and browser.
 *
 * @param {object} [o]
 * @param {string} [o.workspace='test/fixtures/workspace']  folder to copy (relative to the repo root)
 * @param {object} [o.settings]   extra user settings (merged over the test defaults)
 * @param {object[]} [o.keybindings]  User/keybindings.json entries (a command with `args` runs it with
 *   arguments from the keyboard, without its pickers)
 * @param {boolean} [o.trust]     false: Workspace Trust on, so the folder opens in Restricted Mode
 * @param {object} [o.env]        extra environment for code-server and its extension host
 * @param {{width:number,height:number}} [o.viewport]
 * @param {boolean} [o.waitForExtension=true]  wait for the "Incidents" activity-bar item
 * @returns {Promise<{page: import('playwright-core').Page, browser: import('playwright-core').Browser,
 *   server: object, workspace: string, tmp: string, consoleErrors: string[],
 *   screenshot: (name: string) => Promise<string>, close: () => Promise<void>}>}
 *   `workspace` is the absolute path of the temp copy (inspect files the extension wrote there).
 */
export async function openWorkbench(o = {}) {
  const source = resolve(REPO_ROOT, o.workspace ?? join('test', 'fixtures', 'workspace'));
  if (!existsSync(source)) throw new Error(`workspace ${source} does not exist`);
  const tmp = mkdtempSync(join(tmpdir(), 'iwb-e2e-'));
  const keep = process.env.IWB_KEEP_TMP === '1';
  if (!keep) removeOnExit(tmp); // also when the run is interrupted
  let server;
  let browser;
  const close = async () => {
    await browser?.close().catch(() => {});
    await server?.stop().catch(() => {});
    if (!keep) {
      rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
      forgetTempDir(tmp);
    }
  };
  try {
    const workspace = join(tmp, 'workspace');
    cpSync(source, workspace, { recursive: true });
    // A private copy: code-server writes bookkeeping (extensions.json, .obsolete) into its extensions dir.
    const extensionsDir = join(tmp, 'extensions');
    cpSync(await preparedExtensionsDir(tmp), extensionsDir, { recursive: true });
    if (o.keybindings) {
      mkdirSync(join(tmp, 'user-data', 'User'), { recursive: true });
      writeFileSync(join(tmp, 'user-data', 'User', 'keybindings.json'), JSON.stringify(o.keybindings, null, 2));
    }

    server = await startCodeServer({
      workspace,
      extensionsDir,
      userDataDir: join(tmp, 'user-data'),
      settings: o.settings,
      trust: o.trust,
      env: o.env,
    });
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: o.viewport ?? { width: 1400, height: 900 } });
    const consoleErrors = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource|open-vsx\.org/.test(m.text())) consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    await page.goto(server.workbenchUrl());
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    if (o.waitForExtension !== false) await activityBarItem(page, VIEW_CONTAINER_TITLE).waitFor({ timeout: 60000 });
    return {
      page,
      browser,
      server,
      workspace,
      tmp,
      consoleErrors,
      screenshot: (name) => screenshot(page, name),
      close,
    };
  } catch (err) {
    const log = server ? `\n--- code-server log ---\n${server.logTail(30)}` : '';
    await close();
    err.message += log;
    throw err;
  }
}

/** Locator of the quick input's text box (command palette, quick picks, input boxes). */
export function quickInput(page) {
  return page.locator(QUICK_INPUT_BOX);
}

/**
 * Runs a command from the command palette by its full title as shown there, e.g.
 * 'Incident Workbench: New Incident' (category + ': ' + title). Clicks the row whose label is exactly
 * `title`, so a fuzzy match on another command never runs by accident.
 */
export async function runCommand(page, title, { timeout = 15000 } = {}) {
  const input = quickInput(page);
  const row = quickRow(page, title, { exact: true });
  // A focus change that lands just after the palette opened (a view revealed when a load finishes, a
  // webview taking focus) closes it again, and a palette opened while the workbench is still starting can
  // list its commands without the row: open it and type once more rather than wait on it.
  for (let attempt = 1; ; attempt++) {
    const last = attempt >= 3;
    await page.keyboard.press('Escape'); // close any quick input that is still open
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 3000 });
    } catch {
      await page.keyboard.press('Control+Shift+P'); // F1 can be swallowed by a focused webview
      await input.waitFor({ state: 'visible', timeout });
    }
    try {
      await input.fill(`>${title}`, { timeout: last ? timeout : 5000 });
      await row.waitFor({ state: 'visible', timeout: last ? timeout : 5000 });
      break;
    } catch (err) {
      if (!last) continue;
      const shown = await page.locator(QUICK_ROWS).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
      throw new Error(`command "${title}" is not in the command palette; rows shown: ${JSON.stringify(shown)}\n${err.message}`);
    }
  }
  await row.click();
}

/**
 * Opens a workspace file by name through Quick Open (Go to File), clicking the row of that file. Like
 * `runCommand`, it opens the box and types again when a focus change closed it (a view revealed, a webview
 * taking focus), and waits for the file's own row: under load the file search answers late. `folder` picks
 * the row whose path names that folder, when two files share the name.
 */
export async function openFileByName(page, name, { folder, timeout = 30000 } = {}) {
  const input = quickInput(page);
  // test_x.py is not x.py; and with `folder`, tests/server.py is not service/server.py (the row's description).
  const row = quickRow(page, name, { exact: true, folder });
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape');
    // Ctrl+P can be swallowed by a focused webview: the command palette's Go to File opens the same box.
    if (attempt === 1) await page.keyboard.press('Control+P');
    else await runCommand(page, 'Go to File...');
    try {
      await input.waitFor({ state: 'visible', timeout: 3000 });
      await input.fill(name, { timeout: 5000 });
      await row.waitFor({ state: 'visible', timeout: attempt < 3 ? timeout / 3 : timeout });
      break;
    } catch (err) {
      if (attempt >= 3) {
        const shown = await page.locator(QUICK_ROWS).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
        throw new Error(`Quick Open did not list "${name}"; rows shown: ${JSON.stringify(shown)}\n${err.message}`);
      }
    }
  }
  await row.click();
}

/**
 * Locator of the quick-pick row whose label is `label` (exact) or contains it (exact:false); with `folder`,
 * the row must also name that folder (Quick Open shows a file's path beside its name).
 */
export function quickRow(page, label, { exact = false, folder } = {}) {
  const text = label instanceof RegExp ? label : exact ? new RegExp(`^\\s*${escapeRe(label)}\\s*$`) : label;
  const rows = page.locator(QUICK_ROWS).filter({ has: page.locator('.label-name', { hasText: text }) });
  return (folder ? rows.filter({ hasText: folder }) : rows).first();
}

/**
 * Picks an item of the open quick pick: the first row whose label contains `label` (string) or
 * matches it (RegExp). Use `{ exact: true }` for whole-label matches.
 */
export async function pickQuickItem(page, label, { exact = false, timeout = 15000 } = {}) {
  await page.locator(QUICK_INPUT).waitFor({ state: 'visible', timeout });
  const row = quickRow(page, label, { exact });
  try {
    await row.waitFor({ state: 'visible', timeout });
  } catch (err) {
    const shown = await page.locator(QUICK_ROWS).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    throw new Error(`no quick-pick item "${label}"; rows shown: ${JSON.stringify(shown)}\n${err.message}`);
  }
  await row.click();
}

/**
 * Answers an open input box (vscode.window.showInputBox, or a quick pick that takes free text):
 * replaces its value with `text` and presses Enter (pass `{ submit: false }` to only type).
 * Returns the validation message shown, if any, so specs can assert on it.
 */
export async function answerInput(page, text, { submit = true, timeout = 15000 } = {}) {
  const input = quickInput(page);
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(text);
  const message = page.locator(`${QUICK_INPUT} .quick-input-message`);
  const shown = (await message.isVisible().catch(() => false)) ? (await message.textContent())?.trim() : '';
  if (submit) await input.press('Enter');
  return shown || undefined;
}

/**
 * Answers a file question titled `title` with `file`: the extension's file pick (a list of likely files,
 * "Browse…" last) takes the file's row when listed, else Browse…; VS Code's own file dialog (the simple
 * dialog code-server shows) gets the folder typed first and waits for the file's row, because Enter before
 * the dialog has looked the typed path up navigates instead of choosing; the dialog may open on that folder
 * already (the value then does not change and no lookup starts), so the folder is retyped until the row shows.
 */
export async function answerFileDialog(page, title, file, { timeout = 45000 } = {}) {
  const heading = page.locator('.quick-input-widget .quick-input-title', { hasText: title });
  await heading.waitFor({ timeout });
  const folder = file.slice(0, file.lastIndexOf('/') + 1);
  const name = file.slice(folder.length);
  const row = quickRow(page, name, { exact: true });
  const browse = quickRow(page, 'Browse…', { exact: true });
  const deadline = Date.now() + timeout;
  // The file pick fills its list after it opens: wait for Browse… (always last) before deciding.
  if (await browse.waitFor({ timeout: 5000 }).then(() => true, () => false)) {
    await answerInput(page, name, { submit: false });
    const parent = folder.split('/').filter(Boolean).pop() ?? '';
    const listed = page.locator(QUICK_ROWS).filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRe(name)}\\s*$`) }) }).filter({ hasText: parent }).first();
    if (await listed.waitFor({ timeout: 5000 }).then(() => true, () => false)) {
      await listed.click();
      await heading.waitFor({ state: 'hidden', timeout });
      return;
    }
    await answerInput(page, '', { submit: false });
    await browse.click();
  }
  for (;;) {
    await answerInput(page, folder, { submit: false });
    try {
      await row.waitFor({ timeout: 5000 });
      break;
    } catch (err) {
      if (Date.now() > deadline) {
        await screenshot(page, 'file-dialog-failed');
        throw err;
      }
      await quickInput(page).fill('');
    }
  }
  await answerInput(page, file);
  await heading.waitFor({ state: 'hidden', timeout });
}

/** Locator of an activity-bar item by its title (aria-label "Title" or "Title (Ctrl+…)"). */
export function activityBarItem(page, title) {
  const a = attr(title);
  return page.locator(`.part.activitybar .action-label[aria-label="${a}"], .part.activitybar .action-label[aria-label^="${a} ("]`).first();
}

/**
 * Shows a view container of the activity bar (e.g. 'Incidents') in the side bar. Idempotent: clicking
 * an already selected item would hide the side bar, so it only clicks when needed.
 */
export async function openViewContainer(page, title, { timeout = 30000 } = {}) {
  const item = activityBarItem(page, title);
  await item.waitFor({ state: 'visible', timeout });
  const tab = item.locator('xpath=ancestor::li[@role="tab"][1]');
  const selected = async () => (await tab.getAttribute('aria-selected')) === 'true';
  const sidebarVisible = () => page.locator('.part.sidebar').isVisible();
  if (!(await selected()) || !(await sidebarVisible())) await item.click();
  await page.locator('.part.sidebar .composite.title').filter({ hasText: new RegExp(escapeRe(title), 'i') }).waitFor({ timeout });
  return page.locator('.part.sidebar');
}

/** Locator of a tree item (any tree view, explorer included) whose text contains `text`. */
export function treeItem(page, text) {
  return page.locator('[role="treeitem"]').filter({ hasText: text }).first();
}

/** Locator of a pane (view) header in the side bar, e.g. 'Errors'; click it to expand or collapse. */
export function viewPane(page, name) {
  return page.locator('.part.sidebar .pane-header').filter({ hasText: new RegExp(`^\\s*${escapeRe(name)}`, 'i') }).first();
}

/**
 * Opens the Errors view (expanded) in the Incidents container and runs Load Logs…, which leaves its quick
 * pick of log files open for the spec to pick from. Returns the side bar, as openViewContainer does.
 */
export async function startLoadLogs(page) {
  const sidebar = await openViewContainer(page, VIEW_CONTAINER_TITLE);
  const pane = viewPane(page, 'Errors');
  await pane.waitFor();
  if ((await pane.getAttribute('aria-expanded')) === 'false') await pane.click();
  await runCommand(page, 'Incident Workbench: Load Logs…');
  return sidebar;
}

/**
 * Collapses every view of the side bar but `keep`: trees draw only the rows in view, so a spec that walks a
 * long tree gives it the room (the container holds several views, and more with each feature).
 */
export async function collapseOtherViews(page, keep) {
  const headers = page.locator('.part.sidebar .pane-header[aria-expanded="true"]');
  for (let i = (await headers.count()) - 1; i >= 0; i--) {
    const header = headers.nth(i);
    const title = ((await header.textContent()) ?? '').trim();
    if (!new RegExp(`^${escapeRe(keep)}`, 'i').test(title)) await header.click();
  }
}

/** Locator of an editor tab whose label contains `label`. */
export function editorTab(page, label) {
  return page.locator('.tabs-container .tab').filter({ hasText: label }).first();
}

/** Locator of a notification toast whose text contains `text`. */
export function notification(page, text) {
  return page.locator('.notifications-toasts .notification-toast').filter({ hasText: text }).first();
}

/**
 * The content frame of a webview (panel, custom editor or webview view). Webviews sit two iframes deep:
 * `iframe.webview.ready` (VS Code's host page) → `#active-frame` (the extension's HTML). With several
 * webviews pass `title` (string: contained in, RegExp: matched against) the panel title, which VS Code
 * puts on the inner frame; without it the only/first visible webview is used. Waits until one matches.
 * @returns {Promise<import('playwright-core').FrameLocator>}
 */
export async function webviewFrame(page, title, { timeout = 30000 } = {}) {
  const deadline = Date.now() + timeout;
  let seen = [];
  for (;;) {
    seen = [];
    for (const outer of await page.locator('iframe.webview.ready').elementHandles()) {
      const name = await outer.getAttribute('name');
      const visible = await outer.isVisible();
      const frame = await outer.contentFrame();
      // eslint-disable-next-line no-undef -- runs in the page
      const innerTitle = frame ? await frame.evaluate(() => document.querySelector('#active-frame')?.title ?? null).catch(() => null) : null;
      if (innerTitle === null || !name) continue;
      seen.push({ name, title: innerTitle, visible });
    }
    const matches = seen.filter((w) =>
      title === undefined ? true : title instanceof RegExp ? title.test(w.title) : w.title.includes(title),
    );
    const pick = matches.find((w) => w.visible) ?? matches[0];
    if (pick) return page.frameLocator(`iframe.webview.ready[name="${attr(pick.name)}"]`).frameLocator('#active-frame');
    if (Date.now() > deadline) {
      throw new Error(`no webview${title ? ` titled ${title}` : ''} within ${timeout} ms; webviews: ${JSON.stringify(seen)}`);
    }
    await page.waitForTimeout(250);
  }
}

/** Saves a PNG of the page (or of `locator`) as test/e2e/artifacts/<name>.png, or at `name` when it is an absolute path (docsImage); returns the path. */
export async function screenshot(page, name, { locator, fullPage = false } = {}) {
  const file = isAbsolute(name) ? name : join(ARTIFACTS_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  mkdirSync(dirname(file), { recursive: true });
  if (locator) await locator.screenshot({ path: file });
  else await page.screenshot({ path: file, fullPage });
  return file;
}

/** Closes every notification toast (they can cover the bottom right of the workbench). */
export async function clearNotifications(page) {
  await runCommand(page, 'Notifications: Clear All Notifications');
}

/**
 * Polls `probe` until it returns something truthy (a probe that throws counts as "not yet"); the error
 * names what was awaited and the last value or error seen.
 */
export async function until(what, probe, timeout = 30000) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
