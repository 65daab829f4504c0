/**
 * FireHydrant-style milestones: Started → Detected → Acknowledged → Mitigated → Resolved.
 *   MTTD (time to detect)      = detected − started
 *   MTTA (time to acknowledge) = acknowledged − detected
 *   MTTM (time to mitigate)    = mitigated − started
 *   MTTR (time to resolve)     = resolved − started
 * For one incident these are durations; across incidents the action-items view and reports average them.
 */
import { MILESTONES, type Milestone, type PostMortem } from './types';

export interface ResponseMetrics {
  mttdMinutes?: number;
  mttaMinutes?: number;
  mttmMinutes?: number;
  mttrMinutes?: number;
  /** Milestones that are out of order or unparseable, in words. */
  problems: string[];
}

function minutesBetween(from: string | undefined, to: string | undefined): number | undefined {
  if (!from || !to) return undefined;
  const a = Date.parse(from);
  const b = Date.parse(to);
  if (Number.isNaN(a) || Number.isNaN(b)) return undefined;
  return Math.round(((b - a) / 60000) * 10) / 10;
}

export function responseMetrics(milestones: PostMortem['milestones']): ResponseMetrics {
  const m = milestones ?? {};
  const problems: string[] = [];
  const present = MILESTONES.filter((k) => typeof m[k] === 'string' && m[k] !== '');
  for (const k of present) if (Number.isNaN(Date.parse(m[k]!))) problems.push(`${k} is not a date and time (${m[k]})`);
  for (let i = 1; i < present.length; i++) {
    const prev = present[i - 1]!;
    const cur = present[i]!;
    const a = Date.parse(m[prev]!);
    const b = Date.parse(m[cur]!);
    if (!Number.isNaN(a) && !Number.isNaN(b) && b < a) problems.push(`${cur} (${m[cur]}) is before ${prev} (${m[prev]})`);
  }
  const out: ResponseMetrics = { problems };
  const put = (key: keyof Omit<ResponseMetrics, 'problems'>, from: Milestone, to: Milestone) => {
    const v = minutesBetween(m[from], m[to]);
    if (v !== undefined && v >= 0) out[key] = v;
  };
  put('mttdMinutes', 'started', 'detected');
  put('mttaMinutes', 'detected', 'acknowledged');
  put('mttmMinutes', 'started', 'mitigated');
  put('mttrMinutes', 'started', 'resolved');
  return out;
}

/** "1 h 5 min", "42 min", "3 d 2 h": short durations for forms and reports. */
export function formatMinutes(minutes: number | undefined): string {
  if (minutes === undefined) return '—';
  if (minutes < 1) return `${Math.round(minutes * 60)} s`;
  const total = Math.round(minutes);
  const d = Math.floor(total / 1440);
  const h = Math.floor((total % 1440) / 60);
  const min = total % 60;
  if (d > 0) return `${d} d${h ? ` ${h} h` : ''}`;
  if (h > 0) return `${h} h${min ? ` ${min} min` : ''}`;
  return `${min} min`;
}
