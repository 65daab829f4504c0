// Error cluster details: occurrences over time (d3 histogram, spike marked), breakdowns by user, endpoint,
// service and version, the shared stack, and sample events rendered as text (log content is hostile input:
// every string goes through text nodes, d3's .text() included).
import { axisBottom, axisLeft, max, scaleBand, scaleLinear, select } from 'd3';
import type { DetailsCount, ErrorDetailsIntent, ErrorDetailsSnapshot } from '../../src/protocol/errorDetails';
import { connect } from '../shared/bridge';
import { h, icon, replaceChildren } from '../shared/dom';
import '../shared/elements';
import { timeElement } from '../shared/format';
import { keyboardHelp } from '../shared/help';

const root = document.getElementById('app')!;
const help = keyboardHelp([
  ['Tab / Shift+Tab', 'next / previous button or link (a stack frame opens its line, a sample its log line)'],
  ['Enter / Space', 'open the focused frame or sample, press the focused button'],
]);

const bridge = connect<ErrorDetailsSnapshot, ErrorDetailsIntent>({ render });

function button(label: string, codicon: string, intent: ErrorDetailsIntent, secondary = false): HTMLElement {
  return h('vscode-button', { icon: codicon, secondary, onclick: () => bridge.send(intent) }, label);
}

function bucketLabel(ms: number): string {
  if (ms < 3_600_000) return `${ms / 60_000} min`;
  if (ms < 86_400_000) return `${ms / 3_600_000} h`;
  return `${ms / 86_400_000} d`;
}

function histogram(c: NonNullable<ErrorDetailsSnapshot['cluster']>): HTMLElement {
  const t = c.timeline;
  const box = h('div', { class: 'ed-histogram', role: 'img' });
  if (!t || t.counts.length === 0) return h('p', { class: 'empty' }, 'No timestamps in these events, so no timeline.');
  const width = Math.max(360, Math.min(960, document.body.clientWidth - 40));
  const height = 180;
  const margin = { top: 10, right: 12, bottom: 28, left: 40 };
  const buckets = t.counts.map((n, i) => ({ i, n, at: t.start + i * t.bucketMs }));
  const x = scaleBand<number>().domain(buckets.map((b) => b.i)).range([margin.left, width - margin.right]).padding(0.1);
  const y = scaleLinear().domain([0, max(buckets, (b) => b.n) ?? 1]).nice().range([height - margin.bottom, margin.top]);
  const spikeStart = c.spike ? Date.parse(c.spike.at) : undefined;
  const spikeEnd = spikeStart !== undefined && c.spike ? spikeStart + c.spike.bucketMs : undefined;
  const inSpike = (at: number) => spikeStart !== undefined && spikeEnd !== undefined && at + t.bucketMs > spikeStart && at < spikeEnd;
  const svg = select(box).append('svg').attr('width', width).attr('height', height).attr('aria-hidden', 'true');
  svg
    .append('g')
    .selectAll('rect')
    .data(buckets)
    .join('rect')
    .attr('class', (b) => (inSpike(b.at) ? 'ed-bar ed-spike' : 'ed-bar'))
    .attr('x', (b) => x(b.i)!)
    .attr('y', (b) => y(b.n))
    .attr('width', x.bandwidth())
    .attr('height', (b) => y(0) - y(b.n))
    .append('title')
    .text((b) => `${new Date(b.at).toISOString().slice(0, 16).replace('T', ' ')} UTC: ${b.n}`);
  const every = Math.max(1, Math.ceil(buckets.length / 8));
  svg
    .append('g')
    .attr('class', 'ed-axis')
    .attr('transform', `translate(0,${height - margin.bottom})`)
    .call(axisBottom(x).tickValues(buckets.filter((b) => b.i % every === 0).map((b) => b.i)).tickFormat((i) => new Date(t.start + Number(i) * t.bucketMs).toISOString().slice(11, 16)));
  svg.append('g').attr('class', 'ed-axis').attr('transform', `translate(${margin.left},0)`).call(axisLeft(y).ticks(4));
  box.setAttribute('aria-label', `Occurrences per ${bucketLabel(t.bucketMs)}${c.spike ? `; spike: ${c.spike.description}` : ''}`);
  return h('div', {},
    box,
    h('p', { class: 'muted' }, `Events per ${bucketLabel(t.bucketMs)} (UTC) over the loaded logs' time range.`, c.spike ? ' ' : '', c.spike ? h('span', { class: 'ed-spike-note' }, icon('flame'), ' Spike: ', c.spike.description) : null),
  );
}

/** A proportional bar; its width is set through CSSOM because the CSP forbids inline style attributes. */
function bar(share: number): HTMLElement {
  const el = h('div', { class: 'ed-hbar' });
  el.style.width = `${Math.round(share * 100)}%`;
  return el;
}

