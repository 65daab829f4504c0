import { createReadStream, promises as fs } from 'node:fs';
import { createGunzip } from 'node:zlib';
import * as nodePath from 'node:path';
import { applyPathMappings, parseMapArguments } from '../../core/paths/pathMappings';
import { diffProfiles } from '../../core/profile/diff';
import { OP_SORT_KEYS, analyzeTorchTrace, opsReport, sortOps, type OpSortKey, type TorchOps } from '../../core/profile/torchOps';
import { byteChunks, peekBytes, textChunks } from '../../core/profile/input';
import { ProfileParseError, type Profile } from '../../core/profile/model';
import { parseProfile } from '../../core/profile/parse';
import { formatWeight, summarize } from '../../core/profile/summary';
import { UsageError, rejectUnknown, topOption, type ParsedArgs } from '../args';
import type { CommandHelp } from '../help';
import { EXIT, lpad, where, type CliIO } from '../output';

export const profileHelp: CommandHelp = {
  summary: 'Summarize a profile (py-spy, cProfile, pyinstrument, scalene, austin, speedscope, torch) or compare two',
  usage: `iwb profile summarize FILE [--top N] [--json]
  Reads a profile and prints the N functions (default 20) with the most self time. Formats (detected
  from the content, .gz too): py-spy raw/collapsed, speedscope, py-spy chrometrace, torch.profiler Chrome
  trace (CPU threads; GPU streams are listed apart), cProfile/profile .prof/.pstats (exact tottime and
  cumtime, with calls), pyinstrument -r json and -r pyisession, scalene --json, austin.
  --json: {file, format, samples, threads, top: [{function, file, line, self, total, selfPct,
  totalPct, calls?}], ...}
iwb profile diff BEFORE AFTER [--map FROM=TO]... [--top N] [--json]
  Compares two profiles by share of time per function, biggest change first. --map rewrites recorded
  paths before functions are matched (repeatable; TO is relative to the current folder), e.g. a profile
  recorded in a container under /app against one recorded in this checkout: --map /app=.
  --json: {beforeFile, afterFile, before, after, functions: [{function, file, line, beforePct, afterPct,
  deltaPct, ...}]}, sorted by |deltaPct|
iwb profile ops FILE [--sort KEY] [--top N] [--json]
  CPU versus device time per op of a torch.profiler Chrome trace, like key_averages().table(): calls,
  self/total CPU and self/total device (CUDA) time in µs; the kernels by total time; device idle share
  (per GPU, the time between its first and last kernel when nothing ran), copies, and the ops that
  launched the longest kernels. KEY: ${OP_SORT_KEYS.join(', ')} (default: device, or cpu when the trace
  has no device events).
  --json: {cpuTotalUs, deviceTotalUs, deviceIdlePct, ops: [{name, calls, selfCpuUs, cpuTotalUs,
  selfDeviceUs, deviceTotalUs}], kernels: [{name, calls, totalUs}]}; deviceIdlePct is null without
  device events.
  Exit 0: done. 2: a file cannot be read or is not a profile (one line naming it).`,
};

class InputError extends Error {}

/** Reads a profile file as a stream (files over 512 MB cannot be one string); errors name the file. */
export async function readProfileFile(file: string, cwd: string): Promise<Profile> {
  const abs = nodePath.resolve(cwd, file);
  const stat = await fs.stat(abs).catch((e: NodeJS.ErrnoException) => {
    throw new InputError(`${file}: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.message}`);
  });
  if (stat.isDirectory()) throw new InputError(`${file}: is a directory, not a profile file`);
  try {
    return await parseProfile(createReadStream(abs, { highWaterMark: 1 << 20 }));
  } catch (e) {
    if (e instanceof ProfileParseError) throw new InputError(`${file}: ${e.message}`);
    const err = e as NodeJS.ErrnoException;
    if (err.code) throw new InputError(`${file}: cannot be read (${err.code === 'EACCES' ? 'permission denied' : err.message})`);
    throw e;
  }
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/** A torch trace's op table, read as a stream; errors name the file. */
async function readTorchOps(file: string, cwd: string): Promise<TorchOps> {
  const abs = nodePath.resolve(cwd, file);
  const stat = await fs.stat(abs).catch((e: NodeJS.ErrnoException) => {
    throw new InputError(`${file}: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.message}`);
  });
  if (stat.isDirectory()) throw new InputError(`${file}: is a directory, not a trace`);
  try {
    const { head, all } = await peekBytes(byteChunks(createReadStream(abs, { highWaterMark: 1 << 20 })));
    const gz = head[0] === 0x1f && head[1] === 0x8b;
    // A .prof or a py-spy file given to ops by mistake: say what is expected rather than where JSON broke.
    const first = head.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf);
    if (!gz && first !== undefined && first !== 0x7b && first !== 0x5b) throw new InputError(`${file}: not a torch.profiler trace (expected the JSON of export_chrome_trace or a Kineto .pt.trace.json, optionally gzipped)`);
    const text = gz ? textChunks(gunzipNode(all)) : textChunks(all);
    return await analyzeTorchTrace(text);
  } catch (e) {
    if (e instanceof ProfileParseError) throw new InputError(`${file}: ${e.message}`);
    const err = e as NodeJS.ErrnoException;
    if (err.code) throw new InputError(`${file}: cannot be read (${err.code === 'EACCES' ? 'permission denied' : err.message})`);
    throw e;
  }
}

