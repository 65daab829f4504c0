/** The post-mortem form (a custom text editor over postmortem.json): what the host sends, what the form asks. */

import type { Position } from '../core/json/positions';
import type { LintFinding } from '../core/postmortem/lint';
import type { ResponseMetrics } from '../core/postmortem/metrics';
import type { FileProblem } from '../core/validation/problems';

export const POSTMORTEM_VIEW_TYPE = 'incidentWorkbench.postmortem';

/** A JSON path into the post-mortem document, as the lint findings name their strings. */
export type JsonPath = LintFinding['path'];

export interface PostmortemSnapshot {
  /** TextDocument version the snapshot was computed from. */
  version: number;
  /** `ok`: a JSON object (schema problems are listed); `invalid`: not parseable — the form is read-only. */
  state: 'ok' | 'invalid';
  fileName: string;
  /** The first syntax error, for the banner. */
  error?: Position & { message: string };
  document?: Record<string, unknown>;
  problems: Pick<FileProblem, 'line' | 'column' | 'message' | 'pointer'>[];
  lint: Pick<LintFinding, 'path' | 'field' | 'rule' | 'text' | 'explanation' | 'suggestion'>[];
  metrics: ResponseMetrics;
  /** YYYY-MM-DD in the user's time zone, for overdue highlighting. */
  today: string;
  /** Events in the incident's timeline that can be imported, or undefined when incident.json is unusable. */
  incidentEvents?: number;
  /**
   * The timeline is sent as the rows the form shows (sorted and limited as the form asked), never whole: a
   * 5 MB file must not cost a 5 MB message per keystroke. `document.timeline` is absent.
   */
  timeline: { rows: { index: number; id: string; entry: Record<string, unknown> }[]; total: number; sortedInFile: boolean; view: TimelineView };
  /**
   * Row ids of the other top-level lists of `document`, index by index (as cut). A change to a row names it by
   * id, so it lands on that row wherever it moved, or is refused when the row is gone or changed.
   */
  rows: Record<string, string[]>;
  /** What the form needs to lint a field while it is typed, as the whole-document lint does. */
  lintContext: { names: string[]; allowOutage: boolean };
  /** Other long lists are cut to their first entries; `lengths` has their real sizes. */
  lengths: Record<string, number>;
  truncated: { key: string; shown: number; total: number }[];
  /** All findings; `lint` lists those outside the timeline and those of the shown timeline rows. */
  lintTotal: number;
  /** The `seq` of the last change from this page the host has handled (applied or refused); 0 before any. */
  ackSeq: number;
  /** Allowed values, from schemas/postmortem.schema.json. */
  enums: { severity: string[]; priority: string[]; status: string[] };
}

export interface TimelineView {
  sortKey: '' | 'timestamp' | 'event' | 'actor' | 'action';
  desc: boolean;
  limit: number;
}

/**
 * A change of one value, made against the document `version` the form showed. `path[1]`, when a number, is
 * the row's index then; `row` is that row's id. `was` is the value the form showed at `path` (the whole row
 * for a row's removal; null for nothing). `seq` numbers the page's changes, so a refusal can name its change.
 */
export interface ChangeBase {
  version: number;
  path: JsonPath;
  row?: string;
  was?: unknown;
  seq?: number;
}

export type PostmortemIntent =
  | (ChangeBase & { type: 'set'; value: unknown })
  | (ChangeBase & { type: 'remove' })
  /** Adds at the end of a top-level list (created when missing); the host knows its real length. */
  | { type: 'append'; key: string; value: unknown }
  | { type: 'timelineView'; view: TimelineView }
  | { type: 'sortTimeline' }
  | { type: 'importIncidentEvents' }
  | { type: 'importTimelineFile' }
  | { type: 'openAsText'; line?: number; column?: number }
  | { type: 'openEvidence'; path: string }
  | { type: 'export' };

/** Host → page: a change was not applied (the snapshot that follows shows the document as it is). */
export interface RefusedEvent {
  type: 'refused';
  seq: number;
  message: string;
}
export type PostmortemEvent = RefusedEvent;

export function isPostmortemEvent(m: { type: string }): m is PostmortemEvent {
  const x = m as Record<string, unknown>;
  return m.type === 'refused' && typeof x.seq === 'number' && typeof x.message === 'string';
}

const INTENTS = new Set(['set', 'remove', 'append', 'timelineView', 'sortTimeline', 'importIncidentEvents', 'importTimelineFile', 'openAsText', 'openEvidence', 'export']);

function isPath(p: unknown): p is JsonPath {
  return Array.isArray(p) && p.length > 0 && p.length < 16 && p.every((x) => typeof x === 'string' || (typeof x === 'number' && Number.isInteger(x) && x >= 0));
}

/** A change names its version; one through a row of a list names the row too. */
function isChange(x: Record<string, unknown>): boolean {
  if (!isPath(x.path) || typeof x.version !== 'number' || !Number.isInteger(x.version)) return false;
  if (x.seq !== undefined && typeof x.seq !== 'number') return false;
  if (typeof (x.path as JsonPath)[1] === 'number' && typeof x.row !== 'string') return false;
  return x.row === undefined || typeof x.row === 'string';
}

/** Checks the shape of a message from the page before the host acts on it. */
export function isPostmortemIntent(m: { type: string }): m is PostmortemIntent {
  if (!INTENTS.has(m.type)) return false;
  const x = m as Record<string, unknown>;
  switch (m.type) {
    case 'set':
      return isChange(x) && 'value' in x;
    case 'remove':
      return isChange(x);
    case 'openEvidence':
      return typeof x.path === 'string';
    case 'append':
      return typeof x.key === 'string' && x.key.length > 0 && 'value' in x;
    case 'timelineView': {
      const v = x.view as Record<string, unknown> | undefined;
      return !!v && ['', 'timestamp', 'event', 'actor', 'action'].includes(v.sortKey as string) && typeof v.desc === 'boolean' && typeof v.limit === 'number' && v.limit > 0;
    }
    default:
      return true;
  }
}