function breakdown(title: string, items: DetailsCount[], distinct: number | undefined, total: number): HTMLElement {
  if (items.length === 0) return h('div', { class: 'ed-breakdown' }, h('h3', {}, title), h('p', { class: 'empty' }, 'Not in these logs.'));
  const top = items[0]!.count;
  return h('div', { class: 'ed-breakdown' },
    h('h3', {}, title, distinct !== undefined && distinct > items.length ? h('span', { class: 'muted' }, ` (top ${items.length} of ${distinct})`) : null),
    h('table', {},
      h('tbody', {}, ...items.map((it) =>
        h('tr', {},
          h('td', { class: 'text ed-value' }, it.value),
          h('td', { class: 'ed-num' }, it.count.toLocaleString('en-US')),
          h('td', { class: 'ed-barcell' }, bar(it.count / top)),
          h('td', { class: 'muted ed-num' }, `${Math.round((it.count / total) * 100)}%`),
        ),
      )),
    ),
  );
}

function render(s: ErrorDetailsSnapshot): void {
  root.removeAttribute('aria-busy');
  const c = s.cluster;
  if (!c) {
    replaceChildren(root, help, h('h1', {}, 'Error cluster'), h('div', { class: 'banner', role: 'alert' }, icon('info'), h('p', {}, s.missing ?? 'Nothing loaded.')));
    return;
  }
  replaceChildren(
    root,
    help,
    h('h1', { class: 'ed-title' }, c.title),
    h('div', { class: 'meta' },
      h('span', { title: 'Events' }, icon('error'), ' ', `${c.count.toLocaleString('en-US')} events`),
      h('span', { title: 'Category' }, icon('tag'), ' ', c.category),
      h('span', { title: 'First and last seen (UTC)' }, icon('calendar'), ' ', c.firstSeen ? timeElement(c.firstSeen) : '?', ' – ', c.lastSeen ? timeElement(c.lastSeen) : '?'),
      h('span', { title: 'Fingerprint', class: 'ed-mono' }, c.fingerprint),
    ),
    h('div', { class: 'toolbar' },
      button('Add to Incident', 'add', { type: 'addToIncident' }),
      button('Copy Fingerprint', 'copy', { type: 'copyFingerprint' }, true),
      button('Reveal in Errors', 'list-tree', { type: 'revealInTree' }, true),
    ),
    h('h2', {}, 'Occurrences over time'),
    histogram(c),
    h('h2', {}, 'Who and what it hits'),
    h('div', { class: 'ed-breakdowns' },
      breakdown('Users', c.users, c.distinctUsers, c.count),
      breakdown('Endpoints', c.endpoints, c.distinctEndpoints, c.count),
      breakdown('Services', c.services, undefined, c.count),
      breakdown('Versions', c.versions, undefined, c.count),
    ),
    h('h2', {}, 'Shared stack'),
    c.frames.length === 0
      ? h('p', { class: 'empty' }, 'These events carry no stack trace.')
      : h('ol', { class: 'ed-frames' }, ...c.frames.map((f, index) =>
          h('li', { class: f.inApp ? '' : 'ed-lib' },
            h('button', { class: 'link', onclick: () => bridge.send({ type: 'openFrame', index }), title: `Open ${f.file}${f.line !== undefined ? `:${f.line}` : ''}` }, f.function),
            ' ',
            h('span', { class: 'muted ed-mono' }, `${f.file}${f.line !== undefined ? `:${f.line}` : ''}`),
          ),
        )),
    h('h2', {}, 'Patterns'),
    c.patterns.length === 0 ? h('p', { class: 'empty' }, 'No spike, concentration or common frames found.') : h('ul', {}, ...c.patterns.map((p) => h('li', {}, h('strong', {}, p.type.replace('_', ' ')), ': ', p.description))),
    h('h2', {}, 'Hypothesis and suggested actions'),
    h('p', {}, c.hypothesis),
    h('ul', {}, ...c.actionItems.map((a) => h('li', {}, a))),
    h('h2', {}, 'Why these events are together'),
    h('ul', {}, ...c.reason.map((r) => h('li', { class: 'text' }, r))),
    h('h2', {}, `Samples (${c.samples.length})`),
    ...c.samples.map((sample, index) =>
      h('section', { class: 'ed-sample' },
        h('div', { class: 'meta' },
          sample.timestamp ? h('span', {}, icon('clock'), ' ', timeElement(sample.timestamp)) : null,
          sample.userId ? h('span', {}, icon('person'), ' ', sample.userId) : null,
          sample.endpoint ? h('span', {}, icon('globe'), ' ', sample.endpoint) : null,
          sample.service ? h('span', {}, icon('server'), ' ', sample.service) : null,
          sample.requestId ? h('span', { class: 'ed-mono' }, `request ${sample.requestId}`) : null,
          h('button', { class: 'link', onclick: () => bridge.send({ type: 'openSample', index }) }, `${sample.source}:${sample.line}`),
        ),
        sample.message && sample.text.indexOf(sample.message) === -1 ? h('p', { class: 'text' }, sample.message) : null,
        h('pre', { class: 'ed-trace' }, sample.text),
      ),
    ),
    h('p', { class: 'muted' }, `Sources: ${s.sources.join(', ') || '—'}`),
  );
}
