/**
 * Stable row identities for the post-mortem form, and the check that turns a form change made against one
 * version of the document into a change of the current one (or refuses it).
 *
 * The form shows a version of postmortem.json while the text can change under it (the text editor, git, a
 * script appending timeline events). A row index is only meaningful for the version it was read from, so the
 * form addresses a row of a list by an id that follows the row across versions: rows that are unchanged, and
 * rows edited in place, keep their id; inserted rows get new ids; removed rows take theirs away. A change
 * whose row is gone, or whose value changed since the form showed it, is refused instead of applied to
 * whatever now sits at that position.
 */

export type JsonPath = (string | number)[];

/**
 * A row's content as a key: its JSON. Equal rows have equal keys; V8 hashes and compares strings natively,
 * which is several times faster than hashing the text in script for a timeline of tens of thousands of rows.
 */
export function rowKey(value: unknown): string {
  return value === undefined ? '\u0000undefined' : JSON.stringify(value);
}

/** Share of an object's fields with the same value in both rows (0 when either is not an object). */
function similarity(a: unknown, b: unknown): number {
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) || Array.isArray(b)) return 0;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const n = Math.max(ka.length, kb.length);
  if (n === 0) return 0;
  let same = 0;
  for (const k of ka) if (k in b && JSON.stringify((a as Record<string, unknown>)[k]) === JSON.stringify((b as Record<string, unknown>)[k])) same++;
  return same / n;
}

/** Middle parts longer than this (product of lengths) are matched greedily instead of by a full LCS table. */
const LCS_CELLS = 1_000_000;

/**
 * For each row of `next`, the index of the row of `prev` it continues, or -1 for a new row. Unchanged rows
 * are matched in order (longest common subsequence of their hashes, after the common prefix and suffix);
 * between two matched rows, the unmatched rows of both sides are rows edited in place when there are as
 * many on each side, else each new row takes the first remaining old row that shares at least half its fields.
 */
