/* global document, window -- functions passed to evaluate() run in a webview */
// What the webview specs check in every page, reusable by any spec (a new webview adds one entry to its
// list): the page's own frame as a Playwright Frame (axe needs one to be injected into), axe-core run in
// it, the colour theme switched from the command palette, and the keyboard round trip of a chart
// (select → Enter → the source opens beside → back → the chart is there with the same selection).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { answerInput, quickRow, runCommand, until } from './helpers.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The themes every webview is checked in: the workbench class and the webview body class of each. */
export const THEMES = [
  { name: 'Default Light Modern', label: 'Light Modern', workbench: 'vs', body: 'vscode-light' },
  { name: 'Default Dark Modern', label: 'Dark Modern', workbench: 'vs-dark', body: 'vscode-dark' },
  { name: 'Default High Contrast', label: 'Dark High Contrast', workbench: 'hc-black', body: 'vscode-high-contrast' },
];

/**
 * A webview's own page as a Frame (the extension's HTML, two iframes deep) and its FrameLocator, once it
 * shows `ready` (a selector only its drawn page has). `title`: the frame's title (or a list of titles it may
 * have), which VS Code sets from the panel's title (our editors set it to the tab's label); without it,
 * the first visible webview.
 */
export async function visibleWebview(page, ready, title, timeout = 30000) {
  const seen = new Set();
  return until(`a visible webview${title ? ` titled ${title}` : ''} with ${ready}`, async () => {
    seen.clear();
    for (const outer of await page.locator('iframe.webview.ready').elementHandles()) {
      if (!(await outer.isVisible())) continue;
      const outerFrame = await outer.contentFrame();
      const innerEl = outerFrame && (await outerFrame.$('#active-frame'));
      const frame = innerEl && (await innerEl.contentFrame());
      if (!frame) continue;
      const frameTitle = await innerEl.getAttribute('title');
      seen.add(`${frameTitle}: ${((await frame.locator('#app').textContent().catch(() => '')) ?? '').slice(0, 120)}`);
      if (title !== undefined && ![title].flat().includes(frameTitle)) continue;
      if ((await frame.locator(ready).count()) === 0) continue;
      const name = await outer.getAttribute('name');
      return { frame, locator: page.frameLocator(`iframe.webview.ready[name="${name}"]`).frameLocator('#active-frame'), title: frameTitle };
    }
    return undefined;
  }, timeout).catch((e) => {
    e.message += ` (visible webviews titled: ${JSON.stringify([...seen])})`;
    throw e;
  });
}

/**
 * `visibleWebview`, and when for 5 s no visible page with that title has run its script (no
 * `html[data-iwb-bridge]`, or VS Code's frame never became ready), "Developer: Reload Webviews" (twice at
 * most) and a further wait. code-server serves every webview from one origin, so
 * their service workers (through which a page loads its script) can wait on each other after a reload or
 * a move and leave a page unloaded: VS Code's frame logs "Found unexpected service worker controller …
 * Waiting for controller" (another webview's worker) and never loads the page. VS Code on the desktop
 * gives each webview its own origin. A page whose script ran but that drew nothing is not retried: that
 * is ours to fix.
 */
export async function drawnWebview(page, ready, title, timeout = 30000, { reshow } = {}) {
  const names = [title].flat();
  let unloadedSince;
  let reloads = 0;
  let reshown = false;
  /** The page's script ran: drawing it is ours, and no reload or reshow is owed to it. */
  let ours = false;
  // After two reloads a page that is still not there gets its tab shown again once (when the caller says
  // how) and a further 30 s: on 2 cores the worker can stay stuck through both reloads.
  let end = Date.now() + timeout;
  for (;;) {
    try {
      return await visibleWebview(page, ready, title, 2000);
    } catch (e) {
      // Not before the page was shown again, when the caller said how.
      if (Date.now() > end && (reshown || !reshow || ours || Date.now() > end + 60000)) throw e;
    }
    let scriptRan = false;
    let found = false;
    for (const outer of await page.locator('iframe.webview.ready').elementHandles()) {
      if (!(await outer.isVisible())) continue;
      const inner = await (await outer.contentFrame())?.$('#active-frame');
      const frame = inner && (await inner.contentFrame());
      if (!frame || (title !== undefined && !names.includes(await inner.getAttribute('title')))) continue;
      found = true;
      scriptRan ||= (await frame.locator('html[data-iwb-bridge]').count().catch(() => 0)) > 0;
    }
    // A page whose script ran is waited for (drawing it is ours); one that is not there or did not load its
    // script within 5 s gets the webviews reloaded.
    ours = found && scriptRan;
    if (ours) {
      unloadedSince = undefined;
      continue;
    }
    unloadedSince ??= Date.now();
    if (Date.now() - unloadedSince > (reloads === 0 ? 5000 : 8000) && reloads < 2) {
      console.log(`[e2e] ${names[0]}: the page's script did not load (code-server's shared webview service worker); Developer: Reload Webviews`);
      await paletteByKeys(page, 'Developer: Reload Webviews');
      reloads++;
      unloadedSince = undefined;
    } else if (Date.now() - unloadedSince > 8000 && reloads >= 2 && reshow && !reshown) {
      console.log(`[e2e] ${names[0]}: still not loaded after two reloads; its tab shown again`);
      await reshow();
      reshown = true;
      unloadedSince = undefined;
      end = Math.max(end, Date.now() + 30000);
    }
  }
}

