/**
 * Reads an A/B test from JSON or CSV. Never throws: every problem becomes a ValidationIssue naming where it
 * is and what to do, and numbers that are not usable never reach the statistics (no NaN on screen).
 *
 * JSON: {"variants": [{"name", "sampleSize", "successes", "metricValues"? | "metricMean"/"metricStd"?,
 *        "daily"?: [{"day", "sampleSize", "successes"}]}], "segments"?: [{"name", "variants": [...]}],
 *        "expectedSplit"?: [weights], "alpha"?: 0.05, "power"?: 0.8, "mde"?: 0.1, "looks"?: n,
 *        "runningPValues"?: [p...]} — the first variant is the control.
 * CSV:  one row per variant (and segment): variant,[segment,]sampleSize,successes[,metricMean,metricStd]
 *       or one row per user: variant,[segment,]converted[,value][,day] — aggregated on load.
 */
import { readCsvText, type CsvReadSummary } from '../csv/records';
import type { AbTestInput, DayInput, ParseResult, SegmentInput, ValidationIssue, VariantInput } from './types';
import { errorMessage } from '../util/errors';

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: Json): string {
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return String(v);
}

class Reader {
  readonly issues: ValidationIssue[] = [];

  error(type: string, message: string, where?: string): void {
    this.issues.push({ type, severity: 'error', message, ...(where ? { where } : {}) });
  }

  warn(type: string, message: string, where?: string): void {
    this.issues.push({ type, severity: 'warning', message, ...(where ? { where } : {}) });
  }

  /** A finite number (JSON number or numeric string), or undefined with an issue. */
  number(v: Json, where: string, options: { integer?: boolean; min?: number; required?: boolean } = {}): number | undefined {
    if (v === undefined || v === null || v === '') {
      if (options.required !== false) this.error('missing-value', `${where} is missing; give a number`, where);
      return undefined;
    }
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : NaN;
    if (!Number.isFinite(n)) {
      this.error('not-a-number', `${where} must be a finite number, found ${describe(v)}`, where);
      return undefined;
    }
    if (options.min !== undefined && n < options.min) {
      this.error('negative-value', `${where} must be ${options.min === 0 ? 'zero or more' : `at least ${options.min}`}, found ${n}`, where);
      return undefined;
    }
    if (options.integer && !Number.isInteger(n)) {
      this.error('not-an-integer', `${where} counts users and must be a whole number, found ${n}`, where);
      return undefined;
    }
    // A count past 2^53 is not a count of users (and squares of it overflow the χ² to Infinity).
    if (options.integer && !Number.isSafeInteger(n)) {
      this.error('not-an-integer', `${where} counts users; ${n} is too large to be a count`, where);
      return undefined;
    }
    return n;
  }
}

function readVariant(r: Reader, v: Json, where: string, index: number): VariantInput | undefined {
  if (!isObject(v)) {
    r.error('bad-variant', `${where} must be an object like {"name": "control", "sampleSize": 1000, "successes": 100}, found ${describe(v)}`, where);
    return undefined;
  }
  let name = typeof v.name === 'string' && v.name.trim() ? v.name.trim() : undefined;
  if (!name) {
    name = index === 0 ? 'control' : `variant ${index + 1}`;
    r.warn('unnamed-variant', `${where} has no name; calling it "${name}"`, where);
  }
  const sampleSize = r.number(v.sampleSize, `${where}.sampleSize`, { integer: true, min: 0 });
  const successes = r.number(v.successes, `${where}.successes`, { integer: true, min: 0 });
  if (sampleSize === 0) r.error('zero-samples', `${where} ("${name}") has no users (sampleSize 0); there is nothing to compare`, `${where}.sampleSize`);
  if (sampleSize !== undefined && successes !== undefined && successes > sampleSize) {
    r.error('successes-exceed-sample-size', `${where} ("${name}") has ${successes} successes out of ${sampleSize} users; successes cannot exceed sampleSize (swapped columns?)`, `${where}.successes`);
  }
  const out: VariantInput = { name, sampleSize: sampleSize ?? 0, successes: successes ?? 0 };
  if (v.metricValues !== undefined) {
    if (!Array.isArray(v.metricValues)) r.error('bad-metric-values', `${where}.metricValues must be a list of numbers`, `${where}.metricValues`);
    else {
      const values: number[] = [];
      let bad = 0;
      for (const x of v.metricValues) {
        if (typeof x === 'number' && Number.isFinite(x)) values.push(x);
        else bad++;
      }
      if (bad > 0) r.error('not-a-number', `${where}.metricValues has ${bad} value${bad === 1 ? '' : 's'} that ${bad === 1 ? 'is' : 'are'} not finite numbers (NaN, null, text); remove or fix them`, `${where}.metricValues`);
      out.metricValues = values;
    }
  }
  if (v.metricMean !== undefined || v.metricStd !== undefined) {
    const mean = r.number(v.metricMean, `${where}.metricMean`);
    const std = r.number(v.metricStd, `${where}.metricStd`, { min: 0 });
    if (mean !== undefined) out.metricMean = mean;
    if (std !== undefined) out.metricStd = std;
  }
  if (v.daily !== undefined) {
    if (!Array.isArray(v.daily)) r.error('bad-daily', `${where}.daily must be a list of {"day", "sampleSize", "successes"}`, `${where}.daily`);
    else {
      const days: DayInput[] = [];
      v.daily.forEach((d, i) => {
        const w = `${where}.daily[${i}]`;
        if (!isObject(d)) return r.error('bad-daily', `${w} must be an object`, w);
        const n = r.number(d.sampleSize, `${w}.sampleSize`, { integer: true, min: 0 });
        const s = r.number(d.successes, `${w}.successes`, { integer: true, min: 0 });
        if (n !== undefined && s !== undefined && s > n) r.error('successes-exceed-sample-size', `${w} has ${s} successes out of ${n} users`, w);
        days.push({ day: typeof d.day === 'string' || typeof d.day === 'number' ? String(d.day) : `day ${i + 1}`, sampleSize: n ?? 0, successes: s ?? 0 });
      });
      out.daily = days;
    }
  }
  return out;
}