export function alignRows(prev: { hashes: readonly string[]; values: readonly unknown[] }, next: { hashes: readonly string[]; values: readonly unknown[] }): number[] {
  const P = prev.hashes;
  const N = next.hashes;
  const out = new Array<number>(N.length).fill(-1);
  let start = 0;
  while (start < P.length && start < N.length && P[start] === N[start]) {
    out[start] = start;
    start++;
  }
  let endP = P.length;
  let endN = N.length;
  while (endP > start && endN > start && P[endP - 1] === N[endN - 1]) {
    endP--;
    endN--;
    out[endN] = endP;
  }
  const pairs: [number, number][] = [];
  const p = endP - start;
  const n = endN - start;
  if (p > 0 && n > 0) {
    if (p * n <= LCS_CELLS) {
      // lcs[i][j]: LCS length of P[start+i..endP) and N[start+j..endN), flattened.
      const w = n + 1;
      const lcs = new Uint32Array((p + 1) * w);
      for (let i = p - 1; i >= 0; i--) {
        for (let j = n - 1; j >= 0; j--) {
          lcs[i * w + j] = P[start + i] === N[start + j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
        }
      }
      for (let i = 0, j = 0; i < p && j < n; ) {
        if (P[start + i] === N[start + j]) {
          pairs.push([start + i, start + j]);
          i++;
          j++;
        } else if (lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!) i++;
        else j++;
      }
    } else {
      const at = new Map<string, number[]>();
      for (let i = endP - 1; i >= start; i--) {
        const list = at.get(P[i]!);
        if (list) list.push(i);
        else at.set(P[i]!, [i]);
      }
      let last = start - 1;
      for (let j = start; j < endN; j++) {
        const list = at.get(N[j]!);
        while (list?.length && list[list.length - 1]! <= last) list.pop();
        const i = list?.pop();
        if (i !== undefined) {
          pairs.push([i, j]);
          last = i;
        }
      }
    }
  }
  for (const [i, j] of pairs) out[j] = i;
  // The gaps between matched rows: before the first pair, between pairs, after the last.
  const bounds: [number, number][] = [[start - 1, start - 1], ...pairs, [endP, endN]];
  for (let g = 0; g + 1 < bounds.length; g++) {
    const [pi0, nj0] = bounds[g]!;
    const [pi1, nj1] = bounds[g + 1]!;
    const olds: number[] = [];
    const news: number[] = [];
    for (let i = pi0 + 1; i < pi1; i++) olds.push(i);
    for (let j = nj0 + 1; j < nj1; j++) news.push(j);
    if (olds.length === 0 || news.length === 0) continue;
    if (olds.length === news.length) {
      news.forEach((j, k) => (out[j] = olds[k]!));
      continue;
    }
    let from = 0;
    for (const j of news) {
      for (let k = from; k < olds.length; k++) {
        if (similarity(prev.values[olds[k]!], next.values[j]) >= 0.5) {
          out[j] = olds[k]!;
          from = k + 1;
          break;
        }
      }
    }
  }
  return out;
}

interface ListState {
  ids: string[];
  hashes: string[];
  values: unknown[];
}

/**
 * The ids of the rows of every top-level list of one document, kept up to date version after version.
 * One per form (per webview), since the ids are what that form's page was told.
 */
export class RowIdentities {
  private readonly lists = new Map<string, ListState>();
  private next = 1;
  private version: number | undefined;

  /** Brings the ids up to `doc` at `version`; rows kept or edited in place keep their id. */
  update(version: number, doc: Record<string, unknown>): void {
    if (version === this.version) return;
    this.version = version;
    for (const key of [...this.lists.keys()]) if (!Array.isArray(doc[key])) this.lists.delete(key);
    for (const [key, value] of Object.entries(doc)) {
      if (!Array.isArray(value)) continue;
      const values = value as unknown[];
      const hashes = values.map(rowKey);
      const prev = this.lists.get(key);
      const from = prev ? alignRows(prev, { hashes, values }) : values.map(() => -1);
      const ids = from.map((i) => (i >= 0 ? prev!.ids[i]! : `r${this.next++}`));
      this.lists.set(key, { ids, hashes, values });
    }
  }

  /** The ids of the rows of `list`, in order (empty when it is not a list). */
  ids(list: string): readonly string[] {
    return this.lists.get(list)?.ids ?? [];
  }

  /** The id of the row at `index` of `list`. */
  id(list: string, index: number): string | undefined {
    return this.lists.get(list)?.ids[index];
  }

  /** The current index of the row with `id` in `list`, or -1 when it is gone. */
  indexOf(list: string, id: string): number {
    return this.lists.get(list)?.ids.indexOf(id) ?? -1;
  }
}

/** A form change as the page sent it: made against `version`, on a row it knew by id. */
export interface AddressedChange {
  type: 'set' | 'remove';
  version: number;
  path: JsonPath;
  /** The id of the list row the path goes through (path[1] is its index as the page saw it). */
  row?: string;
  /**
   * The value the form showed at `path` (a whole row, for a row's removal; null: nothing there, as messages
   * lose `undefined`). A change made against an older version over a value that changed since is refused.
   */
  was?: unknown;
}

/** Equal JSON values; null and a missing value are the same ("nothing there"). */
function same(a: unknown, b: unknown): boolean {
  const x = a ?? null;
  const y = b ?? null;
  return x === y || JSON.stringify(x) === JSON.stringify(y);
}

function at(value: unknown, path: readonly (string | number)[]): unknown {
  let v = value;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

const LIST_NAMES: Record<string, string> = {
  timeline: 'timeline',
  actionItems: 'action item',
  impact: 'impact',
  contributingFactors: 'contributing factor',
  whatWentWell: '"what went well"',
  whatWentWrong: '"what went wrong"',
  whereWeGotLucky: '"where we got lucky"',
};

/**
 * Where a form change lands in the current document (`doc` at `version`, `rows` updated to it), or why it is
 * refused. Made against the current version, it applies as it is. Made against an older one, it applies only
 * where nothing it relies on changed: its row (found by id wherever it moved) and, for a set, the value it
 * replaces; otherwise the change is refused with a reason, never applied to another row or over newer text.
 */
export function resolveChange(doc: Record<string, unknown>, version: number, rows: RowIdentities, change: AddressedChange): { path: JsonPath } | { refused: string } {
  const stale = change.version !== version;
  const [head, second, ...rest] = change.path;
  if (typeof second === 'number' && typeof head === 'string') {
    if (!change.row) return { refused: `No row id for ${head}[${second}].` };
    const index = rows.indexOf(head, change.row);
    if (index < 0) return { refused: `That ${LIST_NAMES[head] ?? head} row is no longer in the file.` };
    const path: JsonPath = [head, index, ...rest];
    if (stale && !('was' in change && same(at(doc, path), change.was))) {
      // A removal of a row that changed since the form showed it would remove something the user has not seen.
      return { refused: change.type === 'remove' && rest.length === 0 ? `That ${LIST_NAMES[head] ?? head} row changed in the file; it was not removed.` : 'That field changed in the file meanwhile.' };
    }
    return { path };
  }
  if (stale && 'was' in change && !same(at(doc, change.path), change.was)) return { refused: 'That field changed in the file meanwhile.' };
  return { path: change.path };
}
