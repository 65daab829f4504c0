/**
 * Reads any memory file Incident Workbench understands, for the host's memory view and `iwb memory`:
 * the kind comes from the first bytes (src/core/memory/sniff.ts); memray captures are read by memray
 * itself (python/iwb_memray.py, run by a Python that has memray), tracemalloc snapshots by Python
 * (python/iwb_tracemalloc.py, run by the user's interpreter), memory_profiler reports and mprof files are
 * parsed here. Programs run with argument arrays, never a shell; callers only call this in a trusted
 * workspace. Every failure is one message naming the file and why.
 */
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseMemrayHelperOutput, helperError } from '../core/memory/memrayJson';
import { MemoryParseError, type MemoryCapture } from '../core/memory/model';
import { parseMemoryProfilerReport } from '../core/memory/memoryProfiler';
import { parseMprof } from '../core/memory/mprof';
import { MEMRAY_FORMAT_RELEASES, lz4FrameLooksComplete, memrayReleasesFor, sniffMemoryFile, type Sniffed } from '../core/memory/sniff';
import { parseTracemallocHelperOutput } from '../core/memory/tracemalloc';
import { errorMessage } from '../core/util/errors';

/** Text reports bigger than this are refused (a line report or an mprof file is a few MB at most). */
const MAX_TEXT = 256 * 2 ** 20;
/** The helpers' JSON answer; a capture with millions of distinct stacks would pass it. */
const MAX_ANSWER = 400 * 2 ** 20;

export interface MemrayPython {
  python: string;
  memray: string;
  pythonVersion: string;
}

export interface ReadOptions {
  /** Interpreters to try, in order, for memray (the first that imports it) and for tracemalloc (the first that runs). */
  pythons: readonly string[];
  /** The folder holding iwb_memray.py and iwb_tracemalloc.py. */
  helperDir: string;
  /** Also the memory over time and allocation lifetimes (the view needs them; a summary does not). */
  time?: boolean;
  signal?: AbortSignal;
  /** A found memray Python to reuse, or how to find one (cached by the caller); default: probe `pythons`. */
  memray?: MemrayPython | (() => Promise<MemrayPython | undefined>);
  cwd?: string;
}

export type ReadResult = { capture: MemoryCapture; kind: Sniffed['kind']; memray?: MemrayPython } | { error: string; kind?: Sniffed['kind'] };

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  spawnError?: NodeJS.ErrnoException;
  tooBig?: boolean;
}

/** Runs `command args` without a shell; stdout is bounded, stderr keeps its last lines. */
export function runProgram(command: string, args: readonly string[], options: { signal?: AbortSignal; cwd?: string; maxOut?: number } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, shell: false, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONIOENCODING: 'utf-8', PYTHONDONTWRITEBYTECODE: '1' } });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let tooBig = false;
    let settled = false;
    const done = (r: Ran) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const onAbort = () => child.kill('SIGKILL');
    options.signal?.addEventListener('abort', onAbort);
    child.stdout.on('data', (d: Buffer) => {
      size += d.length;
      if (size > (options.maxOut ?? MAX_ANSWER)) {
        tooBig = true;
        child.kill('SIGKILL');
        return;
      }
      chunks.push(d);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-16000);
    });
    child.on('error', (e: NodeJS.ErrnoException) => done({ code: null, stdout: '', stderr, spawnError: e }));
    child.on('close', (code) => done({ code, stdout: Buffer.concat(chunks).toString('utf8'), stderr, ...(tooBig ? { tooBig } : {}) }));
  });
}

const PROBE = 'import sys\ntry:\n    from importlib.metadata import version\n    v = version("memray")\nexcept Exception:\n    import memray\n    v = getattr(memray, "__version__", "?")\nimport memray\nprint(v)\nprint("%d.%d.%d" % sys.version_info[:3])\n';

/** The first of `pythons` that imports memray, with memray's and Python's versions. */
export async function findMemrayPython(pythons: readonly string[], signal?: AbortSignal): Promise<MemrayPython | undefined> {
  for (const python of unique(pythons)) {
    const r = await runProgram(python, ['-c', PROBE], { ...(signal ? { signal } : {}), maxOut: 4096 });
    if (r.code === 0) {
      const [memray, pythonVersion] = r.stdout.trim().split(/\r?\n/);
      if (memray && pythonVersion) return { python, memray, pythonVersion };
    }
  }
  return undefined;
}

function unique(xs: readonly string[]): string[] {
  return [...new Set(xs.filter((x) => x.trim() !== ''))];
}

/** The capture format the installed memray reads, from its release (memray 1.20.0 -> 13). */
export function formatOfRelease(release: string): number | undefined {
  const m = /^(\d+)\.(\d+)/.exec(release);
  if (!m) return undefined;
  const minor = Number(m[1]) * 1000 + Number(m[2]);
  let found: number | undefined;
  for (const r of MEMRAY_FORMAT_RELEASES) {
    const lo = /^(\d+)\.(\d+)/.exec(r.first)!;
    if (Number(lo[1]) * 1000 + Number(lo[2]) <= minor) found = r.format;
  }
  return found;
}

