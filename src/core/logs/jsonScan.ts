/**
 * JSON lines checked and cut without JSON.parse: the WebAssembly scanner of wasm/jsonScan.ts reads a line once,
 * checks it as JSON.parse would (an object, every key and value, nested ones too), and gives the kind and place
 * of the values of the keys asked for; the caller cuts only those out of its string. JSON.parse builds every key
 * and value of a line to be read a dozen of them, and was a third of the errors reader's time.
 *
 * The text is copied into the scanner's memory once per chunk, and only ASCII text is (then a character is a
 * byte, and the places are the string's). One instance per thread; the keys and the text in its memory are
 * those of the last scanner that loaded (readers call `load` before scanning, in code that does not yield).
 */
import { JSON_SCAN_WASM } from './jsonScanWasm';

/** The kind of a key's value on the line last scanned. */
export const enum ValueKind {
  Missing = 0,
  String = 1,
  /** A string with escapes: JSON.parse of it alone decodes it. */
  Escaped = 2,
  Number = 3,
  True = 4,
  False = 5,
  Null = 6,
  Object = 7,
  Array = 8,
}

/** What `scan` says of a line. */
export const enum ScanResult {
  NotJson = 0,
  Object = 1,
  /** Not read here (not an object, nested too deep, an escaped key): JSON.parse reads it. */
  Unread = 2,
}

// (core's lib is ES2022 without the DOM's or WebAssembly's types: what is used of the global here)
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
};

interface ScanExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  setKeys(n: number): void;
  setShapeKey(k: number): void;
  setTimeKey(k: number): void;
  setMinute(start: number): void;
  scan(start: number, end: number): number;
  rememberShape(): number;
  resetShapes(): void;
  dataStart(): number;
}

// The tables below the scanner's data (wasm/jsonScan.ts): keys, each key's value, the keys a line has, (the
// keys' hash), the keys' bytes.
const KEYS_AT = 0;
const OUT_AT = 2048;
const FOUND_AT = 5120;
const SHAPE_AT = 6200;
const TIME_AT = 6208;
/** f64: the start of the minute of the last time read (by the scanner, or given to it by `minuteIs`). */
const MINUTE_START_AT = 6240;
const KEY_BYTES_AT = 8448;
const KEY_BYTES_MAX = 7936;
/** (a reader looks for the keys through which the fields not found yet could be read too: over a hundred) */
export const MAX_SCAN_KEYS = 256;
/** The longest text copied into the scanner (files are read in chunks of 1 MiB). */
export const MAX_TEXT = 8 << 20;

let loaded: ScanExports | null | undefined;

function scanExports(): ScanExports | undefined {
  if (loaded === undefined) {
    try {
      const binary = atob(JSON_SCAN_WASM);
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
        env: {
          abort: () => {
            throw new Error('the JSON scanner stopped');
          },
        },
      });
      loaded = instance.exports as unknown as ScanExports;
    } catch {
      // (no WebAssembly, or no SIMD in it: JSON.parse reads every line, as it did)
      loaded = null;
    }
  }
  return loaded ?? undefined;
}

/**
 * What the scanner knows of the shape of the message of the line last scanned (see JsonLineScanner `shape`): a
 * message's digit skeleton, the same for every message that differs from it only in which digits it has (but for
 * a digit before an `x`). A reader hands it with the record it read from that line (ReaderContext `onRecord`).
 */
export interface MessageShape {
  /** The text attached to the shape (`attach`), if any. */
  readonly known: string | undefined;
  /** Attaches `text` to the shape (to every message of it, from now on). */
  attach(text: string): void;
}

/** The texts attached to shapes, by the scanner's number of the shape (one scanner module per thread). */
let shapeTexts: string[] = [];

/** The scanner whose keys and text the memory holds (by `id`). */
let owner = 0;
let scanners = 0;
const encoder = new TextEncoder();

export class JsonLineScanner implements MessageShape {
  private text: string | undefined;
  private ascii = false;
  private u8: Uint8Array | undefined;
  private i32: Int32Array | undefined;
  private f64: Float64Array | undefined;
  private base = 0;
  private readonly id = ++scanners;

  private constructor(
    private readonly exports: ScanExports,
    /** The keys looked for, ASCII, without quotes or backslashes. */
    readonly keys: readonly string[],
    /** The key whose values are messages (their `shape`), or -1. */
    private readonly shapeKey: number,
    /** The key whose values are times (`time`), or -1. */
    private readonly timeKey: number,
  ) {}

