/**
 * memory_profiler's line-by-line report (`python -m memory_profiler script.py`, or @profile output), as
 * memory_profiler 0.61 prints it (memory_profiler.py `show_results`):
 *
 *     Filename: app.py
 *
 *     Line #    Mem usage    Increment  Occurrences   Line Contents
 *     =============================================================
 *          5     50.7 MiB     50.7 MiB           1   @profile
 *          6                                         def work():
 *          7     58.3 MiB      7.6 MiB           1       a = [1] * (10 ** 6)
 *          9     58.3 MiB   -152.6 MiB           1       del b
 *
 * Older releases have no Occurrences column. One block per profiled function; a row without numbers is a
 * line that did not run. The first rows up to the `def` carry the memory on entry, not an allocation.
 *
 * The report measures the process's memory after each line, not allocations, so the views are derived:
 * - peak: the lines that raised memory, by how much (the report's highest "Mem usage" is the peak);
 * - leaks / temporary: within each function, a line's rise that a later line gave back (a negative
 *   increment undoes the most recent rises first, as `del` of the last big object does) is temporary,
 *   what is never given back before the function returns is kept.
 */
import { MemoryParseError, MemoryTables, addToStack, emptyValues, type MemoryCapture, type StackValues } from './model';

const UNITS: Record<string, number> = { B: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, KB: 1e3, MB: 1e6, GB: 1e9 };
const UNIT = '(B|KiB|MiB|GiB|KB|MB|GB)';
const NUMBERS = `^\\s*(\\d+)\\s+(-?\\d+(?:\\.\\d+)?)\\s*${UNIT}\\s+(-?\\d+(?:\\.\\d+)?)\\s*${UNIT}`;
/** A measured row, with and without the Occurrences column (memory_profiler 0.58 added it). */
const ROW_OCCURRENCES = new RegExp(`${NUMBERS}\\s+(\\d+)(?:\\s{2,}(.*))?\\s*$`);
const ROW_PLAIN = new RegExp(`${NUMBERS}()(?:\\s{2,}(.*))?\\s*$`);
const IDLE_ROW = /^\s*(\d+)(?:\s{2,}(.*))?\s*$/;

interface Row {
  line: number;
  mem?: number;
  increment?: number;
  occurrences?: number;
  contents: string;
}

interface Block {
  file: string;
  occurrences: boolean;
  rows: Row[];
}

function blocks(text: string): { blocks: Block[]; warnings: string[] } {
  const out: Block[] = [];
  const warnings: string[] = [];
  let current: Block | undefined;
  let inTable = false;
  let file = '';
  let bad = 0;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const filename = /^Filename:\s*(.*)$/.exec(raw);
    if (filename) {
      file = filename[1]!.trim();
      inTable = false;
      continue;
    }
    if (/^Line #\s+Mem usage\s+Increment/.test(raw)) {
      current = { file, occurrences: /Occurrences/.test(raw), rows: [] };
      out.push(current);
      inTable = false;
      continue;
    }
    if (current && /^=+\s*$/.test(raw)) {
      inTable = true;
      continue;
    }
    if (!inTable || !current) continue;
    if (raw.trim() === '') {
      // A blank line ends the table (blocks are separated by blank lines and the next Filename:).
      if (current.rows.length > 0) inTable = false;
      continue;
    }
    const m = (current.occurrences ? ROW_OCCURRENCES : ROW_PLAIN).exec(raw);
    if (m) {
      current.rows.push({ line: Number(m[1]), mem: Number(m[2]) * UNITS[m[3]!]!, increment: Number(m[4]) * UNITS[m[5]!]!, ...(m[6] ? { occurrences: Number(m[6]) } : {}), contents: (m[7] ?? '').trim() });
      continue;
    }
    const idle = IDLE_ROW.exec(raw);
    if (idle) {
      current.rows.push({ line: Number(idle[1]), contents: (idle[2] ?? '').trim() });
      continue;
    }
    if (++bad <= 3) warnings.push(`line ${i + 1} is not a row of the report: "${raw.slice(0, 60)}"`);
  }
  if (bad > 3) warnings.push(`… ${bad - 3} more lines that are not rows`);
  return { blocks: out, warnings };
}

