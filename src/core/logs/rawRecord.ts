/**
 * A JSON line's canonical fields as FieldResolver `readRecord` reads them from the parsed object, read instead
 * from the line's text (./jsonScan.ts), once detection has locked the level and the fields found are top-level
 * keys: the errors reader's path for the lines it reads whole. The answer is JSON.parse's or none: a line the
 * scanner does not pass, a field whose value is nested, a detected key missing where the line has a key through
 * which another candidate could hold the field, a key through which a field still looked for could be found, go
 * to JSON.parse (where detection looks at it).
 */
import { CANONICAL_FIELDS, FIELD_SLOT, keysThrough, specialValue, type CanonicalField, type InPlacePlan, type ReadStep } from './fieldMapping';
import { JsonLineScanner, ScanResult, ValueKind, type MessageShape } from './jsonScan';
import { isoUtcIn, pinoLevelName } from './values';

/**
 * Slots of `read`'s output: the canonical fields (CANONICAL_FIELDS order), then a line's top-level `error`, then
 * the timestamp's time when the scanner read it (values.ts `parseTimestamp` of the timestamp, or undefined).
 */
export const ERROR_KEY_SLOT = CANONICAL_FIELDS.length;
export const TIME_SLOT = CANONICAL_FIELDS.length + 1;
export const RAW_SLOTS = CANONICAL_FIELDS.length + 2;

/** What a key's presence on a line means beside the fields it holds (`guards`). */
const enum Guard {
  None = 0,
  /** The line goes to JSON.parse (an OTLP export; a whole candidate path of a field still looked for). */
  Always = 1,
  /** The line goes to JSON.parse when the value is an object or an array (it begins such a path). */
  Nested = 2,
}

/** A locked field's other candidates (ReadStep `otherPaths`): the keys they could be read through. */
interface OtherKeys {
  whole: number[];
  begins: number[];
}

export class RawRecordFields {
  private constructor(
    private readonly plan: readonly ReadStep[],
    private readonly scanner: JsonLineScanner,
    /** For each of the scanner's keys, the slots its value goes to. */
    private readonly slots: number[][],
    /** For each of the scanner's keys, what its presence means (Guard). */
    private readonly guards: Guard[],
    /** For each step of the plan with other candidates, the keys they could be read through. */
    private readonly otherKeys: (OtherKeys | undefined)[],
    private readonly pino: boolean,
    /** The fields still looked for (InPlacePlan `searching`): a line read here misses them. */
    readonly searching: readonly CanonicalField[],
    /** The message's key has shapes (JsonLineScanner `shape`). */
    private readonly shaped: boolean,
    /** The timestamp's key (its index), whose times the scanner reads (JsonLineScanner `time`), or -1. */
    private readonly timeKey: number,
  ) {}

  /**
   * A reader for a plan, or undefined when a field's path is not a plain top-level key, or the keys do not fit
   * the scanner (or there is no scanner here). `pino`: the level is on pino's scale (FieldResolver `pinoLevels`).
   */
  static of(inPlace: InPlacePlan, pino: boolean): RawRecordFields | undefined {
    const keys: string[] = [];
    const slots: number[][] = [];
    const guards: Guard[] = [];
    const keyIndex = (key: string) => {
      let k = keys.indexOf(key);
      if (k === -1) {
        k = keys.push(key) - 1;
        slots.push([]);
        guards.push(Guard.None);
      }
      return k;
    };
    // (a dotted path, or a key an object inherits, `constructor`: the getter's answer is not the line's value)
    const plain = (key: string) => !key.includes('.') && !(key in Object.prototype);
    for (const step of inPlace.steps) {
      const path = step.path;
      if (path === undefined || !plain(path)) return undefined;
      slots[keyIndex(path)]!.push(step.slot);
    }
    // (zap's and zerolog's error text beside a Go stack, see jsonRecord `recordOf`; an OTLP export's records,
    // which the parsed line is expanded into)
    slots[keyIndex('error')]!.push(ERROR_KEY_SLOT);
    guards[keyIndex('resourceLogs')] = Guard.Always;
    const inherited = (ks: { whole: readonly string[]; begins: readonly string[] }) => [...ks.whole, ...ks.begins].some((key) => key in Object.prototype);
    const { whole, begins } = inPlace.searchKeys;
    if (inherited(inPlace.searchKeys)) return undefined;
    for (const key of whole) guards[keyIndex(key)] = Guard.Always;
    for (const key of begins) {
      const k = keyIndex(key);
      if (guards[k] === Guard.None) guards[k] = Guard.Nested;
    }
    const otherKeys: (OtherKeys | undefined)[] = [];
    for (const step of inPlace.steps) {
      if (step.others === undefined) {
        otherKeys.push(undefined);
        continue;
      }
      const through = keysThrough(step.otherPaths ?? []);
      if (inherited(through)) return undefined;
      otherKeys.push({ whole: through.whole.map(keyIndex), begins: through.begins.map(keyIndex) });
    }
    // (the message read as it is: its shape is the record's message's)
    const message = inPlace.steps.find((step) => step.slot === FIELD_SLOT.message && step.special === undefined);
    const shapeKey = message ? keys.indexOf(message.path!) : -1;
    const timestamp = inPlace.steps.find((step) => step.slot === FIELD_SLOT.timestamp && step.special === undefined);
    const timeKey = timestamp ? keys.indexOf(timestamp.path!) : -1;
    const scanner = JsonLineScanner.of(keys, shapeKey, timeKey);
    return scanner ? new RawRecordFields(inPlace.steps, scanner, slots, guards, otherKeys, pino, inPlace.searching, shapeKey >= 0, timeKey) : undefined;
  }

