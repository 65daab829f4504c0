import { scaleLinear } from 'd3-scale';
import { hsl } from 'd3-color';
import { children, layoutBoxes, pathTo, type Box, type FlameTree, type FrameKeys } from '../../src/core/profile/flameTree';

/**
 * One flame graph on a canvas: d3 scales map weight to pixels, only boxes at least one pixel wide are laid
 * out and drawn (their subtrees are narrower still), text only where it fits. Hit-testing uses the boxes
 * of the last paint, so hover and click cost nothing per frame.
 */
export const ROW = 18;

export interface ChartOptions {
  icicle: boolean;
  diff: boolean;
  /** Search: nodes to highlight (others are dimmed); undefined: no search. */
  matches?: Uint8Array;
  /** Nodes in this profile's own code are drawn saturated, libraries muted. */
  mine: (key: number) => boolean;
}

/** What a key pressed on a flame chart asks for; the page decides how to show or open it. */
export interface FlameKeyAction {
  kind: 'select' | 'open' | 'zoom';
  node: number;
}

export interface PaintedBox extends Box {
  px: number;
  pw: number;
  py: number;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0) / 4294967295;
}

function css(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

export class FlameChart {
  tree: FlameTree | undefined;
  keys: FrameKeys | undefined;
  zoom = 0;
  selected = 0;
  hovered = -1;
  painted: PaintedBox[] = [];
  private readonly ctx: CanvasRenderingContext2D;
  lastPaintMs = 0;

  constructor(
    readonly canvas: HTMLCanvasElement,
    public options: ChartOptions,
  ) {
    this.ctx = canvas.getContext('2d')!;
  }

  setTree(tree: FlameTree, keys: FrameKeys): void {
    this.tree = tree;
    this.keys = keys;
    this.zoom = 0;
    this.selected = 0;
    this.hovered = -1;
  }

  /** Rows: the zoomed node's ancestors (full width) plus its subtree. */
  height(): number {
    if (!this.tree) return ROW;
    const ancestors = this.tree.depth[this.zoom]!;
    let deepest = 0;
    for (const b of this.painted) if (b.row > deepest) deepest = b.row;
    return (ancestors + Math.max(deepest, 1) + 1) * ROW;
  }

  /** `knownWidth`: the canvas's width when the caller has just measured it, to spare a layout. */
  paint(knownWidth?: number): void {
    const started = performance.now();
    const tree = this.tree;
    const keys = this.keys;
    const width = Math.max(50, knownWidth ?? this.canvas.parentElement?.clientWidth ?? 800);
    if (!tree || !keys) return;
    const boxes = layoutBoxes(tree, this.zoom, 1 / width);
    const ancestors = pathTo(tree, this.zoom);
    ancestors.unshift(0);
    ancestors.pop(); // the zoomed node itself is boxes[0]
    let deepest = 0;
    for (const b of boxes) if (b.row > deepest) deepest = b.row;
    const rows = ancestors.length + deepest + 1;
    const height = Math.min(32000, rows * ROW);
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(height * dpr);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    const ctx = this.ctx;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.font = `12px ${css('--vscode-editor-font-family', 'monospace')}`;
    ctx.textBaseline = 'middle';
    const x = scaleLinear().domain([0, 1]).range([0, width]);
    const yOf = (row: number) => (this.options.icicle ? row * ROW : height - (row + 1) * ROW);
    const painted: PaintedBox[] = [];
    const charW = ctx.measureText('m').width || 7;
    const focus = css('--vscode-focusBorder', '#007fd4');
    const fg = '#1e1e1e';
    const draw = (node: number, px: number, pw: number, py: number, ancestor: boolean) => {
      ctx.globalAlpha = this.options.matches && !this.options.matches[node] && node !== 0 ? 0.35 : ancestor ? 0.6 : 1;
      ctx.fillStyle = this.colour(node);
      ctx.fillRect(px, py, Math.max(pw - 0.5, 0.5), ROW - 1);
      if (node === this.selected || node === this.hovered) {
        ctx.globalAlpha = 1;
        ctx.strokeStyle = node === this.selected ? focus : fg;
        ctx.lineWidth = node === this.selected ? 2 : 1;
        ctx.strokeRect(px + 1, py + 1, Math.max(pw - 2.5, 0.5), ROW - 3);
      }
      if (pw > charW * 3) {
        const label = this.label(node);
        const fit = Math.floor((pw - 6) / charW);
        ctx.globalAlpha = 1;
        ctx.fillStyle = fg;
        ctx.fillText(label.length > fit ? `${label.slice(0, Math.max(0, fit - 1))}…` : label, px + 3, py + ROW / 2);
      }
    };
    ancestors.forEach((node, i) => {
      const py = yOf(i);
      draw(node, 0, width, py, true);
      painted.push({ node, x: 0, width: 1, row: i, px: 0, pw: width, py });
    });
    for (const b of boxes) {
      const row = ancestors.length + b.row;
      const px = x(b.x);
      const pw = x(b.x + b.width) - px;
      const py = yOf(row);
      draw(b.node, px, pw, py, false);
      painted.push({ ...b, row, px, pw, py });
    }
    ctx.globalAlpha = 1;
    this.painted = painted;
    this.canvas.dataset.painted = String(painted.length);
    // Where the selected frame is drawn now (CSS pixels in the canvas), for the e2e tests.
    const sel = painted.find((b) => b.node === this.selected);
    this.canvas.dataset.selected = sel ? `${Math.round(sel.px)},${Math.round(sel.py)},${Math.round(sel.pw)},${ROW}` : '';
    this.lastPaintMs = performance.now() - started;
  }

  label(node: number): string {
    if (!this.tree || !this.keys) return '';
    if (node === 0) return 'all';
    const f = this.keys.frames[this.tree.key[node]!]!;
    const file = f.file.slice(f.file.lastIndexOf('/') + 1);
    return file ? `${f.name} (${file}${f.line ? `:${f.line}` : ''})` : f.name;
  }

  colour(node: number): string {
    const tree = this.tree!;
    if (node === 0) return css('--vscode-editorWidget-border', '#888');
    if (this.options.diff) {
      const rootTotal = tree.total[0]! || 1;
      const delta = (tree.total[node]! - tree.base[node]!) / rootTotal;
      const t = Math.min(1, Math.abs(delta) / 0.1);
      if (Math.abs(delta) < 0.002) return 'hsl(0, 0%, 72%)';
      return delta > 0 ? hsl(0, 0.75, 0.85 - 0.3 * t).formatHsl() : hsl(215, 0.75, 0.85 - 0.3 * t).formatHsl();
    }
    const key = tree.key[node]!;
    const f = this.keys!.frames[key]!;
    const h = hash(f.name + f.file);
    return this.options.mine(key) ? hsl(10 + 45 * h, 0.85, 0.6 + 0.08 * hash(f.file)).formatHsl() : hsl(30 + 20 * h, 0.25, 0.66).formatHsl();
  }

  hit(offsetX: number, offsetY: number): number {
    for (const b of this.painted) if (offsetX >= b.px && offsetX < b.px + b.pw && offsetY >= b.py && offsetY < b.py + ROW) return b.node;
    return -1;
  }

  boxOf(node: number): PaintedBox | undefined {
    return this.painted.find((b) => b.node === node);
  }

  /** Selects `node`, zooming out to the nearest ancestor that contains it so the selection stays drawn. */
  selectVisible(node: number): void {
    const tree = this.tree;
    if (!tree) return;
    let z = this.zoom;
    while (z !== 0 && !pathTo(tree, node).includes(z) && node !== z) z = tree.parent[z]!;
    this.zoom = z;
    this.selected = node;
  }

  /**
   * The flame graph keys every page shares: up/down into the heaviest callee or back to the caller (swapped
   * in an icicle, where callees hang below), left/right to the sibling, Enter opens, Space zooms in,
   * Escape/Backspace zooms out one level. Undefined: the key moves nothing from here.
   */
  keyAction(key: string): FlameKeyAction | undefined {
    const tree = this.tree;
    if (!tree) return undefined;
    const n = this.selected;
    const up = this.options.icicle ? 'ArrowDown' : 'ArrowUp';
    const down = this.options.icicle ? 'ArrowUp' : 'ArrowDown';
    let next = -1;
    if (key === up) {
      for (const c of children(tree, n)) if (next < 0 || tree.total[c]! > tree.total[next]!) next = c;
    } else if (key === down) next = n > 0 ? tree.parent[n]! : -1;
    else if (key === 'ArrowLeft' || key === 'ArrowRight') {
      const p = n > 0 ? tree.parent[n]! : -1;
      if (p >= 0) {
        const siblings = children(tree, p);
        const i = siblings.indexOf(n) + (key === 'ArrowLeft' ? -1 : 1);
        if (i >= 0 && i < siblings.length) next = siblings[i]!;
      }
    } else if (key === 'Enter') return { kind: 'open', node: n };
    else if (key === ' ') return { kind: 'zoom', node: n };
    else if (key === 'Escape' || key === 'Backspace') return { kind: 'zoom', node: this.zoom > 0 ? tree.parent[this.zoom]! : 0 };
    return next >= 0 ? { kind: 'select', node: next } : undefined;
  }
}
