/**
 * Reading a flat JSON Lines record (every value a string, number, boolean or null) straight from the chunk
 * it sits in, without JSON.parse: the errors reader's path for error lines once field detection has
 * settled. JSON.parse builds every key and value of the line; this reads the keys in place (each checked
 * against the one at the same position of the previous line first, loggers write keys in a fixed order),
 * remembers where the values are, and makes strings only of the values a record uses.
 *
 * It gives what `FieldResolver.get` gives on the parsed object, or refuses the line (then the caller parses
 * it): the scanner accepts exactly the JSON grammar of a flat object (a nested object or array, an escape
 * in a key, a control character anywhere in the line, anything malformed: refused). On a flat object a
 * candidate path is found exactly when it is a key, so fields still being detected are detected here as
 * `get` would (locked to the first candidate with a value, or counted as missed).
 */
import { CANONICAL_FIELDS, FIELD_CANDIDATES, type CanonicalField, type FieldResolver } from './fieldMapping';

const enum Kind {
  Plain = 1,
  Escaped,
  Number,
  True,
  False,
  Null,
}

/** Where each field's value comes from, by key slot. */
interface FieldPlan {
  explicit: boolean;
  /** Slot of the locked key; -1 while the field is still being detected. */
  lock: number;
  /** Locked: the other candidates' slots, read when the locked key has no value on a line (as `get` does).
   * Detecting: every candidate's slot, in order. */
  alts: number[];
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x09\x0b-\x1f]/g; // (a line has no \n in it)

/** A copy sharing no memory with the (1 MiB) chunk it was cut from, so keeping it does not keep the chunk. */
export function detachString(s: string): string {
  return s.length < 13 ? s : (s + ' ').slice(0, -1);
}

const FIELD_INDEX = new Map<CanonicalField, number>(CANONICAL_FIELDS.map((f, i) => [f, i]));

export class RawJsonLine {
  private readonly slotOf = new Map<string, number>();
  private readonly plan: (FieldPlan | undefined)[] = [];
  // Per slot: the value of the current line (generation-stamped, so nothing is cleared between lines).
  private kind: Int8Array;
  private vStart: Int32Array;
  private vEnd: Int32Array;
  private gen: Int32Array;
  private line = 0;
  private text = '';
  private readonly lastString: (string | undefined)[] = [];
  // The keys of the previous line by position, with their slots.
  private readonly shapeKeys: string[] = [];
  private readonly shapeSlots: number[] = [];
  // Next backslash and control character at or after the last place looked, in the current chunk.
  private bsText: string | undefined;
  private bsPos = -1;
  private ctlText: string | undefined;
  private ctlPos = -1;

  private readonly paths: string[] = [];
  private planVersion = -1;

  private constructor(private readonly fields: FieldResolver) {
    for (const f of CANONICAL_FIELDS) {
      const path = fields.lockedPath(f);
      if (path !== undefined) this.slot(path);
      for (const c of FIELD_CANDIDATES[f]) this.slot(c);
    }
    const n = this.slotOf.size;
    this.kind = new Int8Array(n);
    this.vStart = new Int32Array(n);
    this.vEnd = new Int32Array(n);
    this.gen = new Int32Array(n);
    this.replan();
  }

  private slot(key: string): number {
    let s = this.slotOf.get(key);
    if (s === undefined) {
      this.slotOf.set(key, (s = this.slotOf.size));
      this.paths.push(key);
    }
    return s;
  }

  /** The plan for the fields as detected now (after a field is locked or given up, here or elsewhere). */
  private replan(): void {
    const fields = this.fields;
    this.plan.length = 0;
    for (const f of CANONICAL_FIELDS) {
      const path = fields.lockedPath(f);
      if (path !== undefined) {
        const explicit = fields.explicit.has(f);
        this.plan.push({ explicit, lock: this.slotOf.get(path)!, alts: explicit ? [] : FIELD_CANDIDATES[f].filter((c) => c !== path).map((c) => this.slotOf.get(c)!) });
      } else if (fields.searching(f)) this.plan.push({ explicit: false, lock: -1, alts: FIELD_CANDIDATES[f].map((c) => this.slotOf.get(c)!) });
      else this.plan.push(undefined);
    }
    this.planVersion = fields.version;
  }

