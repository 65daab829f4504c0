import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import type { DeployMarker, PatternReport, PatternSummary } from '../../core/patterns/analyzer';
import { CallSiteIndex, indexCallSites } from '../../core/patterns/load';
import { analyzePatternFilesParallel } from '../../node/patternsParallel';
import { compileUserMasks, type UserMaskRule } from '../../core/patterns/masking';
import { compilePatternRules } from '../../core/patterns/rules';
import { formatRatio, sparkline } from '../../core/patterns/present';
import { parseFieldMapping } from '../../core/logs/fieldMapping';
import { formatCount } from '../../core/logs/skips';
import { parseTimestamp } from '../../core/logs/values';
import { errorMessage } from '../../core/util/errors';
import { UsageError, rejectUnknown, type ParsedArgs } from '../args';
import type { CommandHelp } from '../help';
import { EXIT, type CliIO } from '../output';
import { cliParser } from './lintLogging';
import { patternsFromStore, type StoreSourceInfo } from '../../core/logstore/analyze';
import { LogStoreError } from '../../core/logstore/types';
import { STORE_USAGE, STORE_VALUE_OPTIONS, storeFromArgs } from '../storeSource';
import { displayPath } from '../displayPath';

export const patternsHelp: CommandHelp = {
  summary: 'Log patterns of any log (text, JSON Lines, OTLP, gzip): templates, counts, what is new, the logging call behind each',
  usage: `iwb patterns FILE|DIR... [--json] [--assign] [--since TIME] [--field NAME=PATH]... [--code DIR] [--rules FILE]
       iwb patterns --source URL [--start T --end T | --lookback D] [--limit N] [--json] [...]
  Mines the message templates of any log — plain text (Python logging, syslog, Apache/nginx, Java/Go
  style, glog/absl), logfmt, JSON Lines (the message field found as in iwb errors), OTLP log exports,
  gzip — without
  per-log settings: variable parts (numbers, ids, hex, IPs, paths, URLs, host:port, durations,
  sizes, quoted values, key=value values, UUIDs, emails) are masked and lines grouped by the
  words they share. Prints one pattern per line, biggest first, with its share, first and last
  time, levels, a sparkline, and the Python logging call that wrote it.
  --json              {lines, patterns: [{id, template, count, firstSeen, lastSeen, levels, samples,
                      callSites: [{file, line}]}]}, biggest first; firstSeen/lastSeen are ISO times
                      or null, levels counts per level, samples up to 3 messages
  --assign            prints nothing but one pattern id per input line, in input order (blank and
                      unreadable lines included), to score the grouping against any labelled set
  --since TIME        only patterns first seen at or after TIME (ISO 8601, or "deploy": the first
                      record of the latest release in the release/version field); counts stay whole
  --field message=msg read a canonical field from another JSON path (repeatable)
  --code DIR          the Python code to find logging calls in (default: the current folder)
  --rules FILE        JSON {"groupingRules": [{"action": "merge"|"split", "template": REGEX}],
                      "maskingRules": [{"name", "pattern", "mask"}], "fieldMapping": {...}}
${STORE_USAGE}
  --limit N           lines mined per sampling round (default 20000)
  With --source the work is done in the store: its hits API counts the window, templates are mined on
  a random sample it draws, and every template is counted over the whole window by the store, so
  counts, first/last times and levels are exact (source.exact); only the samples are estimates of the
  shapes. Lines no mined template matches after three sampling rounds form one "<*>" pattern.
  Skipped lines (binary, not UTF-8, too long) and a full pattern table are reported on stderr.
  Exit 0: done. 2: a file cannot be read or the arguments are wrong.`,
};

export const PATTERNS_VALUE_OPTIONS = ['since', 'field', 'code', 'rules', ...STORE_VALUE_OPTIONS];

function values(args: ParsedArgs, name: string): string[] {
  return (args.all ?? []).filter(([n, v]) => n === name && typeof v === 'string').map(([, v]) => v as string);
}

async function readRulesFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`--rules ${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? errorMessage(e)})`);
  }
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(`--rules ${path} is not a JSON object (${errorMessage(e)})`);
  }
}