function readVariants(r: Reader, list: Json, where: string): VariantInput[] {
  if (!Array.isArray(list)) {
    r.error('missing-variants', `${where} must be a list of variants (the first is the control)`, where);
    return [];
  }
  const out: VariantInput[] = [];
  list.forEach((v, i) => {
    const variant = readVariant(r, v, `${where}[${i}]`, i);
    if (variant) out.push(variant);
  });
  return out;
}

/** Checks that apply however the input was read. */
function checkStructure(r: Reader, input: AbTestInput): void {
  if (input.variants.length < 2) {
    r.error('one-variant', input.variants.length === 0 ? 'No variants found; an A/B test needs a control and at least one treatment' : `Only one variant ("${input.variants[0]!.name}"); an A/B test needs a control and at least one treatment to compare`, 'variants');
  }
  const seen = new Set<string>();
  for (const v of input.variants) {
    if (seen.has(v.name)) r.error('duplicate-variant', `Variant "${v.name}" appears twice; names must be unique`, 'variants');
    seen.add(v.name);
  }
  if (input.expectedSplit && input.expectedSplit.length !== input.variants.length) {
    r.error('bad-expected-split', `expectedSplit has ${input.expectedSplit.length} weights for ${input.variants.length} variants; give one weight per variant, e.g. [50, 50]`, 'expectedSplit');
    delete input.expectedSplit;
  }
  for (const seg of input.segments ?? []) {
    const names = new Set(seg.variants.map((v) => v.name));
    for (const v of input.variants) {
      if (!names.has(v.name)) r.warn('segment-missing-variant', `Segment "${seg.name}" has no data for "${v.name}"; it is left out of the Simpson's-paradox check`, `segments.${seg.name}`);
    }
    for (const v of seg.variants) {
      if (!seen.has(v.name)) r.warn('segment-unknown-variant', `Segment "${seg.name}" names a variant "${v.name}" that is not in variants`, `segments.${seg.name}`);
    }
  }
}

