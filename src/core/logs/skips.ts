/** Lines that could not be used, counted by reason with the first place each happened. */

export type SkipReason = 'notJson' | 'noFields' | 'binary' | 'tooLong' | 'notUtf8' | 'truncatedTraceback';

const DESCRIPTIONS: Record<SkipReason, string> = {
  notJson: 'not JSON',
  noFields: 'JSON without any of the mapped fields (level, message, exception)',
  binary: 'binary data',
  tooLong: 'longer than the line limit',
  notUtf8: 'not valid UTF-8 (read with replacement characters, not skipped)',
  truncatedTraceback: 'traceback cut off before its exception line (kept, grouped by its frames)',
};

/** Reasons that are notices: the line was still used. */
export const KEPT_REASONS: ReadonlySet<SkipReason> = new Set(['notUtf8', 'truncatedTraceback']);

export interface SkipSummary {
  reason: SkipReason;
  count: number;
  first: { source: string; line: number };
  /** "1,203 lines skipped: not JSON — first at service.jsonl:17" */
  message: string;
}

/** 1234567 → "1,234,567" (by hand: the first toLocaleString of a process costs ~80 ms of ICU loading). */
export function formatCount(n: number): string {
  if (!Number.isInteger(n)) return n.toLocaleString('en-US');
  const s = String(Math.abs(n));
  return (n < 0 ? '-' : '') + s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export class SkipCounter {
  private readonly counts = new Map<SkipReason, { count: number; source: string; line: number }>();

  add(reason: SkipReason, source: string, line: number): void {
    const c = this.counts.get(reason);
    if (c) c.count++;
    else this.counts.set(reason, { count: 1, source, line });
  }

  /** Adds counts read elsewhere (another thread's part of a file), keeping the earliest first place. */
  absorb(reason: SkipReason, count: number, source: string, line: number): void {
    const c = this.counts.get(reason);
    if (c) c.count += count;
    else this.counts.set(reason, { count, source, line });
  }

  get total(): number {
    let n = 0;
    for (const [reason, c] of this.counts) if (!KEPT_REASONS.has(reason)) n += c.count;
    return n;
  }

  summaries(): SkipSummary[] {
    return [...this.counts].map(([reason, c]) => {
      const kept = KEPT_REASONS.has(reason);
      const noun = reason === 'truncatedTraceback' ? (c.count === 1 ? 'traceback' : 'tracebacks') : c.count === 1 ? 'line' : 'lines';
      const verb = kept ? (reason === 'truncatedTraceback' ? 'incomplete' : 'kept') : 'skipped';
      return {
        reason,
        count: c.count,
        first: { source: c.source, line: c.line },
        message: `${formatCount(c.count)} ${noun} ${verb}: ${DESCRIPTIONS[reason]} — first at ${c.source}:${c.line}`,
      };
    });
  }
}
