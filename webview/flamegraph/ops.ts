// CPU versus device time of a torch.profiler trace, beside its flame graph: the op table like
// key_averages().table() (sortable), the kernels, each GPU stream's kernels and copies on a timeline with
// the idle share, the copies, and the ops behind the longest kernels. Names are hostile input: text only.
import type { OpRow } from '../../src/core/profile/torchOps';
import type { OpsView } from '../../src/protocol/flamegraph';
import { h, replaceChildren } from '../shared/dom';

type Key = keyof Omit<OpRow, 'name'>;
const us = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} s` : x >= 1e3 ? `${(x / 1e3).toFixed(2)} ms` : `${x.toFixed(1)} µs`);
const cut = (s: string, n = 90): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const LANE = 22;

function css(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

function timeline(o: OpsView): HTMLElement {
  const lanes = o.streams;
  let start = Infinity;
  let end = -Infinity;
  for (const l of lanes) {
    if (l.start.length === 0) continue;
    start = Math.min(start, l.start[0]!);
    for (let i = 0; i < l.start.length; i++) end = Math.max(end, l.start[i]! + l.dur[i]!);
  }
  const canvas = h('canvas', { class: 'fg-ops-timeline', role: 'img', 'aria-label': `Device timeline from ${us(start)} to ${us(end)} after the trace's start: ${lanes.map((l) => `GPU ${l.device} stream ${l.stream}, ${l.start.length} events, busy ${us(l.busyUs)}`).join('; ')}` }) as HTMLCanvasElement;
  const info = h('p', { class: 'muted fg-ops-hover', 'aria-live': 'polite' }, 'Hover an event for its name and duration.');
  const labelW = 150;
  const paint = () => {
    const width = Math.max(300, (canvas.parentElement?.clientWidth ?? 800) - 4);
    const height = lanes.length * LANE + 18;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const span = Math.max(1e-9, end - start);
    const x = (t: number) => labelW + ((t - start) / span) * (width - labelW - 4);
    ctx.font = `12px ${css('--vscode-font-family', 'sans-serif')}`;
    ctx.textBaseline = 'middle';
    const colours = [css('--vscode-charts-blue', '#3794ff'), css('--vscode-charts-orange', '#d18616'), css('--vscode-charts-purple', '#b180d7')];
    lanes.forEach((l, row) => {
      const y = row * LANE;
      ctx.fillStyle = css('--vscode-editor-foreground', '#ccc');
      ctx.fillText(`GPU ${l.device} · stream ${l.stream}`, 2, y + LANE / 2);
      ctx.fillStyle = css('--vscode-editorWidget-border', '#444');
      ctx.fillRect(labelW, y + LANE - 2, width - labelW - 4, 1);
      for (let i = 0; i < l.start.length; i++) {
        ctx.fillStyle = colours[l.kind[i]!] ?? colours[0]!;
        const x0 = x(l.start[i]!);
        ctx.fillRect(x0, y + 3, Math.max(1, x(l.start[i]! + l.dur[i]!) - x0), LANE - 7);
      }
    });
    ctx.fillStyle = css('--vscode-descriptionForeground', '#999');
    ctx.fillText(`${us(start)} … ${us(end)} after the trace's start · blue kernels, orange copies, purple memsets`, labelW, lanes.length * LANE + 9);
  };
  canvas.addEventListener('mousemove', (e) => {
    const row = Math.floor(e.offsetY / LANE);
    const l = lanes[row];
    const width = canvas.clientWidth;
    if (!l || e.offsetX < labelW) return;
    const t = start + ((e.offsetX - labelW) / (width - labelW - 4)) * (end - start);
    const slack = ((end - start) / (width - labelW)) * 2;
    for (let i = 0; i < l.start.length; i++) {
      if (l.start[i]! - slack <= t && t <= l.start[i]! + l.dur[i]! + slack) {
        info.textContent = `${cut(o.names[l.name[i]!] ?? '?', 160)} — ${us(l.dur[i]!)} at ${us(l.start[i]!)}`;
        return;
      }
    }
  });
  requestAnimationFrame(paint);
  window.addEventListener('resize', paint);
  return h('div', { class: 'fg-ops-lanes' }, canvas, info);
}