export function parseAbTestJson(text: string): ParseResult {
  const r = new Reader();
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch (e) {
    r.error('invalid-json', `Not valid JSON: ${errorMessage(e)}`);
    return { issues: r.issues, format: 'json' };
  }
  if (!isObject(doc)) {
    r.error('invalid-json', `Expected a JSON object with "variants", found ${describe(doc)}`);
    return { issues: r.issues, format: 'json' };
  }
  const variants = readVariants(r, doc.variants, 'variants');
  const alpha = doc.alpha === undefined ? 0.05 : r.number(doc.alpha, 'alpha');
  const power = doc.power === undefined ? 0.8 : r.number(doc.power, 'power');
  const input: AbTestInput = { variants, alpha: 0.05, power: 0.8 };
  if (alpha !== undefined) {
    if (alpha > 0 && alpha < 0.5) input.alpha = alpha;
    else r.error('bad-alpha', `alpha must be between 0 and 0.5 (usually 0.05), found ${alpha}`, 'alpha');
  }
  if (power !== undefined) {
    if (power > 0 && power < 1) input.power = power;
    else r.error('bad-power', `power must be between 0 and 1 (usually 0.8), found ${power}`, 'power');
  }
  if (typeof doc.name === 'string') input.name = doc.name;
  if (typeof doc.metricName === 'string') input.metricName = doc.metricName;
  if (doc.mde !== undefined) {
    const mde = r.number(doc.mde, 'mde');
    if (mde !== undefined && mde !== 0 && mde > -1) input.mde = mde;
    else if (mde !== undefined) r.error('bad-mde', `mde is a relative change such as 0.1 for +10 %, found ${mde}`, 'mde');
  }
  if (doc.expectedSplit !== undefined) {
    if (!Array.isArray(doc.expectedSplit)) r.error('bad-expected-split', 'expectedSplit must be a list of weights, e.g. [50, 50]', 'expectedSplit');
    else {
      const weights = doc.expectedSplit.map((w, i) => r.number(w, `expectedSplit[${i}]`, { min: 0 }));
      if (weights.every((w): w is number => w !== undefined) && weights.some((w) => w > 0)) {
        if (weights.some((w) => w === 0)) r.error('bad-expected-split', 'expectedSplit has a zero weight; a variant planned to get no traffic cannot be tested', 'expectedSplit');
        else input.expectedSplit = weights;
      }
    }
  }
  if (doc.looks !== undefined) {
    const looks = r.number(doc.looks, 'looks', { integer: true, min: 1 });
    if (looks !== undefined) input.looks = looks;
  }
  if (doc.runningPValues !== undefined) {
    if (Array.isArray(doc.runningPValues)) {
      const ps = doc.runningPValues.map((p, i) => r.number(p, `runningPValues[${i}]`, { min: 0 }));
      if (ps.every((p): p is number => p !== undefined && p <= 1)) input.runningPValues = ps;
      else r.error('bad-p-values', 'runningPValues must be numbers between 0 and 1', 'runningPValues');
    } else r.error('bad-p-values', 'runningPValues must be a list of p-values from earlier looks', 'runningPValues');
  }
  if (doc.segments !== undefined) {
    if (!Array.isArray(doc.segments)) r.error('bad-segments', 'segments must be a list of {"name", "variants": [...]}', 'segments');
    else {
      const segments: SegmentInput[] = [];
      doc.segments.forEach((s, i) => {
        if (!isObject(s)) return r.error('bad-segments', `segments[${i}] must be an object with "name" and "variants"`, `segments[${i}]`);
        const name = typeof s.name === 'string' && s.name.trim() ? s.name.trim() : `segment ${i + 1}`;
        segments.push({ name, variants: readVariants(r, s.variants, `segments[${i}].variants`) });
      });
      input.segments = segments;
    }
  }
  checkStructure(r, input);
  return { input, issues: r.issues, format: 'json' };
}

const HEADER_ALIASES: Record<string, string[]> = {
  variant: ['variant', 'arm', 'group', 'bucket', 'treatment_group', 'name'],
  segment: ['segment', 'stratum', 'cohort'],
  sampleSize: ['samplesize', 'sample_size', 'n', 'users', 'visitors', 'samples', 'trials', 'exposures'],
  successes: ['successes', 'conversions', 'converted_count', 'success_count'],
  converted: ['converted', 'conversion', 'success', 'outcome', 'clicked'],
  value: ['value', 'metric', 'revenue', 'amount'],
  day: ['day', 'date'],
  metricMean: ['metricmean', 'metric_mean', 'mean'],
  metricStd: ['metricstd', 'metric_std', 'std', 'sd'],
};

export function columnIndex(header: string[]): Record<string, number> {
  const normal = header.map((h) => h.trim().toLowerCase().replace(/[\s-]+/g, '_'));
  const out: Record<string, number> = {};
  for (const [key, aliases] of Object.entries(HEADER_ALIASES)) {
    const i = normal.findIndex((h) => aliases.includes(h) || aliases.includes(h.replace(/_/g, '')));
    if (i >= 0) out[key] = i;
  }
  return out;
}

function truthy(v: string): boolean | undefined {
  const s = v.trim().toLowerCase();
  if (['1', 'true', 'yes', 'y', 't'].includes(s)) return true;
  if (['0', 'false', 'no', 'n', 'f'].includes(s)) return false;
  return undefined;
}

