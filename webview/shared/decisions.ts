/** Formatting and controls shared by the decision apps (abtest, rollback, mlmodel). */
import { h } from './dom';

/** Loads media/decisions.css next to the shared stylesheet (same origin, so the CSP allows it). */
export function loadDecisionsCss(): void {
  const shared = document.querySelector<HTMLLinkElement>('link[href*="webview.css"]');
  if (shared && !document.querySelector('link[data-decisions]')) {
    document.head.appendChild(h('link', { rel: 'stylesheet', href: shared.href.replace('webview.css', 'decisions.css'), 'data-decisions': 'true' }));
  }
}

export const pct = (x: number | null | undefined, digits = 1): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(digits)} %`);
export const pp = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(2)} pp` : '—');
export const int = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '—');

export function button(label: string, codicon: string, onclick: () => void, options: { secondary?: boolean; disabled?: boolean; title?: string } = {}): HTMLElement {
  return h('vscode-button', { icon: codicon, secondary: options.secondary, disabled: options.disabled, title: options.title, onclick: () => !options.disabled && onclick() }, label);
}
