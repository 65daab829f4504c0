import { formatSeriesValue } from '../../src/core/metrics/units';
import type { AnomalyReport } from '../../src/protocol/waterfall';
import { h, replaceChildren, tableWrap } from '../shared/dom';
import { shortTime, timeElement } from '../shared/format';

/** A share as a bar and its percentage, for the BubbleUp table (read at a glance, not as a paragraph). */
function shareBar(share: number, kind: 'outlier' | 'baseline'): HTMLElement {
  const bar = h('span', { class: `wf-share-bar ${kind}` });
  bar.style.width = `${Math.round(Math.max(0, Math.min(1, share)) * 100)}%`;
  return h('span', { class: 'wf-share' }, h('span', { class: 'wf-share-track', 'aria-hidden': 'true' }, bar), h('span', { class: 'wf-share-text' }, `${Math.round(share * 100)} %`));
}

/**
 * What happened around the anomaly of one metric of the band (the host's answer to "Analyze anomaly"):
 * the peak and baseline in the series' unit, times as short UTC with the full value in a tooltip, the
 * errors and clusters as lists, and BubbleUp as a table of bars, most different attribute first.
 */
export class AnomalyPane {
  readonly element = h('section', { class: 'wf-anomaly', 'aria-label': 'Anomaly' });
  report: AnomalyReport | undefined;

  show(report: AnomalyReport | undefined): void {
    this.report = report;
    this.render();
    if (report) this.element.scrollIntoView({ block: 'start' });
  }

  render(): void {
    const a = this.report;
    if (!a) {
      replaceChildren(this.element);
      this.element.hidden = true;
      return;
    }
    this.element.hidden = false;
    const value = (v: number | null | undefined) => formatSeriesValue(v ?? null, a.unit);
    const peakAt = a.peakTime ?? a.anomalyTime;
    const left = a.startTime === undefined
      ? h('li', {}, 'Left its baseline: not found in the window.')
      : a.startTime === peakAt
        ? h('li', {}, 'Left its baseline: within one scrape of the peak, at ', timeElement(a.startTime), '.')
        : h('li', {}, 'Left its baseline at ', timeElement(a.startTime), ', peaked ', timeElement(peakAt), '.');
    replaceChildren(
      this.element,
      h('h2', {}, 'Around the anomaly of ', h('span', { class: 'mono' }, a.series)),
      h('ul', { class: 'wf-facts' },
        h('li', {}, h('strong', {}, 'Peak '), a.peakValue === undefined ? '?' : value(a.peakValue), ' at ', timeElement(peakAt), '.'),
        h('li', {}, h('strong', {}, 'Baseline '), `median ${value(a.baselineMedian)}.`),
        left,
        h('li', {}, `Window: ±${a.windowMinutes} min around ${shortTime(a.anomalyTime)}.`),
        h('li', {}, `${a.errorCount} error log${a.errorCount === 1 ? '' : 's'}; ${a.failedTraces} failed of ${a.tracesInWindow} trace${a.tracesInWindow === 1 ? '' : 's'}.`),
        h('li', {}, `Services: ${a.servicesInvolved.join(', ') || 'none'}.`),
      ),
      a.topErrors.length ? h('h3', {}, 'Most frequent errors') : null,
      a.topErrors.length ? h('ul', {}, ...a.topErrors.map((e) => h('li', {}, h('span', { class: 'wf-count' }, `${e.count} ×`), ' ', e.message))) : null,
      a.correlatedErrors.length ? h('h3', {}, 'Errors clustered in these minutes') : null,
      a.correlatedErrors.length
        ? h('ul', { class: 'wf-clusters' }, ...a.correlatedErrors.map((c) =>
            h('li', {},
              timeElement(c.start), ' – ', timeElement(c.end), `: ${c.errorCount} error${c.errorCount === 1 ? '' : 's'} in ${c.services.join(', ') || 'no service'}`,
              c.uniqueErrors.length ? h('ul', {}, ...c.uniqueErrors.map((u) => h('li', {}, h('span', { class: 'wf-count' }, `${u.count} ×`), ' ', u.message))) : null)))
        : null,
      a.bubbleUp.length ? h('h3', {}, 'What differs in slow or failed spans (BubbleUp)') : null,
      a.bubbleUp.length
        ? tableWrap(h('table', { class: 'wf-bubbleup' },
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Attribute'), h('th', { scope: 'col', class: 'num' }, 'Difference'), h('th', { scope: 'col' }, 'Value'), h('th', { scope: 'col' }, 'Slow or failed'), h('th', { scope: 'col' }, 'The rest'))),
            ...a.bubbleUp.map((b) =>
              h('tbody', {}, ...b.values.slice(0, 5).map((v, i) =>
                h('tr', {},
                  i === 0 ? h('th', { scope: 'rowgroup', rowspan: Math.min(5, b.values.length), class: 'mono' }, b.attribute) : null,
                  i === 0 ? h('td', { rowspan: Math.min(5, b.values.length), class: 'num' }, `${Math.round(b.score * 100)} pp`) : null,
                  h('td', { class: 'mono' }, v.value),
                  h('td', {}, shareBar(v.outlierShare, 'outlier')),
                  h('td', {}, shareBar(v.baselineShare, 'baseline')))))),
          ), 'BubbleUp')
        : null,
    );
  }
}
