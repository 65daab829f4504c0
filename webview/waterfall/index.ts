/**
 * Trace waterfall: rows drawn on a canvas, only those in view (virtualised), so 100k spans scroll as
 * smoothly as 100. d3 gives the scales and ticks; everything else is plain canvas and DOM built with h().
 */
import { scaleLinear, schemeTableau10 } from 'd3';
import type {
  AnomalyReport,
  AttributeMatches,
  SpanDetail,
  WaterfallIntent,
  WaterfallLog,
  WaterfallMessage,
  WaterfallSnapshot,
  WaterfallState,
} from '../../src/protocol/waterfall';
import { FLAG } from '../../src/protocol/waterfall';
import { connect } from '../shared/bridge';
import { h, icon, replaceChildren } from '../shared/dom';
import '../shared/elements';

const ROW_H = 20;
const AXIS_H = 22;
const root = document.getElementById('app')!;

let snap: WaterfallSnapshot | undefined;
let visible = new Int32Array(0);
let childCount = new Int32Array(0);
const collapsed = new Set<number>();
let selected = -1;
let hover = -1;
let view = { from: 0, to: 1 };
let criticalByRow = new Map<number, number[]>();
let matchSet: Set<number> | undefined;
let attrQuery = '';
let detail: SpanDetail | undefined;
let showTraceLogs = false;
let anomaly: AnomalyReport | undefined;
const filters = { text: '', service: -1, errorsOnly: false, criticalOnly: false, minMs: 0 };

// Elements that live across renders.
const scroller = h('div', { class: 'wf-scroll', tabindex: 0, role: 'grid', 'aria-label': 'Trace waterfall: arrow keys move, left/right collapse and expand, Enter opens the code' });
const spacer = h('div', { class: 'wf-spacer' });
const canvas = h('canvas', { class: 'wf-canvas' });
scroller.append(canvas, spacer);
const minimap = h('canvas', { class: 'wf-minimap', 'aria-label': 'Minimap: drag to zoom, double-click to reset' });
const band = h('canvas', { class: 'wf-band', 'aria-hidden': 'true' });
const detailBox = h('section', { class: 'wf-detail', 'aria-live': 'polite' });
const noticeBox = h('div', { class: 'wf-notice', role: 'status' });
const anomalyBox = h('section', { class: 'wf-anomaly' });
const liveSummary = h('span', { class: 'wf-visually-hidden', 'aria-live': 'polite' });
let minimapImage: HTMLCanvasElement | undefined;

const bridge = connect<WaterfallSnapshot, WaterfallIntent, WaterfallState>({
  render: (s) => {
    const newTrace = !snap || snap.traceId !== s.traceId || snap.rows?.spanId.length !== s.rows?.spanId.length;
    snap = s;
    if (newTrace) resetTrace();
    render();
  },
  state: (s) => ({ file: s.file, ...(selected >= 0 ? { selected } : {}) }),
});

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const m = event.data as WaterfallMessage | undefined;
  if (!m || typeof m !== 'object') return;
  if (m.type === 'spanDetail') {
    detail = m;
    renderDetail();
  } else if (m.type === 'notice') {
    replaceChildren(noticeBox, icon(m.kind === 'error' ? 'error' : 'info'), ' ', m.text);
    noticeBox.className = `wf-notice ${m.kind}`;
  } else if (m.type === 'anomaly') {
    anomaly = m;
    renderAnomaly();
  } else if (m.type === 'matches') onMatches(m);
});

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

const colors = {
  fg: '#ccc',
  muted: '#888',
  bg: '#1e1e1e',
  sel: '#094771',
  hover: '#2a2d2e',
  error: '#f14c4c',
  critical: '#000',
  grid: '#444',
  match: '#ffcc0055',
};

function readColors(): void {
  colors.fg = cssVar('--vscode-foreground', '#ccc');
  colors.muted = cssVar('--vscode-descriptionForeground', '#888');
  colors.bg = cssVar('--vscode-editor-background', '#1e1e1e');
  colors.sel = cssVar('--vscode-list-activeSelectionBackground', '#094771');
  colors.hover = cssVar('--vscode-list-hoverBackground', '#2a2d2e');
  colors.error = cssVar('--vscode-charts-red', cssVar('--vscode-errorForeground', '#f14c4c'));
  colors.critical = cssVar('--vscode-editor-foreground', colors.fg);
  colors.grid = cssVar('--vscode-editorWidget-border', '#444');
  colors.match = cssVar('--vscode-editor-findMatchHighlightBackground', '#ffcc0055');
}

function serviceColor(i: number): string {
  return schemeTableau10[i % schemeTableau10.length]!;
}

