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
  timeline: { rows: { index: number; entry: Record<string, unknown> }[]; total: number; sortedInFile: boolean; view: TimelineView };
  /** Other long lists are cut to their first entries; `lengths` has their real sizes. */
  lengths: Record<string, number>;
  truncated: { key: string; shown: number; total: number }[];
  /** All findings; `lint` lists those outside the timeline and those of the shown timeline rows. */
  lintTotal: number;
  /** Allowed values, from schemas/postmortem.schema.json. */
  enums: { severity: string[]; priority: string[]; status: string[] };
}

export interface TimelineView {
  sortKey: '' | 'timestamp' | 'event' | 'actor' | 'action';
  desc: boolean;
  limit: number;
}

export type PostmortemIntent =
  | { type: 'set'; path: JsonPath; value: unknown }
  | { type: 'remove'; path: JsonPath }
  | { type: 'insert'; path: JsonPath; index: number; value: unknown }
  /** Adds at the end of a top-level list (created when missing); the host knows its real length. */
  | { type: 'append'; key: string; value: unknown }
  | { type: 'timelineView'; view: TimelineView }
  | { type: 'sortTimeline' }
  | { type: 'importIncidentEvents' }
  | { type: 'importTimelineFile' }
  | { type: 'openAsText'; line?: number; column?: number }
  | { type: 'openEvidence'; path: string }
  | { type: 'export' };

const INTENTS = new Set(['set', 'remove', 'insert', 'append', 'timelineView', 'sortTimeline', 'importIncidentEvents', 'importTimelineFile', 'openAsText', 'openEvidence', 'export']);

function isPath(p: unknown): p is JsonPath {
  return Array.isArray(p) && p.length > 0 && p.length < 16 && p.every((x) => typeof x === 'string' || (typeof x === 'number' && Number.isInteger(x) && x >= 0));
}

/** Checks the shape of a message from the page before the host acts on it. */
export function isPostmortemIntent(m: { type: string }): m is PostmortemIntent {
  if (!INTENTS.has(m.type)) return false;
  const x = m as Record<string, unknown>;
  switch (m.type) {
    case 'set':
      return isPath(x.path) && 'value' in x;
    case 'remove':
      return isPath(x.path);
    case 'insert':
      return isPath(x.path) && typeof x.index === 'number' && Number.isInteger(x.index) && x.index >= 0 && 'value' in x;
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