  /** A reader for these fields, or undefined when a mapped key has a quote or backslash in it. */
  static forFields(fields: FieldResolver): RawJsonLine | undefined {
    for (const f of CANONICAL_FIELDS) {
      const path = fields.lockedPath(f);
      if (path !== undefined && /["\\]/.test(path)) return undefined;
    }
    return new RawJsonLine(fields);
  }

  /** Reads `text[start, end)` (no line break in it); false when the line needs JSON.parse. */
  scan(text: string, start: number, end: number): boolean {
    if (text.charCodeAt(start) !== 123 /* { */) return false;
    if (this.nextControl(text, start) < end) return false;
    this.text = text;
    if (++this.line === 0x7fffffff) {
      this.line = 1;
      this.gen.fill(0);
    }
    const line = this.line;
    let i = skipWs(text, start + 1, end);
    if (text.charCodeAt(i) === 125 /* } */) return skipWs(text, i + 1, end) === end;
    for (let k = 0; ; k++) {
      if (text.charCodeAt(i) !== 34 /* " */) return false;
      const p = i + 1;
      let slot: number;
      let q: number;
      const expected = this.shapeKeys[k];
      if (expected !== undefined && text.charCodeAt(p + expected.length) === 34 && text.startsWith(expected, p)) {
        slot = this.shapeSlots[k]!;
        q = p + expected.length;
      } else {
        q = text.indexOf('"', p);
        if (q === -1 || q >= end || this.nextBackslash(text, p) < q) return false;
        const key = detachString(text.slice(p, q));
        slot = this.slotOf.get(key) ?? -1;
        this.shapeKeys[k] = key;
        this.shapeSlots[k] = slot;
      }
      i = skipWs(text, q + 1, end);
      if (text.charCodeAt(i) !== 58 /* : */) return false;
      i = skipWs(text, i + 1, end);
      const c = text.charCodeAt(i);
      let kind: Kind;
      const vs = i;
      if (c === 34 /* " */) {
        let close = text.indexOf('"', i + 1);
        if (close === -1 || close >= end) return false;
        if (this.nextBackslash(text, i + 1) < close) {
          close = endOfEscaped(text, i + 1, end);
          if (close === -1) return false;
          kind = Kind.Escaped;
        } else kind = Kind.Plain;
        i = close + 1;
      } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
        i = endOfNumber(text, i, end);
        if (i === -1) return false;
        kind = Kind.Number;
      } else if (c === 116 /* t */ && text.startsWith('true', i)) {
        kind = Kind.True;
        i += 4;
      } else if (c === 102 /* f */ && text.startsWith('false', i)) {
        kind = Kind.False;
        i += 5;
      } else if (c === 110 /* n */ && text.startsWith('null', i)) {
        kind = Kind.Null;
        i += 4;
      } else return false; // a nested object or array, or not JSON
      if (slot >= 0) {
        this.kind[slot] = kind;
        this.vStart[slot] = vs;
        this.vEnd[slot] = i;
        this.gen[slot] = line;
      }
      i = skipWs(text, i, end);
      const d = text.charCodeAt(i);
      if (d === 44 /* , */) {
        i = skipWs(text, i + 1, end);
        continue;
      }
      if (d !== 125 /* } */) return false;
      if (this.shapeKeys.length > k + 1) this.shapeKeys.length = this.shapeSlots.length = k + 1;
      return skipWs(text, i + 1, end) === end;
    }
  }

  /** `get`, bound. */
  readonly getter = (field: CanonicalField): unknown => this.get(field);

  /**
   * What `FieldResolver.get` returns for the field on the line just scanned, with the same effect on it: a
   * field still being detected is locked to the first candidate with a value, or counted as missed.
   */
  get(field: CanonicalField): unknown {
    if (this.planVersion !== this.fields.version) this.replan();
    const p = this.plan[FIELD_INDEX.get(field)!];
    if (p === undefined) return undefined;
    if (p.lock === -1) {
      for (const a of p.alts) {
        const w = this.value(a);
        if (w !== undefined && w !== null && w !== '') {
          this.fields.lockCandidate(field, this.paths[a]!);
          return w;
        }
      }
      this.fields.miss(field);
      return undefined;
    }
    const v = this.value(p.lock);
    if (p.explicit || (v !== undefined && v !== null && v !== '')) return v;
    for (const a of p.alts) {
      const w = this.value(a);
      if (w !== undefined && w !== null && w !== '') return w;
    }
    return v;
  }

  /** The raw value's range in the chunk when the field is a plain string on this line (for reading in place). */
  plainRange(field: CanonicalField): { text: string; start: number; end: number } | undefined {
    if (this.planVersion !== this.fields.version) this.replan();
    const p = this.plan[FIELD_INDEX.get(field)!];
    if (p === undefined || p.lock === -1 || this.gen[p.lock] !== this.line || this.kind[p.lock] !== Kind.Plain || this.vEnd[p.lock] - this.vStart[p.lock] <= 2) return undefined;
    return { text: this.text, start: this.vStart[p.lock]! + 1, end: this.vEnd[p.lock]! - 1 };
  }

  private value(slot: number): unknown {
    if (this.gen[slot] !== this.line) return undefined;
    const s = this.vStart[slot]!;
    const e = this.vEnd[slot]!;
    switch (this.kind[slot]) {
      case Kind.Plain: {
        // Levels, services, endpoints repeat from line to line: the string made last time is given again.
        const last = this.lastString[slot];
        const n = e - s - 2;
        if (last !== undefined && last.length === n && this.text.startsWith(last, s + 1)) return last;
        const v = detachString(this.text.slice(s + 1, e - 1));
        this.lastString[slot] = v;
        return v;
      }
      case Kind.Escaped:
        return JSON.parse(this.text.slice(s, e)) as string;
      case Kind.Number:
        return Number(this.text.slice(s, e));
      case Kind.True:
        return true;
      case Kind.False:
        return false;
      default:
        return null;
    }
  }

  private nextBackslash(text: string, from: number): number {
    if (this.bsText !== text || this.bsPos < from) {
      this.bsText = text;
      const at = text.indexOf('\\', from);
      this.bsPos = at === -1 ? Infinity : at;
    }
    return this.bsPos;
  }

  private nextControl(text: string, from: number): number {
    if (this.ctlText !== text || this.ctlPos < from) {
      this.ctlText = text;
      CONTROL.lastIndex = from;
      const m = CONTROL.exec(text);
      this.ctlPos = m ? m.index : Infinity;
    }
    return this.ctlPos;
  }
}

function skipWs(text: string, i: number, end: number): number {
  while (i < end && text.charCodeAt(i) === 32) i++;
  return i;
}

/** The closing quote of a string with escapes opened before `i`, or -1 when an escape is not JSON. */
function endOfEscaped(text: string, i: number, end: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 34) return i;
    if (c === 92) {
      const e = text.charCodeAt(i + 1);
      if (e === 117 /* u */) {
        for (let k = 2; k < 6; k++) {
          const h = text.charCodeAt(i + k);
          if (!((h >= 48 && h <= 57) || (h >= 65 && h <= 70) || (h >= 97 && h <= 102))) return -1;
        }
        i += 6;
      } else if (e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116) i += 2;
      else return -1;
    } else i++;
  }
  return -1;
}

/** The end of a JSON number at `i` (strict grammar), or -1. */
function endOfNumber(text: string, i: number, end: number): number {
  if (text.charCodeAt(i) === 45) i++;
  const first = text.charCodeAt(i);
  if (first === 48) i++;
  else if (first >= 49 && first <= 57) while (i < end && isDigit(text.charCodeAt(i))) i++;
  else return -1;
  if (text.charCodeAt(i) === 46 /* . */) {
    i++;
    if (!isDigit(text.charCodeAt(i))) return -1;
    while (i < end && isDigit(text.charCodeAt(i))) i++;
  }
  const e = text.charCodeAt(i);
  if (e === 101 || e === 69) {
    i++;
    const s = text.charCodeAt(i);
    if (s === 43 || s === 45) i++;
    if (!isDigit(text.charCodeAt(i))) return -1;
    while (i < end && isDigit(text.charCodeAt(i))) i++;
  }
  return i > end ? -1 : i;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
