/** Open action items across incidents, overdue first; and the 30-day follow-up review after a close. */
import type { ActionItem, PostMortem } from './types';

export const FOLLOW_UP_DAYS = 30;

export interface OpenActionItem {
  incidentId: string;
  index: number;
  item: ActionItem;
  overdue: boolean;
  /** Days until due (negative: overdue); undefined without a due date. */
  daysLeft?: number;
}

export interface FollowUp {
  incidentId: string;
  dueDate: string;
  due: boolean;
}

const DAY = 86_400_000;

/** `today` is YYYY-MM-DD (the user's calendar day). */
export function isOverdue(item: ActionItem, today: string): boolean {
  return item.status !== 'DONE' && typeof item.dueDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(item.dueDate) && item.dueDate < today;
}

export function openActionItems(docs: readonly { incidentId: string; postmortem: PostMortem }[], today: string): OpenActionItem[] {
  const out: OpenActionItem[] = [];
  const todayMs = Date.parse(`${today}T00:00:00Z`);
  for (const { incidentId, postmortem } of docs) {
    (Array.isArray(postmortem.actionItems) ? postmortem.actionItems : []).forEach((item, index) => {
      if (!item || typeof item !== 'object' || item.status === 'DONE') return;
      const due = typeof item.dueDate === 'string' ? Date.parse(`${item.dueDate}T00:00:00Z`) : NaN;
      out.push({
        incidentId,
        index,
        item,
        overdue: isOverdue(item, today),
        ...(Number.isNaN(due) ? {} : { daysLeft: Math.round((due - todayMs) / DAY) }),
      });
    });
  }
  return out.sort(
    (a, b) =>
      Number(b.overdue) - Number(a.overdue) ||
      (a.item.dueDate ?? '9999-99-99').localeCompare(b.item.dueDate ?? '9999-99-99') ||
      a.incidentId.localeCompare(b.incidentId) ||
      a.index - b.index,
  );
}

/** The follow-up review date: the post-mortem's own, else 30 days after the close. */
export function followUp(incidentId: string, closedAt: string | undefined, postmortem: PostMortem | undefined, today: string): FollowUp | undefined {
  const explicit = postmortem?.review?.followUpAt;
  let dueDate: string | undefined = typeof explicit === 'string' && explicit ? explicit.slice(0, 10) : undefined;
  if (!dueDate && closedAt && !Number.isNaN(Date.parse(closedAt))) dueDate = new Date(Date.parse(closedAt) + FOLLOW_UP_DAYS * DAY).toISOString().slice(0, 10);
  if (!dueDate) return undefined;
  if (postmortem?.review?.reviewedAt && postmortem.review.reviewedAt.slice(0, 10) >= dueDate) return undefined;
  return { incidentId, dueDate, due: dueDate <= today };
}
