import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import { LineIndex, type Position } from '../json/positions';
import { parseCsv } from './csv';
import { columnIndex } from './parse';

/**
 * Where a variant is written in an A/B file, so the page's "open the source" lands on it: in JSON the
 * object of `variants` whose "name" is `name`; in CSV the first row of that variant. Undefined when the
 * text does not have it (edited meanwhile, or not parseable).
 */
export function locateVariant(text: string, name: string): Position | undefined {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('{')) {
    const root = parseTree(text);
    const variants = root && findNodeAtLocation(root, ['variants']);
    const hit = variants?.children?.find((v: Node) => {
      const n = findNodeAtLocation(v, ['name']);
      return n?.type === 'string' && n.value === name;
    });
    return hit ? new LineIndex(text).positionAt(hit.offset) : undefined;
  }
  const table = parseCsv(text);
  const [header, ...rows] = table.rows;
  const col = header ? columnIndex(header).variant : undefined;
  if (col === undefined) return undefined;
  const i = rows.findIndex((row) => (row[col] ?? '').trim() === name);
  return i < 0 ? undefined : { line: table.lines[i + 1]!, column: 1 };
}
