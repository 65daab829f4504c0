// One JSON Lines line checked as JSON.parse checks it, and the places of the values of some top-level keys,
// without building the object: the errors reader's read of JSON lines (src/core/logs/jsonScan.ts). AssemblyScript,
// compiled to WebAssembly by scripts/build-wasm.mjs into src/core/logs/jsonScanWasm.ts.
//
// Memory: below --memoryBase the tables the caller fills and reads (KEYS, OUT, FOUND, SHAPE_OUT, KEY_BYTES); from
// __heap_base the message shapes (`findShape`); from `dataStart()` the text, one byte per character (the caller
// gives only ASCII text, so offsets are the string's).

const KEYS: i32 = 0; // the keys looked for: [offset in KEY_BYTES i32, length i32] each, at most 256
const OUT: i32 = 2048; // per key, after `scan`: [kind i32, start i32, end i32] of its value (kind 0: not on the line)
const FOUND: i32 = 5120; // after `scan`: how many of the keys the line has (i32), then those keys (i32 each), in line order
const SHAPE_OUT: i32 = 6200; // after `scan`: the shape of the line's message (`findShape`), -1 when not known, -2 none
// after `scan`: the time of the line's time key, when it is `YYYY-MM-DDTHH:MM:SS[.fff…]Z`: [state i32 (0: not in
// that form; 1: of the minute MINUTE holds (now); 2: of a minute left to the caller), milliseconds in its minute i32]
const TIME_OUT: i32 = 6208;
const MINUTE: i32 = 6216; // the 16 bytes of the minute of the last time read (`YYYY-MM-DDTHH:MM`), then i32 1 once set
const MINUTE_START: i32 = 6240; // f64: the start of that minute, milliseconds since 1970 (UTC)
const HASH: i32 = 6400; // the keys by `hash` of their bytes: HASH_SIZE i16 slots of key + 1 (0: empty), linear probing
const HASH_SIZE: i32 = 1024;
const KEY_BYTES: i32 = 8448; // the keys' bytes, up to 7936

const MAX_DEPTH: i32 = 512;

let nKeys: i32 = 0;
let escaped: bool = false;
let unicodeEscaped: bool = false; // (of the last string: it has a \u escape)
let vStart: i32 = 0;
let vEnd: i32 = 0;
// Which key followed which on the line scanned last (by key index, FOLLOW_START for the first key): lines of a log
// keep one order, so the key at a place is most often the one that followed the key before it there, and is
// found by one comparison, not a hash (i32 each; 0 until known: a guess that is checked, like any other).
const FOLLOW_START: i32 = 256;
const FOLLOWS: usize = memory.data(4 * (FOLLOW_START + 1));
let lastKey: i32 = FOLLOW_START;

@inline function hash(s: i32, len: i32): i32 {
  let h: u32 = <u32>len;
  for (let m = 0; m < len; m++) h = h * 31 + <u32>load<u8>(s + m);
  return <i32>((h ^ (h >> 10)) & <u32>(HASH_SIZE - 1));
}

// The keys' table is filled (KEYS, KEY_BYTES): the hash of their bytes is made.
export function setKeys(n: i32): void {
  nKeys = n;
  store<i32>(FOUND, 0);
  for (let h = 0; h < HASH_SIZE; h++) store<i16>(HASH + h * 2, 0);
  for (let k = 0; k < n; k++) {
    store<i32>(OUT + k * 12, 0);
    let h = hash(KEY_BYTES + load<i32>(KEYS + k * 8), load<i32>(KEYS + k * 8 + 4));
    while (load<i16>(HASH + h * 2) != 0) h = (h + 1) & (HASH_SIZE - 1);
    store<i16>(HASH + h * 2, <i16>(k + 1));
  }
}

// Result codes of value parsing (negative): not JSON, or not read here (too deep).
const BAD: i32 = -1;
const DEEP: i32 = -2;

@inline function ws(i: i32, end: i32): i32 {
  while (i < end) {
    const c = load<u8>(i);
    if (c != 32 && c != 9 && c != 13 && c != 10) break;
    i++;
  }
  return i;
}

@inline function isHex(c: u32): bool {
  return (c - 48 < 10) || ((c | 32) - 97 < 6);
}