interface Acc {
  n: number;
  s: number;
  values: number[];
  days: Map<string, { n: number; s: number }>;
}

/**
 * An A/B test CSV read record by record (src/core/csv: in memory or streamed from a file), aggregated as it
 * goes: a file of millions of users costs its counts (and metric values), not its rows.
 */
export class AbTestCsvReader {
  private readonly r = new Reader();
  private header: string[] | undefined;
  private col: Record<string, number> = {};
  /** undefined until the header is read; 'bad' when it is not an A/B test header. */
  private mode: 'users' | 'variants' | 'bad' | undefined;
  private readonly order: string[] = [];
  private readonly segOrder: string[] = [];
  // One row per user
  private readonly total = new Map<string, Acc>();
  private readonly bySeg = new Map<string, Map<string, Acc>>();
  private badRows = 0;
  private firstBad = '';
  // One row per variant
  private readonly totals = new Map<string, VariantInput>();
  private readonly segs = new Map<string, VariantInput[]>();

  /** False once the header shows the file is not an A/B test (the rest need not be read). */
  get usable(): boolean {
    return this.mode !== 'bad';
  }

  private cell(row: string[], key: string): string {
    return this.col[key] === undefined ? '' : (row[this.col[key]!] ?? '').trim();
  }

  private note(name: string, list: string[]): void {
    if (!list.includes(name)) list.push(name);
  }

  readonly record = (row: string[], line: number): void => {
    if (this.mode === undefined) return this.readHeader(row);
    if (this.mode === 'users') this.userRow(row, line);
    else if (this.mode === 'variants') this.variantRow(row, line);
  };

  private readHeader(header: string[]): void {
    this.header = header;
    this.col = columnIndex(header);
    if (this.col.variant === undefined) {
      this.r.error('csv-header', `The CSV header (${header.join(',').slice(0, 80)}) has no "variant" column; expected "variant,sampleSize,successes" (one row per variant) or "variant,converted" (one row per user)`, 'line 1');
      this.mode = 'bad';
      return;
    }
    const perUser = this.col.sampleSize === undefined && this.col.converted !== undefined;
    if (!perUser && (this.col.sampleSize === undefined || this.col.successes === undefined)) {
      this.r.error('csv-header', 'The CSV needs either "sampleSize" and "successes" columns (one row per variant) or a "converted" column (one row per user)', 'line 1');
      this.mode = 'bad';
      return;
    }
    this.mode = perUser ? 'users' : 'variants';
  }

  private acc(m: Map<string, Acc>, k: string): Acc {
    let a = m.get(k);
    if (!a) m.set(k, (a = { n: 0, s: 0, values: [], days: new Map() }));
    return a;
  }

  private userRow(row: string[], line: number): void {
    const variant = this.cell(row, 'variant');
    const converted = truthy(this.cell(row, 'converted'));
    if (!variant || converted === undefined) {
      this.badRows++;
      this.firstBad ||= `line ${line}: ${!variant ? 'no variant' : `"${this.cell(row, 'converted').slice(0, 20)}" is not 0/1/true/false`}`;
      return;
    }
    this.note(variant, this.order);
    const targets = [this.acc(this.total, variant)];
    const segment = this.cell(row, 'segment');
    if (segment) {
      this.note(segment, this.segOrder);
      let m = this.bySeg.get(segment);
      if (!m) this.bySeg.set(segment, (m = new Map()));
      targets.push(this.acc(m, variant));
    }
    const rawValue = this.cell(row, 'value');
    const value = rawValue === '' ? undefined : Number(rawValue);
    if (value !== undefined && !Number.isFinite(value)) {
      this.badRows++;
      this.firstBad ||= `line ${line}: value "${rawValue.slice(0, 20)}" is not a number`;
    }
    const day = this.cell(row, 'day');
    for (const a of targets) {
      a.n++;
      if (converted) a.s++;
      if (value !== undefined && Number.isFinite(value)) a.values.push(value);
    }
    if (day) {
      const d = targets[0]!.days.get(day) ?? { n: 0, s: 0 };
      d.n++;
      if (converted) d.s++;
      targets[0]!.days.set(day, d);
    }
  }

