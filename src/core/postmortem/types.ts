/** The shape of `.incidents/<id>/postmortem.json` (schemas/postmortem.schema.json is the authority). */

export const PRIORITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const ACTION_STATUSES = ['TODO', 'IN_PROGRESS', 'DONE'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export const MILESTONES = ['started', 'detected', 'acknowledged', 'mitigated', 'resolved'] as const;
export type Milestone = (typeof MILESTONES)[number];

export interface TimelineEntry {
  timestamp: string;
  event: string;
  actor?: string;
  action?: string;
  link?: string;
  [unknownField: string]: unknown;
}

export interface ActionItem {
  description: string;
  owner?: string;
  dueDate?: string;
  priority?: Priority;
  status?: ActionStatus;
  link?: string;
  [unknownField: string]: unknown;
}

export interface PostMortemEvidence {
  kind: string;
  /** Relative to the incident folder, which is where postmortem.md is written: links work as they are. */
  path: string;
  note?: string;
}

export interface PostMortem {
  title: string;
  incidentId: string;
  date?: string;
  severity?: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';
  durationMinutes?: number;
  summary?: string;
  impact?: { key: string; value: string }[];
  timeline?: TimelineEntry[];
  rootCause?: string;
  trigger?: string;
  resolution?: string;
  contributingFactors?: string[];
  whatWentWell?: string[];
  whatWentWrong?: string[];
  whereWeGotLucky?: string[];
  actionItems?: ActionItem[];
  milestones?: Partial<Record<Milestone, string>>;
  evidence?: PostMortemEvidence[];
  review?: { reviewedAt?: string; reviewers?: string[]; followUpAt?: string; notes?: string };
  [unknownField: string]: unknown;
}

export const PRIORITY_RANK: Record<Priority, number> = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3 };
