/**
 * Orders the reports share. Ties go by UTF-16 code units, not `localeCompare`: the first `localeCompare` of a
 * thread starts ICU's collator (12–20 ms), which the errors and patterns pipelines paid at the end of every
 * read, on the thread the user waits for; the values ordered here (ids, ISO times, templates, counted values)
 * only need an order that is the same on every machine.
 */

/** -1, 0 or 1 by UTF-16 code units. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The `n` biggest counts, biggest first, ties by value (code units): what sorting every entry and taking the
 * first `n` gives, in one pass that keeps `n`.
 */
export function topCounts(entries: Iterable<[string, number]>, n: number): { value: string; count: number }[] {
  const best: [string, number][] = [];
  if (n <= 0) return [];
  const before = (a: [string, number], b: [string, number]) => a[1] > b[1] || (a[1] === b[1] && a[0] < b[0]);
  for (const e of entries) {
    if (best.length === n) {
      if (!before(e, best[n - 1]!)) continue;
      best.pop();
    }
    let i = best.length;
    while (i > 0 && before(e, best[i - 1]!)) i--;
    best.splice(i, 0, e);
  }
  return best.map(([value, count]) => ({ value, count }));
}