  private variantRow(row: string[], line: number): void {
    const where = `line ${line}`;
    const name = this.cell(row, 'variant');
    if (!name) return this.r.error('missing-value', `${where}: no variant name`, where);
    const doc: Record<string, Json> = { name, sampleSize: this.cell(row, 'sampleSize'), successes: this.cell(row, 'successes') };
    if (this.cell(row, 'metricMean') !== '') doc.metricMean = this.cell(row, 'metricMean');
    if (this.cell(row, 'metricStd') !== '') doc.metricStd = this.cell(row, 'metricStd');
    const v = readVariant(this.r, doc, `${where} (${name})`, this.order.length);
    if (!v) return;
    const segment = this.cell(row, 'segment');
    if (segment) {
      this.note(segment, this.segOrder);
      const list = this.segs.get(segment) ?? [];
      list.push(v);
      this.segs.set(segment, list);
      this.note(name, this.order);
    } else {
      if (this.totals.has(name)) this.r.error('duplicate-variant', `${where}: variant "${name}" appears twice`, where);
      this.totals.set(name, v);
      this.note(name, this.order);
    }
  }

  /** The test read so far, with the CSV reader's own problems (long lines, an unclosed quote). */
  finish(read: CsvReadSummary): ParseResult {
    const r = this.r;
    for (const p of read.problems) {
      if (read.unterminatedQuote && p === read.problems[read.problems.length - 1]) r.error('csv-quote', `The CSV has a quote (") that is never closed: ${p.message}`, `line ${p.line}`);
      else r.warn('csv-bad-rows', p.message, `line ${p.line}`);
    }
    if (this.mode === undefined) {
      r.error('empty-file', 'The CSV is empty; expected a header such as "variant,sampleSize,successes" or "variant,converted"');
      return { issues: r.issues, format: 'csv-variants' };
    }
    if (this.mode === 'bad') return { issues: r.issues, format: 'csv-variants' };
    const order = this.order;
    if (this.mode === 'users') {
      if (this.badRows > 0) r.warn('csv-bad-rows', `${this.badRows} row${this.badRows === 1 ? '' : 's'} skipped (first: ${this.firstBad})`);
      const toVariant = (name: string, a: Acc): VariantInput => ({
        name,
        sampleSize: a.n,
        successes: a.s,
        ...(a.values.length ? { metricValues: a.values } : {}),
        ...(a.days.size ? { daily: [...a.days].sort(([x], [y]) => x.localeCompare(y)).map(([day, d]) => ({ day, sampleSize: d.n, successes: d.s })) } : {}),
      });
      const input: AbTestInput = { variants: order.map((v) => toVariant(v, this.total.get(v)!)), alpha: 0.05, power: 0.8 };
      if (this.col.value !== undefined) input.metricName = this.header![this.col.value]!.trim();
      if (this.segOrder.length) input.segments = this.segOrder.map((s) => ({ name: s, variants: order.filter((v) => this.bySeg.get(s)!.has(v)).map((v) => toVariant(v, this.bySeg.get(s)!.get(v)!)) }));
      checkStructure(r, input);
      return { input, issues: r.issues, format: 'csv-users' };
    }
    // One row per variant, optionally per segment: rows without a segment are totals; without any, totals are summed.
    let variants: VariantInput[];
    if (this.totals.size) variants = order.filter((n) => this.totals.has(n)).map((n) => this.totals.get(n)!);
    else {
      variants = order.map((name) => {
        const parts = [...this.segs.values()].flat().filter((v) => v.name === name);
        return { name, sampleSize: parts.reduce((a, v) => a + v.sampleSize, 0), successes: parts.reduce((a, v) => a + v.successes, 0) };
      });
    }
    const input: AbTestInput = { variants, alpha: 0.05, power: 0.8 };
    if (this.segOrder.length) input.segments = this.segOrder.map((name) => ({ name, variants: this.segs.get(name)! }));
    checkStructure(r, input);
    return { input, issues: r.issues, format: 'csv-variants' };
  }
}

export function parseAbTestCsv(text: string): ParseResult {
  const reader = new AbTestCsvReader();
  return reader.finish(readCsvText(text, reader.record));
}

/** Picks the reader by file name (".csv") or, failing that, by content. */
export function parseAbTest(text: string, fileName = ''): ParseResult {
  if (/\.csv$/i.test(fileName)) return parseAbTestCsv(text);
  if (/\.json$/i.test(fileName)) return parseAbTestJson(text);
  const first = text.replace(/^\uFEFF/, '').trimStart()[0];
  return first === '{' || first === '[' ? parseAbTestJson(text) : parseAbTestCsv(text);
}
