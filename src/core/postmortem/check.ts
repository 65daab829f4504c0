/**
 * Everything the editor and the Problems panel say about one postmortem.json text: syntax and schema
 * problems (errors) and blameless-lint findings (warnings) placed on the exact words.
 */
import { findNodeAtLocation } from 'jsonc-parser';
import { parseJsonWithPositions, type ParsedJson } from '../json/positions';
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

export function checkPostmortemText(text: string): PostmortemCheck {
  const parsed = parseJsonWithPositions(text);
  const result = validateParsed<PostMortem>(parsed, 'postmortem');
  const isObject = result.value !== null && typeof result.value === 'object' && !Array.isArray(result.value);
  const value = isObject ? result.value : undefined;
  const lint = value ? lintPostmortem(value) : [];
  const lintProblems = lint.map((f): FileProblem => {
    const { offset, length } = stringOffset(parsed, text, f.path, f.index, f.text.length);
    return {
      ...parsed.lines.positionAt(offset),
      offset,
      length,
      pointer: `/${f.path.join('/')}`,
      severity: 'warning',
      message: `Blameless (${f.rule}): "${f.text}" — ${f.explanation} Try: ${f.suggestion}`,
    };
  });
  return { parsed, value, schemaProblems: result.problems, lint, lintProblems };
}
