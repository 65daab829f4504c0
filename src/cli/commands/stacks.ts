import { createReadStream, promises as fs, readFileSync, statSync } from 'node:fs';
import * as nodePath from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { applyPathMappings, isLibraryPath, parseMapArguments, type PathMapping } from '../../core/paths/pathMappings';
import { explainPySpyFailure } from '../../core/profile/pySpy';
import { analyzeStacks, somethingStuck, stacksReport, type SourceLines, type StackAnalysis } from '../../core/stacks/analyze';
import { StackParseError, type DumpSeries } from '../../core/stacks/model';
import { StackDumpScanner, parseStackDumps } from '../../core/stacks/parse';
import { DEFAULT_DUMPS, DEFAULT_INTERVAL_MS, MAX_DUMPS } from '../../core/stacks/pySpyDump';
import { runPySpyDumps } from '../../node/pySpyDump';
import { UsageError, rejectUnknown, type ParsedArgs } from '../args';
import type { CommandHelp } from '../help';
import { EXIT, type CliIO } from '../output';

export const stacksHelp: CommandHelp = {
  summary: 'Dump a stuck Python process\'s threads several times (py-spy) or read a dump; find what is stuck',
  usage: `iwb stacks --pid PID [--dumps N] [--interval SECONDS] [--locals] [--native] [--map FROM=TO]... [--json]
  Runs "py-spy dump --json" N times (default ${DEFAULT_DUMPS}, at most ${MAX_DUMPS}) SECONDS apart (default
  ${DEFAULT_INTERVAL_MS / 1000}) and reports each thread, the frames that did not move between dumps (stuck), and
  why: a lock-order deadlock, a lock/queue/Event wait, a socket/TLS/child-process wait, time.sleep, or a
  loop that spins. py-spy is found on PATH (or set IWB_PY_SPY); attaching needs ptrace rights.
iwb stacks FILE [--map FROM=TO]... [--json]
  Reads dumps people already have (gzipped too): py-spy dump output (JSON, one dump per line or
  pretty-printed, or text), faulthandler blocks inside a log file (dump_traceback_later, a crash), and
  sys._current_frames() dumps ("# Thread: name(id)" then traceback lines). One dump cannot show what
  did not move; it still names waits and deadlocks it can see.
  Source lines decide what a frame waits on (a "with lock:" line blocks in C): files are read where the
  dump says, or through --map (a container's /app → this checkout).
  --json: {pid?, dumps, threads: [{id, name, active, gil, stuck, frames: [{function, file, line}]}],
  findings: [{kind, threadIds, file, line, message}]}; frames innermost first; kind is deadlock,
  lock-wait, io-wait, sleep or busy-loop; active/gil are null when the dump does not say.
  Exit 0: nothing stuck. 1: something stuck (or a deadlock). 2: cannot read the file or attach.`,
};

export const STACKS_VALUE_OPTIONS = ['pid', 'dumps', 'interval', 'map'];

class InputError extends Error {}

/** A dump file of any size: JSON is read whole (py-spy's dumps are small), text is scanned line by line. */
async function readDumpFile(file: string, cwd: string): Promise<DumpSeries> {
  const abs = nodePath.resolve(cwd, file);
  const stat = await fs.stat(abs).catch((e: NodeJS.ErrnoException) => {
    throw new InputError(`${file}: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.message}`);
  });
  if (stat.isDirectory()) throw new InputError(`${file}: is a directory, not a stack dump`);
  try {
    const handle = await fs.open(abs, 'r');
    const head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, 4096, 0);
    await handle.close();
    // faulthandler blocks sit in logs, and rotated logs are gzipped.
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) return await readGzipDump(abs);
    const start = head.subarray(0, bytesRead).toString('utf8').replace(/^[\uFEFF\s]+/, '');
    if (head.subarray(0, bytesRead).includes(0)) throw new StackParseError('binary data, not a stack dump (py-spy dump output, faulthandler output or a log holding it)');
    if (start === '') throw new StackParseError('the file is empty');
    if (start[0] === '[' || start[0] === '{') {
      if (stat.size > 512 * 1024 * 1024) throw new StackParseError('a JSON file over 512 MB is not py-spy dump output');
      return parseStackDumps(await fs.readFile(abs, 'utf8'));
    }
    const scanner = new StackDumpScanner();
    const lines = createInterface({ input: createReadStream(abs, { encoding: 'utf8', highWaterMark: 1 << 20 }), crlfDelay: Infinity });
    for await (const line of lines) scanner.push(line.length > 65536 ? line.slice(0, 65536) : line);
    const series = scanner.finish();
    if (series.dumps.length === 0) throw new StackParseError('no stack dump found: expected py-spy dump output, faulthandler blocks ("Thread 0x… (most recent call first):") or "# Thread: name(id)" blocks');
    return series;
  } catch (e) {
    if (e instanceof StackParseError) throw new InputError(`${file}: ${e.message}`);
    const err = e as NodeJS.ErrnoException;
    if (err.code) throw new InputError(`${file}: cannot be read (${err.code === 'EACCES' ? 'permission denied' : err.message})`);
    throw e;
  }
}