export async function patternsCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  rejectUnknown(args, ['json', 'assign', ...PATTERNS_VALUE_OPTIONS]);
  const json = args.flags.has('json');
  const assign = args.flags.has('assign');
  const fromStore = storeFromArgs(args, Date.now());
  if (fromStore && (assign || values(args, 'since').length)) throw new UsageError('--assign and --since read files; with --source, give the window with --start/--end or --lookback');
  if (!fromStore && args.positionals.length === 0) throw new UsageError('name at least one log file or folder, or a store with --source');
  if (json && assign) throw new UsageError('--json and --assign are two different outputs; pick one');
  const fieldEntries: Record<string, unknown> = {};
  for (const f of values(args, 'field')) {
    const eq = f.indexOf('=');
    if (eq <= 0) throw new UsageError(`--field needs NAME=PATH, got "${f}"`);
    fieldEntries[f.slice(0, eq)] = f.slice(eq + 1);
  }
  const rulesPath = values(args, 'rules')[0];
  const config = rulesPath ? await readRulesFile(nodePath.resolve(io.cwd, rulesPath)) : {};
  const fromConfig = parseFieldMapping((config.fieldMapping as Record<string, unknown>) ?? {});
  const fromArgs = parseFieldMapping(fieldEntries);
  if (fromArgs.problems.length) throw new UsageError(fromArgs.problems[0]!);
  const grouping = compilePatternRules(config.groupingRules, 'groupingRules');
  const masks = compileUserMasks(config.maskingRules, 'maskingRules');
  const problems = [...fromConfig.problems, ...grouping.problems, ...masks.problems];

  const sinceArg = values(args, 'since')[0];
  let cutoff: DeployMarker | null | undefined;
  if (sinceArg !== undefined && sinceArg !== 'deploy') {
    const t = parseTimestamp(sinceArg);
    if (t === undefined) throw new UsageError(`--since needs an ISO time such as 2026-11-29T03:00:00Z, or "deploy"; got "${sinceArg}"`);
    cutoff = { at: new Date(t).toISOString(), kind: 'time', label: sinceArg };
  }

  const paths = args.positionals.map((p) => nodePath.resolve(io.cwd, p));
  const display = (p: string) => displayPath(io.cwd, p);
  if (fromStore) {
    try {
      const r = await patternsFromStore(fromStore.store, {
        window: fromStore.window,
        query: fromStore.query,
        ...(fromStore.limit !== undefined ? { sampleSize: fromStore.limit } : {}),
        fields: { ...fromConfig.mapping, ...fromArgs.mapping },
        rules: grouping.rules,
        userMasks: masks.rules,
        problems,
      });
      return await printPatterns(r.report, values(args, 'code')[0], json, io, r.source);
    } catch (e) {
      if (!(e instanceof LogStoreError)) throw e;
      if (json) io.out(JSON.stringify({ error: e.message }));
      io.err(`iwb patterns: ${e.message}`);
      return EXIT.usage;
    }
  }
  const { report, errors, files, assignment } = await analyzePatternFilesParallel(paths, {
    // Big files are read by worker threads (dist/patternsWorker.js, next to this bundle).
    workerScript: nodePath.join(__dirname, 'patternsWorker.js'),
    fields: { ...fromConfig.mapping, ...fromArgs.mapping },
    rules: grouping.rules,
    userMasks: masks.rules,
    userMaskRules: Array.isArray(config.maskingRules) ? (config.maskingRules as UserMaskRule[]) : [],
    label: display,
    problems,
    assign,
    ...(cutoff !== undefined ? { cutoff } : {}),
  });
  if (errors.length && (files.length === 0 || errors.some((e) => args.positionals.some((p) => nodePath.resolve(io.cwd, p) === e.path)))) {
    const first = errors[0]!;
    const message = `${display(first.path)} ${first.message}`;
    if (json) io.out(JSON.stringify({ error: message, errors: errors.map((e) => ({ file: display(e.path), message: e.message })) }));
    for (const e of errors) io.err(`iwb patterns: ${display(e.path)} ${e.message}`);
    return EXIT.usage;
  }
  for (const e of errors) io.err(`iwb patterns: ${display(e.path)} ${e.message} (skipped)`);

  if (assign) {
    const ids = report.patterns.map((p) => p.id);
    // One id per line, written in blocks: millions of lines should not mean millions of writes.
    const block: string[] = [];
    for (let i = 0; i < assignment!.length; i++) {
      block.push(ids[assignment![i]!] ?? '-');
      if (block.length === 65_536) {
        io.out(block.join('\n'));
        block.length = 0;
      }
    }
    if (block.length) io.out(block.join('\n'));
    notices(report, io);
    return EXIT.ok;
  }

  if (sinceArg === 'deploy' && !report.cutoff) io.err('iwb patterns: --since deploy: the logs name no second release (no release/version field changes), so every pattern is listed');
  const listed = sinceArg !== undefined && report.cutoff ? report.patterns.filter((p) => p.isNew) : report.patterns;
  return printPatterns(report, values(args, 'code')[0], json, io, undefined, listed);
}

