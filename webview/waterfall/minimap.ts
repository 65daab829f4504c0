import { schemeTableau10 } from 'd3';
import { centreWindow, formatDuration, minimapWindow, traceSpan, zoomAround, type TimeWindow, type WaterfallView } from '../../src/core/traces/waterfallView';
import { FLAG, type WaterfallSnapshot } from '../../src/protocol/waterfall';
import { h } from '../shared/dom';
import { colors, fitCanvas, pixelRatio, serviceColor } from './paint';

/**
 * The whole trace in a strip above the rows, with the zoomed window marked: drag to zoom, click to move the
 * window there, double-click to see the whole trace; from the keyboard it is a slider over the window's
 * position: arrows and Page keys move it, + and − zoom around its middle, 0 or Home shows the whole trace.
 * The spans are painted once per trace (and size) into an image; each draw copies it and marks the window.
 */
export class Minimap {
  readonly canvas = h('canvas', {
    class: 'wf-minimap',
    tabindex: 0,
    role: 'slider',
    'aria-label': 'Time window: arrows move it, + and − zoom, 0 shows the whole trace; drag with the mouse to zoom',
    'aria-valuemin': 0,
    'aria-valuemax': 100,
    'aria-valuenow': 0,
  });
  private image: HTMLCanvasElement | undefined;
  private drag: { x0: number; x1: number } | undefined;

  constructor(
    private readonly view: WaterfallView,
    private readonly snapshot: () => WaterfallSnapshot | undefined,
    /** A new window asked for by the pointer (not yet clamped). */
    private readonly setWindow: (w: TimeWindow) => void,
  ) {
    this.listen();
  }

  /** A new trace or size: paint the spans again at the next draw. */
  invalidate(): void {
    this.image = undefined;
  }

  /** The slider's value and its words: where the window starts, and what it shows. */
  private describe(): void {
    const { from, to } = this.view.window;
    const total = this.view.total;
    this.canvas.setAttribute('aria-valuenow', String(Math.round((from / total) * 100)));
    this.canvas.setAttribute('aria-valuetext', `${formatDuration(from)} to ${formatDuration(to)} of ${formatDuration(total)}`);
  }

  draw(): void {
    const { canvas } = this;
    this.describe();
    const dpr = pixelRatio();
    const w = canvas.clientWidth;
    const hgt = canvas.clientHeight;
    if (fitCanvas(canvas, w, hgt)) this.image = undefined;
    if (!this.image) this.image = this.paintSpans();
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (this.image) ctx.drawImage(this.image, 0, 0);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const total = this.view.total;
    const a = (this.view.window.from / total) * w;
    const b = (this.view.window.to / total) * w;
    ctx.fillStyle = colors.bg;
    ctx.globalAlpha = 0.6;
    ctx.fillRect(0, 0, a, hgt);
    ctx.fillRect(b, 0, w - b, hgt);
    ctx.globalAlpha = 1;
    ctx.strokeStyle = colors.fg;
    ctx.strokeRect(a + 0.5, 0.5, Math.max(1, b - a - 1), hgt - 1);
    const drag = this.drag;
    if (drag) {
      ctx.fillStyle = colors.sel;
      ctx.globalAlpha = 0.4;
      ctx.fillRect(Math.min(drag.x0, drag.x1), 0, Math.abs(drag.x1 - drag.x0), hgt);
      ctx.globalAlpha = 1;
    }
  }