export function opsSection(o: OpsView): HTMLElement {
  let key: Key = o.deviceTotalUs > 0 ? 'deviceTotalUs' : 'cpuTotalUs';
  const table = h('table', { class: 'fg-ops' });
  const cols: [Key, string][] = [['calls', 'Calls'], ['selfCpuUs', 'Self CPU'], ['cpuTotalUs', 'CPU total'], ['selfDeviceUs', 'Self device'], ['deviceTotalUs', 'Device total']];
  const draw = () => {
    const rows = [...o.ops].sort((a, b) => b[key] - a[key] || a.name.localeCompare(b.name)).slice(0, 300);
    replaceChildren(
      table,
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Op'), ...cols.map(([k, label]) => {
        const b = h('button', { class: 'link', title: `Sort by ${label}` }, label);
        b.addEventListener('click', () => {
          key = k;
          draw();
        });
        return h('th', { scope: 'col', 'aria-sort': key === k ? 'descending' : 'none', 'data-key': k }, b);
      }))),
      h('tbody', {}, ...rows.map((r) => h('tr', {}, h('td', { class: 'mono', title: r.name }, cut(r.name)), h('td', { class: 'num' }, String(r.calls)), h('td', { class: 'num' }, us(r.selfCpuUs)), h('td', { class: 'num' }, us(r.cpuTotalUs)), h('td', { class: 'num' }, us(r.selfDeviceUs)), h('td', { class: 'num' }, us(r.deviceTotalUs))))),
    );
  };
  draw();
  const hasDevice = o.deviceTotalUs > 0;
  const summary = `Self CPU time in ops ${us(o.cpuTotalUs)} · device time ${us(o.deviceTotalUs)}${o.deviceIdlePct === null ? ' · no device events in this trace' : ` · GPU idle ${o.deviceIdlePct.toFixed(2)} % (${us(o.deviceIdleUs)} of the ${us(o.deviceWindowUs)} between each GPU's first and last kernel)`}`;
  return h(
    'section',
    { class: 'fg-ops-section', 'aria-labelledby': 'fg-ops-title' },
    h('h2', { id: 'fg-ops-title' }, 'Ops: CPU versus device time'),
    h('p', { class: 'fg-ops-summary' }, summary),
    ...o.warnings.map((w) => h('p', { class: 'muted' }, w)),
    h('p', { class: 'muted' }, `${o.opCount.toLocaleString('en')} ops${o.opCount > o.ops.length ? `, the ${o.ops.length} busiest sent` : ''}; self = its own time less what ran nested in it; device time of an op = the kernels and copies launched inside it (self: directly, not from a nested op).`),
    h('div', { class: 'fg-table-scroll' }, table),
    hasDevice ? h('h3', {}, 'Streams') : null,
    hasDevice ? timeline(o) : null,
    hasDevice ? h('h3', {}, `Kernels (${o.kernels.length})`) : null,
    hasDevice ? h('div', { class: 'fg-table-scroll' }, h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Kernel'), h('th', { scope: 'col' }, 'Calls'), h('th', { scope: 'col' }, 'Total'))), h('tbody', {}, ...o.kernels.slice(0, 200).map((k) => h('tr', {}, h('td', { class: 'mono', title: k.name }, cut(k.name)), h('td', { class: 'num' }, String(k.calls)), h('td', { class: 'num' }, us(k.totalUs))))))) : null,
    o.copies.length ? h('h3', {}, 'Copies') : null,
    o.copies.length ? h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Kind'), h('th', { scope: 'col' }, 'Calls'), h('th', { scope: 'col' }, 'Time'), h('th', { scope: 'col' }, 'Bytes'))), h('tbody', {}, ...o.copies.map((c) => h('tr', {}, h('td', {}, c.kind === 'HtoD' ? 'CPU → GPU (HtoD)' : c.kind === 'DtoH' ? 'GPU → CPU (DtoH)' : c.kind), h('td', { class: 'num' }, String(c.calls)), h('td', { class: 'num' }, us(c.totalUs)), h('td', { class: 'num' }, `${(c.bytes / 2 ** 20).toFixed(1)} MiB`))))) : null,
    o.longest.length ? h('h3', {}, 'Longest kernels and the ops that launched them') : null,
    o.longest.length ? h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Launched by'), h('th', { scope: 'col' }, 'Kernel'), h('th', { scope: 'col' }, 'Duration'), h('th', { scope: 'col' }, 'Stream'))), h('tbody', {}, ...o.longest.map((k) => h('tr', {}, h('td', { class: 'mono' }, k.ops.length ? cut(k.ops.slice(0, 3).join(' ← '), 80) : '(no op recorded)'), h('td', { class: 'mono', title: k.name }, cut(k.name, 70)), h('td', { class: 'num' }, us(k.durUs)), h('td', {}, `GPU ${k.device} · ${k.stream}`))))) : null,
  );
}
