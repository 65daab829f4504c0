/**
 * From a path as production recorded it (`/app/service/model.py`, `C:\build\src\app.py`, `service/model.py`)
 * to a file of the repository at a revision: the tracked file sharing the longest run of trailing path
 * segments. A bare file name counts only when one tracked file has it; a tie between equally long matches
 * is ambiguous and maps to nothing rather than to a guess.
 */

function segments(p: string): string[] {
  return p.replace(/\\/g, '/').split('/').filter((s) => s !== '' && s !== '.');
}

export class RepoPaths {
  /** basename → tracked paths with that basename. */
  private readonly byName = new Map<string, string[]>();
  private readonly all: Set<string>;

  constructor(files: readonly string[]) {
    this.all = new Set(files);
    for (const f of files) {
      const name = f.slice(f.lastIndexOf('/') + 1);
      const list = this.byName.get(name);
      if (list) list.push(f);
      else this.byName.set(name, [f]);
    }
  }

  get size(): number {
    return this.all.size;
  }

  has(path: string): boolean {
    return this.all.has(path);
  }

  /** The tracked path `recorded` names, or undefined (not tracked, or ambiguous). */
  match(recorded: string): string | undefined {
    const segs = segments(recorded);
    if (segs.length === 0) return undefined;
    const direct = segs.join('/');
    if (!recorded.startsWith('/') && this.all.has(direct)) return direct;
    const candidates = this.byName.get(segs[segs.length - 1]!);
    if (!candidates?.length) return undefined;
    let best: string | undefined;
    let bestLen = 0;
    let tie = false;
    for (const c of candidates) {
      const cs = c.split('/');
      let n = 0;
      while (n < cs.length && n < segs.length && cs[cs.length - 1 - n] === segs[segs.length - 1 - n]) n++;
      if (n > bestLen) {
        best = c;
        bestLen = n;
        tie = false;
      } else if (n === bestLen) tie = true;
    }
    if (tie) return undefined;
    return best;
  }
}
