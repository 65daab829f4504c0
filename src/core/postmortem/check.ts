/**
 * Everything the editor and the Problems panel say about one postmortem.json text: syntax and schema
 * problems (errors) and blameless-lint findings (warnings) placed on the exact words.
 */
import { findNodeAtLocation } from 'jsonc-parser';
import { depthExceededAt } from '../json/depth';
import { LineIndex, parseJsonWithPositions, type ParsedJson } from '../json/positions';
import type { FileProblem } from '../validation/problems';
import { validateParsed } from '../validation/validate';
import { lintPostmortem, type LintFinding } from './lint';
import type { PostMortem } from './types';

export interface PostmortemCheck {
  parsed: ParsedJson;
  /** The document when the text is a JSON object (also when it fails the schema). */
  value: PostMortem | undefined;
  schemaProblems: FileProblem[];
  lint: LintFinding[];
  /** Lint findings as warnings with positions, for Diagnostics. */
  lintProblems: FileProblem[];
}

/** Offset of character `index` of the string at `path`, exact when the file escapes like JSON.stringify. */
export function stringOffset(parsed: ParsedJson, text: string, path: (string | number)[], index: number, length: number): { offset: number; length: number } {
  const node = parsed.tree ? findNodeAtLocation(parsed.tree, path) : undefined;
  if (!node || typeof node.value !== 'string') return { offset: node?.offset ?? 0, length: node?.length ?? 0 };
  const raw = text.slice(node.offset, node.offset + node.length);
  if (raw === JSON.stringify(node.value)) {
    const before = JSON.stringify(node.value.slice(0, index)).length - 1;
    const match = JSON.stringify(node.value.slice(index, index + length)).length - 2;
    return { offset: node.offset + before, length: match };
  }
  return { offset: node.offset, length: node.length };
}

/** Options: `positions: false` skips the syntax tree (about 3/4 of the time for a large file) unless a problem needs one. */
export function checkPostmortemText(text: string, options: { positions?: boolean } = {}): PostmortemCheck {
  const positions = options.positions ?? true;
  let parsed: ParsedJson | undefined;
  let result: ReturnType<typeof validateParsed<PostMortem>> | undefined;
  // A text nested too deeply goes to the strict parser, which reports it; the fast path would walk it.
  if (!positions && depthExceededAt(text) < 0) {
    // Fast path: JSON.parse agrees with the strict parser on valid JSON; only a failure needs the tree.
    let value: unknown;
    let ok = true;
    try {
      value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch {
      ok = false;
    }
    if (ok) {
      const light: ParsedJson = { value, tree: undefined, lines: new LineIndex(''), syntaxErrors: [] };
      const r = validateParsed<PostMortem>(light, 'postmortem');
      if (r.valid) {
        parsed = light;
        result = r;
      }
    }
  }
  if (!parsed || !result) {
    parsed = parseJsonWithPositions(text);
    result = validateParsed<PostMortem>(parsed, 'postmortem');
  }
  const isObject = result.value !== null && typeof result.value === 'object' && !Array.isArray(result.value);
  const value = isObject ? result.value : undefined;
  const lint = value ? lintPostmortem(value) : [];
  const p = parsed;
  const lintProblems = !positions
    ? []
    : lint.map((f): FileProblem => {
        const { offset, length } = stringOffset(p, text, f.path, f.index, f.text.length);
        return {
          ...p.lines.positionAt(offset),
          offset,
          length,
          pointer: `/${f.path.join('/')}`,
          severity: 'warning',
          message: `Blameless (${f.rule}): "${f.text}" — ${f.explanation} Try: ${f.suggestion}`,
        };
      });
  return { parsed, value, schemaProblems: result.problems, lint, lintProblems };
}

/** Whether the text is a JSON object: the only thing the form needs to know before it edits. */
export function parsesAsObject(text: string): boolean {
  return parseObject(text) !== undefined;
}

/** The text as a JSON object (a leading BOM allowed), or undefined when it is not one. */
export function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
