/** Incident ids are `INC-YYYY-NNN`: the year it was opened and a number that is never reused within it. */

const ID_PATTERN = /^INC-(\d{4})-(\d{3,})$/;

export function parseIncidentId(id: string): { year: number; number: number } | undefined {
  const m = ID_PATTERN.exec(id);
  return m ? { year: Number(m[1]), number: Number(m[2]) } : undefined;
}

export function isIncidentId(id: string): boolean {
  return ID_PATTERN.test(id);
}

export function formatIncidentId(year: number, number: number): string {
  return `INC-${String(year).padStart(4, '0')}-${String(number).padStart(3, '0')}`;
}

/**
 * The next free id for `year`: one above the highest number used that year. Gaps are not filled, so an id
 * that was deleted (and may still be quoted in a ticket or a commit) never comes back for another incident.
 */
export function nextIncidentId(existing: Iterable<string>, year: number): string {
  let highest = 0;
  for (const id of existing) {
    const parsed = parseIncidentId(id);
    if (parsed && parsed.year === year && parsed.number > highest) highest = parsed.number;
  }
  return formatIncidentId(year, highest + 1);
}