// After the opening quote at i-1: the offset of the closing quote, or BAD.
function stringEnd(i: i32, end: i32): i32 {
  escaped = false;
  unicodeEscaped = false;
  // 16 bytes at a time to the first quote, backslash or control character.
  const quote = i8x16.splat(34);
  const slash = i8x16.splat(92);
  const space = i8x16.splat(32);
  while (i + 16 <= end) {
    const b = v128.load(i);
    const hit = v128.or(v128.or(i8x16.eq(b, quote), i8x16.eq(b, slash)), i8x16.lt_u(b, space));
    const mask = i8x16.bitmask(hit);
    if (mask != 0) {
      i += ctz(mask);
      break;
    }
    i += 16;
  }
  while (i < end) {
    const c = load<u8>(i);
    if (c == 34) return i;
    if (c == 92) {
      escaped = true;
      if (i + 1 >= end) return BAD;
      const e = load<u8>(i + 1);
      if (e == 117) {
        unicodeEscaped = true;
        if (i + 5 >= end) return BAD;
        if (!isHex(load<u8>(i + 2)) || !isHex(load<u8>(i + 3)) || !isHex(load<u8>(i + 4)) || !isHex(load<u8>(i + 5))) return BAD;
        i += 6;
      } else if (e == 34 || e == 92 || e == 47 || e == 98 || e == 102 || e == 110 || e == 114 || e == 116) i += 2;
      else return BAD;
      continue;
    }
    if (c < 32) return BAD;
    i++;
  }
  return BAD;
}

@inline function digit(i: i32, end: i32): bool {
  return i < end && <u32>load<u8>(i) - 48 < 10;
}

function numberEnd(i: i32, end: i32): i32 {
  if (load<u8>(i) == 45) i++;
  if (i >= end) return BAD;
  const first = load<u8>(i);
  if (first == 48) i++;
  else if (<u32>first - 49 < 9) {
    i++;
    while (digit(i, end)) i++;
  } else return BAD;
  if (i < end && load<u8>(i) == 46) {
    i++;
    if (!digit(i, end)) return BAD;
    while (digit(i, end)) i++;
  }
  if (i < end && (load<u8>(i) | 32) == 101) {
    i++;
    if (i < end && (load<u8>(i) == 43 || load<u8>(i) == 45)) i++;
    if (!digit(i, end)) return BAD;
    while (digit(i, end)) i++;
  }
  return i;
}

@inline function literal(i: i32, end: i32, a: u32, b: u32, c: u32, d: u32, n: i32): i32 {
  if (i + n > end) return BAD;
  if (load<u8>(i + 1) != a || load<u8>(i + 2) != b || load<u8>(i + 3) != c) return BAD;
  if (n == 5 && load<u8>(i + 4) != d) return BAD;
  return i + n;
}

// Kinds of values.
const STRING: i32 = 1;
const ESCAPED: i32 = 2;
const NUMBER: i32 = 3;
const TRUE: i32 = 4;
const FALSE: i32 = 5;
const NULL: i32 = 6;
const OBJECT: i32 = 7;
const ARRAY: i32 = 8;

let kind: i32 = 0;

// A value at i (no whitespace before it): the offset after it, or BAD / DEEP; sets kind, vStart, vEnd.
function value(i: i32, end: i32, depth: i32): i32 {
  if (i >= end) return BAD;
  const c = load<u8>(i);
  if (c == 34) {
    const q = stringEnd(i + 1, end);
    if (q < 0) return BAD;
    kind = escaped ? ESCAPED : STRING;
    vStart = i + 1;
    vEnd = q;
    return q + 1;
  }
  if (c == 45 || <u32>c - 48 < 10) {
    const e = numberEnd(i, end);
    if (e < 0) return BAD;
    kind = NUMBER;
    vStart = i;
    vEnd = e;
    return e;
  }
  if (c == 116) {
    kind = TRUE;
    vStart = i;
    vEnd = literal(i, end, 114, 117, 101, 0, 4);
    return vEnd;
  }
  if (c == 102) {
    kind = FALSE;
    vStart = i;
    vEnd = literal(i, end, 97, 108, 115, 101, 5);
    return vEnd;
  }
  if (c == 110) {
    kind = NULL;
    vStart = i;
    vEnd = literal(i, end, 117, 108, 108, 0, 4);
    return vEnd;
  }
  if (c == 123 || c == 91) {
    if (depth >= MAX_DEPTH) return DEEP;
    const e = c == 123 ? object(i, end, depth + 1, false) : array(i, end, depth + 1);
    if (e < 0) return e;
    kind = c == 123 ? OBJECT : ARRAY;
    vStart = i;
    vEnd = e;
    return e;
  }
  return BAD;
}

function array(i: i32, end: i32, depth: i32): i32 {
  i = ws(i + 1, end);
  if (i < end && load<u8>(i) == 93) return i + 1;
  while (true) {
    i = value(i, end, depth);
    if (i < 0) return i;
    i = next(i, end, 93);
    if (i < 0 || closed) return i;
  }
  return BAD;
}