/** Switches the colour theme as a user does (Preferences: Color Theme) and waits until the workbench uses it. */
export async function setTheme(wb, theme) {
  const { page } = wb;
  if ((await page.locator(`.monaco-workbench.${theme.workbench}`).count()) > 0) return;
  await runCommand(page, 'Preferences: Color Theme');
  await answerInput(page, theme.label, { submit: false });
  await quickRow(page, theme.label, { exact: true }).waitFor({ timeout: 15000 });
  await page.keyboard.press('Enter');
  await until(`the workbench in ${theme.name}`, async () => (await page.locator(`.monaco-workbench.${theme.workbench}`).count()) > 0, 30000);
}

/**
 * axe-core in the page's frame: the violations of impact serious or critical (WCAG 2.x A/AA and axe's best
 * practices), each as `rule: help — target (summary)`. Injected as an evaluated expression: the page's CSP
 * allows no inline script.
 */
export async function axeViolations(frame) {
  if (!(await frame.evaluate(() => typeof window.axe === 'object'))) await frame.evaluate(`${AXE_SOURCE}\n;0`);
  const results = await frame.evaluate(async () => {
    const r = await window.axe.run(document, {
      resultTypes: ['violations'],
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary, html: n.html.slice(0, 160) })) }));
  });
  return results
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${v.help} — ${n.target} ${n.html} (${(n.summary ?? '').replace(/\s+/g, ' ').slice(0, 200)})`));
}

/** The label of the active tab of the active editor group. */
export async function activeTab(page) {
  return ((await page.locator('.editor-group-container.active .tabs-container .tab.active .label-name').first().textContent()) ?? '').trim();
}

/** Clicks the editor tab labelled `label` exactly (in any group). */
export async function showTab(page, label) {
  const exact = new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  const tab = page.locator('.tabs-container .tab').filter({ has: page.locator('.label-name', { hasText: exact }) }).first();
  await tab.click();
  // A click that landed while a quick input or notification was closing does not activate the tab.
  for (let i = 0; i < 3 && !/\bactive\b/.test((await tab.getAttribute('class')) ?? ''); i++) {
    await page.waitForTimeout(300);
    if (!/\bactive\b/.test((await tab.getAttribute('class')) ?? '')) await tab.click();
  }
  return tab;
}

/** Runs a command from the palette with the keyboard only: F1 (Ctrl+Shift+P if a webview kept F1), its title, Enter. */
export async function paletteByKeys(page, title) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  if (await input.isVisible()) await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  try {
    await input.waitFor({ state: 'visible', timeout: 3000 });
  } catch {
    await page.keyboard.press('Control+Shift+P');
    await input.waitFor({ state: 'visible', timeout: 10000 });
  }
  await page.keyboard.type(title);
  // The widget keeps the rows of earlier lists hidden in the page: only a visible focused row counts.
  const focused = page.locator('.quick-input-widget .monaco-list-row.focused:visible .label-name');
  await until(`${title} first in the palette`, async () => ((await focused.first().textContent({ timeout: 1000 }).catch(() => '')) ?? '').trim() === title, 15000);
  await page.keyboard.press('Enter');
}

/**
 * The keyboard round trip on a chart, for any chart page (flame graph, waterfall, A/B, memory): `focus`
 * puts the keyboard focus in the chart's control by keys only, `select` moves the selection with keys,
 * `selection` reads it (an id), Enter opens the source, which must open beside the chart in a text editor
 * with a tab matching `sourceTab` at `sourceLine` (a number, or a function of the selection); back to the chart by keys (View: Focus Previous Editor Group), the chart is
 * still drawn (`ready`) with the same selection, and the focus is in it again (`focused` tells).
 */
export async function keyboardRoundTrip(wb, { title, ready, focus, select, selection, sourceTab, sourceLine, focused }) {
  const { page } = wb;
  let view = await drawnWebview(page, ready, title);
  await focus(view.locator);
  await select(view.locator);
  const selected = await until('a selection', async () => selection(view.locator));
  await page.keyboard.press('Enter');
  // The source is a text editor in the active group (an A/B file's text shares its tab label with its chart).
  const group = page.locator('.editor-group-container.active');
  await until(`the source ${sourceTab} in a text editor`, async () => (await group.locator('.tabs-container .tab.active').filter({ hasText: sourceTab }).count()) > 0 && (await group.locator('.monaco-editor').count()) > 0, 20000);
  const line = typeof sourceLine === 'function' ? sourceLine(selected) : sourceLine;
  if (line !== undefined) {
    const cursor = page.locator('.statusbar-item[id="status.editor.selection"]');
    await until(`the cursor on line ${line}`, async () => new RegExp(`Ln ${line},`).test((await cursor.textContent()) ?? ''), 15000);
  }
  // The chart kept its tab: the source opened in another group, so both are visible.
  assert.ok((await page.locator('.editor-group-container').count()) >= 2, 'the source opened beside the chart');
  await paletteByKeys(page, 'View: Focus Previous Editor Group');
  view = await drawnWebview(page, ready, title);
  assert.equal(await until('the same selection', async () => selection(view.locator)), selected);
  if (focused) await until('the focus back in the chart', async () => focused(view.locator));
  return selected;
}