const MAX_JSON_DUMP = 512 * 1024 * 1024;

/** A gzipped dump or log, streamed: JSON (py-spy --json) is gathered up to a cap, text is scanned line by line. */
async function readGzipDump(abs: string): Promise<DumpSeries> {
  const gunzip = createGunzip();
  const lines = createInterface({ input: createReadStream(abs).pipe(gunzip), crlfDelay: Infinity });
  let mode: 'unknown' | 'json' | 'text' = 'unknown';
  const json: string[] = [];
  let jsonSize = 0;
  const scanner = new StackDumpScanner();
  let damaged: Error | undefined;
  gunzip.on('error', (e) => {
    damaged = e;
    lines.close();
  });
  try {
    for await (const raw of lines) {
      const line: string = raw.length > 65536 && mode !== 'json' ? raw.slice(0, 65536) : raw;
      if (mode === 'unknown') {
        if (line.includes('\0')) throw new StackParseError('binary data inside the gzip, not a stack dump');
        const trimmed: string = line.replace(/^[\uFEFF\s]+/, '');
        if (trimmed === '') continue;
        mode = trimmed[0] === '[' || trimmed[0] === '{' ? 'json' : 'text';
      }
      if (mode === 'json') {
        jsonSize += line.length + 1;
        if (jsonSize > MAX_JSON_DUMP) throw new StackParseError('a JSON file over 512 MB uncompressed is not py-spy dump output');
        json.push(line);
      } else scanner.push(line);
    }
  } catch (e) {
    if (!damaged) throw e;
  }
  if (damaged) throw new StackParseError(`gzip data is damaged or cut short (${damaged.message})`);
  if (mode === 'unknown') throw new StackParseError('the file is empty (once decompressed)');
  if (mode === 'json') return parseStackDumps(json.join('\n'));
  const series = scanner.finish();
  if (series.dumps.length === 0) throw new StackParseError('no stack dump found: expected py-spy dump output, faulthandler blocks ("Thread 0x… (most recent call first):") or "# Thread: name(id)" blocks');
  return series;
}

/** Source lines from disk, through the mappings, relative paths against the working directory; cached. */
export function diskSources(cwd: string, mappings: readonly PathMapping[]): SourceLines {
  const cache = new Map<string, readonly string[] | undefined>();
  return (file) => {
    if (cache.has(file)) return cache.get(file);
    let lines: readonly string[] | undefined;
    if (!isLibraryPath(file) || file.startsWith('/')) {
      const mapped = applyPathMappings(file, mappings);
      for (const candidate of [mapped, nodePath.resolve(cwd, file)]) {
        if (!candidate) continue;
        try {
          const abs = nodePath.resolve(cwd, candidate);
          if (statSync(abs).size > 4 * 1024 * 1024) continue;
          lines = readFileSync(abs, 'utf8').split(/\r?\n/);
          break;
        } catch {
          // not here; try the next place
        }
      }
    }
    cache.set(file, lines);
    return lines;
  };
}

