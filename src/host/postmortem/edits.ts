import { applyEdits, modify, type Edit } from 'jsonc-parser';
import type { JsonPath } from '../../protocol/postmortem';

/** The indentation of the document (2 spaces unless its first indented line says otherwise). */
function formatting(text: string): { insertSpaces: boolean; tabSize: number; eol: string } {
  const m = /\n([ \t]+)\S/.exec(text);
  const indent = m?.[1] ?? '  ';
  return { insertSpaces: !indent.startsWith('\t'), tabSize: indent.startsWith('\t') ? 1 : indent.length, eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

/**
 * Minimal text edits for one form change, computed with jsonc-parser on the current text: only the value at
 * `path` is touched, so a concurrent change elsewhere in the file (the text editor, another tool) is kept.
 */
export function editsFor(text: string, intent: { type: 'set' | 'remove' | 'insert'; path: JsonPath; index?: number; value?: unknown }): Edit[] {
  const formattingOptions = formatting(text);
  if (intent.type === 'remove') return modify(text, intent.path, undefined, { formattingOptions });
  if (intent.type === 'insert') return modify(text, [...intent.path, intent.index ?? 0], intent.value, { formattingOptions, isArrayInsertion: true });
  return modify(text, intent.path, intent.value, { formattingOptions });
}

export { applyEdits };
