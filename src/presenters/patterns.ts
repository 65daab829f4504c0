/**
 * What the Patterns view shows, from a pattern report (pure: no VS Code): which patterns are visible under
 * a filter and a sort, and each row's label, description and tooltip text.
 *
 * Filter text: words must all appear in the template or a sample (case-insensitive); `level:ERROR` keeps
 * patterns with lines at that level, `service:NAME` those with lines from that service, `is:new` the new
 * ones and `is:jumped` those whose rate jumped.
 */
import type { PatternReport, PatternSummary } from '../core/patterns/analyzer';
import { formatRatio, levelMix, sparkline } from '../core/patterns/present';

export const PATTERN_SORTS = ['count', 'change', 'newest'] as const;
export type PatternSort = (typeof PATTERN_SORTS)[number];

export interface PatternFilter {
  words: string[];
  levels: string[];
  services: string[];
  onlyNew: boolean;
  onlyJumped: boolean;
}

export function parsePatternFilter(text: string): PatternFilter {
  const f: PatternFilter = { words: [], levels: [], services: [], onlyNew: false, onlyJumped: false };
  for (const raw of text.trim().split(/\s+/).filter(Boolean)) {
    const m = /^(level|service|is):(.+)$/i.exec(raw);
    if (!m) f.words.push(raw.toLowerCase());
    else if (m[1]!.toLowerCase() === 'level') f.levels.push(m[2]!.toUpperCase().replace(/^WARN$/, 'WARNING'));
    else if (m[1]!.toLowerCase() === 'service') f.services.push(m[2]!.toLowerCase());
    else if (m[2]!.toLowerCase() === 'new') f.onlyNew = true;
    else if (m[2]!.toLowerCase() === 'jumped') f.onlyJumped = true;
    else f.words.push(raw.toLowerCase());
  }
  return f;
}

export function matchesFilter(p: PatternSummary, f: PatternFilter): boolean {
  if (f.onlyNew && !p.isNew) return false;
  if (f.onlyJumped && !p.change?.jumped) return false;
  if (f.levels.length && !f.levels.some((l) => (p.levels[l] ?? 0) > 0)) return false;
  if (f.services.length && !f.services.some((s) => p.services.some((x) => x.value.toLowerCase().includes(s)))) return false;
  if (f.words.length) {
    const hay = [p.template, p.id, ...p.samples.map((s) => s.message)].join('\n').toLowerCase();
    if (!f.words.every((w) => hay.includes(w))) return false;
  }
  return true;
}

/** How much a pattern changed at the cut-off: new patterns first, then by rate ratio. */
function changeScore(p: PatternSummary): number {
  if (p.isNew) return Number.MAX_VALUE / 2 + p.count;
  const r = p.change?.ratio;
  return r === undefined || r === null ? 0 : Number.isFinite(r) ? r : Number.MAX_VALUE / 4;
}

export function visiblePatterns(report: PatternReport | undefined, filterText: string, sort: PatternSort): PatternSummary[] {
  if (!report) return [];
  const f = parsePatternFilter(filterText);
  const list = report.patterns.filter((p) => matchesFilter(p, f));
  if (sort === 'change') list.sort((a, b) => changeScore(b) - changeScore(a) || b.count - a.count);
  else if (sort === 'newest') list.sort((a, b) => (b.firstSeen ?? '').localeCompare(a.firstSeen ?? '') || b.count - a.count);
  return list;
}

function pct(share: number): string {
  return share >= 0.001 ? `${(share * 100).toFixed(1)}%` : share > 0 ? '<0.1%' : '0%';
}

function when(iso: string | undefined): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : 'no time';
}

export interface PatternRow {
  label: string;
  description: string;
  /** Plain text lines for the tooltip (the host renders them as text, never as markup). */
  tooltip: string[];
  badge?: 'new' | 'jumped';
}

export function patternRow(p: PatternSummary): PatternRow {
  const badge = p.isNew ? 'new' : p.change?.jumped ? 'jumped' : undefined;
  const flag = badge === 'new' ? 'NEW · ' : badge === 'jumped' ? `${formatRatio(p.change!.ratio)} · ` : '';
  const spark = p.timeline ? ` ${sparkline(p.timeline.counts, 16)}` : '';
  const label = p.template.length > 160 ? `${p.template.slice(0, 159)}…` : p.template || '(empty message)';
  const tooltip = [
    p.template,
    `${p.count.toLocaleString('en-US')} lines (${pct(p.share)}), ${p.signatures} distinct masked message${p.signatures === 1 ? '' : 's'}`,
    `First ${when(p.firstSeen)}, last ${when(p.lastSeen)}`,
    `Levels: ${levelMix(p.levels)}`,
  ];
  if (p.services.length) tooltip.push(`Services: ${p.services.map((s) => `${s.value} ${s.count}`).join(', ')}`);
  if (p.versions.length) tooltip.push(`Releases: ${p.versions.map((s) => `${s.value} ${s.count}`).join(', ')}`);
  if (p.change) tooltip.push(`Rate per minute before the cut-off ${p.change.before}, after ${p.change.after}${p.isNew ? ' (new after the cut-off)' : p.change.jumped ? ' (jumped)' : ''}`);
  if (p.rule) tooltip.push(`Shaped by grouping rule "${p.rule}"`);
  tooltip.push(`Id ${p.id}`);
  return { label, description: `${flag}${p.count.toLocaleString('en-US')} · ${pct(p.share)}${spark}`, tooltip, ...(badge ? { badge } : {}) };
}

/** One line over the view: what was read, what was skipped, the cut-off. */
export function patternsMessage(report: PatternReport, filterText: string, shown: number): string {
  const parts = [`${report.patterns.length.toLocaleString('en-US')} patterns in ${report.records.toLocaleString('en-US')} records (${report.lines.toLocaleString('en-US')} lines)`];
  if (report.cutoff) parts.push(`${report.patterns.filter((p) => p.isNew).length} new since ${report.cutoff.label} (${when(report.cutoff.at)})`);
  const skipped = report.skipped.filter((s) => s.reason !== 'notUtf8' && s.reason !== 'truncatedTraceback');
  if (skipped.length) parts.push(skipped.map((s) => s.message).join('; '));
  if (report.capped) parts.push(`table full at ${report.signatures.toLocaleString('en-US')} distinct messages: ${report.capped.toLocaleString('en-US')} lines counted with the closest`);
  if (filterText.trim()) parts.push(`filter "${filterText.trim()}": ${shown} shown`);
  return parts.join(' · ');
}
