/** Small conversions shared by the trace, log and metric readers: ids, times, enums, attributes. */
import type { AttributeValue, Attributes, SpanKind, StatusCode } from './types';
import { SPAN_KINDS } from './types';

const HEX = /^[0-9a-fA-F]+$/;
const B64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const B64_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64ToHex(text: string): string | undefined {
  const clean = text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  let bits = 0;
  let acc = 0;
  let out = '';
  for (const ch of clean) {
    const v = B64_DIGITS.indexOf(ch);
    if (v < 0) return undefined;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += ((acc >> bits) & 0xff).toString(16).padStart(2, '0');
    }
  }
  return out;
}

/**
 * Trace and span ids: OTLP/JSON writes hex, protobuf's JSON mapping writes base64; Jaeger and Zipkin write
 * hex, sometimes shorter than 16 digits. Returns lower-case hex (zero-padded to 16 or 32 digits when the
 * input was short hex), or the trimmed input when it is neither, so nothing is lost.
 */
export function normalizeId(value: unknown, bytes: 8 | 16): string {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value).toString(16).padStart(bytes * 2, '0');
  if (typeof value !== 'string') return '';
  const text = value.trim();
  if (text === '') return '';
  // Base64 of 8 or 16 bytes ends in '=' (or, unpadded, is 11 or 22 characters): hex wins any tie.
  if (HEX.test(text) && text.length <= bytes * 2) return text.toLowerCase().padStart(bytes * 2, '0');
  const b64len = Math.ceil((bytes * 4) / 3);
  if (B64.test(text) && text.replace(/=+$/, '').length === b64len) {
    const hex = base64ToHex(text);
    if (hex && hex.length === bytes * 2) return hex;
  }
  if (HEX.test(text)) return text.toLowerCase();
  return text;
}

/** A time written as a number or a string of digits, in the unit given; ISO-8601 strings are accepted too. */
export function toMicros(value: unknown, unit: 'ns' | 'us' | 'ms' | 's'): number | undefined {
  if (unit === 'ns' && typeof value === 'string' && value.length >= 16 && value.length <= 21) {
    // Fast path for OTLP's decimal nanosecond strings (beyond 2^53): split so microseconds stay exact.
    const us = Number(value.slice(0, -3));
    const frac = Number(value.slice(-3));
    if (Number.isInteger(us) && Number.isInteger(frac) && us >= 0 && frac >= 0 && value.charCodeAt(value.length - 4) !== 46) return us + frac / 1000;
  }
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'bigint') n = Number(value);
  else if (typeof value === 'string') {
    const t = value.trim();
    if (t === '') return undefined;
    // Nanosecond strings exceed 2^53: split off the last three digits so microseconds stay exact.
    if (unit === 'ns' && /^\d{16,}$/.test(t)) return Number(t.slice(0, -3)) + Number(t.slice(-3)) / 1000;
    if (/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(t)) n = Number(t);
    else {
      const ms = Date.parse(t);
      return Number.isFinite(ms) ? ms * 1000 : undefined;
    }
  } else return undefined;
  if (!Number.isFinite(n)) return undefined;
  switch (unit) {
    case 'ns':
      return n / 1000;
    case 'us':
      return n;
    case 'ms':
      return n * 1000;
    case 's':
      return n * 1e6;
  }
}

export function spanKind(value: unknown): SpanKind {
  if (typeof value === 'number') return SPAN_KINDS[value] ?? 'UNSPECIFIED';
  if (typeof value === 'string') {
    const t = value.trim().toUpperCase().replace(/^SPAN_KIND_/, '');
    if (/^\d+$/.test(t)) return SPAN_KINDS[Number(t)] ?? 'UNSPECIFIED';
    return (SPAN_KINDS as readonly string[]).includes(t) ? (t as SpanKind) : 'UNSPECIFIED';
  }
  return 'UNSPECIFIED';
}

export function statusCode(value: unknown): StatusCode {
  if (value === 2 || value === '2') return 'ERROR';
  if (value === 1 || value === '1') return 'OK';
  if (typeof value === 'string') {
    const t = value.toUpperCase().replace(/^STATUS_CODE_/, '');
    if (t === 'ERROR') return 'ERROR';
    if (t === 'OK') return 'OK';
  }
  return 'UNSET';
}

/** An OTLP AnyValue ({stringValue} | {intValue} | …) as a plain value. */
export function anyValue(v: unknown, depth = 0): AttributeValue {
  if (typeof v !== 'object' || v === null || depth > 16) return null;
  const o = v as Record<string, unknown>;
  if ('stringValue' in o) return typeof o.stringValue === 'string' ? o.stringValue : String(o.stringValue);
  if ('intValue' in o) {
    const n = Number(o.intValue);
    return Number.isSafeInteger(n) ? n : String(o.intValue);
  }
  if ('doubleValue' in o) {
    const n = Number(o.doubleValue);
    return Number.isFinite(n) ? n : String(o.doubleValue);
  }
  if ('boolValue' in o) return o.boolValue === true || o.boolValue === 'true';
  if ('bytesValue' in o) return String(o.bytesValue);
  if ('arrayValue' in o) {
    const values = (o.arrayValue as { values?: unknown } | null)?.values;
    return Array.isArray(values) ? values.map((x) => anyValue(x, depth + 1)) : [];
  }
  if ('kvlistValue' in o) return otlpAttributes((o.kvlistValue as { values?: unknown } | null)?.values, depth + 1);
  return null;
}

function safeSet(target: Attributes, key: string, value: AttributeValue): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** OTLP `[{key, value:{…}}]` attributes. */
export function otlpAttributes(list: unknown, depth = 0): Attributes {
  const out: Attributes = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list) {
    if (typeof kv !== 'object' || kv === null) continue;
    const key = (kv as { key?: unknown }).key;
    if (typeof key !== 'string') continue;
    safeSet(out, key, anyValue((kv as { value?: unknown }).value, depth));
  }
  return out;
}

/** Jaeger `[{key, type, value}]` tags. */
export function jaegerTags(list: unknown): Attributes {
  const out: Attributes = {};
  if (!Array.isArray(list)) return out;
  for (const t of list) {
    if (typeof t !== 'object' || t === null) continue;
    const { key, value } = t as { key?: unknown; value?: unknown };
    if (typeof key !== 'string') continue;
    safeSet(out, key, plainValue(value));
  }
  return out;
}

/** Any JSON value as an attribute value (Zipkin tags, Jaeger tag values). */
export function plainValue(v: unknown, depth = 0): AttributeValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (Array.isArray(v)) return depth > 16 ? null : v.map((x) => plainValue(x, depth + 1));
  if (typeof v === 'object' && depth <= 16) {
    const out: Attributes = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) safeSet(out, k, plainValue(x, depth + 1));
    return out;
  }
  return null;
}

export function stringAttr(a: Attributes | undefined, ...keys: string[]): string | undefined {
  if (!a) return undefined;
  for (const k of keys) {
    const v = a[k];
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'number') return String(v);
  }
  return undefined;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
