import { parseFrameText } from '../profile/collapsed';
import { stripAnsi } from '../profile/pySpy';
import { StackParseError, type DumpSeries, type DumpSource, type StackDump, type StackFrame, type StackLocal, type ThreadDump } from './model';

/**
 * Readers for the stack dumps people have. All of them print the innermost frame first except the
 * sys._current_frames() recipes, which use traceback order (innermost last) and are turned around here.
 *
 * - `py-spy dump --json` (benfred/py-spy src/dump.rs, src/stack_trace.rs): a JSON array with one object
 *   per thread `{pid, thread_id, thread_name, os_thread_id, active, owns_gil, frames: [{name, filename,
 *   module, short_filename, line, locals: [{name, addr, arg, repr}]}]}`. Several dumps are several arrays,
 *   one after the other (one per line when Incident Workbench writes them).
 * - `py-spy dump` text: `Process PID: cmdline`, `Python vX.Y.Z (exe)`, then per thread `Thread TID
 *   (idle|active|active+gil): "name"` and frames `    name (file:line)`, with `Arguments:`/`Locals:`
 *   sections of `name: repr` under a frame when `--locals` was given.
 * - faulthandler (CPython Python/traceback.c): `Thread 0x… (most recent call first):` or `Current thread
 *   0x… (most recent call first):`, then `  File "…", line N in func` lines, threads separated by blank
 *   lines; `dump_traceback_later` starts each dump with `Timeout (h:mm:ss)!`, a crash with `Fatal Python
 *   error: …`. Found anywhere in a log file, between ordinary log lines.
 * - sys._current_frames() recipes (gunicorn's dumpstacks, the common "dump all threads" snippet):
 *   `# Thread: name(ident)` or `# ThreadID: ident`, then `File: "…", line N, in func` (or traceback's
 *   `  File "…", line N, in func`) lines, each optionally followed by the indented source line.
 */

const PROCESS = /^Process (\d+): ?(.*)$/;
const PYSPY_INFO = /^(Python v\d|Parent Process \d+:)/;
const PYSPY_THREAD = /^Thread (0x[0-9A-Fa-f]+|\d+)(?: \((idle|active|active\+gil|gil)\))?(?:: "(.*)")?$/;
const PYSPY_FRAME = /^ {4}(\S.*)$/;
const PYSPY_SECTION = /^ {8}(Arguments|Locals):$/;
const PYSPY_LOCAL = /^ {12}([^:]+): (.*)$/;
const FH_THREAD = /^(Current thread|Thread) (0x[0-9A-Fa-f]+) \(most recent call first\):$/;
const FH_STACK = /^Stack \(most recent call first\):$/;
const FH_FRAME = /^ {2}File "(.*)", line (\d+) in (.*)$/;
const FH_NOTE = /^ {2}(<no Python frame>|\.\.\.)$/;
const FH_START = /^(Timeout \(\d+:\d\d:\d\d(?:\.\d+)?\)!|Fatal Python error: .*)$/;
const CF_THREAD = /^# Thread: ?(.*?) ?\((\d+)\)\s*$|^# ThreadID: (\d+)\s*$/;
const CF_FRAME = /^\s*File:? "(.*)", line (\d+), in (.*)$/;
const CF_CODE = /^\s{2,}(\S.*)$/;

type Mode = DumpSource;

/** Reads dumps line by line, so a log file of any size can be scanned for faulthandler blocks. */
export class StackDumpScanner {
  private readonly dumps: StackDump[] = [];
  private readonly warnings: string[] = [];
  private dump: StackDump | undefined;
  private thread: ThreadDump | undefined;
  private ids = new Set<number>();
  private section: 'Arguments' | 'Locals' | undefined;
  /** current-frames threads are collected root first and turned around when they end. */
  private rootFirst = false;
  private lineNo = 0;

