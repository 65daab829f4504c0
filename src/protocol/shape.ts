/**
 * Small shape checks for guards over messages that crossed the webview boundary (JSON: no undefined, NaN
 * arrives as null). Each one answers for a plain value; guards compose them per field.
 */
export type Check = (value: unknown) => boolean;

export const isString: Check = (v) => typeof v === 'string';
export const isNumber: Check = (v) => typeof v === 'number';
export const isIndex: Check = (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
export const isBoolean: Check = (v) => typeof v === 'boolean';

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Absent, or passing `check`. */
export function optional(check: Check): Check {
  return (v) => v === undefined || check(v);
}

export function nullable(check: Check): Check {
  return (v) => v === null || check(v);
}

export function arrayOf(check: Check): Check {
  return (v) => Array.isArray(v) && v.every((x) => check(x));
}

export function oneOf(...values: readonly unknown[]): Check {
  return (v) => values.includes(v);
}

/** A [string, string] pair, as attribute lists travel. */
export const isPair: Check = (v) => Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string';

/** An object whose listed fields pass their checks (other fields are ignored). */
export function fields(spec: Record<string, Check>): Check {
  const entries = Object.entries(spec);
  return (v) => isRecord(v) && entries.every(([k, check]) => check(v[k]));
}
