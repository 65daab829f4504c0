/**
 * Where a function is in a source file, so `git log -L start,end` follows exactly its lines. Python is read
 * by indentation (a `def`/`class` block ends before the next non-blank line indented no deeper); for other
 * languages a block opened by `{` on the definition line ends at its matching `}`. Decorators above a
 * definition belong to it. No match (a lambda, `<listcomp>`, a name not in the file): undefined.
 */

export interface LineRange {
  start: number;
  end: number;
}

/** The last part of a qualified name (`service.model.rank`, `Handler.do_POST`, `Foo::bar`) that a `def` can have. */
export function simpleFunctionName(name: string): string | undefined {
  const parts = name.split(/[.:#/\\]+/).filter(Boolean);
  let last: string | undefined = parts[parts.length - 1];
  if (last !== undefined && /^<.*>$/.test(last)) {
    // `dot.<locals>.<genexpr>`: a comprehension or lambda belongs to the function it is written in.
    const locals = parts.lastIndexOf('<locals>');
    last = locals > 0 ? parts[locals - 1] : undefined;
  }
  if (!last || !/^[A-Za-z_$][\w$]*$/.test(last)) return undefined;
  return last;
}

function indentOf(line: string): number {
  let n = 0;
  for (const ch of line) {
    if (ch === ' ') n++;
    else if (ch === '\t') n += 8 - (n % 8);
    else break;
  }
  return n;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Candidate definition lines of `name` (1-based). */
function definitions(lines: readonly string[], name: string, language: 'python' | 'other'): number[] {
  const re =
    language === 'python'
      ? new RegExp(`^\\s*(?:(?:async\\s+)?def|class)\\s+${escape(name)}\\b`)
      : new RegExp(`^\\s*(?:(?:export\\s+)?(?:async\\s+)?function\\*?|func|fn|sub|def)\\s+${escape(name)}\\b|^\\s*(?:(?!return\\b|new\\b|else\\b)[\\w<>\\[\\],*&:]+\\s+)+${escape(name)}\\s*\\([^;]*$`);
  const out: number[] = [];
  lines.forEach((l, i) => {
    if (re.test(l)) out.push(i + 1);
  });
  return out;
}

function pythonEnd(lines: readonly string[], defLine: number): number {
  const indent = indentOf(lines[defLine - 1]!);
  let end = defLine;
  let open = 0; // brackets of a signature spread over lines
  for (let i = defLine; i <= lines.length; i++) {
    const text = lines[i - 1]!;
    if (i > defLine && open <= 0) {
      const trimmed = text.trim();
      if (trimmed !== '' && !trimmed.startsWith('#') && indentOf(text) <= indent) break;
    }
    for (const ch of text) {
      if (ch === '(' || ch === '[' || ch === '{') open++;
      else if (ch === ')' || ch === ']' || ch === '}') open--;
    }
    if (text.trim() !== '') end = i;
  }
  return end;
}

function braceEnd(lines: readonly string[], defLine: number): number | undefined {
  let depth = 0;
  let opened = false;
  for (let i = defLine; i <= Math.min(lines.length, defLine + 5000); i++) {
    for (const ch of lines[i - 1]!) {
      if (ch === '{') {
        depth++;
        opened = true;
      } else if (ch === '}') depth--;
    }
    if (opened && depth <= 0) return i;
    if (!opened && i > defLine + 2) return undefined;
  }
  return undefined;
}

/**
 * The lines of function (or class) `name` in `source`; with several definitions, the one containing
 * `nearLine`, else the closest before it, else the first.
 */
export function functionRange(source: string, name: string, nearLine?: number, language: 'python' | 'other' = 'python'): LineRange | undefined {
  const simple = simpleFunctionName(name);
  if (!simple) return undefined;
  const lines = source.split(/\r?\n/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const defs = definitions(lines, simple, language);
  if (defs.length === 0) return undefined;
  const ranges: LineRange[] = [];
  for (const d of defs) {
    const end = language === 'python' ? pythonEnd(lines, d) : braceEnd(lines, d);
    if (end === undefined) continue;
    let start = d;
    while (start > 1 && /^\s*@/.test(lines[start - 2]!)) start--;
    ranges.push({ start, end });
  }
  if (ranges.length === 0) return undefined;
  if (nearLine === undefined) return ranges[0];
  const containing = ranges.filter((r) => r.start <= nearLine && nearLine <= r.end).sort((a, b) => a.end - a.start - (b.end - b.start));
  if (containing.length) return containing[0];
  const before = ranges.filter((r) => r.start <= nearLine).pop();
  return before ?? ranges[0];
}

/** Python unless the file name says otherwise. */
export function languageOf(path: string): 'python' | 'other' {
  return /\.(py|pyi|pyx)$/i.test(path) ? 'python' : 'other';
}
