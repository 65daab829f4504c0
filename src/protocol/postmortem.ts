/** The post-mortem form (a custom text editor over postmortem.json): what the host sends, what the form asks. */

export const POSTMORTEM_VIEW_TYPE = 'incidentWorkbench.postmortem';

export type JsonPath = (string | number)[];

export interface PostmortemSnapshot {
  /** TextDocument version the snapshot was computed from. */
  version: number;
  /** `ok`: a JSON object (schema problems are listed); `invalid`: not parseable — the form is read-only. */
  state: 'ok' | 'invalid';
  fileName: string;
  /** The first syntax error, for the banner. */
  error?: { line: number; column: number; message: string };
  document?: Record<string, unknown>;
  problems: { line: number; column: number; message: string; pointer: string }[];
  lint: { path: JsonPath; field: string; rule: string; text: string; explanation: string; suggestion: string }[];
  metrics: { mttdMinutes?: number; mttaMinutes?: number; mttmMinutes?: number; mttrMinutes?: number; problems: string[] };
  /** YYYY-MM-DD in the user's time zone, for overdue highlighting. */
  today: string;
  /** Events in the incident's timeline that can be imported, or undefined when incident.json is unusable. */
  incidentEvents?: number;
}

export type PostmortemIntent =
  | { type: 'set'; path: JsonPath; value: unknown }
  | { type: 'remove'; path: JsonPath }
  | { type: 'insert'; path: JsonPath; index: number; value: unknown }
  | { type: 'importIncidentEvents' }
  | { type: 'importTimelineFile' }
  | { type: 'openAsText'; line?: number; column?: number }
  | { type: 'openEvidence'; path: string }
  | { type: 'export' };

const INTENTS = new Set(['set', 'remove', 'insert', 'importIncidentEvents', 'importTimelineFile', 'openAsText', 'openEvidence', 'export']);

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
    default:
      return true;
  }
}
