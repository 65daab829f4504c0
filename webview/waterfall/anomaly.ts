import { formatValue } from '../../src/core/traces/waterfallView';
import type { AnomalyReport } from '../../src/protocol/waterfall';
import { h, replaceChildren } from '../shared/dom';

/** What happened around the anomaly of one metric of the band (the host's answer to "Analyze anomaly"). */
export class AnomalyPane {
  readonly element = h('section', { class: 'wf-anomaly' });
  report: AnomalyReport | undefined;

  show(report: AnomalyReport | undefined): void {
    this.report = report;
    this.render();
  }

  render(): void {
    const a = this.report;
    if (!a) {
      replaceChildren(this.element);
      return;
    }
    replaceChildren(
      this.element,
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
}