/** The function a block profiles: the name of its first `def` row, else the first row's text. */
function functionOf(block: Block): { name: string; defLine: number; bodyStart: number } {
  const i = block.rows.findIndex((r) => /^(async\s+)?def\s+\w+/.test(r.contents));
  if (i >= 0) return { name: /def\s+(\w+)/.exec(block.rows[i]!.contents)![1]!, defLine: block.rows[i]!.line, bodyStart: i + 1 };
  const first = block.rows[0];
  return { name: first ? `line ${first.line}` : '?', defLine: first?.line ?? 0, bodyStart: 1 };
}

export function parseMemoryProfilerReport(text: string): MemoryCapture {
  if (text.trim() === '') throw new MemoryParseError('the report is empty');
  const { blocks: found, warnings } = blocks(text);
  if (found.length === 0) throw new MemoryParseError('no memory_profiler table in it (no "Line #    Mem usage    Increment" header)');
  const tables = new MemoryTables();
  const peak: StackValues = emptyValues();
  const leaks: StackValues = emptyValues();
  const temporary: StackValues = emptyValues();
  let peakBytes = 0;
  let totalBytes = 0;
  let totalAllocations = 0;
  let measured = 0;
  for (const block of found) {
    const fn = functionOf(block);
    const root = tables.frame(fn.name, block.file, fn.defLine);
    // Rises of this function still held, most recent last: [stack, bytes left, occurrences].
    const held: [number, number, number][] = [];
    block.rows.forEach((row, i) => {
      if (row.mem === undefined) return;
      measured++;
      peakBytes = Math.max(peakBytes, row.mem);
      if (i < fn.bodyStart || row.increment === undefined) return;
      const occurrences = row.occurrences ?? 1;
      const stack = tables.stack([root, tables.frame(fn.name, block.file, row.line)]);
      if (row.increment > 0) {
        addToStack(peak, stack, row.increment, occurrences);
        held.push([stack, row.increment, occurrences]);
        totalBytes += row.increment;
        totalAllocations += occurrences;
      } else if (row.increment < 0) {
        let give = -row.increment;
        while (give > 0 && held.length > 0) {
          const top = held[held.length - 1]!;
          const back = Math.min(give, top[1]);
          addToStack(temporary, top[0], back, 0);
          top[1] -= back;
          give -= back;
          if (top[1] <= 0) held.pop();
        }
      }
    });
    for (const [stack, bytes, occurrences] of held) if (bytes > 0) addToStack(leaks, stack, bytes, occurrences);
  }
  if (measured === 0) throw new MemoryParseError('the report lists no measured line (was the profiled function ever called?)');
  // Temporary entries carry no count of their own: take the rise's occurrences once per stack.
  for (let i = 0; i < temporary.stacks.length; i++) {
    const k = peak.stacks.indexOf(temporary.stacks[i]!);
    temporary.counts[i] = k >= 0 ? peak.counts[k]! : 0;
  }
  return {
    format: 'memory_profiler',
    tool: '',
    peakBytes,
    totalAllocations,
    totalBytes,
    frames: tables.frames,
    stackParent: tables.stackParent,
    stackFrame: tables.stackFrame,
    views: { peak, leaks, temporary },
    notes: [
      'memory_profiler measures the process memory after each line, not allocations: "peak" lists the lines that raised it (Increment), the peak is the highest "Mem usage".',
      'leaks: a rise that no later line of the function gave back; temporary: the part a later line gave back (a drop undoes the most recent rises first). Allocation counts are how often the line ran.',
    ],
    warnings,
  };
}