let closed: bool = false;

// After a value in an object or an array: the offset after the comma that follows it (and the whitespace after
// that), or after the closing bracket `close` (then `closed`), or BAD.
@inline function next(i: i32, end: i32, close: u32): i32 {
  i = ws(i, end);
  if (i >= end) return BAD;
  const c = load<u8>(i);
  closed = c == close;
  if (c == 44) return ws(i + 1, end);
  return closed ? i + 1 : BAD;
}

@inline function sameKey(k: i32, s: i32, len: i32): bool {
  const at = KEYS + k * 8;
  if (load<i32>(at + 4) != len) return false;
  const off = KEY_BYTES + load<i32>(at);
  for (let m = 0; m < len; m++) if (load<u8>(off + m) != load<u8>(s + m)) return false;
  return true;
}

// The key of text[s, e) among the keys table (the one that followed the key before it on the last line
// first, see FOLLOWS), or -1.
function keyIndex(s: i32, e: i32): i32 {
  const len = e - s;
  const follow = <i32>FOLLOWS + lastKey * 4;
  let k = load<i32>(follow);
  if (k >= nKeys || !sameKey(k, s, len)) {
    k = -1;
    for (let h = hash(s, len); ; h = (h + 1) & (HASH_SIZE - 1)) {
      const slot = <i32>load<i16>(HASH + h * 2);
      if (slot == 0) return -1;
      if (sameKey(slot - 1, s, len)) {
        k = slot - 1;
        break;
      }
    }
  }
  store<i32>(follow, k);
  lastKey = k;
  return k;
}

function object(i: i32, end: i32, depth: i32, top: bool): i32 {
  i = ws(i + 1, end);
  if (i < end && load<u8>(i) == 125) return i + 1;
  while (true) {
    if (i >= end || load<u8>(i) != 34) return BAD;
    const q = stringEnd(i + 1, end);
    if (q < 0) return BAD;
    let k = -1;
    if (top) {
      // (an escaped key may be one of ours once decoded: the line is left to JSON.parse)
      if (escaped) return DEEP;
      k = keyIndex(i + 1, q);
    }
    i = ws(q + 1, end);
    if (i >= end || load<u8>(i) != 58) return BAD;
    i = ws(i + 1, end);
    i = value(i, end, depth);
    if (i < 0) return i;
    if (k >= 0) {
      const o = OUT + k * 12;
      if (load<i32>(o) == 0) {
        const n = load<i32>(FOUND) + 1;
        store<i32>(FOUND, n);
        store<i32>(FOUND + n * 4, k);
      }
      store<i32>(o, kind);
      store<i32>(o + 4, vStart);
      store<i32>(o + 8, vEnd);
      if (k == shapeKey) shapeUnicode = kind == ESCAPED && unicodeEscaped;
    }
    i = next(i, end, 125);
    if (i < 0 || closed) return i;
  }
  return BAD;
}

// One line, memory[start, end): 1 when it is one JSON object (the kinds and places of the
// keys' values are in OUT, kind 0 for a key it does not have), 0 when it is not JSON, 2 when it is left to
// JSON.parse (not an object, too deep, an escaped key).
export function scan(start: i32, end: i32): i32 {
  // (only the keys the last line had are cleared)
  const found = load<i32>(FOUND);
  for (let j = 1; j <= found; j++) store<i32>(OUT + load<i32>(FOUND + j * 4) * 12, 0);
  store<i32>(FOUND, 0);
  store<i32>(SHAPE_OUT, -2);
  store<i32>(TIME_OUT, 0);
  lastKey = FOLLOW_START;
  let i = ws(start, end);
  if (i >= end || load<u8>(i) != 123) return 2;
  i = object(i, end, 1, true);
  if (i == DEEP) return 2;
  if (i < 0 || ws(i, end) != end) return 0;
  if (timeKey >= 0) {
    const o = OUT + timeKey * 12;
    if (load<i32>(o) == STRING) timeOf(load<i32>(o + 4), load<i32>(o + 8));
  }
  if (shapeKey >= 0) {
    const o = OUT + shapeKey * 12;
    const len = load<i32>(o + 8) - load<i32>(o + 4);
    const k = load<i32>(o);
    if ((k == STRING || (k == ESCAPED && !shapeUnicode)) && len <= MAX_SHAPE_LEN) {
      shapeStart = load<i32>(o + 4);
      shapeLen = len;
      store<i32>(SHAPE_OUT, findShape(shapeStart, len));
    }
  }
  return 1;
}

