/**
 * The post-mortem as Markdown, with the seed's sections (Part 8 `generate_report`) plus Google SRE's trigger,
 * resolution, detection and "where we got lucky". Text from the document is escaped so it cannot turn into
 * headings, tables or HTML; evidence is linked by its path relative to the incident folder, which is where
 * postmortem.md is written.
 */
import { formatMinutes, responseMetrics } from './metrics';
import { MILESTONES, PRIORITY_RANK, type ActionItem, type PostMortem, type PostMortemEvidence, type TimelineEntry } from './types';

/** Inline text: no HTML, no emphasis or link syntax, no table breaks, one line. */
export function escapeInline(text: unknown): string {
  return String(text ?? '')
    .replace(/\r?\n+/g, ' ')
    .replace(/[\\`*_[\]<>|#]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`));
}

/** A paragraph: keeps line breaks, neutralises HTML and leading block syntax on each line. */
function escapeBlock(text: unknown): string {
  return String(text ?? '')
    .split(/\r?\n/)
    .map((line) => line.replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;')).replace(/^(\s*)([#>=-]|\d+\.|\|)/, '$1\\$2'))
    .join('\n');
}

function linkTarget(path: string): string {
  // Relative paths only; spaces and parentheses would end the link target. `file:42` (a line, as forensics
  // timelines link log lines) becomes `file#L42`, the anchor code hosts understand.
  const line = /^(.*?):(\d+)$/.exec(path);
  const file = line ? line[1]! : path;
  return file.replace(/\\/g, '/').split('/').map(encodeURIComponent).join('/') + (line ? `#L${line[2]}` : '');
}

function list(items: unknown): string {
  const xs = (Array.isArray(items) ? items : []).filter((x) => typeof x === 'string' && x.trim() !== '');
  return xs.length ? xs.map((x) => `- ${escapeInline(x)}`).join('\n') : '_None recorded._';
}

export function sortActionItems(items: readonly ActionItem[]): ActionItem[] {
  return [...items].sort(
    (a, b) =>
      (PRIORITY_RANK[a.priority ?? 'LOW'] ?? 4) - (PRIORITY_RANK[b.priority ?? 'LOW'] ?? 4) ||
      str(a.dueDate || '9999').localeCompare(str(b.dueDate || '9999')),
  );
}

function isUrlOrRelative(link: string): boolean {
  return /^https?:\/\//i.test(link) || (!/^[a-z][\w+.-]*:/i.test(link) && !link.startsWith('/'));
}

function linkOrText(label: string, link: string | undefined): string {
  if (!link || !isUrlOrRelative(link)) return escapeInline(label);
  return `[${escapeInline(label)}](${/^https?:/i.test(link) ? link.replace(/[()\s]/g, encodeURIComponent) : linkTarget(link)})`;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const arr = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]).filter((x) => x !== null && typeof x === 'object') : []);
const obj = <T extends object>(v: unknown): Partial<T> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as T) : {});

