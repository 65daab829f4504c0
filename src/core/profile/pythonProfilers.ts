import { ProfileBuilder, ProfileParseError, frameKind, type Profile } from './model';

/**
 * The other Python profilers' files, as profiles the flame graph, summaries and diffs read:
 * - pyinstrument `-r json` (pyinstrument/renderers/jsonrenderer.py): `{start_time, duration, sample_count,
 *   cpu_time, root_frame: {function, file_path, file_path_short, line_no, time, children, class_name?}}`,
 *   a call tree whose `time` includes the children's (seconds); `line_no` is the function's first line.
 * - pyinstrument `-r pyisession` (pyinstrument/session.py): `{duration, sample_count, frame_records:
 *   [[identifiers root first, seconds]]}` with identifiers `function\0file\0firstline` plus `\x01`-separated
 *   attributes (`l<line>` the line running, `c<Class>`); the root names the thread (`Name\0<thread>\0ident`).
 * - scalene `--json` (scalene/scalene_json.py, 1.5+/2.x): `{elapsed_time_sec, files: {file: {lines,
 *   functions}}, stacks: [[["file func:line;", … root first], {python_time, c_time, cpu_samples, count}]]}`;
 *   without `stacks`, the per-line CPU percentages become one-frame stacks (no callers).
 * - austin (P403n1x87/austin, 3.x, `austin -o FILE`): `# key: value` header lines (`mode: wall|cpu|memory`),
 *   then one line per sample `P<pid>;T<iid>:<tid>;file:function:line;… <value>` root first; the value is µs
 *   (wall, cpu) or bytes (memory; negative = freed), `a,b,c` in `--full` mode (time first).
 */

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A sample with no Python frame (py-spy, austin): counted here rather than dropped. */
export const NO_PYTHON_FRAME = '(no Python frame)';

export function isPyinstrumentJson(root: unknown): root is Record<string, unknown> {
  return isObject(root) && isObject(root.root_frame) && 'duration' in root;
}

export function isPyinstrumentSession(root: unknown): root is Record<string, unknown> {
  return isObject(root) && Array.isArray(root.frame_records) && 'duration' in root;
}

export function isScaleneJson(root: unknown): root is Record<string, unknown> {
  return isObject(root) && isObject(root.files) && ('elapsed_time_sec' in root || 'stacks' in root);
}

export function parsePyinstrumentJson(root: Record<string, unknown>): Profile {
  const b = new ProfileBuilder();
  const thread = b.thread('pyinstrument');
  type Node = { node: Record<string, unknown>; parent: number; depth: number };
  const work: Node[] = [{ node: root.root_frame as Record<string, unknown>, parent: -1, depth: 0 }];
  let bad = 0;
  while (work.length > 0) {
    const { node, parent, depth } = work.pop()!;
    if (depth > 2000) {
      bad++;
      continue;
    }
    const fn = str(node.function) || '(unknown)';
    const cls = str(node.class_name);
    const file = str(node.file_path) || str(node.file_path_short);
    const time = num(node.time);
    const kids = Array.isArray(node.children) ? node.children.filter(isObject) : [];
    // pyinstrument's "[self]" nodes are the parent's own time.
    const stack = b.stack(parent, b.frame(cls ? `${cls}.${fn}` : fn, file, num(node.line_no)));
    let childTime = 0;
    for (const k of kids) {
      if (str(k.function) === '[self]' && !str(k.file_path)) continue;
      childTime += num(k.time);
      work.push({ node: k, parent: stack, depth: depth + 1 });
    }
    b.add(thread, stack, Math.max(0, time - childTime), 0);
  }
  b.add(thread, -1, 0, Math.max(0, Math.round(num(root.sample_count))));
  if (bad > 0) b.warn(`${bad} frames nested deeper than 2000 were left out`);
  const profile = b.build('pyinstrument', 'seconds');
  profile.note = 'pyinstrument records each function at its first line; the hot line inside it is not in this file (record with -r pyisession for lines).';
  return profile;
}

/** `function\0file\0line\x01l123\x01cClass` → name, file, line (the running line when recorded). */
function sessionFrame(id: string): { name: string; file: string; line: number; thread?: string } {
  const [main, ...attrs] = id.split('\u0001');
  const [fn = '', file = '', first = '0'] = main!.split('\u0000');
  if (file === '<thread>') return { name: fn, file: '', line: 0, thread: fn };
  let line = Number(first) || 0;
  let cls = '';
  for (const a of attrs) {
    if (a.startsWith('l')) line = Number(a.slice(1)) || line;
    else if (a.startsWith('c')) cls = a.slice(1);
  }
  return { name: cls ? `${cls}.${fn}` : fn, file: file === '<built-in>' ? '' : file, line };
}