function intOption(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const raw = args.flags.get(name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw === true || !Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} needs a number from ${min} to ${max}`);
  return n;
}

function printHuman(a: StackAnalysis, io: CliIO): void {
  const stuck = a.threads.filter((t) => t.stuck).length;
  io.out(`${a.pid !== undefined ? `process ${a.pid}: ` : ''}${a.dumps} dump${a.dumps === 1 ? '' : 's'}, ${a.threads.length} thread${a.threads.length === 1 ? '' : 's'}, ${stuck} stuck`);
  for (const w of a.warnings) io.err(`warning: ${w}`);
  for (const f of a.findings) io.out(`${f.kind.toUpperCase()}: ${f.message}${f.file ? `\n  → ${f.file}${f.line ? `:${f.line}` : ''}` : ''}`);
  for (const t of a.threads) {
    const state = [t.active === null ? '' : t.active ? 'active' : 'idle', t.gil ? 'gil' : '', t.stuck ? 'STUCK' : t.waitingForWork ? 'waiting for work' : ''].filter(Boolean).join(', ');
    io.out(`\nThread ${t.id}${t.name ? ` "${t.name}"` : ''}${state ? ` (${state})` : ''}`);
    for (const f of t.frames) io.out(`  ${f.still && a.dumps >= 2 ? '*' : ' '} ${f.function} (${f.file}${f.line ? `:${f.line}` : ''})`);
  }
  if (a.dumps >= 2) io.out('\n* = the same in every dump');
}

export async function stacksCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  rejectUnknown(args, ['json', 'pid', 'dumps', 'interval', 'map', 'locals', 'native']);
  const json = args.flags.has('json');
  const maps = parseMapArguments((args.all ?? []).filter(([n, v]) => n === 'map' && typeof v === 'string').map(([, v]) => v as string));
  if (maps.problems.length) throw new UsageError(maps.problems[0]!);
  const mappings = maps.mappings.map((m) => ({ from: m.from, to: nodePath.resolve(io.cwd, m.to) }));
  const fail = (message: string): number => {
    if (json) io.out(JSON.stringify({ error: message }));
    io.err(`iwb stacks: ${message}`);
    return EXIT.usage;
  };
  const pid = intOption(args, 'pid', 1, 2 ** 31);
  let series: DumpSeries;
  try {
    if (pid !== undefined) {
      if (args.positionals.length) throw new UsageError('give --pid or a FILE, not both');
      if (!Number.isInteger(pid)) throw new UsageError('--pid needs a whole number');
      const dumps = intOption(args, 'dumps', 1, MAX_DUMPS) ?? DEFAULT_DUMPS;
      const interval = intOption(args, 'interval', 0, 60) ?? DEFAULT_INTERVAL_MS / 1000;
      const pySpy = process.env.IWB_PY_SPY || 'py-spy';
      const r = await runPySpyDumps({ pySpy, pid, dumps: Math.floor(dumps), intervalMs: interval * 1000, locals: args.flags.has('locals'), native: args.flags.has('native') });
      if (r.dumps.length === 0) {
        if (r.failure?.notFound) return fail(`py-spy was not found (${pySpy}); install it with: python3 -m pip install py-spy (or set IWB_PY_SPY)`);
        const why = explainPySpyFailure(r.failure?.output ?? '', { platform: process.platform, inContainer: false, pySpyPath: pySpy, pid, action: 'dump', ...(typeof process.getuid === 'function' ? { uid: process.getuid() } : {}) });
        return fail(why ? `${why.message} ${why.nextStep}` : `py-spy could not dump process ${pid}: ${r.failure?.message ?? 'no output'}`);
      }
      series = parseStackDumps(r.dumps.join('\n'));
      if (r.failure) series.warnings.push(`only ${r.dumps.length} of ${dumps} dumps were taken: ${r.failure.message}`);
    } else {
      if (args.positionals.length !== 1) throw new UsageError('give --pid PID or one FILE');
      series = await readDumpFile(args.positionals[0]!, io.cwd);
    }
  } catch (e) {
    if (e instanceof InputError) return fail(e.message);
    if (e instanceof StackParseError) return fail(e.message);
    throw e;
  }
  const analysis = analyzeStacks(series, diskSources(io.cwd, mappings));
  if (json) io.out(JSON.stringify(stacksReport(analysis), null, 2));
  else printHuman(analysis, io);
  return somethingStuck(analysis) ? EXIT.findings : EXIT.ok;
}
