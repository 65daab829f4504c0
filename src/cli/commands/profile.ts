import { createReadStream, promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { diffProfiles } from '../../core/profile/diff';
import { ProfileParseError, type Profile } from '../../core/profile/model';
import { parseProfile } from '../../core/profile/parse';
import { formatWeight, summarize } from '../../core/profile/summary';
import { UsageError, rejectUnknown, type ParsedArgs } from '../args';
import type { CommandHelp } from '../help';
import { EXIT, type CliIO } from '../output';

export const profileHelp: CommandHelp = {
  summary: 'Summarize a profile (py-spy, speedscope, Chrome trace, torch.profiler) or compare two',
  usage: `iwb profile summarize FILE [--top N] [--json]
  Reads a profile (py-spy raw/collapsed, speedscope, py-spy chrometrace, torch.profiler Chrome trace;
  the format is detected) and prints the N functions (default 20) with the most self time.
  --json: {file, format, samples, threads, top: [{function, file, line, self, total, selfPct,
  totalPct}], ...}
iwb profile diff BEFORE AFTER [--top N] [--json]
  Compares two profiles by share of time per function, biggest change first.
  --json: {beforeFile, afterFile, before, after, functions: [{function, file, line, beforePct, afterPct,
  deltaPct, ...}]}, sorted by |deltaPct|
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

function topOption(args: ParsedArgs): number {
  const raw = args.flags.get('top');
  if (raw === undefined) return 20;
  const n = Number(raw);
  if (raw === true || !Number.isInteger(n) || n < 1) throw new UsageError('--top needs a whole number of at least 1');
  return n;
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);
const where = (file: string, line: number) => (file ? `${file}${line > 0 ? `:${line}` : ''}` : '');

export async function profileCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  rejectUnknown(args, ['json', 'top']);
  const [sub, ...files] = args.positionals;
  const json = args.flags.has('json');
  const top = topOption(args);
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
      io.out(`${files[0]}: ${s.formatLabel}${s.exporter ? ` from ${s.exporter}` : ''}, ${s.samples} samples, ${formatWeight(s.totalWeight, s.unit)}, ${s.threads.length} thread${s.threads.length === 1 ? '' : 's'}`);
      for (const w of s.warnings) io.err(`warning: ${w}`);
      io.out(`${lpad('self%', 7)} ${lpad('total%', 7)}  function  (file:line)`);
      for (const f of s.top) io.out(`${lpad(f.selfPct.toFixed(2), 7)} ${lpad(f.totalPct.toFixed(2), 7)}  ${f.function}  ${where(f.file, f.line) ? `(${where(f.file, f.line)})` : ''}`);
      return EXIT.ok;
    }
    if (sub === 'diff') {
      if (files.length !== 2) throw new UsageError('diff takes BEFORE and AFTER');
      const before = await readProfileFile(files[0]!, io.cwd);
      const after = await readProfileFile(files[1]!, io.cwd);
      const d = diffProfiles(before, after, { limit: top });
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
    throw new UsageError(sub === undefined ? 'say summarize or diff' : `unknown sub-command "${sub}" (summarize or diff)`);
  } catch (e) {
    if (e instanceof InputError) return fail(e.message);
    throw e;
  }
}