export function parsePyinstrumentSession(root: Record<string, unknown>): Profile {
  const b = new ProfileBuilder();
  const threads = new Map<string, number>();
  const records = root.frame_records as unknown[];
  let bad = 0;
  for (const r of records) {
    const stackIds = Array.isArray(r) ? r[0] : isObject(r) ? r.frame_stack : undefined;
    const time = Array.isArray(r) ? num(r[1]) : isObject(r) ? num(r.time) : 0;
    if (!Array.isArray(stackIds)) {
      bad++;
      continue;
    }
    let threadName = 'pyinstrument';
    let stack = -1;
    for (const id of stackIds) {
      if (typeof id !== 'string') continue;
      const f = sessionFrame(id);
      if (f.thread !== undefined && stack === -1) {
        threadName = f.thread;
        continue;
      }
      stack = b.stack(stack, b.frame(f.name, f.file, f.line));
    }
    let t = threads.get(threadName);
    if (t === undefined) threads.set(threadName, (t = b.thread(threadName)));
    b.add(t, stack < 0 ? b.stack(-1, b.frame(NO_PYTHON_FRAME, '', 0, 'other')) : stack, time, 1);
  }
  if (threads.size === 0) throw new ProfileParseError('the pyinstrument session has no frame records');
  if (bad > 0) b.warn(`${bad} frame records were not [stack, time] pairs and were skipped`);
  return b.build('pyinstrument-session', 'seconds');
}

/** `"/app/x.py hot_loop:18;"` → file, function, line. */
function scaleneFrame(text: string): { name: string; file: string; line: number } {
  const t = text.replace(/;\s*$/, '');
  const colon = t.lastIndexOf(':');
  const line = colon > 0 && /^\d+$/.test(t.slice(colon + 1)) ? Number(t.slice(colon + 1)) : 0;
  const head = line > 0 ? t.slice(0, colon) : t;
  const space = head.lastIndexOf(' ');
  return space > 0 ? { file: head.slice(0, space), name: head.slice(space + 1), line } : { file: '', name: head, line };
}

export function parseScaleneJson(root: Record<string, unknown>): Profile {
  const b = new ProfileBuilder();
  const thread = b.thread('scalene');
  const stacks = Array.isArray(root.stacks) ? root.stacks : [];
  let used = 0;
  for (const s of stacks) {
    if (!Array.isArray(s) || !Array.isArray(s[0])) continue;
    const m = isObject(s[1]) ? s[1] : {};
    const weight = num(m.python_time) + num(m.c_time) || num(m.cpu_samples);
    let stack = -1;
    for (const f of s[0]) {
      if (typeof f !== 'string') continue;
      const p = scaleneFrame(f);
      stack = b.stack(stack, b.frame(p.name, p.file, p.line));
    }
    if (stack >= 0) {
      b.add(thread, stack, weight, Math.max(1, Math.round(num(m.count))));
      used++;
    }
  }
  const elapsed = num(root.elapsed_time_sec);
  let note: string | undefined;
  if (used === 0) {
    // No stacks (older scalene, or --cpu-only runs that kept none): each line's CPU share on its own.
    const files = root.files as Record<string, unknown>;
    for (const [file, data] of Object.entries(files)) {
      if (!isObject(data)) continue;
      const fns = (Array.isArray(data.functions) ? data.functions : []).filter(isObject).map((f) => ({ name: str(f.line), start: num(f.lineno) })).sort((x, y) => x.start - y.start);
      for (const l of Array.isArray(data.lines) ? data.lines.filter(isObject) : []) {
        const share = num(l.n_cpu_percent_python) + num(l.n_cpu_percent_c) + num(l.n_sys_percent);
        if (share <= 0) continue;
        const lineNo = num(l.lineno);
        let owner = '<module>';
        for (const f of fns) if (f.start <= lineNo) owner = f.name;
        b.add(thread, b.stack(-1, b.frame(owner, file, lineNo)), (share / 100) * (elapsed || 1), 1);
        used++;
      }
    }
    note = 'This scalene file has no call stacks: each line\'s CPU share is shown on its own, without callers.';
  }
  if (used === 0) throw new ProfileParseError('the scalene profile has no CPU samples (no stacks and no line with CPU time)');
  const profile = b.build('scalene', elapsed > 0 || stacks.length > 0 ? 'seconds' : 'none');
  if (note) profile.note = note;
  return profile;
}

