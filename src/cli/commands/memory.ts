import { formatBytes, summarizeMemory, type LocationStat } from '../../core/memory/analysis';
import { diffMemory, type MemoryDiffRow } from '../../core/memory/diff';
import { MEMORY_FORMAT_LABELS, MEMORY_VIEWS, type MemoryCapture } from '../../core/memory/model';
import { helperDirFrom, memrayScriptPython, readMemoryFile } from '../../node/memoryReader';
import { UsageError, rejectUnknown, topOption, type ParsedArgs } from '../args';
import type { CommandHelp } from '../help';
import { EXIT, lpad, where, type CliIO } from '../output';

export const memoryHelp: CommandHelp = {
  summary: 'Summarize a memory capture (memray, tracemalloc, memory_profiler, mprof) or compare two',
  usage: `iwb memory summarize FILE [--top N] [--json] [--python PYTHON]
  Reads a memray capture (through the installed memray), a tracemalloc snapshot (Snapshot.dump, converted
  by Python), a memory_profiler line report or an mprof .dat file; the kind is detected from the content.
  Prints the N locations (default 20) with the most bytes in each view: peak (live at the high-water
  mark), leaks (allocated and never freed), temporary (freed right after allocation; empty when the format
  cannot tell).
  --json: {file, format, peakBytes, totalAllocations, totalBytes, peak: [{function, file, line, bytes,
  allocations}], leaks: [...], temporary: [...]}, each list biggest first.
  --python: the interpreter that has memray (and reads tracemalloc snapshots); default: $IWB_PYTHON, the
  Python of the memray on PATH, python3, python.
iwb memory diff BEFORE AFTER [--top N] [--json] [--python PYTHON]
  Compares two captures (before and after a fix) in bytes, per view, biggest change first.
  --json: {before: {file, format, peakBytes, totalAllocations, totalBytes}, after: {...}, peakBytesDelta,
  peak: [{function, file, line, beforeBytes, afterBytes, deltaBytes, beforeAllocations,
  afterAllocations}], leaks: [...], temporary: [...]}
  Exit 0: analysed. 2: a file cannot be read or is not a memory capture (one line naming it and why).`,
};

export const MEMORY_VALUE_OPTIONS = ['top', 'python'];

async function pythons(args: ParsedArgs): Promise<string[]> {
  const given = args.flags.get('python');
  if (given === true) throw new UsageError('--python needs the path of a Python interpreter');
  if (given !== undefined) return [given];
  const fromScript = await memrayScriptPython();
  return [process.env.IWB_PYTHON ?? '', fromScript ?? '', process.platform === 'win32' ? 'python' : 'python3', 'python'].filter(Boolean);
}

const count = (n: number) => Math.round(n).toLocaleString('en');

const VIEW_TITLES = {
  peak: 'Peak: live at the high-water mark',
  leaks: 'Leaks: allocated and never freed',
  temporary: 'Temporary: freed right after allocation',
} as const;

