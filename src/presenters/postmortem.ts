/**
 * The form's snapshot from a checked document (pure: no vscode, so the benchmark and tests use it as is).
 * Bounded whatever the file size: the timeline is sent as the rows the form shows, long lists are cut.
 */
import type { PostmortemCheck } from '../core/postmortem/check';
import { RowIdentities } from '../core/postmortem/formRows';
import { lintContext } from '../core/postmortem/lint';
import { responseMetrics } from '../core/postmortem/metrics';
import type { PostMortem } from '../core/postmortem/types';
import type { PostmortemSnapshot, TimelineView } from '../protocol/postmortem';
import schema from '../../schemas/postmortem.schema.json';

/** The form's choices come from the schema, so a new enum value there shows up in the form. */
const props = schema.properties as Record<string, { enum?: string[]; items?: { properties?: Record<string, { enum?: string[] }> } }>;
export const ENUMS: PostmortemSnapshot['enums'] = {
  severity: props.severity?.enum ?? [],
  priority: props.actionItems?.items?.properties?.priority?.enum ?? [],
  status: props.actionItems?.items?.properties?.status?.enum ?? [],
};

export const DEFAULT_TIMELINE_VIEW: TimelineView = { sortKey: '', desc: false, limit: 100 };
/** Lists longer than this are cut in the form (the text editor has the rest). */
export const LIST_LIMIT = 500;

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const time = (v: unknown): number => Date.parse(str(v)) || 0;

/**
 * `rows` keeps the ids of list rows from one snapshot to the next (one per form); brought up to this version
 * here, so the ids sent are the ones the host resolves the form's changes with.
 */
export function buildSnapshot(
  check: PostmortemCheck,
  base: { version: number; fileName: string; today: string; incidentEvents?: number },
  view: TimelineView = DEFAULT_TIMELINE_VIEW,
  rows: RowIdentities = new RowIdentities(),
): PostmortemSnapshot {
  const common = { ...base, ackSeq: 0, enums: ENUMS, ...(base.incidentEvents === undefined ? {} : { incidentEvents: base.incidentEvents }) };
  if (!check.value) {
    const first = check.parsed.syntaxErrors[0] ?? check.schemaProblems[0];
    return {
      ...common,
      state: 'invalid',
      error: first ? { line: first.line, column: first.column, message: first.message } : { line: 1, column: 1, message: 'The file is not a JSON object.' },
      problems: [],
      lint: [],
      lintTotal: 0,
      metrics: { problems: [] },
      timeline: { rows: [], total: 0, sortedInFile: true, view },
      rows: {},
      lintContext: { names: [], allowOutage: false },
      lengths: {},
      truncated: [],
    };
  }
  const value = check.value as Record<string, unknown>;
  rows.update(base.version, value);
  const all = Array.isArray(value.timeline) ? (value.timeline as unknown[]) : [];
  const order = all.map((_, i) => i);
  if (view.sortKey) {
    const k = view.sortKey;
    const entry = (i: number) => (all[i] && typeof all[i] === 'object' ? (all[i] as Record<string, unknown>) : {});
    const keyOf = (i: number): number | string => (k === 'timestamp' ? time(entry(i)[k]) : str(entry(i)[k]).toLowerCase());
    const keys = order.map(keyOf);
    order.sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b) * (view.desc ? -1 : 1));
  }
  const shown = order.slice(0, Math.max(1, view.limit));
  const shownSet = new Set(shown);
  let sortedInFile = true;
  for (let i = 1; i < all.length && sortedInFile; i++) {
    if (time((all[i - 1] as Record<string, unknown> | undefined)?.timestamp) > time((all[i] as Record<string, unknown> | undefined)?.timestamp)) sortedInFile = false;
  }
  const document: Record<string, unknown> = {};
  const lengths: Record<string, number> = {};
  const truncated: PostmortemSnapshot['truncated'] = [];
  const rowRefs: PostmortemSnapshot['rows'] = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'timeline') continue;
    if (Array.isArray(v)) {
      lengths[key] = v.length;
      rowRefs[key] = rows.ids(key).slice(0, LIST_LIMIT);
      if (v.length > LIST_LIMIT) {
        truncated.push({ key, shown: LIST_LIMIT, total: v.length });
        document[key] = v.slice(0, LIST_LIMIT);
        continue;
      }
    }
    document[key] = v;
  }
  lengths.timeline = all.length;
  const visible = (path: (string | number)[]) =>
    path[0] === 'timeline' ? shownSet.has(path[1] as number) : !(typeof path[1] === 'number' && truncated.some((t) => t.key === path[0] && (path[1] as number) >= t.shown));
  const lint = check.lint.filter((f) => visible(f.path)).map(({ path, field, rule, text, explanation, suggestion }) => ({ path, field, rule, text, explanation, suggestion }));
  const milestones = value.milestones && typeof value.milestones === 'object' && !Array.isArray(value.milestones) ? (value.milestones as Record<string, string>) : undefined;
  return {
    ...common,
    state: 'ok',
    document,
    problems: check.schemaProblems.slice(0, 200).map(({ line, column, message, pointer }) => ({ line, column, message, pointer })),
    lint,
    lintTotal: check.lint.length,
    metrics: responseMetrics(milestones),
    timeline: {
      rows: shown.map((index) => ({ index, id: rows.id('timeline', index)!, entry: all[index] && typeof all[index] === 'object' && !Array.isArray(all[index]) ? (all[index] as Record<string, unknown>) : {} })),
      total: all.length,
      sortedInFile,
      view,
    },
    rows: rowRefs,
    lintContext: lintContext(value as PostMortem),
    lengths,
    truncated,
  };
}