/** True when the text starts like austin output: its `# austin:` header or a `P<pid>;T…` sample line. */
export function looksAustin(head: string): boolean {
  const first = head.split('\n').map((l) => l.trim()).find((l) => l !== '');
  return first !== undefined && (/^# austin: /.test(first) || /^P\d+;T[\w:.]+(;| )/.test(first));
}

/** `file:function:line` → parts, read from the right (Windows paths have colons). */
function austinFrame(text: string): { name: string; file: string; line: number } {
  const last = text.lastIndexOf(':');
  if (last <= 0) return { name: text, file: '', line: 0 };
  const line = /^\d+$/.test(text.slice(last + 1)) ? Number(text.slice(last + 1)) : 0;
  const rest = line > 0 || text.slice(last + 1) === '' ? text.slice(0, last) : text;
  const mid = rest.lastIndexOf(':');
  if (mid <= 0) return { name: rest, file: '', line };
  return { name: rest.slice(mid + 1), file: rest.slice(0, mid), line };
}

export async function parseAustin(chunks: AsyncIterable<string>): Promise<Profile> {
  const b = new ProfileBuilder();
  const meta = new Map<string, string>();
  const threads = new Map<string, number>();
  const frameIds = new Map<string, number>();
  let mode = 'wall';
  let good = 0;
  let bad = 0;
  let freed = 0;
  let firstBad: string | undefined;
  let lineNo = 0;
  const onLine = (raw: string): void => {
    lineNo++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const m = /^#\s*([\w -]+):\s*(.*)$/.exec(line);
      if (m) {
        meta.set(m[1]!.trim(), m[2]!.trim());
        if (m[1]!.trim() === 'mode') mode = m[2]!.trim();
      }
      return;
    }
    const space = line.lastIndexOf(' ');
    const metric = space > 0 ? line.slice(space + 1).split(',')[0]! : '';
    const value = Number(metric);
    const stackText = space > 0 ? line.slice(0, space) : '';
    const parts = stackText.split(';');
    if (!/^P\d+$/.test(parts[0] ?? '') || !/^T/.test(parts[1] ?? '') || metric === '' || !Number.isFinite(value)) {
      bad++;
      firstBad ??= `line ${lineNo}: "${line.slice(0, 60)}"`;
      return;
    }
    good++;
    if (value < 0) {
      freed++;
      return;
    }
    const key = `${parts[0]};${parts[1]}`;
    let t = threads.get(key);
    if (t === undefined) threads.set(key, (t = b.thread(`process ${parts[0]!.slice(1)} · thread ${parts[1]!.slice(1).replace(/^\d+:/, '')}`)));
    let stack = -1;
    for (let i = 2; i < parts.length; i++) {
      const text = parts[i]!;
      let f = frameIds.get(text);
      if (f === undefined) {
        const p = austinFrame(text);
        frameIds.set(text, (f = b.frame(p.name, p.file, p.line, frameKind(p.name, p.file))));
      }
      stack = b.stack(stack, f);
    }
    if (stack < 0) stack = b.stack(-1, b.frame(NO_PYTHON_FRAME, '', 0, 'other'));
    b.add(t, stack, value, 1);
  };
  let carry = '';
  for await (const chunk of chunks) {
    const text = carry + chunk;
    let from = 0;
    for (;;) {
      const nl = text.indexOf('\n', from);
      if (nl === -1) break;
      onLine(text.slice(from, nl));
      from = nl + 1;
    }
    carry = text.slice(from);
    if (carry.length > 64 << 20) throw new ProfileParseError(`line ${lineNo + 1} is longer than 64 MB: not austin output`);
  }
  if (carry !== '') onLine(carry);
  if (good === 0) throw new ProfileParseError(bad > 0 ? `not austin output: ${firstBad}` : 'the austin file has no samples');
  if (bad > 0) b.warn(`${bad} line${bad === 1 ? '' : 's'} skipped (${firstBad})`);
  if (freed > 0) b.warn(`${freed} samples of freed memory (negative values) are not shown; the graph shows allocations`);
  const version = meta.get('austin');
  return b.build('austin', mode === 'memory' ? 'bytes' : 'microseconds', version ? `austin@${version}` : undefined);
}