  private paintSpans(): HTMLCanvasElement | undefined {
    const snap = this.snapshot();
    const rows = snap?.rows;
    if (!rows) return undefined;
    const dpr = pixelRatio();
    const w = this.canvas.clientWidth;
    const hgt = this.canvas.clientHeight;
    const img = document.createElement('canvas');
    img.width = Math.floor(w * dpr);
    img.height = Math.floor(hgt * dpr);
    const ctx = img.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const n = rows.spanId.length;
    const total = traceSpan(snap.durationUs);
    if (n > hgt * 4) {
      // Many spans per pixel row: paint pixels directly (first span to cover a pixel gives its colour), one
      // putImageData instead of 100k rectangles.
      const W = Math.max(1, Math.floor(w));
      const H = Math.max(1, Math.floor(hgt));
      const image = new ImageData(W, H);
      const px = image.data;
      const rgb = (hex: string): [number, number, number] => {
        const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(hex);
        return m ? [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)] : [200, 80, 80];
      };
      const palette = schemeTableau10.map(rgb);
      const errorRgb = rgb(colors.error.startsWith('#') ? colors.error : '#f14c4c');
      for (let i = 0; i < n; i++) {
        const y = Math.min(H - 1, Math.floor((i / n) * H));
        const x0 = Math.min(W - 1, Math.floor((rows.start[i]! / total) * W));
        const x1 = Math.min(W, Math.max(x0 + 1, Math.ceil(((rows.start[i]! + rows.dur[i]!) / total) * W)));
        const c = rows.flags[i]! & FLAG.error ? errorRgb : palette[rows.service[i]! % palette.length]!;
        for (let x = x0; x < x1; x++) {
          const o = (y * W + x) * 4;
          if (px[o + 3]) continue;
          px[o] = c[0];
          px[o + 1] = c[1];
          px[o + 2] = c[2];
          px[o + 3] = 255;
        }
      }
      const small = document.createElement('canvas');
      small.width = W;
      small.height = H;
      small.getContext('2d')!.putImageData(image, 0, 0);
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(small, 0, 0, img.width, img.height);
      return img;
    }
    const rowH = hgt / Math.max(1, n);
    // One rectangle per span, batched by colour so 100k spans are a few fill calls' worth of state changes.
    const byColor = new Map<string, number[]>();
    for (let i = 0; i < n; i++) {
      const c = rows.flags[i]! & FLAG.error ? colors.error : serviceColor(rows.service[i]!);
      let list = byColor.get(c);
      if (!list) byColor.set(c, (list = []));
      list.push(i);
    }
    for (const [c, list] of byColor) {
      ctx.fillStyle = c;
      ctx.beginPath();
      for (const i of list) ctx.rect((rows.start[i]! / total) * w, i * rowH, Math.max(0.5, (rows.dur[i]! / total) * w), Math.max(0.5, rowH));
      ctx.fill();
    }
    return img;
  }

  private listen(): void {
    const { canvas } = this;
    canvas.addEventListener('pointerdown', (e) => {
      canvas.setPointerCapture(e.pointerId);
      this.drag = { x0: e.offsetX, x1: e.offsetX };
      this.draw();
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!this.drag) return;
      this.drag.x1 = e.offsetX;
      this.draw();
    });
    canvas.addEventListener('pointerup', () => {
      const drag = this.drag;
      if (!drag) return;
      this.drag = undefined;
      this.setWindow(minimapWindow(drag.x0, drag.x1, canvas.clientWidth, this.view.window, this.view.total));
    });
    canvas.addEventListener('dblclick', () => this.setWindow({ from: 0, to: this.view.total }));
    canvas.addEventListener('keydown', (e) => {
      const w = this.view.window;
      const total = this.view.total;
      const width = w.to - w.from;
      const centre = (w.from + w.to) / 2;
      let next: TimeWindow | undefined;
      if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') next = centreWindow(w, centre + (e.key === 'ArrowLeft' ? -0.1 : 0.1) * width, total);
      else if (e.key === 'PageUp' || e.key === 'PageDown') next = centreWindow(w, centre + (e.key === 'PageUp' ? -1 : 1) * width, total);
      else if (e.key === '+' || e.key === '=' || e.key === 'ArrowUp') next = zoomAround(w, centre, 0.5, total);
      else if (e.key === '-' || e.key === '_' || e.key === 'ArrowDown') next = zoomAround(w, centre, 2, total);
      else if (e.key === '0' || e.key === 'Home' || e.key === 'Escape') next = { from: 0, to: total };
      if (!next) return;
      e.preventDefault();
      this.setWindow(next);
    });
  }
}
