/**
 * Project-level logging checks and file handling shared by the CLI and the editor: the `unstructured-logger`
 * hint (once per project), decoding of Python source bytes, and notebooks.
 */
import { lintPython, type FileFacts, type Finding, type LintOptions, type LintResult } from './lint';
import type { PythonParser } from './parser';
import { RULES, severityOf, type RuleSeverities } from './rules';
import { errorMessage } from '../util/errors';
import { parseJsonBounded } from '../json/depth';

export interface FileFactsEntry {
  path: string;
  facts: FileFacts;
}

/**
 * The `unstructured-logger` finding: a service (a web framework import or an http.server handler) where no
 * file configures a JSON formatter. Reported once, where logging is configured (basicConfig/dictConfig), else
 * at the `__main__` block of a service module, else at the top of the first service module.
 */
export function projectFindings(files: readonly FileFactsEntry[], severities?: RuleSeverities): { path: string; finding: Finding }[] {
  const severity = severityOf('unstructured-logger', severities);
  if (!severity || files.length === 0) return [];
  if (files.some((f) => f.facts.jsonFormatter)) return [];
  const services = files.filter((f) => f.facts.service);
  if (services.length === 0) return [];
  const sorted = [...files].sort((a, b) => a.path.localeCompare(b.path));
  const configured = sorted.find((f) => f.facts.loggingConfig);
  const entry = configured ?? [...services].sort((a, b) => a.path.localeCompare(b.path)).find((f) => f.facts.entryPoint) ?? services.sort((a, b) => a.path.localeCompare(b.path))[0]!;
  const span = entry.facts.loggingConfig ?? entry.facts.entryPoint ?? { line: 1, column: 1, endLine: 1, endColumn: 1, start: 0, end: 0 };
  const where = entry.facts.loggingConfig ? 'Logging is configured here without a JSON formatter.' : 'This service never configures a JSON log formatter.';
  return [
    {
      path: entry.path,
      finding: { rule: 'unstructured-logger', severity, message: `${where} ${RULES['unstructured-logger'].why}`, ...span, fixes: [] },
    },
  ];
}

export type Decoded = { text: string; encoding: string } | { skipped: string };

const BINARY_SNIFF = 8192;

/**
 * Python source bytes to text the way CPython reads them: UTF-8 (a BOM is dropped), or the encoding a PEP 263
 * `coding:` comment in the first two lines declares. Anything else is skipped with the reason.
 */
export function decodePython(bytes: Uint8Array): Decoded {
  const head = bytes.subarray(0, BINARY_SNIFF);
  if (head.includes(0)) return { skipped: 'binary file (contains NUL bytes)' };
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start)), encoding: 'utf-8' };
  } catch {
    // fall through to a declared encoding
  }
  const firstLines = new TextDecoder('latin1').decode(bytes.subarray(0, 400)).split(/\r?\n/).slice(0, 2);
  const cookie = firstLines.map((l) => /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/.exec(l)?.[1]).find(Boolean);
  if (!cookie) return { skipped: 'not UTF-8 text and no "# -*- coding: ... -*-" line declares another encoding (Python 3 would refuse to run it too)' };
  try {
    return { text: new TextDecoder(whatwgLabel(cookie), { fatal: true }).decode(bytes.subarray(start)), encoding: cookie.toLowerCase() };
  } catch (e) {
    return { skipped: e instanceof RangeError ? `declares encoding "${cookie}", which is not supported` : `not valid ${cookie} text` };
  }
}

/** Python codec names as WHATWG encoding labels (CPython's own normalisation: latin-1-*, utf-8-*). */
function whatwgLabel(name: string): string {
  const n = name.toLowerCase().replace(/_/g, '-');
  if (/^(utf-8|utf8)(-|$)/.test(n)) return 'utf-8';
  if (/^(latin-1|iso-8859-1|iso-latin-1|latin1|l1)(-|$)/.test(n)) return 'iso-8859-1';
  const cp = /^cp-?(\d+)$/.exec(n);
  if (cp) return cp[1] === '936' ? 'gbk' : `windows-${cp[1]}`;
  return n;
}

export interface NotebookFinding extends Finding {
  /** 0-based index among all cells of the notebook. */
  cell: number;
}

export type NotebookResult = { findings: NotebookFinding[]; facts: FileFacts[]; cells: number } | { skipped: string };

/**
 * Lints the code cells of a Jupyter notebook (nbformat 4, Python kernel). Lines and columns are within the
 * cell. IPython magics (`%time`, `!pip`) are blanked before parsing; print() is allowed in notebooks.
 */
export function lintNotebook(parser: PythonParser, json: string, options: LintOptions = {}): NotebookResult {
  let nb: unknown;
  try {
    nb = parseJsonBounded(json);
  } catch (e) {
    return { skipped: `not a readable notebook: ${errorMessage(e)}` };
  }
  const o = nb as { cells?: unknown; metadata?: { kernelspec?: { language?: unknown }; language_info?: { name?: unknown } } };
  if (!o || typeof o !== 'object' || !Array.isArray(o.cells)) return { skipped: 'not an nbformat 4 notebook (no "cells" list)' };
  const language = o.metadata?.kernelspec?.language ?? o.metadata?.language_info?.name;
  if (typeof language === 'string' && language.toLowerCase() !== 'python') return { skipped: `the notebook's kernel language is ${language}, not Python` };
  const findings: NotebookFinding[] = [];
  const facts: FileFacts[] = [];
  let refused: string | undefined;
  o.cells.forEach((cell: unknown, index: number) => {
    const c = cell as { cell_type?: unknown; source?: unknown };
    if (refused || !c || c.cell_type !== 'code') return;
    const source = Array.isArray(c.source) ? c.source.filter((s) => typeof s === 'string').join('') : typeof c.source === 'string' ? c.source : '';
    const text = source.replace(/^([ \t]*)([%!].*)$/gm, (_m, indent: string, magic: string) => `${indent}#${magic.slice(1)}`);
    const result: LintResult = lintPython(parser, text, { ...options, notebook: true });
    if (result.skipped) refused = `cell ${index + 1}: ${result.skipped}`;
    facts.push(result.facts);
    for (const f of result.findings) findings.push({ ...f, cell: index });
  });
  if (refused) return { skipped: refused };
  return { findings, facts, cells: o.cells.length };
}