  /**
   * Reads line `chunk[start, end)` into `out` (RAW_SLOTS values by slot) as `readRecord` reads the parsed
   * object; false when the line is left to JSON.parse. (`chunk` is loaded once and kept while its lines are
   * read; from `bytes`, its bytes, when given: see JsonLineScanner `load`.)
   */
  read(chunk: string, start: number, end: number, out: unknown[], bytes?: Uint8Array): boolean {
    const scanner = this.scanner;
    if (!scanner.load(chunk, bytes) || scanner.scan(start, end) !== ScanResult.Object) return false;
    for (let s = 0; s < RAW_SLOTS; s++) out[s] = undefined;
    const slots = this.slots;
    const guards = this.guards;
    const found = scanner.found();
    for (let j = 0; j < found; j++) {
      const k = scanner.foundKey(j);
      const kind = scanner.kind(k);
      const guard = guards[k]!;
      if (guard !== Guard.None && (guard === Guard.Always || kind >= ValueKind.Object)) return false;
      const to = slots[k]!;
      if (to.length === 0) continue;
      let value: unknown;
      switch (kind) {
        case ValueKind.String:
          value = chunk.slice(scanner.start(k), scanner.end(k));
          break;
        case ValueKind.Escaped:
          value = JSON.parse(chunk.slice(scanner.start(k) - 1, scanner.end(k) + 1));
          break;
        case ValueKind.Number:
          value = Number(chunk.slice(scanner.start(k), scanner.end(k)));
          break;
        case ValueKind.True:
          value = true;
          break;
        case ValueKind.False:
          value = false;
          break;
        case ValueKind.Null:
          value = null;
          break;
        default:
          // (an object or an array: a field's value is read from the parsed line; beside a Go stack only the
          // error's text, a string, is wanted)
          if (to.length === 1 && to[0] === ERROR_KEY_SLOT) continue;
          return false;
      }
      for (let i = 0; i < to.length; i++) out[to[i]!] = value;
    }
    const plan = this.plan;
    for (let i = 0; i < plan.length; i++) {
      const step = plan[i]!;
      let v = out[step.slot];
      if (step.special !== undefined) v = specialValue(step.special, v);
      if (this.pino && step.slot === FIELD_SLOT.level) v = pinoLevelName(v);
      // (the locked key has no value here: `readRecord` would read another candidate, if the line has one)
      if (step.others !== undefined && (v === undefined || v === null || v === '') && this.otherOnLine(i)) return false;
      out[step.slot] = v;
    }
    if (this.timeKey >= 0) {
      // (the minute read once: see values.ts isoUtcIn)
      let time = scanner.time();
      if (time === undefined && scanner.timeForm) {
        time = isoUtcIn(chunk, scanner.start(this.timeKey), scanner.end(this.timeKey));
        if (time !== undefined) scanner.minuteIs(time);
      }
      out[TIME_SLOT] = time;
    }
    return true;
  }

  /** The shape of the message of the line last read (its record's `message`), if it has one. */
  messageShape(): MessageShape | undefined {
    return this.shaped && this.scanner.shape() !== -2 ? this.scanner : undefined;
  }

  /** The line last scanned has a key through which one of step `i`'s other candidates could be read. */
  private otherOnLine(i: number): boolean {
    const keys = this.otherKeys[i]!;
    const scanner = this.scanner;
    for (const k of keys.whole) if (scanner.kind(k) !== ValueKind.Missing) return true;
    for (const k of keys.begins) if (scanner.kind(k) >= ValueKind.Object) return true;
    return false;
  }
}