  /**
   * A scanner of these keys, or undefined when there is no scanner here or the keys do not fit its tables.
   * `shapeKey`: the index of the key whose values are messages (see `shape`); `timeKey`, times (see `time`).
   */
  static of(keys: readonly string[], shapeKey = -1, timeKey = -1): JsonLineScanner | undefined {
    if (keys.length > MAX_SCAN_KEYS || keys.reduce((n, k) => n + k.length, 0) > KEY_BYTES_MAX) return undefined;
    if (keys.some((k) => k === '' || !/^[\x20-\x7e]+$/.test(k) || /["\\]/.test(k))) return undefined;
    const exports = scanExports();
    return exports ? new JsonLineScanner(exports, keys, shapeKey, timeKey) : undefined;
  }

  /**
   * Makes `text` the text lines are scanned in (copied into the scanner once, and again only after another
   * scanner loaded); false when it cannot be scanned (not ASCII). `bytes`: the text's bytes, when it is their
   * one-byte (ASCII) reading: copied as they are, which costs less than encoding the text.
   */
  load(text: string, bytes?: Uint8Array): boolean {
    if (owner === this.id && this.text === text) return this.ascii;
    // (the memory never shrinks: a text bigger than a reader's chunks is parsed line by line instead)
    if (text.length > MAX_TEXT) return false;
    const ex = this.exports;
    this.base = ex.dataStart();
    // (the scanner reads up to 16 bytes past a line's end)
    const need = this.base + text.length + 32;
    if (ex.memory.buffer.byteLength < need) ex.memory.grow(Math.ceil((need - ex.memory.buffer.byteLength) / 65536));
    this.u8 = new Uint8Array(ex.memory.buffer);
    this.i32 = new Int32Array(ex.memory.buffer);
    this.f64 = new Float64Array(ex.memory.buffer);
    if (owner !== this.id) {
      let at = 0;
      this.keys.forEach((key, k) => {
        this.i32![(KEYS_AT >> 2) + k * 2] = at;
        this.i32![(KEYS_AT >> 2) + k * 2 + 1] = key.length;
        for (let m = 0; m < key.length; m++) this.u8![KEY_BYTES_AT + at + m] = key.charCodeAt(m);
        at += key.length;
      });
      ex.setKeys(this.keys.length);
      ex.setShapeKey(this.shapeKey);
      ex.setTimeKey(this.timeKey);
      owner = this.id;
    }
    if (bytes !== undefined && bytes.length === text.length) {
      this.u8.set(bytes, this.base);
      this.ascii = true;
    } else {
      // (a character that is not ASCII takes more than one byte: the text does not fit, and is not scanned)
      const r = encoder.encodeInto(text, this.u8.subarray(this.base, this.base + text.length));
      this.ascii = r.read === text.length && r.written === text.length;
    }
    this.text = text;
    return this.ascii;
  }

  /** Scans `text[start, end)` of the loaded text (one line). */
  scan(start: number, end: number): ScanResult {
    return this.exports.scan(this.base + start, this.base + end) as ScanResult;
  }

  /**
   * The shape of the message of the line last scanned (the value of the shape key): its number, -1 when it has
   * none yet, -2 when the line has no such message (no shape key, or a value not a string of at most 300
   * characters in the line without a `\u` escape).
   */
  shape(): number {
    return this.i32![SHAPE_AT >> 2]!;
  }

  get known(): string | undefined {
    const shape = this.shape();
    return shape >= 0 ? shapeTexts[shape] : undefined;
  }

  attach(text: string): void {
    if (this.shape() !== -1) return;
    let shape = this.exports.rememberShape();
    if (shape < 0) {
      // (the tables are full: they start again)
      this.exports.resetShapes();
      shapeTexts = [];
      shape = this.exports.rememberShape();
    }
    this.i32![SHAPE_AT >> 2] = shape;
    shapeTexts[shape] = text;
  }

  /**
   * The time of the line last scanned (the value of the time key) as values.ts `isoUtcIn` reads it, when it is
   * `YYYY-MM-DDTHH:MM:SS[.fff…]Z` of a minute the scanner read (a date of the calendar) or of the minute of the
   * last time `isoUtcIn` read here (`minuteIs`); else undefined, and `timeForm` says whether it has that form.
   */
  time(): number | undefined {
    return this.i32![TIME_AT >> 2] === 1 ? this.f64![MINUTE_START_AT >> 3]! + this.i32![(TIME_AT >> 2) + 1]! : undefined;
  }

  /** The time of the line last scanned has the form `time` reads (see `time`). */
  get timeForm(): boolean {
    return this.i32![TIME_AT >> 2] !== 0;
  }

  /** `isoUtcIn` read `time` from the time of the line last scanned (in the form `time` reads): its minute's start. */
  minuteIs(time: number): void {
    this.exports.setMinute(time - this.i32![(TIME_AT >> 2) + 1]!);
    this.i32![TIME_AT >> 2] = 1;
  }

  /** How many of the keys the line last scanned has (each once, however often it has it). */
  found(): number {
    return this.i32![FOUND_AT >> 2]!;
  }

  /** The `j`th key (0 ≤ j < `found()`) the line last scanned has, in the order of the line. */
  foundKey(j: number): number {
    return this.i32![(FOUND_AT >> 2) + 1 + j]!;
  }

  /** The kind of key `k`'s value on the line last scanned. */
  kind(k: number): ValueKind {
    return this.i32![(OUT_AT >> 2) + k * 3] as ValueKind;
  }

  /** Where key `k`'s value is in the loaded text, `[start, end)`: a string's without its quotes. */
  start(k: number): number {
    return this.i32![(OUT_AT >> 2) + k * 3 + 1]! - this.base;
  }

  end(k: number): number {
    return this.i32![(OUT_AT >> 2) + k * 3 + 2]! - this.base;
  }
}