export async function memoryCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  rejectUnknown(args, ['json', 'top', 'python']);
  const [sub, ...files] = args.positionals;
  const json = args.flags.has('json');
  const top = topOption(args);
  const fail = (message: string): number => {
    if (json) io.out(JSON.stringify({ error: message }));
    io.err(`iwb memory: ${message}`);
    return EXIT.usage;
  };
  if (sub !== 'summarize' && sub !== 'diff') throw new UsageError(sub === undefined ? 'say summarize or diff' : `unknown sub-command "${sub}" (summarize or diff)`);
  if (sub === 'summarize' && files.length !== 1) throw new UsageError('summarize takes one FILE');
  if (sub === 'diff' && files.length !== 2) throw new UsageError('diff takes BEFORE and AFTER');
  const options = { pythons: await pythons(args), helperDir: helperDirFrom(__dirname), cwd: io.cwd };
  const captures: MemoryCapture[] = [];
  for (const file of files) {
    const r = await readMemoryFile(file, options);
    if ('error' in r) return fail(r.error);
    for (const w of r.capture.warnings) io.err(`warning: ${file}: ${w}`);
    captures.push(r.capture);
  }
  if (sub === 'summarize') {
    const capture = captures[0]!;
    const s = summarizeMemory(capture, { top });
    if (json) {
      // Reports written in MiB (memory_profiler, mprof) give fractions of a byte; the contract counts bytes.
      const loc = (l: LocationStat) => ({ function: l.function, file: l.file, line: l.line, bytes: Math.round(l.bytes), allocations: l.allocations });
      io.out(JSON.stringify({ file: files[0], format: s.format, peakBytes: Math.round(s.peakBytes), totalAllocations: s.totalAllocations, totalBytes: Math.round(s.totalBytes), peak: s.peak.map(loc), leaks: s.leaks.map(loc), temporary: s.temporary.map(loc) }, null, 2));
      return EXIT.ok;
    }
    io.out(`${files[0]}: ${MEMORY_FORMAT_LABELS[capture.format]}${capture.tool ? ` (${capture.tool})` : ""}, peak ${formatBytes(s.peakBytes)}${s.totalAllocations > 0 ? `, ${count(s.totalAllocations)} allocations, ${formatBytes(s.totalBytes)} allocated` : ''}${capture.durationMs !== undefined ? `, ${(capture.durationMs / 1000).toFixed(1)} s` : ''}`);
    for (const view of MEMORY_VIEWS) {
      io.out('');
      io.out(`${VIEW_TITLES[view]}${capture.views[view] ? '' : ' — not known for this format'}`);
      const rows = s[view];
      if (!capture.views[view]) continue;
      if (rows.length === 0) {
        io.out('  (none)');
        continue;
      }
      io.out(`${lpad('bytes', 11)} ${lpad('allocations', 12)}  function  (file:line)`);
      for (const r of rows) io.out(`${lpad(formatBytes(r.bytes), 11)} ${lpad(count(r.allocations), 12)}  ${r.function}  ${where(r.file, r.line) ? `(${where(r.file, r.line)})` : ''}`);
    }
    return EXIT.ok;
  }
  const [before, after] = captures as [MemoryCapture, MemoryCapture];
  const d = diffMemory(before, after, { top });
  if (json) {
    const facts = (file: string, f: typeof d.before) => ({ file, format: f.format, peakBytes: Math.round(f.peakBytes), totalAllocations: f.totalAllocations, totalBytes: Math.round(f.totalBytes) });
    const row = (r: MemoryDiffRow) => ({ function: r.function, file: r.file, line: r.line, beforeBytes: Math.round(r.beforeBytes), afterBytes: Math.round(r.afterBytes), deltaBytes: Math.round(r.afterBytes) - Math.round(r.beforeBytes), beforeAllocations: r.beforeAllocations, afterAllocations: r.afterAllocations });
    io.out(JSON.stringify({ before: facts(files[0]!, d.before), after: facts(files[1]!, d.after), peakBytesDelta: Math.round(d.after.peakBytes) - Math.round(d.before.peakBytes), peak: d.peak.map(row), leaks: d.leaks.map(row), temporary: d.temporary.map(row) }, null, 2));
    return EXIT.ok;
  }
  const signed = (b: number) => (b > 0 ? `+${formatBytes(b)}` : b < 0 ? formatBytes(b) : '0 B');
  io.out(`before: ${files[0]} (peak ${formatBytes(d.before.peakBytes)})  after: ${files[1]} (peak ${formatBytes(d.after.peakBytes)}, ${signed(d.peakBytesDelta)})`);
  for (const view of MEMORY_VIEWS) {
    io.out('');
    io.out(VIEW_TITLES[view]);
    const rows = d[view];
    if (rows.length === 0) {
      io.out('  (none)');
      continue;
    }
    io.out(`${lpad('before', 11)} ${lpad('after', 11)} ${lpad('change', 12)}  function  (file:line)`);
    for (const r of rows) io.out(`${lpad(formatBytes(r.beforeBytes), 11)} ${lpad(formatBytes(r.afterBytes), 11)} ${lpad(signed(r.deltaBytes), 12)}  ${r.function}  ${where(r.file, r.line) ? `(${where(r.file, r.line)})` : ''}`);
  }
  return EXIT.ok;
}