async function printPatterns(report: PatternReport, code: string | undefined, json: boolean, io: CliIO, source: StoreSourceInfo | undefined, listed = report.patterns): Promise<number> {
  const display = (p: string) => displayPath(io.cwd, p);
  // The logging call behind each pattern.
  const codeDir = nodePath.resolve(io.cwd, code ?? '.');
  const callSites = new Map<PatternSummary, { file: string; line: number }[]>();
  try {
    const parser = await cliParser();
    const { sites } = await indexCallSites(parser, codeDir);
    const index = new CallSiteIndex(sites);
    for (const p of listed) callSites.set(p, index.matchPattern(p.samples.map((s) => s.message)).map((s) => ({ file: display(nodePath.join(codeDir, s.file)), line: s.line })));
  } catch (e) {
    io.err(`iwb patterns: logging calls not indexed (${errorMessage(e)})`);
  }

  if (json) {
    io.out(
      JSON.stringify(
        {
          lines: report.lines,
          patterns: listed.map((p) => ({
            id: p.id,
            template: p.template,
            count: p.count,
            firstSeen: p.firstSeen ?? null,
            lastSeen: p.lastSeen ?? null,
            levels: p.levels,
            samples: p.samples.map((s) => s.message),
            callSites: callSites.get(p) ?? [],
          })),
          ...(source ? { source } : {}),
        },
        null,
        2,
      ),
    );
  } else printHuman(report, listed, callSites, io, source);
  if (source) io.err(`source: ${source.kind} ${source.url}: ${formatCount(source.linesScanned)} lines counted in the store, ${formatCount(source.bytesTransferred)} bytes transferred; counts ${source.exact ? 'exact' : 'NOT exact'}`);
  notices(report, io);
  return EXIT.ok;
}

function notices(r: PatternReport, io: CliIO): void {
  for (const s of r.skipped) io.err(s.message);
  if (r.capped) io.err(`pattern table full: ${formatCount(r.signatures)} distinct messages kept (the cap); ${formatCount(r.capped)} lines were counted with the closest kept one`);
  for (const p of r.problems) io.err(`warning: ${p}`);
}

function time(iso: string | undefined): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '—';
}

function printHuman(r: PatternReport, listed: PatternSummary[], callSites: Map<PatternSummary, { file: string; line: number }[]>, io: CliIO, source?: StoreSourceInfo): void {
  io.out(
    `${source ? `${source.kind} ${source.url}` : `${r.sources.length} file${r.sources.length === 1 ? '' : 's'}`}, ${formatCount(r.lines)} lines, ${formatCount(r.records)} records in ${formatCount(r.patterns.length)} pattern${r.patterns.length === 1 ? '' : 's'}` +
      (r.firstSeen ? ` (${time(r.firstSeen)} – ${time(r.lastSeen)})` : '') +
      (r.cutoff ? `; new since ${r.cutoff.label} at ${time(r.cutoff.at)}: ${r.patterns.filter((p) => p.isNew).length}` : ''),
  );
  listed.forEach((p, i) => {
    const share = `${(p.share * 100).toFixed(p.share < 0.001 ? 2 : 1)}%`;
    const flags = [p.isNew ? 'NEW' : '', p.change?.jumped ? `${formatRatio(p.change.ratio)} rate` : ''].filter(Boolean).join(' ');
    io.out(`${String(i + 1).padStart(4)}. ${formatCount(p.count).padStart(9)} ${share.padStart(6)}  ${p.template}${flags ? `  [${flags}]` : ''}`);
    const levels = Object.entries(p.levels).map(([k, v]) => `${k} ${formatCount(v)}`).join(', ');
    io.out(`             ${p.id}  ${time(p.firstSeen)} – ${time(p.lastSeen)}  ${levels}${p.timeline ? `  ${sparkline(p.timeline.counts, 40)}` : ''}`);
    const sites = callSites.get(p) ?? [];
    if (sites.length) io.out(`             logged at ${sites.slice(0, 3).map((s) => `${s.file}:${s.line}`).join(', ')}${sites.length > 3 ? ` (+${sites.length - 3})` : ''}`);
  });
}