// Times: the form most JSON loggers write, read as src/core/logs/values.ts `isoUtcIn` reads it; the minute is the
// caller's to check and turn into a time (`setMinute` once it has), the seconds and milliseconds are read here.
let timeKey: i32 = -1;
let timeStart: i32 = 0;

// The key whose values are times (its index in KEYS), or -1.
export function setTimeKey(k: i32): void {
  timeKey = k;
}

function timeOf(s: i32, e: i32): void {
  const n = e - s;
  if (n < 20 || n > 30 || load<u8>(s + 10) != 84 || load<u8>(e - 1) != 90 || load<u8>(s + 16) != 58) return;
  const s1 = <u32>load<u8>(s + 17) - 48;
  const s2 = <u32>load<u8>(s + 18) - 48;
  if (s1 > 5 || s2 > 9) return;
  let ms: u32 = 0;
  if (load<u8>(s + 19) == 46) {
    // (the first three digits of the fraction count, as milliseconds)
    let scale: u32 = 100;
    for (let i = s + 20; i < e - 1; i++) {
      const d = <u32>load<u8>(i) - 48;
      if (d > 9) return;
      ms += d * scale;
      scale /= 10;
    }
  } else if (n != 20) return;
  timeStart = s;
  store<i32>(TIME_OUT + 4, <i32>((s1 * 10 + s2) * 1000 + ms));
  const same = load<i32>(MINUTE + 16) != 0 && !v128.any_true(v128.xor(v128.load(s), v128.load(MINUTE)));
  store<i32>(TIME_OUT, same || newMinute(s) ? 1 : 2);
}

@inline function digits2(at: i32): i32 {
  const a = <u32>load<u8>(at) - 48;
  const b = <u32>load<u8>(at + 1) - 48;
  return a > 9 || b > 9 ? -1 : <i32>(a * 10 + b);
}

// A minute `YYYY-MM-DDTHH:MM` at `s` that is a date of the calendar (Date.parse, which isoUtcIn asks, also rolls
// 02-30 or 24:00 over: those are left to the caller) becomes the one MINUTE holds, with its start; false if not.
// Read here, a new minute does not leave the caller's fast path once a minute (a path it has never run by then).
function newMinute(s: i32): bool {
  const y1 = digits2(s);
  const y2 = digits2(s + 2);
  const month = digits2(s + 5);
  const day = digits2(s + 8);
  const hour = digits2(s + 11);
  const minute = digits2(s + 14);
  if (y1 < 0 || y2 < 0 || load<u8>(s + 4) != 45 || load<u8>(s + 7) != 45 || load<u8>(s + 13) != 58) return false;
  if (month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) return false;
  const year = y1 * 100 + y2;
  const leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
  const days = month == 2 ? (leap ? 29 : 28) : month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
  if (day > days) return false;
  // days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil, years from March)
  const y = month <= 2 ? year - 1 : year;
  const era = (y >= 0 ? y : y - 399) / 400;
  const yoe = y - era * 400;
  const doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const since = era * 146097 + doe - 719468;
  store<f64>(MINUTE_START, <f64>since * 86400000.0 + <f64>(hour * 3600000 + minute * 60000));
  v128.store(MINUTE, v128.load(s));
  store<i32>(MINUTE + 16, 1);
  return true;
}

// The minute of the time of the line last scanned starts at `start` (the caller read it).
export function setMinute(start: f64): void {
  store<f64>(MINUTE_START, start);
  v128.store(MINUTE, v128.load(timeStart));
  store<i32>(MINUTE + 16, 1);
}

// Message shapes: a message's digit skeleton (a digit reads as 0, but for one before an `x`, as `0x` is a hex
// prefix), so that what the caller computed from one message (its normalised text) is found again for every
// message of that shape without being computed again. From __heap_base: a hash of SHAPE_SLOTS i32 slots (entry
// + 1, 0: empty; linear probing), SHAPE_MAX entries [offset in the bytes i32, length i32], SHAPE_BYTES bytes of
// skeletons. Only string values of at most MAX_SHAPE_LEN bytes of the key `setShapeKey` names have one, and
// not those with a \u escape: the escapes JSON has but \u hold no digit and make no `x`, so messages of one raw
// skeleton decode to messages of one skeleton; `\u0041` and `\u0042` share a raw skeleton and decode to letters.
const SHAPE_SLOTS: i32 = 65536;
const SHAPE_MAX: i32 = 16384;
const SHAPE_BYTES: i32 = 1 << 20;
const MAX_SHAPE_LEN: i32 = 300;