const fmtMs = (us: number): string => {
  const ms = us / 1000;
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 1 : 2)} s`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  if (ms >= 0.01) return `${ms.toFixed(2)} ms`;
  return `${us.toFixed(0)} µs`;
};

function resetTrace(): void {
  collapsed.clear();
  selected = -1;
  detail = undefined;
  anomaly = undefined;
  matchSet = undefined;
  attrQuery = '';
  view = { from: 0, to: Math.max(1, snap?.durationUs ?? 1) };
  minimapImage = undefined;
  const rows = snap?.rows;
  criticalByRow = new Map();
  if (!rows) return;
  const n = rows.spanId.length;
  childCount = new Int32Array(n);
  for (let i = 0; i < n; i++) if (rows.parent[i]! >= 0) childCount[rows.parent[i]!]!++;
  const c = snap!.critical ?? [];
  for (let i = 0; i + 2 < c.length; i += 3) {
    const list = criticalByRow.get(c[i]!) ?? [];
    list.push(c[i + 1]!, c[i + 2]!);
    criticalByRow.set(c[i]!, list);
  }
}

function filtering(): boolean {
  return filters.text !== '' || filters.service >= 0 || filters.errorsOnly || filters.criticalOnly || filters.minMs > 0 || matchSet !== undefined;
}

/** Rows to show: depth-first order minus collapsed subtrees, or every row passing the filters. */
function computeVisible(): void {
  const rows = snap?.rows;
  if (!rows) {
    visible = new Int32Array(0);
    return;
  }
  const n = rows.spanId.length;
  const out = new Int32Array(n);
  let k = 0;
  if (filtering()) {
    const terms = filters.text
      .toLowerCase()
      .split(/\s+/)
      .filter((t) => t !== '');
    const include = terms.filter((t) => !t.startsWith('-'));
    const exclude = terms.filter((t) => t.startsWith('-') && t.length > 1).map((t) => t.slice(1));
    const minUs = filters.minMs * 1000;
    for (let i = 0; i < n; i++) {
      const f = rows.flags[i]!;
      if (filters.errorsOnly && !(f & FLAG.error)) continue;
      if (filters.criticalOnly && !(f & FLAG.critical)) continue;
      if (filters.service >= 0 && rows.service[i] !== filters.service) continue;
      if (rows.dur[i]! < minUs) continue;
      if (matchSet && !matchSet.has(i)) continue;
      if (include.length || exclude.length) {
        const hay = `${snap!.names![rows.name[i]!]} ${snap!.services![rows.service[i]!]} ${rows.spanId[i]}`.toLowerCase();
        if (include.some((t) => !hay.includes(t)) || exclude.some((t) => hay.includes(t))) continue;
      }
      out[k++] = i;
    }
  } else {
    for (let i = 0; i < n; i++) {
      out[k++] = i;
      if (collapsed.has(i)) {
        // Skip the subtree: rows are depth-first, so it is the run of deeper rows that follows.
        const d = rows.depth[i]!;
        while (i + 1 < n && rows.depth[i + 1]! > d) i++;
      }
    }
  }
  visible = out.subarray(0, k);
  // The canvas sticks to the top of the scroller; the spacer below it makes up the rest of the height.
  spacer.style.height = `${Math.max(0, k * ROW_H + AXIS_H - scroller.clientHeight)}px`;
  liveSummary.textContent = `${k} of ${n} spans shown`;
}

function nameWidth(): number {
  return Math.max(180, Math.min(420, Math.floor(scroller.clientWidth * 0.34)));
}

function timeScale(left: number, width: number) {
  return scaleLinear().domain([view.from, view.to]).range([left + 4, left + width - 8]);
}

let drawScheduled = false;
function scheduleDraw(): void {
  if (drawScheduled) return;
  drawScheduled = true;
  requestAnimationFrame(() => {
    drawScheduled = false;
    draw();
  });
}

const perf = { draws: 0, lastDrawMs: 0, firstPaint: 0 };

function draw(): void {
  const started = performance.now();
  const rows = snap?.rows;
  const dpr = window.devicePixelRatio || 1;
  const w = scroller.clientWidth;
  const hgt = scroller.clientHeight;
  if (canvas.width !== Math.floor(w * dpr) || canvas.height !== Math.floor(hgt * dpr)) {
    canvas.width = Math.floor(w * dpr);
    canvas.height = Math.floor(hgt * dpr);
    canvas.style.width = `${w}px`;
    canvas.style.height = `${hgt}px`;
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, hgt);
  if (!rows || !snap) return;
  const nw = nameWidth();
  const x = timeScale(nw, w - nw);
  ctx.font = `${getComputedStyle(document.body).fontSize} ${getComputedStyle(document.body).fontFamily}`;
  ctx.textBaseline = 'middle';
  // Axis with ticks.
  ctx.fillStyle = colors.muted;
  ctx.strokeStyle = colors.grid;
  ctx.lineWidth = 1;
  for (const t of x.ticks(Math.max(2, Math.floor((w - nw) / 110)))) {
    const px = Math.round(x(t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(px, AXIS_H - 4);
    ctx.lineTo(px, hgt);
    ctx.globalAlpha = 0.35;
    ctx.stroke();
    ctx.globalAlpha = 1;
    ctx.fillText(fmtMs(t), px + 3, AXIS_H / 2);
  }
  ctx.fillText('Span', 6, AXIS_H / 2);
  const top = scroller.scrollTop;
  const first = Math.max(0, Math.floor(top / ROW_H));
  const last = Math.min(visible.length, Math.ceil((top + hgt - AXIS_H) / ROW_H) + 1);
  const filtered = filtering();
  for (let k = first; k < last; k++) {
    const i = visible[k]!;
    const y = AXIS_H + k * ROW_H - top;
    if (y + ROW_H < AXIS_H) continue;
    const f = rows.flags[i]!;
    if (i === selected || i === hover) {
      ctx.fillStyle = i === selected ? colors.sel : colors.hover;
      ctx.fillRect(0, y, w, ROW_H);
    }
    if (matchSet?.has(i) || (filters.text && filtered)) {
      ctx.fillStyle = colors.match;
      ctx.fillRect(0, y, 3, ROW_H);
    }
    // Name column.
    const indent = 6 + Math.min(rows.depth[i]!, 40) * 10;
    const cy = y + ROW_H / 2;
    if (!filtered && childCount[i]! > 0) {
      ctx.fillStyle = colors.muted;
      ctx.fillText(collapsed.has(i) ? '▸' : '▾', indent, cy);
    }
    ctx.fillStyle = f & FLAG.synthetic ? colors.muted : serviceColor(rows.service[i]!);
    ctx.fillRect(indent + 12, y + 5, 4, ROW_H - 10);
    let tx = indent + 20;
    if (f & FLAG.error) {
      ctx.fillStyle = colors.error;
      ctx.fillText('●', tx, cy);
      tx += 12;
    }
    ctx.fillStyle = f & FLAG.orphan ? colors.muted : colors.fg;
    const label = `${snap.services![rows.service[i]!]}${snap.services![rows.service[i]!] ? ': ' : ''}${snap.names![rows.name[i]!]}`;
    const room = nw - tx - (f & FLAG.code ? 24 : 6);
    ctx.save();
    ctx.beginPath();
    ctx.rect(tx, y, Math.max(0, room), ROW_H);
    ctx.clip();
    ctx.fillText(label, tx, cy);
    ctx.restore();
    if (f & FLAG.code) {
      ctx.fillStyle = cssVarCache.link;
      ctx.fillText('</>', nw - 24, cy);
    }
    // Bar.
    const s = rows.start[i]!;
    const e = s + rows.dur[i]!;
    if (e >= view.from && s <= view.to) {
      const x0 = Math.max(nw, x(s));
      const x1 = Math.min(w, Math.max(x0 + 1, x(e)));
      ctx.fillStyle = f & FLAG.error ? colors.error : f & FLAG.synthetic ? colors.muted : serviceColor(rows.service[i]!);
      ctx.globalAlpha = f & FLAG.critical || !filters.criticalOnly ? 0.85 : 0.4;
      ctx.fillRect(x0, y + 4, x1 - x0, ROW_H - 8);
      ctx.globalAlpha = 1;
      const sections = criticalByRow.get(i);
      if (sections) {
        ctx.fillStyle = colors.critical;
        for (let j = 0; j < sections.length; j += 2) {
          const a = Math.max(nw, x(sections[j]!));
          const b = Math.min(w, x(sections[j + 1]!));
          if (b >= a) ctx.fillRect(a, cy - 1.5, Math.max(1, b - a), 3);
        }
      }
      ctx.fillStyle = colors.muted;
      const text = fmtMs(rows.dur[i]!);
      if (x1 + 60 < w) ctx.fillText(text, x1 + 4, cy);
      else if (x0 - 60 > nw) {
        ctx.textAlign = 'right';
        ctx.fillText(text, x0 - 4, cy);
        ctx.textAlign = 'left';
      }
    }
  }
  // Column divider.
  ctx.strokeStyle = colors.grid;
  ctx.beginPath();
  ctx.moveTo(nw + 0.5, 0);
  ctx.lineTo(nw + 0.5, hgt);
  ctx.stroke();
  drawMinimapWindow();
  drawBand();
  perf.draws++;
  perf.lastDrawMs = performance.now() - started;
  if (!perf.firstPaint) {
    perf.firstPaint = performance.now();
    performance.mark('iwb-waterfall-first-paint');
  }
}

const cssVarCache = { link: '#3794ff' };

function buildMinimapImage(): void {
  const rows = snap?.rows;
  if (!rows) return;
  const dpr = window.devicePixelRatio || 1;
  const w = minimap.clientWidth;
  const hgt = minimap.clientHeight;
  const img = document.createElement('canvas');
  img.width = Math.floor(w * dpr);
  img.height = Math.floor(hgt * dpr);
  const ctx = img.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const n = rows.spanId.length;
  const total = Math.max(1, snap!.durationUs ?? 1);
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
    minimapImage = img;
    return;
  }
  const rowH = hgt / Math.max(1, n);
  // One rectangle per span, batched by colour so 100k spans are a few fill calls' worth of state changes.
  const byColor = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const f = rows.flags[i]!;
    const c = f & FLAG.error ? colors.error : serviceColor(rows.service[i]!);
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
  minimapImage = img;
}

let drag: { x0: number; x1: number } | undefined;

function drawMinimapWindow(): void {
  const dpr = window.devicePixelRatio || 1;
  const w = minimap.clientWidth;
  const hgt = minimap.clientHeight;
  if (minimap.width !== Math.floor(w * dpr) || minimap.height !== Math.floor(hgt * dpr)) {
    minimap.width = Math.floor(w * dpr);
    minimap.height = Math.floor(hgt * dpr);
    minimapImage = undefined;
  }
  if (!minimapImage) buildMinimapImage();
  const ctx = minimap.getContext('2d')!;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, minimap.width, minimap.height);
  if (minimapImage) ctx.drawImage(minimapImage, 0, 0);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const total = Math.max(1, snap?.durationUs ?? 1);
  const a = (view.from / total) * w;
  const b = (view.to / total) * w;
  ctx.fillStyle = colors.bg;
  ctx.globalAlpha = 0.6;
  ctx.fillRect(0, 0, a, hgt);
  ctx.fillRect(b, 0, w - b, hgt);
  ctx.globalAlpha = 1;
  ctx.strokeStyle = colors.fg;
  ctx.strokeRect(a + 0.5, 0.5, Math.max(1, b - a - 1), hgt - 1);
  if (drag) {
    ctx.fillStyle = colors.sel;
    ctx.globalAlpha = 0.4;
    ctx.fillRect(Math.min(drag.x0, drag.x1), 0, Math.abs(drag.x1 - drag.x0), hgt);
    ctx.globalAlpha = 1;
  }
}

minimap.addEventListener('pointerdown', (e) => {
  minimap.setPointerCapture(e.pointerId);
  drag = { x0: e.offsetX, x1: e.offsetX };
  drawMinimapWindow();
});
minimap.addEventListener('pointermove', (e) => {
  if (!drag) return;
  drag.x1 = e.offsetX;
  drawMinimapWindow();
});
minimap.addEventListener('pointerup', () => {
  if (!drag) return;
  const total = Math.max(1, snap?.durationUs ?? 1);
  const w = minimap.clientWidth;
  const a = Math.max(0, Math.min(drag.x0, drag.x1));
  const b = Math.min(w, Math.max(drag.x0, drag.x1));
  drag = undefined;
  if (b - a >= 3) setView((a / w) * total, (b / w) * total);
  else {
    // A click moves the current window to centre there.
    const c = (a / w) * total;
    const half = (view.to - view.from) / 2;
    setView(c - half, c + half);
  }
});
minimap.addEventListener('dblclick', () => setView(0, snap?.durationUs ?? 1));

function setView(from: number, to: number): void {
  const total = Math.max(1, snap?.durationUs ?? 1);
  let a = Math.max(0, Math.min(from, to));
  let b = Math.min(total, Math.max(from, to));
  const minSpan = Math.max(1, total / 1e6);
  if (b - a < minSpan) {
    const c = (a + b) / 2;
    a = Math.max(0, c - minSpan / 2);
    b = Math.min(total, a + minSpan);
  }
  view = { from: a, to: b };
  zoomLabel.textContent = a === 0 && b === total ? '' : `Zoomed: ${fmtMs(a)} – ${fmtMs(b)}`;
  resetZoom.hidden = a === 0 && b === total;
  scheduleDraw();
}

function rowAt(clientY: number): number {
  const rect = canvas.getBoundingClientRect();
  const y = clientY - rect.top - AXIS_H + scroller.scrollTop;
  if (clientY - rect.top < AXIS_H) return -1;
  const k = Math.floor(y / ROW_H);
  return k >= 0 && k < visible.length ? visible[k]! : -1;
}

function select(row: number, reveal = false): void {
  if (!snap?.rows || row < 0 || row >= snap.rows.spanId.length) return;
  selected = row;
  document.body.dataset.selectedSpan = snap.rows.spanId[row]!;
  bridge.send({ type: 'selectSpan', row });
  if (reveal) {
    // Expand collapsed ancestors, then scroll the row into view.
    for (let p = snap.rows.parent[row]!; p >= 0; p = snap.rows.parent[p]!) collapsed.delete(p);
    computeVisible();
    const k = visible.indexOf(row);
    if (k >= 0) {
      const y = k * ROW_H;
      if (y < scroller.scrollTop || y > scroller.scrollTop + scroller.clientHeight - AXIS_H - ROW_H) scroller.scrollTop = Math.max(0, y - scroller.clientHeight / 3);
    }
  }
  scheduleDraw();
}

canvas.addEventListener('click', (e) => {
  const row = rowAt(e.clientY);
  if (row < 0 || !snap?.rows) return;
  const rect = canvas.getBoundingClientRect();
  const xIn = e.clientX - rect.left;
  const nw = nameWidth();
  const indent = 6 + Math.min(snap.rows.depth[row]!, 40) * 10;
  if (!filtering() && childCount[row]! > 0 && xIn >= indent - 2 && xIn <= indent + 11) {
    if (collapsed.has(row)) collapsed.delete(row);
    else collapsed.add(row);
    computeVisible();
    scheduleDraw();
    return;
  }
  select(row);
  if (snap.rows.flags[row]! & FLAG.code && xIn >= nw - 28 && xIn <= nw) bridge.send({ type: 'openCode', row });
});
canvas.addEventListener('dblclick', (e) => {
  const row = rowAt(e.clientY);
  if (row >= 0 && snap?.rows && snap.rows.flags[row]! & FLAG.code) bridge.send({ type: 'openCode', row });
});
canvas.addEventListener('mousemove', (e) => {
  const row = rowAt(e.clientY);
  if (row !== hover) {
    hover = row;
    canvas.style.cursor = row >= 0 ? 'pointer' : 'default';
    scheduleDraw();
  }
});
canvas.addEventListener('mouseleave', () => {
  hover = -1;
  scheduleDraw();
});
scroller.addEventListener('scroll', () => scheduleDraw(), { passive: true });
scroller.addEventListener(
  'wheel',
  (e) => {
    if (!e.ctrlKey && !e.metaKey) return;
    e.preventDefault();
    const rect = canvas.getBoundingClientRect();
    const nw = nameWidth();
    const x = timeScale(nw, rect.width - nw);
    const at = x.invert(Math.max(nw, e.clientX - rect.left));
    const k = Math.exp(e.deltaY * 0.002);
    setView(at - (at - view.from) * k, at + (view.to - at) * k);
  },
  { passive: false },
);
scroller.addEventListener('keydown', (e) => {
  if (!snap?.rows) return;
  const k = selected >= 0 ? visible.indexOf(selected) : -1;
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    e.preventDefault();
    const next = Math.max(0, Math.min(visible.length - 1, k + (e.key === 'ArrowDown' ? 1 : -1)));
    if (visible.length) select(visible[next]!, true);
  } else if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && selected >= 0 && !filtering()) {
    e.preventDefault();
    if (e.key === 'ArrowLeft') {
      if (childCount[selected]! > 0 && !collapsed.has(selected)) collapsed.add(selected);
      else if (snap.rows.parent[selected]! >= 0) select(snap.rows.parent[selected]!, true);
    } else collapsed.delete(selected);
    computeVisible();
    scheduleDraw();
  } else if (e.key === 'Enter' && selected >= 0 && snap.rows.flags[selected]! & FLAG.code) {
    bridge.send({ type: 'openCode', row: selected });
  }
});
new ResizeObserver(() => {
  minimapImage = undefined;
  computeVisible();
  scheduleDraw();
}).observe(scroller);

// ---------- metrics band ----------

const BAND_ROW = 34;

function drawBand(): void {
  const series = snap?.metrics.series ?? [];
  band.hidden = series.length === 0;
  if (!series.length) return;
  const dpr = window.devicePixelRatio || 1;
  const w = scroller.clientWidth;
  const hgt = series.length * BAND_ROW;
  band.style.width = `${w}px`;
  band.style.height = `${hgt}px`;
  if (band.width !== Math.floor(w * dpr) || band.height !== Math.floor(hgt * dpr)) {
    band.width = Math.floor(w * dpr);
    band.height = Math.floor(hgt * dpr);
  }
  const ctx = band.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, hgt);
  const nw = nameWidth();
  // Metrics are scraped every few seconds: the band shows its own minutes around the trace (µs after the
  // trace start), with the trace and the zoomed window shaded, rather than the trace's milliseconds.
  let lo = 0;
  let hi = Math.max(1, snap?.durationUs ?? 1);
  for (const s of series) for (const [tMs] of s.points) {
    lo = Math.min(lo, tMs * 1000);
    hi = Math.max(hi, tMs * 1000);
  }
  const x = scaleLinear().domain([lo, hi]).range([nw + 4, w - 8]);
  ctx.fillStyle = colors.sel;
  ctx.globalAlpha = 0.35;
  ctx.fillRect(x(0), 0, Math.max(2, x(snap?.durationUs ?? 0) - x(0)), hgt);
  ctx.globalAlpha = 0.6;
  ctx.fillRect(x(view.from), 0, Math.max(1, x(view.to) - x(view.from)), 2);
  ctx.globalAlpha = 1;
  ctx.font = `${getComputedStyle(document.body).fontSize} ${getComputedStyle(document.body).fontFamily}`;
  ctx.textBaseline = 'middle';
  series.forEach((s, k) => {
    const y0 = k * BAND_ROW;
    ctx.fillStyle = colors.muted;
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, y0, nw - 6, BAND_ROW);
    ctx.clip();
    ctx.fillText(s.series, 6, y0 + BAND_ROW / 2);
    ctx.restore();
    const values = s.points.map((p) => p[1]);
    const bottom = Math.min(...values);
    const top = Math.max(...values);
    const y = scaleLinear()
      .domain(bottom === top ? [bottom - 1, top + 1] : [bottom, top])
      .range([y0 + BAND_ROW - 4, y0 + 4]);
    ctx.strokeStyle = serviceColor(k + 3);
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let started = false;
    for (const [tMs, v] of s.points) {
      const px = x(tMs * 1000);
      const py = y(v);
      if (!started) ctx.moveTo(px, py);
      else ctx.lineTo(px, py);
      started = true;
    }
    ctx.save();
    ctx.beginPath();
    ctx.rect(nw, y0, w - nw, BAND_ROW);
    ctx.clip();
    ctx.beginPath();
    started = false;
    for (const [tMs, v] of s.points) {
      const px = x(tMs * 1000);
      const py = y(v);
      if (!started) ctx.moveTo(px, py);
      else ctx.lineTo(px, py);
      started = true;
      ctx.fillStyle = ctx.strokeStyle;
      ctx.fillRect(px - 1.5, py - 1.5, 3, 3);
    }
    ctx.stroke();
    ctx.restore();
    ctx.fillStyle = colors.muted;
    ctx.fillText(`${formatValue(top)}`, w - 60, y0 + 8);
    ctx.strokeStyle = colors.grid;
    ctx.beginPath();
    ctx.moveTo(0, y0 + BAND_ROW - 0.5);
    ctx.lineTo(w, y0 + BAND_ROW - 0.5);
    ctx.stroke();
  });
}

function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a >= 1000 || (a > 0 && a < 0.01) ? v.toExponential(2) : String(Math.round(v * 1000) / 1000);
}

// ---------- DOM parts ----------

const searchInput = h('input', { type: 'search', class: 'wf-search', placeholder: 'Filter: words in name/service, -word excludes', 'aria-label': 'Filter spans by text' });
searchInput.addEventListener('input', () => {
  filters.text = searchInput.value.trim();
  computeVisible();
  scheduleDraw();
});
const attrInput = h('input', { type: 'search', class: 'wf-attr', placeholder: 'Attribute: key=value, key~text, key', 'aria-label': 'Filter spans by attribute' });
attrInput.addEventListener('change', () => {
  attrQuery = attrInput.value.trim();
  if (!attrQuery) {
    matchSet = undefined;
    computeVisible();
    scheduleDraw();
  } else bridge.send({ type: 'filterAttribute', query: attrQuery });
});
const serviceSelect = h('select', { 'aria-label': 'Service' });
serviceSelect.addEventListener('change', () => {
  filters.service = Number(serviceSelect.value);
  computeVisible();
  scheduleDraw();
});
const minInput = h('input', { type: 'number', min: 0, step: 'any', class: 'wf-min', placeholder: 'min ms', 'aria-label': 'Minimum duration in milliseconds' });
minInput.addEventListener('input', () => {
  filters.minMs = Number(minInput.value) || 0;
  computeVisible();
  scheduleDraw();
});
function toggle(label: string, key: 'errorsOnly' | 'criticalOnly'): HTMLElement {
  const box = h('input', { type: 'checkbox' });
  box.addEventListener('change', () => {
    filters[key] = box.checked;
    computeVisible();
    scheduleDraw();
  });
  return h('label', { class: 'wf-toggle' }, box, ` ${label}`);
}
const errorsToggle = toggle('Errors only', 'errorsOnly');
const criticalToggle = toggle('Critical path only', 'criticalOnly');
const zoomLabel = h('span', { class: 'muted' });
const resetZoom = h('button', { class: 'link', onclick: () => setView(0, snap?.durationUs ?? 1) }, 'Reset zoom');
resetZoom.hidden = true;

function onMatches(m: AttributeMatches): void {
  if (m.query !== attrQuery) return;
  matchSet = new Set(m.rows);
  computeVisible();
  scheduleDraw();
}

function action(label: string, codicon: string, intent: WaterfallIntent, secondary = true): HTMLElement {
  return h('vscode-button', { icon: codicon, secondary, onclick: () => bridge.send(intent) }, label);
}

function render(): void {
  root.removeAttribute('aria-busy');
  readColors();
  cssVarCache.link = cssVar('--vscode-textLink-foreground', '#3794ff');
  const s = snap!;
  if (s.error || !s.rows) {
    replaceChildren(
      root,
      h('h1', {}, 'Trace'),
      h('div', { class: 'banner', role: 'alert' }, icon('error'), h('div', {}, h('p', {}, s.error ?? 'No spans.'), h('p', { class: 'muted' }, s.file))),
      action('Open as text', 'go-to-file', { type: 'openAsText' }, false),
    );
    return;
  }
  const sum = s.summary!;
  replaceChildren(serviceSelect, h('option', { value: -1 }, 'All services'), ...s.services!.map((name, i) => h('option', { value: i }, name || '(synthetic)')));
  serviceSelect.value = String(filters.service);
  const slow = sum.slowest;
  replaceChildren(
    root,
    h('header', { class: 'wf-header' },
      h('h1', {}, 'Trace ', h('span', { class: 'mono' }, s.traceId ?? '')),
      h('div', { class: 'meta' },
        h('span', { title: 'Duration' }, icon('watch'), ' ', fmtMs(s.durationUs ?? 0)),
        h('span', {}, icon('list-tree'), ` ${sum.spanCount} spans`),
        h('span', {}, icon('server'), ` ${s.services!.filter((x) => x).join(', ')}`),
        sum.errorCount ? h('span', { class: 'wf-err' }, icon('error'), ` ${sum.errorCount} error${sum.errorCount === 1 ? '' : 's'}`) : null,
        h('span', { class: 'muted' }, `${s.file} (${s.format})`),
      ),
      slow
        ? h('p', { class: 'wf-slowest', 'data-testid': 'slowest' },
            h('strong', {}, 'Slowest span: '),
            h('button', { class: 'link', onclick: () => select(slow.row, true) }, `${slow.service} ${slow.operation}`),
            ` — ${slow.durationMs} ms, ${slow.percentage}% of the request (${slow.criticalMs} ms on the critical path)`,
          )
        : null,
      h('p', { 'data-testid': 'critical' }, h('span', { class: 'wf-critical-key' }), ` Critical path: ${sum.criticalSpans} span${sum.criticalSpans === 1 ? '' : 's'} (thick line on the bars)`),
      ...sum.nPlusOne.slice(0, 5).map((p) =>
        h('p', { class: 'wf-warn' }, icon('warning'), ` N+1: ${p.count} × `, h('code', {}, p.statement), ` under `, h('button', { class: 'link', onclick: () => select(p.parentRow, true) }, p.parentOperation), ` (${p.totalMs} ms, ${p.percentOfParent}% of it)`),
      ),
      sum.nPlusOne.length > 5 ? h('p', { class: 'wf-warn' }, `… and ${sum.nPlusOne.length - 5} more N+1 patterns (see the database table below).`) : null,
      sum.problems.length ? h('details', { class: 'wf-problems' }, h('summary', {}, icon('warning'), ` ${sum.problems.length} note${sum.problems.length === 1 ? '' : 's'} about this file`), h('ul', {}, ...sum.problems.map((p) => h('li', {}, p)))) : null,
    ),
    s.traces.length > 1 ? traceList(s) : null,
    h('div', { class: 'wf-toolbar' },
      searchInput,
      attrInput,
      serviceSelect,
      minInput,
      errorsToggle,
      criticalToggle,
      zoomLabel,
      resetZoom,
    ),
    h('div', { class: 'wf-toolbar' },
      action('Load Logs…', 'output', { type: 'loadLogs' }),
      action('Load Metrics…', 'graph-line', { type: 'loadMetrics' }),
      s.prometheus.configured ? action('Query Prometheus', 'cloud-download', { type: 'queryPrometheus' }) : null,
      action('Append Timeline to Post-Mortem', 'timeline-open', { type: 'appendTimeline' }),
      s.incidentId ? null : action('Attach to Incident…', 'pin', { type: 'attachToIncident' }),
      action('Open as Text', 'go-to-file', { type: 'openAsText' }),
      liveSummary,
    ),
    noticeBox,
    minimap,
    scroller,
    band,
    metricsLegend(s),
    anomalyBox,
    detailBox,
    tables(s),
  );
  computeVisible();
  minimapImage = undefined;
  renderDetail();
  renderAnomaly();
  scheduleDraw();
}

function traceList(s: WaterfallSnapshot): HTMLElement {
  return h('details', { class: 'wf-traces', open: true },
    h('summary', {}, `${s.traces.length} traces in this file (slowest first)`),
    h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Service'), h('th', {}, 'Root operation'), h('th', {}, 'Duration'), h('th', {}, 'Spans'), h('th', {}, 'Errors'), h('th', {}, 'Trace id'))),
      h('tbody', {}, ...s.traces.map((t) =>
        h('tr', { class: t.traceId === s.traceId ? 'current' : '' },
          h('td', {}, t.rootService),
          h('td', {}, h('button', { class: 'link', onclick: () => bridge.send({ type: 'openTrace', traceId: t.traceId }) }, t.rootOperation)),
          h('td', {}, `${t.durationMs} ms`),
          h('td', {}, t.spans),
          h('td', { class: t.errors ? 'wf-err' : '' }, t.errors),
          h('td', { class: 'mono' }, t.traceId),
        ))),
    ),
  );
}

function metricsLegend(s: WaterfallSnapshot): HTMLElement {
  const m = s.metrics;
  if (!m.series.length) {
    return h('p', { class: 'empty' }, m.source ? `No points of ${m.source} fall near this trace (±1 min).${m.note ? ` ${m.note}` : ''}` : 'No metrics loaded: Load Metrics… (Prometheus query_range JSON, OTLP metrics, CSV)' + (s.prometheus.configured ? ' or Query Prometheus.' : ', or set incidentWorkbench.prometheusUrl to query a live Prometheus.'));
  }
  return h('div', { class: 'wf-legend' },
    h('span', { class: 'muted' }, `Metrics from ${m.source ?? ''} around the trace: `),
    ...m.series.map((x, i) => h('span', { class: 'wf-series' }, h('span', { class: 'mono' }, x.series), ' ', h('button', { class: 'link', onclick: () => bridge.send({ type: 'analyzeAnomaly', series: i }) }, 'Analyze anomaly'))),
    m.note ? h('span', { class: 'muted' }, ` (${m.note})`) : null,
  );
}

function logTable(logs: WaterfallLog[]): HTMLElement {
  if (!logs.length) return h('p', { class: 'empty' }, 'No logs.');
  return h('table', { class: 'wf-logs' },
    h('thead', {}, h('tr', {}, h('th', {}, '+ms'), h('th', {}, 'Level'), h('th', {}, 'Service'), h('th', {}, 'Message'), h('th', {}, 'Source'))),
    h('tbody', {}, ...logs.slice(0, 1000).map((l) =>
      h('tr', { class: /ERR|CRIT|FATAL/.test(l.level) ? 'wf-err' : '' },
        h('td', { class: 'mono' }, l.offsetMs === null ? '' : l.offsetMs.toFixed(1)),
        h('td', {}, l.level),
        h('td', {}, l.service),
        h('td', { class: 'text' }, l.message),
        h('td', { class: 'muted' }, l.source),
      ))),
  );
}

function kv(pairs: [string, string][]): HTMLElement {
  return h('table', { class: 'wf-kv' }, h('tbody', {}, ...pairs.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', { class: 'text' }, v)))));
}

function renderDetail(): void {
  const s = snap;
  if (!s?.rows) return;
  const logsSource = s.logs.source ? `from ${s.logs.source}` : '';
  const logsHeader = h('h2', {}, showTraceLogs || !detail ? `Logs of the trace (${s.logs.count}) ${logsSource}` : `Logs of ${detail.name} (${detail.logs.length}) ${logsSource}`);
  const toggleLogs = h('button', { class: 'link', onclick: () => { showTraceLogs = !showTraceLogs; renderDetail(); } }, showTraceLogs ? 'Show the selected span’s logs' : 'Show the whole trace’s logs');
  const logs = !s.logs.source
    ? h('p', { class: 'empty' }, 'No logs loaded. Load Logs… reads JSON Lines with trace_id/span_id (the Errors view’s field mapping) or OTLP logs.')
    : logTable(showTraceLogs || !detail ? s.logs.all : detail.logs);
  if (!detail) {
    replaceChildren(detailBox, h('h2', {}, 'Span'), h('p', { class: 'empty' }, 'Select a span (click, or arrow keys) to see its attributes, events and logs.'), logsHeader, logs);
    return;
  }
  const d = detail;
  replaceChildren(
    detailBox,
    h('h2', {}, `${d.service}: ${d.name}`),
    h('div', { class: 'meta' },
      h('span', {}, `${d.kind}`),
      h('span', { class: d.status === 'ERROR' ? 'wf-err' : '' }, `status ${d.status}${d.statusMessage ? `: ${d.statusMessage}` : ''}`),
      h('span', {}, `starts +${d.startOffsetMs.toFixed(3)} ms`),
      h('span', {}, `duration ${d.durationMs.toFixed(3)} ms`),
      h('span', {}, `self ${d.selfMs.toFixed(3)} ms`),
      d.criticalMs > 0 ? h('span', {}, `critical ${d.criticalMs.toFixed(3)} ms`) : null,
      h('span', { class: 'mono muted' }, d.spanId),
    ),
    d.code ? h('p', {}, icon('code'), ' ', h('button', { class: 'link', 'data-testid': 'open-code', onclick: () => bridge.send({ type: 'openCode', row: d.row }) }, `${d.code.file}${d.code.line ? `:${d.code.line}` : ''}`)) : null,
    h('h3', {}, `Attributes (${d.attributes.length})`),
    kv(d.attributes),
    d.events.length ? h('h3', {}, `Events (${d.events.length})`) : null,
    ...d.events.map((e) => h('div', { class: 'wf-event' }, h('strong', {}, `+${e.offsetMs.toFixed(3)} ms ${e.name}`), kv(e.attributes))),
    d.links.length ? h('h3', {}, 'Links') : null,
    d.links.length ? h('ul', {}, ...d.links.map((l) => h('li', { class: 'mono' }, `${l.traceId} / ${l.spanId}`))) : null,
    d.resource.length ? h('details', {}, h('summary', {}, `Resource (${d.resource.length})`), kv(d.resource)) : null,
    logsHeader,
    toggleLogs,
    logs,
  );
}

function renderAnomaly(): void {
  const a = anomaly;
  if (!a) {
    replaceChildren(anomalyBox);
    return;
  }
  replaceChildren(
    anomalyBox,
    h('h2', {}, `Around the anomaly of ${a.series}`),
    h('p', {}, `Peak ${a.peakValue ?? '?'} at ${a.peakTime ?? a.anomalyTime}; left its baseline (median ${formatValue(a.baselineMedian)}) at ${a.startTime ?? 'n/a'}. Window ±${a.windowMinutes} min.`),
    h('p', {}, `${a.errorCount} error log${a.errorCount === 1 ? '' : 's'}, ${a.failedTraces} failed of ${a.tracesInWindow} traces; services: ${a.servicesInvolved.join(', ') || 'none'}.`),
    a.topErrors.length ? h('ul', {}, ...a.topErrors.map((e) => h('li', {}, `${e.count} × ${e.message}`))) : null,
    a.correlatedErrors.length ? h('h3', {}, 'Errors clustered in these minutes') : null,
    ...a.correlatedErrors.map((c) => h('p', {}, `${c.start} – ${c.end}: ${c.errorCount} errors in ${c.services.join(', ')}; ${c.uniqueErrors.map((u) => `${u.count} × ${u.message}`).join('; ')}`)),
    a.bubbleUp.length ? h('h3', {}, 'What differs in slow or failed spans (BubbleUp)') : null,
    a.bubbleUp.length
      ? h('table', {},
          h('thead', {}, h('tr', {}, h('th', {}, 'Attribute'), h('th', {}, 'Difference'), h('th', {}, 'Values: outliers vs rest'))),
          h('tbody', {}, ...a.bubbleUp.map((b) => h('tr', {}, h('td', { class: 'mono' }, b.attribute), h('td', {}, `${Math.round(b.score * 100)}%`), h('td', { class: 'text' }, b.values.map((v) => `${v.value}: ${Math.round(v.outlierShare * 100)}% vs ${Math.round(v.baselineShare * 100)}%`).join('; '))))),
        )
      : null,
  );
}

function tables(s: WaterfallSnapshot): HTMLElement {
  const sum = s.summary!;
  return h('section', {},
    h('h2', {}, 'Time by service and operation'),
    h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Service'), h('th', {}, 'Operation'), h('th', {}, 'Count'), h('th', {}, 'Total'), h('th', {}, 'Avg'), h('th', {}, 'Max'), h('th', {}, 'Self'), h('th', {}, 'Self % of trace'))),
      h('tbody', {}, ...sum.statistics.map((r) => h('tr', {}, h('td', {}, r.service), h('td', {}, r.operation), h('td', {}, r.count), h('td', {}, `${r.totalMs} ms`), h('td', {}, `${r.avgMs} ms`), h('td', {}, `${r.maxMs} ms`), h('td', {}, `${r.selfMs} ms`), h('td', {}, `${r.selfPercent}%`)))),
    ),
    h('h2', {}, `Database queries by statement (${sum.slowQueries.length})`),
    sum.slowQueries.length
      ? h('table', {},
          h('thead', {}, h('tr', {}, h('th', {}, 'Statement'), h('th', {}, 'Count'), h('th', {}, 'Mean'), h('th', {}, 'p95'), h('th', {}, 'Max'))),
          h('tbody', {}, ...sum.slowQueries.map((q) => h('tr', {}, h('td', { class: 'mono text' }, q.statement), h('td', {}, q.count), h('td', {}, `${q.meanMs} ms`), h('td', {}, `${q.p95Ms} ms`), h('td', {}, `${q.maxMs} ms`)))),
        )
      : h('p', { class: 'empty' }, 'No database spans (db.statement / db.query.text).'),
  );
}

// A small window API for tests and the benchmark: where rows are, and the drawing counters.
(window as unknown as { iwbWaterfall: unknown }).iwbWaterfall = {
  perf,
  visibleCount: () => visible.length,
  rowOf: (spanIdOrName: string) => {
    const rows = snap?.rows;
    if (!rows) return -1;
    const byId = rows.spanId.indexOf(spanIdOrName);
    if (byId >= 0) return byId;
    return rows.name.findIndex((n) => snap!.names![n] === spanIdOrName);
  },
  /** Scrolls the row into view (expanding its ancestors); positions of its name and code icon on the canvas. */
  locate: (row: number) => {
    const rows = snap?.rows;
    if (!rows) return undefined;
    for (let p = rows.parent[row]!; p >= 0; p = rows.parent[p]!) collapsed.delete(p);
    computeVisible();
    const k = visible.indexOf(row);
    if (k < 0) return undefined;
    const y = k * ROW_H;
    if (y < scroller.scrollTop || y > scroller.scrollTop + scroller.clientHeight - AXIS_H - ROW_H) scroller.scrollTop = Math.max(0, y - scroller.clientHeight / 3);
    draw();
    return { x: nameWidth() / 2, y: AXIS_H + k * ROW_H - scroller.scrollTop + ROW_H / 2, codeX: nameWidth() - 14 };
  },
  scrollTo: (y: number) => {
    scroller.scrollTop = y;
    draw();
  },
  zoom: (from: number, to: number) => {
    setView(from, to);
    draw();
  },
  draw,
};