async function* gunzipNode(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const gunzip = createGunzip();
  const feed = (async () => {
    try {
      for await (const c of chunks) if (!gunzip.write(c)) await new Promise((r) => gunzip.once('drain', r));
      gunzip.end();
    } catch (e) {
      gunzip.destroy(e as Error);
    }
  })();
  try {
    for await (const c of gunzip) yield c as Uint8Array;
  } catch (e) {
    throw new ProfileParseError(`the gzip data is damaged or cut off (${(e as Error).message})`);
  } finally {
    await feed;
  }
}

const us = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} s` : x >= 1e3 ? `${(x / 1e3).toFixed(2)} ms` : `${x.toFixed(1)} µs`);

function printOps(file: string, t: TorchOps, ops: TorchOps['ops'], top: number, io: CliIO): void {
  io.out(`${file}: self CPU ${us(t.cpuTotalUs)}, device ${us(t.deviceTotalUs)}${t.deviceIdlePct === null ? ', no device events' : `, GPU idle ${t.deviceIdlePct.toFixed(2)}% of ${us(t.deviceWindowUs)}`}`);
  for (const w of t.warnings) io.err(`warning: ${w}`);
  io.out(`${lpad('calls', 7)} ${lpad('self CPU', 11)} ${lpad('CPU total', 11)} ${lpad('self dev', 11)} ${lpad('dev total', 11)}  op`);
  for (const o of ops.slice(0, top)) io.out(`${lpad(String(o.calls), 7)} ${lpad(us(o.selfCpuUs), 11)} ${lpad(us(o.cpuTotalUs), 11)} ${lpad(us(o.selfDeviceUs), 11)} ${lpad(us(o.deviceTotalUs), 11)}  ${o.name}`);
  if (t.kernels.length) {
    io.out(`\n${lpad('calls', 7)} ${lpad('total', 11)}  kernel`);
    for (const k of t.kernels.slice(0, top)) io.out(`${lpad(String(k.calls), 7)} ${lpad(us(k.totalUs), 11)}  ${k.name.length > 120 ? `${k.name.slice(0, 119)}…` : k.name}`);
  }
  if (t.copies.length) io.out(`\ncopies: ${t.copies.map((c) => `${c.kind} ${c.calls}× ${us(c.totalUs)}${c.bytes ? ` ${(c.bytes / 2 ** 20).toFixed(1)} MiB` : ''}`).join(', ')}`);
  if (t.longest.length) {
    io.out('\nlongest kernels (launched by):');
    for (const k of t.longest.slice(0, 5)) io.out(`  ${us(k.durUs)}  ${k.ops[0] ?? '(no op recorded)'}  ← ${k.name.length > 80 ? `${k.name.slice(0, 79)}…` : k.name}`);
  }
}

export async function profileCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  rejectUnknown(args, ['json', 'top', 'map', 'sort']);
  const [sub, ...files] = args.positionals;
  const json = args.flags.has('json');
  const top = topOption(args);
  if (sub !== 'diff' && args.flags.has('map')) throw new UsageError('--map is for diff');
  if (sub !== 'ops' && args.flags.has('sort')) throw new UsageError('--sort is for ops');
  const fail = (message: string): number => {
    if (json) io.out(JSON.stringify({ error: message }));
    io.err(`iwb profile: ${message}`);
    return EXIT.usage;
  };
  try {
    if (sub === 'summarize') {
      if (files.length !== 1) throw new UsageError('summarize takes one FILE');
      const profile = await readProfileFile(files[0]!, io.cwd);
      const s = summarize(profile, { top });
      if (json) {
        io.out(JSON.stringify({ file: files[0], ...s }, null, 2));
        return EXIT.ok;
      }
      io.out(`${files[0]}: ${s.formatLabel}${s.exporter ? ` from ${s.exporter}` : ''}, ${s.samples} ${s.format === 'pstats' ? 'calls' : 'samples'}, ${formatWeight(s.totalWeight, s.unit)}, ${s.threads.length} thread${s.threads.length === 1 ? '' : 's'}`);
      for (const w of s.warnings) io.err(`warning: ${w}`);
      io.out(`${lpad('self%', 7)} ${lpad('total%', 7)}  function  (file:line)`);
      for (const f of s.top) io.out(`${lpad(f.selfPct.toFixed(2), 7)} ${lpad(f.totalPct.toFixed(2), 7)}  ${f.function}  ${where(f.file, f.line) ? `(${where(f.file, f.line)})` : ''}`);
      return EXIT.ok;
    }
    if (sub === 'diff') {
      if (files.length !== 2) throw new UsageError('diff takes BEFORE and AFTER');
      const maps = parseMapArguments((args.all ?? []).filter(([n, v]) => n === 'map' && typeof v === 'string').map(([, v]) => v as string));
      if (maps.problems.length) throw new UsageError(maps.problems[0]!);
      const mappings = maps.mappings.map((m) => ({ from: m.from, to: nodePath.resolve(io.cwd, m.to) }));
      const before = await readProfileFile(files[0]!, io.cwd);
      const after = await readProfileFile(files[1]!, io.cwd);
      // Relative paths (py-spy's short names) are resolved against the current folder only when mapping.
      const mapFile = mappings.length ? (f: string) => applyPathMappings(f, mappings) ?? (nodePath.isAbsolute(f) || f.startsWith('<') ? f : nodePath.resolve(io.cwd, f)) : undefined;
      const d = diffProfiles(before, after, { limit: top, ...(mapFile ? { mapFile } : {}) });
      if (json) {
        io.out(JSON.stringify({ beforeFile: files[0], afterFile: files[1], ...d }, null, 2));
        return EXIT.ok;
      }
      io.out(`before: ${files[0]} (${d.before.samples} samples)  after: ${files[1]} (${d.after.samples} samples)`);
      io.out(`${lpad('before%', 8)} ${lpad('after%', 8)} ${lpad('delta', 8)}  function  (file:line)`);
      for (const f of d.functions) {
        const delta = `${f.deltaPct > 0 ? '+' : ''}${f.deltaPct.toFixed(2)}`;
        io.out(`${lpad(f.beforePct.toFixed(2), 8)} ${lpad(f.afterPct.toFixed(2), 8)} ${lpad(delta, 8)}  ${pad(f.function, 0)}  ${where(f.file, f.line) ? `(${where(f.file, f.line)})` : ''}`);
      }
      return EXIT.ok;
    }
    if (sub === 'ops') {
      if (files.length !== 1) throw new UsageError('ops takes one FILE');
      const raw = args.flags.get('sort');
      if (raw !== undefined && (raw === true || !OP_SORT_KEYS.includes(raw as OpSortKey))) throw new UsageError(`--sort takes one of ${OP_SORT_KEYS.join(', ')}`);
      const t = await readTorchOps(files[0]!, io.cwd);
      const ops = raw ? sortOps(t.ops, raw as OpSortKey) : t.ops;
      const limit = args.flags.has('top') ? top : Infinity;
      if (json) {
        io.out(JSON.stringify(opsReport(t, ops.slice(0, limit), t.kernels.slice(0, limit)), null, 2));
        return EXIT.ok;
      }
      printOps(files[0]!, t, ops, top, io);
      return EXIT.ok;
    }
    throw new UsageError(sub === undefined ? 'say summarize, diff or ops' : `unknown sub-command "${sub}" (summarize, diff or ops)`);
  } catch (e) {
    if (e instanceof InputError) return fail(e.message);
    throw e;
  }
}