/** Renders whatever the file holds: wrong types render empty (the schema check reports them separately). */
export function renderMarkdown(pm: PostMortem): string {
  const out: string[] = [];
  out.push(`# Post-Mortem: ${escapeInline(pm.title)}`, '');
  const meta: [string, unknown][] = [
    ['Incident ID', pm.incidentId],
    ['Date', pm.date],
    ['Severity', pm.severity],
    ['Duration', typeof pm.durationMinutes === 'number' ? `${pm.durationMinutes} minutes` : undefined],
  ];
  for (const [k, v] of meta) if (v !== undefined && v !== '') out.push(`**${k}:** ${escapeInline(v)}  `);
  out.push('', '## Summary', '', str(pm.summary).trim() ? escapeBlock(pm.summary) : '_No summary yet._', '');

  out.push('## Impact', '');
  const impact = arr<{ key: unknown; value: unknown }>(pm.impact).filter((r) => r.key || r.value);
  out.push(impact.length ? impact.map((r) => `- **${escapeInline(r.key)}:** ${escapeInline(r.value)}`).join('\n') : '_No impact documented._', '');

  out.push('## Timeline', '');
  const timeline = arr<TimelineEntry>(pm.timeline).sort((a, b) => (Date.parse(str(a.timestamp)) || 0) - (Date.parse(str(b.timestamp)) || 0));
  if (timeline.length) {
    out.push('| Time (UTC) | Actor | Event | Action |', '| --- | --- | --- | --- |');
    for (const e of timeline) out.push(`| ${escapeInline(e.timestamp)} | ${escapeInline(e.actor ?? '')} | ${linkOrText(str(e.event), str(e.link))} | ${escapeInline(e.action ?? '')} |`);
  } else out.push('_No timeline documented._');
  out.push('');

  const ms = obj<NonNullable<PostMortem['milestones']>>(pm.milestones);
  if (MILESTONES.some((k) => ms[k])) {
    const metrics = responseMetrics(ms);
    out.push('## Detection and Response', '');
    for (const k of MILESTONES) if (ms[k]) out.push(`- **${k[0]!.toUpperCase()}${k.slice(1)}:** ${escapeInline(ms[k])}`);
    out.push('', `Time to detect (MTTD): ${formatMinutes(metrics.mttdMinutes)} · time to acknowledge (MTTA): ${formatMinutes(metrics.mttaMinutes)} · time to mitigate: ${formatMinutes(metrics.mttmMinutes)} · time to resolve (MTTR): ${formatMinutes(metrics.mttrMinutes)}`);
    for (const p of metrics.problems) out.push('', `> Note: ${escapeInline(p)}`);
    out.push('');
  }

  out.push('## Root Cause', '', str(pm.rootCause).trim() ? escapeBlock(pm.rootCause) : '_Not yet identified._', '');
  if (str(pm.trigger).trim()) out.push('## Trigger', '', escapeBlock(pm.trigger), '');
  if (str(pm.resolution).trim()) out.push('## Resolution', '', escapeBlock(pm.resolution), '');
  out.push('## Contributing Factors', '', list(pm.contributingFactors), '');
  out.push('## What Went Well', '', list(pm.whatWentWell), '');
  out.push('## What Went Wrong', '', list(pm.whatWentWrong), '');
  out.push('## Where We Got Lucky', '', list(pm.whereWeGotLucky), '');

  out.push('## Action Items', '');
  const items = sortActionItems(arr<ActionItem>(pm.actionItems).filter((a) => typeof a.description === 'string'));
  if (items.length) {
    out.push('| Priority | Action | Owner | Due | Status |', '| --- | --- | --- | --- | --- |');
    for (const a of items) {
      out.push(`| ${escapeInline(str(a.priority))} | ${linkOrText(a.description, str(a.link))} | ${str(a.owner) ? escapeInline(a.owner) : '_unassigned_'} | ${escapeInline(str(a.dueDate))} | ${escapeInline(str(a.status) || 'TODO')} |`);
    }
  } else out.push('_No action items._');
  out.push('');

  const evidence = arr<PostMortemEvidence>(pm.evidence).filter((e) => typeof e.path === 'string' && e.path !== '' && isUrlOrRelative(e.path));
  if (evidence.length) {
    out.push('## Evidence', '');
    for (const e of evidence) out.push(`- ${escapeInline(e.kind)}: [${escapeInline(e.path)}](${linkTarget(e.path)})${e.note ? ` — ${escapeInline(e.note)}` : ''}`);
    out.push('');
  }

  out.push('---', '', '## Review and Follow-up', '');
  const r = obj<NonNullable<PostMortem['review']>>(pm.review);
  const reviewers = Array.isArray(r.reviewers) ? r.reviewers.filter((x) => typeof x === 'string') : [];
  if (str(r.reviewedAt)) out.push(`- **Reviewed:** ${escapeInline(r.reviewedAt)}${reviewers.length ? ` by ${reviewers.map(escapeInline).join(', ')}` : ''}`);
  else out.push('- **Review:** this post-mortem should be reviewed by the team and approved by engineering leadership.');
  out.push(`- **Follow-up:** ${str(r.followUpAt) ? `review on ${escapeInline(r.followUpAt)}; ` : 'schedule a follow-up review 30 days after the incident closes; '}track action items to completion.`);
  if (str(r.notes).trim()) out.push('', escapeBlock(r.notes));
  out.push('');
  return out.join('\n');
}
