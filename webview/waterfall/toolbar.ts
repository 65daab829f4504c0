import { formatDuration, type WaterfallView } from '../../src/core/traces/waterfallView';
import { FLAG, type WaterfallIntent } from '../../src/protocol/waterfall';
import { h, icon, replaceChildren } from '../shared/dom';

export interface FilterActions {
  /** The view's filters changed: lay out and draw again. */
  changed(): void;
  /** Ask the host which rows match an attribute query (the page has no attributes). */
  askAttribute(query: string): void;
  resetZoom(): void;
}

/**
 * The filter controls above the rows: text, attribute, service, minimum duration, errors and critical path
 * only, and the zoom state. Each control changes the view's filters; the page lays out and draws.
 */
export class FilterBar {
  readonly element: HTMLElement;
  private readonly serviceSelect = h('select', { 'aria-label': 'Service' });
  private readonly zoomLabel = h('span', { class: 'muted' });
  private readonly resetZoom = h('button', { class: 'link', onclick: () => this.actions.resetZoom() }, 'Reset zoom');

  constructor(
    private readonly view: WaterfallView,
    private readonly actions: FilterActions,
  ) {
    const searchInput = h('input', { type: 'search', class: 'wf-search', placeholder: 'Filter: words in name/service, -word excludes', 'aria-label': 'Filter spans by text' });
    searchInput.addEventListener('input', () => this.filter({ text: searchInput.value.trim() }));
    const attrInput = h('input', { type: 'search', class: 'wf-attr', placeholder: 'Attribute: key=value, key~text, key', 'aria-label': 'Filter spans by attribute' });
    attrInput.addEventListener('change', () => {
      const query = attrInput.value.trim();
      if (view.setAttributeQuery(query)) actions.changed();
      else actions.askAttribute(query);
    });
    this.serviceSelect.addEventListener('change', () => this.filter({ service: Number(this.serviceSelect.value) }));
    const minInput = h('input', { type: 'number', min: 0, step: 'any', class: 'wf-min', placeholder: 'min ms', 'aria-label': 'Minimum duration in milliseconds' });
    minInput.addEventListener('input', () => this.filter({ minMs: Number(minInput.value) || 0 }));
    this.resetZoom.hidden = true;
    this.element = h('div', { class: 'wf-toolbar' },
      searchInput,
      attrInput,
      this.serviceSelect,
      minInput,
      this.flagToggle('Errors only', FLAG.error),
      this.flagToggle('Critical path only', FLAG.critical),
      this.zoomLabel,
      this.resetZoom,
    );
  }

  private filter(change: Parameters<WaterfallView['setFilters']>[0]): void {
    this.view.setFilters(change);
    this.actions.changed();
  }

  private flagToggle(label: string, bit: number): HTMLElement {
    const box = h('input', { type: 'checkbox' });
    box.addEventListener('change', () => {
      const flags = this.view.filters.requireFlags;
      this.filter({ requireFlags: box.checked ? flags | bit : flags & ~bit });
    });
    return h('label', { class: 'wf-toggle' }, box, ` ${label}`);
  }

  /** The trace's services (the empty name is the synthetic root's). */
  setServices(services: readonly string[]): void {
    replaceChildren(this.serviceSelect, h('option', { value: -1 }, 'All services'), ...services.map((name, i) => h('option', { value: i }, name || '(synthetic)')));
    this.serviceSelect.value = String(this.view.filters.service);
  }

  /** Shows the zoomed window, or nothing for the whole trace. */
  showWindow(): void {
    const whole = this.view.wholeTrace;
    this.zoomLabel.textContent = whole ? '' : `Zoomed: ${formatDuration(this.view.window.from)} – ${formatDuration(this.view.window.to)}`;
    this.resetZoom.hidden = whole;
  }
}

/**
 * A small button that sends one intent: its icon always, its words when the editor is wide enough (the
 * rows get the height a narrow group would lose to a second line of buttons); the words are its name.
 */
export function compactAction(send: (intent: WaterfallIntent) => void, label: string, codicon: string, intent: WaterfallIntent): HTMLElement {
  return h('button', { class: 'wf-action', type: 'button', title: label, 'aria-label': label, onclick: () => send(intent) }, icon(codicon), h('span', { class: 'wf-action-label', 'aria-hidden': 'true' }, label));
}

/** A button that sends one intent. */
export function action(send: (intent: WaterfallIntent) => void, label: string, codicon: string, intent: WaterfallIntent, secondary = true): HTMLElement {
  return h('vscode-button', { icon: codicon, secondary, onclick: () => send(intent) }, label);
}
