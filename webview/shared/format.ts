/** How numbers and times read on every page: typographic minus, short ISO times with the full value at hand. */
import { h } from './dom';

/** "-1.5" → "−1.5": a minus sign, not a hyphen, wherever a number is negative (after a start, space or bracket). */
export function minus(text: string): string {
  return text.replace(/(^|[\s([=:,])-(?=[\d.∞])/g, '$1\u2212');
}

/**
 * An ISO 8601 timestamp as "2026-11-01 10:02 UTC" (seconds only when not :00), which does not wrap in the
 * middle of a date; text that is not a timestamp comes back as it is.
 */
export function shortTime(iso: string): string {
  const t = Date.parse(iso);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso) || Number.isNaN(t)) return iso;
  const d = new Date(t).toISOString();
  const seconds = d.slice(17, 19);
  return `${d.slice(0, 10)} ${d.slice(11, 16)}${seconds === '00' ? '' : `:${seconds}`} UTC`;
}

/** A `<time>` showing `shortTime`, with the full value as its tooltip and machine-readable datetime. */
export function timeElement(iso: string): HTMLElement {
  const short = shortTime(iso);
  return short === iso ? h('span', {}, iso) : h('time', { datetime: iso, title: iso, class: 'nowrap' }, short);
}