  push(raw: string): void {
    this.lineNo++;
    const line = stripAnsi(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
    let m: RegExpExecArray | null;
    if ((m = PROCESS.exec(line))) {
      this.startDump('py-spy-text');
      this.dump!.pid = Number(m[1]);
      if (m[2]) this.dump!.command = m[2];
      return;
    }
    if (this.dump?.source === 'py-spy-text' && PYSPY_INFO.test(line)) return;
    if (FH_START.test(line)) {
      this.endDump();
      return;
    }
    if ((m = FH_THREAD.exec(line))) {
      this.startThread('faulthandler', parseInt(m[2]!, 16), '');
      return;
    }
    if (FH_STACK.test(line)) {
      this.startThread('faulthandler', 0, '');
      return;
    }
    if ((m = CF_THREAD.exec(line))) {
      this.startThread('current-frames', Number(m[2] ?? m[3]), m[1] ?? '');
      this.rootFirst = true;
      return;
    }
    // Outside a `Process` header a bare "Thread 12" is more likely a log line than a py-spy thread.
    if ((m = PYSPY_THREAD.exec(line)) && (this.dump?.source === 'py-spy-text' || m[2] !== undefined || m[3] !== undefined)) {
      const id = /^0x/i.test(m[1]!) ? parseInt(m[1]!, 16) : Number(m[1]);
      this.startThread('py-spy-text', id, m[3] ?? '');
      const status = m[2];
      if (status !== undefined) {
        this.thread!.active = status === 'active' || status === 'active+gil';
        this.thread!.gil = status === 'active+gil' || status === 'gil';
      }
      return;
    }
    const t = this.thread;
    const source = this.dump?.source;
    if (t && source === 'py-spy-text') {
      if ((m = PYSPY_SECTION.exec(line))) {
        this.section = m[1] as 'Arguments' | 'Locals';
        return;
      }
      if (this.section && (m = PYSPY_LOCAL.exec(line))) {
        const frame = t.frames[t.frames.length - 1];
        if (frame) (frame.locals ??= []).push({ name: m[1]!, repr: m[2]!, arg: this.section === 'Arguments' });
        return;
      }
      if ((m = PYSPY_FRAME.exec(line))) {
        this.section = undefined;
        const p = parseFrameText(m[1]!);
        t.frames.push(frame(p.name, p.file, p.line));
        return;
      }
    }
    if (t && source === 'faulthandler') {
      if ((m = FH_FRAME.exec(line))) {
        t.frames.push(frame(m[3]!, m[1]!, Number(m[2])));
        return;
      }
      if (FH_NOTE.test(line)) return;
    }
    if (t && source === 'current-frames') {
      if ((m = CF_FRAME.exec(line))) {
        t.frames.push(frame(m[3]!, m[1]!, Number(m[2])));
        return;
      }
      const last = t.frames[t.frames.length - 1];
      if (last && last.code === undefined && (m = CF_CODE.exec(line))) {
        last.code = m[1]!.trim();
        return;
      }
    }
    if (line.trim() === '') {
      // faulthandler and the recipes put blank lines between threads; py-spy after its header.
      this.endThread();
      return;
    }
    // Anything else (an ordinary log line) ends a dump found inside a log.
    if (this.dump) this.endDump();
  }

  finish(): DumpSeries {
    this.endDump();
    return { dumps: this.dumps, warnings: this.warnings };
  }

  private startDump(source: Mode): void {
    this.endDump();
    this.dump = { source, threads: [] };
    this.ids = new Set();
  }

  private startThread(source: Mode, id: number, name: string): void {
    this.endThread();
    // A thread seen already in this dump, or another tool's block, begins the next dump.
    if (!this.dump || this.dump.source !== source || this.ids.has(id)) this.startDump(source);
    this.ids.add(id);
    this.thread = { id, name, frames: [] };
    this.dump!.threads.push(this.thread);
  }

  private endThread(): void {
    if (this.thread && this.rootFirst) this.thread.frames.reverse();
    this.thread = undefined;
    this.section = undefined;
    this.rootFirst = false;
  }

  private endDump(): void {
    this.endThread();
    if (this.dump && this.dump.threads.length > 0) this.dumps.push(this.dump);
    this.dump = undefined;
    this.ids = new Set();
  }
}

function frame(fn: string, file: string, line: number): StackFrame {
  const f: StackFrame = { function: fn, file, line: Number.isFinite(line) && line > 0 ? line : 0 };
  // py-spy --native frames name a shared object (`libc.so.6`) or nothing, never a Python file.
  if (file !== '' && !/\.py[xiw]?$/i.test(file) && !file.startsWith('<')) f.native = true;
  return f;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Top-level JSON values written one after another (`[…][…]`, one per line or pretty-printed). */
export function splitJsonValues(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (depth === 0) start = i;
      depth++;
    } else if (c === 93 /* ] */ || c === 125 /* } */) {
      depth--;
      if (depth === 0 && start >= 0) {
        out.push(text.slice(start, i + 1));
        start = -1;
      } else if (depth < 0) throw new StackParseError(`unbalanced "${text[i]}" at character ${i + 1}`);
    } else if (depth === 0 && c > 32 && c !== 0xfeff) {
      throw new StackParseError(`unexpected "${text.slice(i, i + 20)}" between JSON values at character ${i + 1}`);
    }
  }
  if (depth > 0) out.push(text.slice(start));
  return out;
}

