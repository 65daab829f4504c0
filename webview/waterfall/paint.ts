/** What the waterfall's canvases share: the theme's colours, the page font, backing-store sizing, frames. */
import { schemeTableau10 } from 'd3';

/** Colours the canvases paint with, read from the theme's --vscode-* variables at each render. */
export const colors = {
  fg: '#ccc',
  muted: '#888',
  bg: '#1e1e1e',
  sel: '#094771',
  hover: '#2a2d2e',
  error: '#f14c4c',
  critical: '#000',
  grid: '#444',
  match: '#ffcc0055',
  link: '#3794ff',
};

export function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

export function readColors(): void {
  colors.fg = cssVar('--vscode-foreground', '#ccc');
  colors.muted = cssVar('--vscode-descriptionForeground', '#888');
  colors.bg = cssVar('--vscode-editor-background', '#1e1e1e');
  colors.sel = cssVar('--vscode-list-activeSelectionBackground', '#094771');
  colors.hover = cssVar('--vscode-list-hoverBackground', '#2a2d2e');
  colors.error = cssVar('--vscode-charts-red', cssVar('--vscode-errorForeground', '#f14c4c'));
  colors.critical = cssVar('--vscode-editor-foreground', colors.fg);
  colors.grid = cssVar('--vscode-editorWidget-border', '#444');
  colors.match = cssVar('--vscode-editor-findMatchHighlightBackground', '#ffcc0055');
  colors.link = cssVar('--vscode-textLink-foreground', '#3794ff');
}

export function serviceColor(i: number): string {
  return schemeTableau10[i % schemeTableau10.length]!;
}

/** The page's font for canvas text, so labels match the DOM around them. */
export function canvasFont(): string {
  const style = getComputedStyle(document.body);
  return `${style.fontSize} ${style.fontFamily}`;
}

/** Device pixels per CSS pixel. */
export function pixelRatio(): number {
  return window.devicePixelRatio || 1;
}

/** Sizes a canvas's backing store for `w`×`hgt` CSS pixels; true if it changed (and was cleared). */
export function fitCanvas(canvas: HTMLCanvasElement, w: number, hgt: number): boolean {
  const dpr = pixelRatio();
  if (canvas.width === Math.floor(w * dpr) && canvas.height === Math.floor(hgt * dpr)) return false;
  canvas.width = Math.floor(w * dpr);
  canvas.height = Math.floor(hgt * dpr);
  return true;
}

/** `fn` at the next animation frame, once however often it is asked for before then. */
export function onNextFrame(fn: () => void): () => void {
  let scheduled = false;
  return () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      fn();
    });
  };
}
