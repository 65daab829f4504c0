/* global window, requestAnimationFrame -- functions passed to page.evaluate run in the browser */
// Opens the real waterfall bundle (dist/webview/waterfall.js) in Chromium outside VS Code: a page with the
// same CSS and a stand-in for acquireVsCodeApi, then posts a snapshot exactly as the host would.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { REPO_ROOT } from './results.mjs';

const THEME = `body{--vscode-foreground:#cccccc;--vscode-descriptionForeground:#9d9d9d;--vscode-editor-background:#1e1e1e;--vscode-editor-foreground:#d4d4d4;--vscode-list-activeSelectionBackground:#04395e;--vscode-list-hoverBackground:#2a2d2e;--vscode-charts-red:#f14c4c;--vscode-editorWidget-border:#454545;--vscode-textLink-foreground:#3794ff;--vscode-font-family:sans-serif;--vscode-font-size:13px;--vscode-editor-font-family:monospace;}`;

export async function openWaterfallPage({ width = 1400, height = 900 } = {}) {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width, height } });
  const css = readFileSync(join(REPO_ROOT, 'media/webview.css'), 'utf8');
  const js = readFileSync(join(REPO_ROOT, 'dist/webview/waterfall.js'), 'utf8');
  await page.setContent(`<!DOCTYPE html><html><head><style>${THEME}${css}</style></head><body data-app="waterfall"><main id="app" aria-busy="true"></main>
<script>window.__posted=[];window.acquireVsCodeApi=()=>({postMessage:(m)=>window.__posted.push(m),getState:()=>undefined,setState:()=>{}});</script></body></html>`);
  await page.addScriptTag({ content: js });
  return {
    browser,
    page,
    /** Posts the snapshot; resolves with ms from posting to the first canvas paint (measured in the page). */
    async show(snapshot) {
      return page.evaluate(
        (s) =>
          new Promise((resolve) => {
            const t = performance.now();
            window.postMessage({ type: 'snapshot', snapshot: s }, '*');
            const wait = () => {
              const p = window.iwbWaterfall?.perf;
              if (p && p.firstPaint) resolve(p.firstPaint - t);
              else requestAnimationFrame(wait);
            };
            wait();
          }),
        snapshot,
      );
    },
    close: () => browser.close(),
  };
}