function pySpyJsonThread(v: unknown, where: string): ThreadDump {
  if (!isObject(v) || !Array.isArray(v.frames)) throw new StackParseError(`${where} is not a py-spy thread ({thread_id, frames: [...]})`);
  const id = typeof v.os_thread_id === 'number' ? v.os_thread_id : typeof v.thread_id === 'number' ? v.thread_id : NaN;
  if (!Number.isFinite(id)) throw new StackParseError(`${where} has no thread_id`);
  const frames = v.frames.map((f, i) => {
    if (!isObject(f)) throw new StackParseError(`${where}.frames[${i}] is not a frame`);
    const out = frame(typeof f.name === 'string' ? f.name : '?', typeof f.filename === 'string' ? f.filename : '', typeof f.line === 'number' ? f.line : 0);
    if (Array.isArray(f.locals)) {
      out.locals = f.locals.filter(isObject).map((l): StackLocal => ({ name: String(l.name ?? '?'), ...(typeof l.repr === 'string' ? { repr: l.repr } : {}), arg: l.arg === true }));
    }
    return out;
  });
  return {
    id,
    name: typeof v.thread_name === 'string' ? v.thread_name : '',
    ...(typeof v.active === 'boolean' ? { active: v.active } : {}),
    ...(typeof v.owns_gil === 'boolean' ? { gil: v.owns_gil } : {}),
    frames,
  };
}

function parseJsonDumps(text: string): DumpSeries {
  const dumps: StackDump[] = [];
  const warnings: string[] = [];
  const values = splitJsonValues(text);
  values.forEach((raw, i) => {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      if (i === values.length - 1 && dumps.length > 0) {
        warnings.push(`dump ${i + 1} is cut off (truncated file?); ${dumps.length} complete dump${dumps.length === 1 ? '' : 's'} read`);
        return;
      }
      throw new StackParseError(`dump ${i + 1} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!Array.isArray(value)) {
      throw new StackParseError(isObject(value) && ('traceEvents' in value || 'profiles' in value) ? 'a profile, not a stack dump: open it with Open Profile / iwb profile' : 'JSON, but not py-spy dump --json output (an array of threads)');
    }
    const threads = value.map((t, j) => pySpyJsonThread(t, `dump ${i + 1}, thread ${j + 1}`));
    const pid = isObject(value[0]) && typeof value[0].pid === 'number' ? value[0].pid : undefined;
    dumps.push({ source: 'py-spy-json', ...(pid !== undefined ? { pid } : {}), threads });
  });
  return { dumps, warnings };
}

/** Reads every dump in `text`; throws StackParseError when there is none. */
export function parseStackDumps(text: string): DumpSeries {
  const head = text.replace(/^[\uFEFF\s]+/, '');
  if (head === '') throw new StackParseError('the file is empty');
  const nul = text.indexOf('\u0000');
  if (nul !== -1 && nul < 4096) throw new StackParseError('binary data, not a stack dump (py-spy dump output, faulthandler output or a log holding it)');
  if (head[0] === '[' || head[0] === '{') {
    const series = parseJsonDumps(head);
    if (series.dumps.length === 0) throw new StackParseError('no thread in the JSON');
    return series;
  }
  const scanner = new StackDumpScanner();
  let from = 0;
  for (;;) {
    const nl = text.indexOf('\n', from);
    scanner.push(nl === -1 ? text.slice(from) : text.slice(from, nl));
    if (nl === -1) break;
    from = nl + 1;
  }
  const series = scanner.finish();
  if (series.dumps.length === 0) {
    throw new StackParseError('no stack dump found: expected py-spy dump output, faulthandler blocks ("Thread 0x… (most recent call first):") or "# Thread: name(id)" blocks');
  }
  return series;
}