/** The first `bytes` of a file from offset `from` (fewer when it is shorter): enough to tell its format. */
export async function readFileHead(file: string, bytes = 65536, from = 0): Promise<Uint8Array> {
  const handle = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, Math.max(0, from));
    return new Uint8Array(buf.buffer, buf.byteOffset, bytesRead);
  } finally {
    await handle.close();
  }
}

/** "Memray ERROR: Failed to process allocation record" and the like, once each. */
function memrayStderrWarnings(stderr: string): string[] {
  const lines = [...new Set(stderr.split(/\r?\n/).filter((l) => /^Memray (ERROR|WARNING)/.test(l)))];
  if (lines.length === 0) return [];
  const truncated = lines.some((l) => /Failed to process/.test(l));
  return [truncated ? `memray stopped reading before the end: the capture is truncated or damaged (the process may have been killed while tracked). What was read up to there is shown. (${lines[0]})` : `memray: ${lines.join('; ')}`];
}

/**
 * Reads `file` (a display name for messages: `label`, default the path as given). Never throws for a bad
 * file: the result says what is wrong with it.
 */
export async function readMemoryFile(file: string, options: ReadOptions, label = file): Promise<ReadResult> {
  const abs = path.resolve(options.cwd ?? process.cwd(), file);
  let stat;
  try {
    stat = await fs.stat(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { error: `${label}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : errorMessage(e)}` };
  }
  if (stat.isDirectory()) return { error: `${label}: is a directory, not a memory capture` };
  let sniffed: Sniffed;
  try {
    sniffed = sniffMemoryFile(await readFileHead(abs));
  } catch (e) {
    return { error: `${label}: cannot be read (${errorMessage(e)})` };
  }
  try {
    switch (sniffed.kind) {
      case 'unknown':
        return { error: `${label}: ${sniffed.reason}` };
      case 'memory_profiler':
      case 'mprof': {
        if (stat.size > MAX_TEXT) return { error: `${label}: ${(stat.size / 2 ** 20).toFixed(0)} MB is too big for a ${sniffed.kind === 'mprof' ? 'mprof file' : 'memory_profiler report'} (limit ${MAX_TEXT / 2 ** 20} MB)`, kind: sniffed.kind };
        const text = new TextDecoder('utf-8', { fatal: false }).decode(await fs.readFile(abs));
        return { capture: sniffed.kind === 'mprof' ? parseMprof(text) : parseMemoryProfilerReport(text), kind: sniffed.kind };
      }
      case 'tracemalloc':
        return await readTracemalloc(abs, label, options);
      case 'memray':
        return await readMemray(abs, label, sniffed, options, stat.size);
    }
  } catch (e) {
    if (e instanceof MemoryParseError) return { error: `${label}: ${e.message}`, kind: sniffed.kind };
    return { error: `${label}: ${errorMessage(e)}`, kind: sniffed.kind };
  }
}

async function readTracemalloc(abs: string, label: string, options: ReadOptions): Promise<ReadResult> {
  const helper = path.join(options.helperDir, 'iwb_tracemalloc.py');
  const tried: string[] = [];
  for (const python of unique(options.pythons)) {
    const r = await runProgram(python, [helper, abs], { ...(options.signal ? { signal: options.signal } : {}) });
    if (r.spawnError) {
      tried.push(`${python} (${r.spawnError.code === 'ENOENT' ? 'not found' : r.spawnError.message})`);
      continue;
    }
    if (r.tooBig) return { error: `${label}: the snapshot converts to more than ${MAX_ANSWER / 2 ** 20} MB of data`, kind: 'tracemalloc' };
    const err = safeHelperError(r.stdout);
    if (err) return { error: `${label}: ${err.kind === 'other-python' ? `a tracemalloc snapshot, but ${err.message} (--python / incidentWorkbench.memory.python)` : err.message}`, kind: 'tracemalloc' };
    if (r.code !== 0) return { error: `${label}: ${python} could not convert the snapshot (exit ${r.code}): ${lastLine(r.stderr)}`, kind: 'tracemalloc' };
    return { capture: parseTracemallocHelperOutput(r.stdout), kind: 'tracemalloc' };
  }
  return { error: `${label}: a tracemalloc snapshot needs Python to read it, and none ran: ${tried.join(', ') || 'no interpreter configured'}`, kind: 'tracemalloc' };
}

async function readMemray(abs: string, label: string, sniffed: Extract<Sniffed, { kind: 'memray' }>, options: ReadOptions, size: number): Promise<ReadResult> {
  const found = typeof options.memray === 'function' ? await options.memray() : (options.memray ?? (await findMemrayPython(options.pythons, options.signal)));
  const needs = sniffed.header ? memrayReleasesFor(sniffed.header.formatVersion) : 'memray';
  if (!found) {
    return {
      error: `${label}: a memray capture (written by ${needs}${sniffed.header?.python ? ` for Python ${sniffed.header.python}` : ''}) is read with memray, which none of ${unique(options.pythons).join(', ') || 'the configured interpreters'} can import. Install it: python3 -m pip install memray`,
      kind: 'memray',
    };
  }
  const installedFormat = formatOfRelease(found.memray);
  if (sniffed.header && installedFormat !== undefined && sniffed.header.formatVersion !== installedFormat) {
    return { error: versionMismatch(label, sniffed.header.formatVersion, found, installedFormat), kind: 'memray', memray: found };
  }
  const helper = path.join(options.helperDir, 'iwb_memray.py');
  const r = await runProgram(found.python, [helper, abs, ...(options.time ? ['--time'] : [])], { ...(options.signal ? { signal: options.signal } : {}) });
  if (r.spawnError) return { error: `${label}: ${found.python} could not be started (${r.spawnError.message})`, kind: 'memray' };
  if (r.tooBig) return { error: `${label}: memray's answer is more than ${MAX_ANSWER / 2 ** 20} MB; the capture has too many distinct stacks to show`, kind: 'memray' };
  const err = safeHelperError(r.stdout);
  if (err) {
    if (err.kind === 'incompatible') return { error: sniffed.header ? versionMismatch(label, sniffed.header.formatVersion, found, installedFormat) : `${label}: a capture from another memray version; memray ${found.memray} cannot read it`, kind: 'memray', memray: found };
    if (err.kind === 'not-memray') return { error: `${label}: a memray capture that memray ${found.memray} cannot read from the start: it is truncated or damaged (${size.toLocaleString('en')} bytes${sniffed.compressed ? ' of LZ4-compressed data' : ''})`, kind: 'memray', memray: found };
    return { error: `${label}: memray ${found.memray} could not read it: ${err.message}`, kind: 'memray', memray: found };
  }
  if (r.code !== 0) return { error: `${label}: reading it with memray ${found.memray} failed (exit ${r.code}): ${lastLine(r.stderr)}`, kind: 'memray', memray: found };
  const capture = parseMemrayHelperOutput(r.stdout);
  capture.warnings.unshift(...memrayStderrWarnings(r.stderr));
  if (sniffed.compressed && !lz4FrameLooksComplete(await readFileHead(abs, 16), await readFileHead(abs, Math.min(8, size), size - 8))) {
    capture.warnings.unshift(`The capture is cut short (its compressed data stops without an end): memray read what was there, ${size.toLocaleString('en')} bytes. The views miss whatever came after.`);
  }
  // memray writes the end time into the header when tracking ends; until then it holds the start time (give
  // or take the millisecond): no tracked run ends within 2 ms of starting.
  if (!sniffed.compressed && capture.durationMs !== undefined && capture.durationMs <= 2) capture.warnings.push('The capture was not finished (no end time): the process was probably killed while memray tracked it. It holds what was written until then.');
  return { capture, kind: 'memray', memray: found };
}

function versionMismatch(label: string, format: number, found: MemrayPython, installedFormat: number | undefined): string {
  const wanted = memrayReleasesFor(format);
  const pin = MEMRAY_FORMAT_RELEASES.find((r) => r.format === format)?.last;
  const pip = pin ? ` (python -m pip install "memray==${pin}.*" in another environment, then --python / incidentWorkbench.memory.python pointing at its Python)` : '';
  return `${label}: written by ${wanted} (capture format ${format}); the installed memray ${found.memray} reads format ${installedFormat ?? '?'} only. Read it with ${wanted}${pip}.`;
}

function safeHelperError(stdout: string): { kind: string; message: string } | undefined {
  if (!stdout.startsWith('{') || !stdout.includes('"error"')) return undefined;
  try {
    return helperError(JSON.parse(stdout));
  } catch {
    return undefined;
  }
}

function lastLine(text: string): string {
  return text.trim().split(/\r?\n/).filter(Boolean).slice(-1)[0] ?? 'no message';
}

/**
 * The folder of the Python helpers, found from `start` upwards (the bundle runs from dist/, the compiled
 * tests from out/src/...; both ship or sit next to python/).
 */
export function helperDirFrom(start: string): string {
  let dir = start;
  for (let i = 0; i < 8; i++) {
    const candidate = path.join(dir, 'python');
    if (existsSync(path.join(candidate, 'iwb_memray.py'))) return candidate;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return path.join(start, '..', 'python');
}

/**
 * The interpreter of a `memray` console script on PATH (pip and pipx write `#!/path/to/python`), so the
 * reader runs where memray is installed even when that is not the first python3 on PATH.
 */
export async function memrayScriptPython(envPath = process.env.PATH ?? ''): Promise<string | undefined> {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const script = path.join(dir, process.platform === 'win32' ? 'memray.exe' : 'memray');
    try {
      const handle = await fs.open(script, 'r');
      try {
        const buf = Buffer.alloc(512);
        const { bytesRead } = await handle.read(buf, 0, 512, 0);
        const first = buf.subarray(0, bytesRead).toString('utf8').split('\n')[0] ?? '';
        const m = /^#!\s*(\S*python[\d.]*)\s*$/.exec(first);
        if (m) return m[1];
      } finally {
        await handle.close();
      }
      return undefined;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}
