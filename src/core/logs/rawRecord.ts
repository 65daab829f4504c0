/**
 * A JSON line's canonical fields as FieldResolver `readRecord` reads them from the parsed object, read instead
 * from the line's text (./jsonScan.ts), once detection has settled on top-level keys: the errors reader's path
 * for the lines it reads whole. The answer is JSON.parse's or none: a line the scanner does not pass, a field
 * whose value is nested, a detected key missing where another candidate may hold the field, go to JSON.parse.
 */
import { CANONICAL_FIELDS, FIELD_SLOT, specialValue, type ReadStep } from './fieldMapping';
import { JsonLineScanner, ScanResult, ValueKind } from './jsonScan';
import { pinoLevelName } from './values';

/** Slots of `read`'s output: the canonical fields (CANONICAL_FIELDS order), then a line's top-level `error`. */
export const ERROR_KEY_SLOT = CANONICAL_FIELDS.length;
export const RAW_SLOTS = CANONICAL_FIELDS.length + 1;

/** The slot of a key whose presence sends the line to JSON.parse. */
const OTLP_SLOT = -1;

export class RawRecordFields {
  private constructor(
    private readonly plan: readonly ReadStep[],
    private readonly scanner: JsonLineScanner,
    /** For each of the scanner's keys, the slots its value goes to. */
    private readonly slots: number[][],
    private readonly pino: boolean,
  ) {}

  /**
   * A reader for a settled plan, or undefined when a field's path is not a plain top-level key (or there is no
   * scanner here). `pino`: the level is on pino's scale (FieldResolver `pinoLevels`).
   */
  static of(plan: readonly ReadStep[], pino: boolean): RawRecordFields | undefined {
    const keys: string[] = [];
    const slots: number[][] = [];
    const add = (key: string, slot: number) => {
      const k = keys.indexOf(key);
      if (k !== -1) slots[k]!.push(slot);
      else {
        keys.push(key);
        slots.push([slot]);
      }
    };
    for (const step of plan) {
      const path = step.path;
      // (a dotted path, or a key an object inherits, `constructor`: the getter's answer is not the line's value)
      if (path === undefined || path.includes('.') || path in Object.prototype) return undefined;
      add(path, step.slot);
    }
    // (zap's and zerolog's error text beside a Go stack, see jsonRecord `recordOf`; an OTLP export's records,
    // which the parsed line is expanded into)
    add('error', ERROR_KEY_SLOT);
    add('resourceLogs', OTLP_SLOT);
    const scanner = JsonLineScanner.of(keys);
    return scanner ? new RawRecordFields(plan, scanner, slots, pino) : undefined;
  }

  /**
   * Reads line `chunk[start, end)` into `out` (RAW_SLOTS values by slot) as `readRecord` reads the parsed
   * object; false when the line is left to JSON.parse. (`chunk` is loaded once and kept while its lines are read.)
   */
  read(chunk: string, start: number, end: number, out: unknown[]): boolean {
    const scanner = this.scanner;
    if (!scanner.load(chunk) || scanner.scan(start, end) !== ScanResult.Object) return false;
    for (let s = 0; s < RAW_SLOTS; s++) out[s] = undefined;
    const slots = this.slots;
    for (let k = 0; k < slots.length; k++) {
      const kind = scanner.kind(k);
      if (kind === ValueKind.Missing) continue;
      if (slots[k]![0] === OTLP_SLOT) return false;
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
          if (slots[k]!.length === 1 && slots[k]![0] === ERROR_KEY_SLOT) continue;
          return false;
      }
      const to = slots[k]!;
      for (let i = 0; i < to.length; i++) out[to[i]!] = value;
    }
    const plan = this.plan;
    for (let i = 0; i < plan.length; i++) {
      const step = plan[i]!;
      let v = out[step.slot];
      if (step.special !== undefined) v = specialValue(step.special, v);
      if (this.pino && step.slot === FIELD_SLOT.level) v = pinoLevelName(v);
      // (another candidate, maybe nested, may hold the field on this line: `readRecord` would look)
      if (step.others !== undefined && (v === undefined || v === null || v === '')) return false;
      out[step.slot] = v;
    }
    return true;
  }
}