let shapeKey: i32 = -1;
let shapes: i32 = 0;
let shapeBytes: i32 = 0;
// The message of the line last scanned, and its skeleton's hash.
let shapeStart: i32 = 0;
let shapeLen: i32 = 0;
let shapeHash: i32 = 0;
let shapeUnicode: bool = false; // (the message of the line being scanned has a \u escape)

@inline function shapeSlots(): i32 {
  return (<i32>__heap_base + 15) & ~15;
}

@inline function shapeEntries(): i32 {
  return shapeSlots() + SHAPE_SLOTS * 4;
}

@inline function shapeSkeletons(): i32 {
  return shapeEntries() + SHAPE_MAX * 8;
}

// The key whose value is the message (its index in KEYS), or -1.
export function setShapeKey(k: i32): void {
  shapeKey = k;
}

// The skeleton's byte at m of the message at s of length len (the byte after a message is its closing quote).
@inline function skeletonByte(s: i32, m: i32): u32 {
  const c = <u32>load<u8>(s + m);
  if (c - 48 < 10 && (<u32>load<u8>(s + m + 1) | 32) != 120) return 48;
  return c;
}

const LANES: v128 = i8x16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);

// The skeleton's 16 bytes at p, those from `left` on zero.
@inline function skeletonVector(p: i32, left: i32): v128 {
  const b = v128.load(p);
  const digit = i8x16.lt_u(i8x16.sub(b, i8x16.splat(48)), i8x16.splat(10));
  const beforeX = i8x16.eq(v128.or(v128.load(p + 1), i8x16.splat(32)), i8x16.splat(120));
  const v = v128.bitselect(i8x16.splat(48), b, v128.andnot(digit, beforeX));
  return left >= 16 ? v : v128.and(v, i8x16.lt_u(LANES, i8x16.splat(<i8>left)));
}

// The shape of the message at s of length len, or -1. (16 bytes at a time: the text has room after it)
function findShape(s: i32, len: i32): i32 {
  let h: u64 = <u64>len;
  for (let m = 0; m < len; m += 16) {
    const v = skeletonVector(s + m, len - m);
    h = (h ^ i64x2.extract_lane(v, 0)) * 0x9e3779b97f4a7c15;
    h = (h ^ i64x2.extract_lane(v, 1)) * 0x9e3779b97f4a7c15;
  }
  shapeHash = <i32>(h ^ (h >> 29) ^ (h >> 47));
  const slots = shapeSlots();
  const entries = shapeEntries();
  const skeletons = shapeSkeletons();
  for (let slot = shapeHash & (SHAPE_SLOTS - 1); ; slot = (slot + 1) & (SHAPE_SLOTS - 1)) {
    const e = load<i32>(slots + slot * 4);
    if (e == 0) return -1;
    const at = entries + (e - 1) * 8;
    if (load<i32>(at + 4) != len) continue;
    const off = skeletons + load<i32>(at);
    let m = 0;
    for (; m < len; m += 16) {
      const left = len - m;
      let d = v128.xor(skeletonVector(s + m, left), v128.load(off + m));
      if (left < 16) d = v128.and(d, i8x16.lt_u(LANES, i8x16.splat(<i8>left)));
      if (v128.any_true(d)) break;
    }
    if (m >= len) return e - 1;
  }
  return -1;
}

// Makes the message of the line last scanned a shape (it had none: SHAPE_OUT -1): its number, or -1 when the
// tables are full (`resetShapes`, and again).
export function rememberShape(): i32 {
  if (shapes >= SHAPE_MAX || shapeBytes + shapeLen > SHAPE_BYTES) return -1;
  const id = shapes++;
  const at = shapeEntries() + id * 8;
  store<i32>(at, shapeBytes);
  store<i32>(at + 4, shapeLen);
  const off = shapeSkeletons() + shapeBytes;
  for (let m = 0; m < shapeLen; m++) store<u8>(off + m, <u8>skeletonByte(shapeStart, m));
  shapeBytes += shapeLen;
  const slots = shapeSlots();
  let slot = shapeHash & (SHAPE_SLOTS - 1);
  while (load<i32>(slots + slot * 4) != 0) slot = (slot + 1) & (SHAPE_SLOTS - 1);
  store<i32>(slots + slot * 4, id + 1);
  return id;
}

export function resetShapes(): void {
  memory.fill(shapeSlots(), 0, SHAPE_SLOTS * 4);
  shapes = 0;
  shapeBytes = 0;
}

// Where the text may go: after this module's own data and the shapes (the tables above are below --memoryBase).
export function dataStart(): i32 {
  return shapeSkeletons() + SHAPE_BYTES;
}
