import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { compileCategoryRules } from '../../core/errors/categories';
import type { ClusterSummary, ErrorReport, ReportFrame } from '../../core/errors/analyzer';
import { analyzeLogFilesParallel } from '../../node/errorsParallel';
import { clusterTitle } from '../../core/errors/report';
import { compileGroupingRules, unknownKeys } from '../../core/errors/rules';
import { parseJsonBounded } from '../../core/json/depth';
import { parseFieldMapping } from '../../core/logs/fieldMapping';
import { formatCount } from '../../core/logs/skips';
import { applyPathMappings, parseMapArguments } from '../../core/paths/pathMappings';
import { UsageError, rejectUnknown, type ParsedArgs } from '../args';
import type { CommandHelp } from '../help';
import { EXIT, type CliIO } from '../output';
import { errorMessage } from '../../core/util/errors';
import { GitRepo } from '../../core/changes/repo';
import { rankSuspects } from '../../core/changes/suspects';
import { targetFromCluster } from '../../core/changes/targets';
import { GitError, type Suspect } from '../../core/changes/types';
import { ratePerRelease } from '../../core/errors/releases';
import { errorsFromStore, type StoreSourceInfo } from '../../core/logstore/analyze';
import { LogStoreError } from '../../core/logstore/types';
import { STORE_USAGE, STORE_VALUE_OPTIONS, storeFromArgs } from '../storeSource';
import { applyTriage, parseTriage, type TriageFile, type TriagedCluster } from '../../core/triage/triage';
import { gitRunner, repositoryRoot } from '../../node/git';
import { displayPath } from '../displayPath';

export const errorsHelp: CommandHelp = {
  summary: 'Group the error events of logs into clusters by stack fingerprint and message template',
  usage: `iwb errors FILE|DIR... [--map FROM=TO]... [--field NAME=PATH]... [--rules FILE] [--triage FILE]
           [--suspects [--repo DIR]] [--json]
       iwb errors --source URL [--start T --end T | --lookback D] [--limit N] [...]
  Groups the error events of JSON Lines or plain-text Python logs (gzip too) into clusters by stack
  fingerprint and message template (the same reader and grouping as the Errors view). Prints one
  cluster per line, biggest first, with its first frame in the application, spikes and
  concentrations, and its releases: each event's release/version/service.version field, in the order
  the logs show them; a cluster is new (only in the latest release), regressed (absent from a release,
  back in the latest; or resolved in triage and seen in a later release), resolved (not in the latest
  release, or resolved in triage) or ongoing. Skipped lines are counted on stderr.
  --map /app=.        rewrite logged paths (container → checkout) in the frames printed (repeatable;
                      with --json, loggedFile keeps the original)
  --field userId=ctx.uid   read a canonical field from another JSON path (repeatable)
  --rules FILE        JSON {"groupingRules": [...], "categoryRules": [...], "fieldMapping": {...}}; an unknown
                      key or a rule that cannot be used is refused (exit 2), never ignored
  --triage FILE       cluster triage (schemas/triage.schema.json); default .incidents/triage.json of the
                      current folder when there is one
  --suspects          rank the commits that most plausibly introduced each cluster: git blame at the
                      release's tag (else HEAD), git log -L over each frame's function, closeness to
                      the first event, whether the commit is in the release where it started
  --repo DIR          the git repository for --suspects (default: the one holding the current folder)
  --json: {events, lines, records, sources, skipped, fieldMapping, firstSeen, lastSeen, clusters: [{id,
  fingerprint, count, category, hypothesis, actionItems, exceptionType, template, firstSeen, lastSeen,
  frames: [{file, line, function, inApp}], chain, users, endpoints, services, versions, samples,
  timeline, patterns, reason, releases: [{name, count, firstSeen}], status, triage?, suspects?: [{commit,
  author, date, summary, files: [{file, lines}], score, reasons: [...]}]}], releases: [{name, records,
  errors, firstSeen}], patterns, problems, source?: {kind, url, linesScanned, bytesTransferred, exact}},
  clusters sorted by count, suspects best first.
${STORE_USAGE}
  --limit N           most error events read from the store (default 100000); when it cuts, a warning
                      says so and source.exact is false
  With --source the store sends only the window's error events (an error level, an exception field or
  a traceback in the message); fields map as for files, with _msg and _time as message and time.
  Exit 0: no error events. 1: error clusters found. 2: a file cannot be read or the arguments are wrong.`,
};

type CliCluster = TriagedCluster & { suspects?: Suspect[] };
type CliReport = Omit<ErrorReport, 'clusters'> & { clusters: CliCluster[] };

export const ERRORS_VALUE_OPTIONS = ['map', 'field', 'rules', 'repo', 'triage', ...STORE_VALUE_OPTIONS];

function values(args: ParsedArgs, name: string): string[] {
  return (args.all ?? []).filter(([n, v]) => n === name && typeof v === 'string').map(([, v]) => v as string);
}

const RULES_FILE_KEYS = ['groupingRules', 'categoryRules', 'fieldMapping'];
const MAX_RULES_BYTES = 4 * 1024 * 1024;

async function readRulesFile(path: string, shown: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    const stat = await fs.stat(path);
    if (!stat.isFile()) throw new UsageError(`--rules ${shown} is not a file`);
    if (stat.size > MAX_RULES_BYTES) throw new UsageError(`--rules ${shown} is ${(stat.size / 1048576).toFixed(1)} MB; a rules file is a few kilobytes of JSON`);
    text = new TextDecoder('utf-8', { fatal: true }).decode(await fs.readFile(path));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--rules ${shown} cannot be read (${e instanceof TypeError ? 'it is not UTF-8 text' : ((e as NodeJS.ErrnoException).code ?? errorMessage(e))})`);
  }
  let v: unknown;
  try {
    v = parseJsonBounded(text);
  } catch (e) {
    throw new UsageError(`--rules ${shown} is not a JSON object (${errorMessage(e)})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UsageError(`--rules ${shown} is not a JSON object (it is ${v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v})`);
  // A misspelt key ("groupRules") would otherwise be a rules file that silently does nothing.
  const unknown = unknownKeys(v, RULES_FILE_KEYS);
  if (unknown) throw new UsageError(`--rules ${shown}: ${unknown}`);
  return v as Record<string, unknown>;
}

export async function errorsCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  rejectUnknown(args, ['json', 'suspects', ...ERRORS_VALUE_OPTIONS]);
  const json = args.flags.has('json');
  const wantSuspects = args.flags.has('suspects');
  if (args.flags.has('repo') && !wantSuspects) throw new UsageError('--repo goes with --suspects');
  const repoArg = values(args, 'repo')[0];
  const fromStore = storeFromArgs(args, Date.now());
  if (!fromStore && args.positionals.length === 0) throw new UsageError('name at least one log file or folder, or a store with --source');
  const problems: string[] = [];
  const maps = parseMapArguments(values(args, 'map'));
  if (maps.problems.length) throw new UsageError(maps.problems[0]!);
  const fieldEntries: Record<string, unknown> = {};
  for (const f of values(args, 'field')) {
    const eq = f.indexOf('=');
    if (eq <= 0) throw new UsageError(`--field needs NAME=PATH, got "${f}"`);
    fieldEntries[f.slice(0, eq)] = f.slice(eq + 1);
  }
  const rulesPath = values(args, 'rules')[0];
  const config = rulesPath ? await readRulesFile(nodePath.resolve(io.cwd, rulesPath), rulesPath) : {};
  const fromConfig = parseFieldMapping((config.fieldMapping as Record<string, unknown>) ?? {});
  const fromArgs = parseFieldMapping(fieldEntries);
  if (fromArgs.problems.length) throw new UsageError(fromArgs.problems[0]!);
  const grouping = compileGroupingRules(config.groupingRules);
  const categories = compileCategoryRules(config.categoryRules);
  // The rules file is what the user asked for: a rule that cannot be used stops the run instead of being
  // dropped with a warning nobody reads in CI.
  const ruleProblems = [...fromConfig.problems, ...grouping.problems, ...categories.problems];
  if (rulesPath && ruleProblems.length) throw new UsageError(`--rules ${rulesPath}: ${ruleProblems[0]!.replace(/^errors\./, '')}${ruleProblems.length > 1 ? ` (and ${ruleProblems.length - 1} more)` : ''}`);

  const triage = await readTriageFile(io.cwd, values(args, 'triage')[0]);
  // The repository first: a wrong --repo is a usage error before minutes of reading logs.
  const repoRoot = wantSuspects ? await findRepository(io.cwd, repoArg) : undefined;
  const paths = args.positionals.map((p) => nodePath.resolve(io.cwd, p));
  const display = (p: string) => displayPath(io.cwd, p);
  let source: StoreSourceInfo | undefined;
  const { report, errors } = fromStore
    ? await (async () => {
        try {
          const r = await errorsFromStore(fromStore.store, {
            window: fromStore.window,
            query: fromStore.query,
            ...(fromStore.limit !== undefined ? { limit: fromStore.limit } : {}),
            fields: { ...fromConfig.mapping, ...fromArgs.mapping },
            groupingRules: grouping.rules,
            categoryRules: categories.rules,
            problems,
          });
          source = r.source;
          return { report: r.report, errors: [] as { path: string; message: string }[] };
        } catch (e) {
          if (e instanceof LogStoreError) return { report: undefined, errors: [{ path: fromStore.store.url, message: e.message }] };
          throw e;
        }
      })()
    : await analyzeLogFilesParallel(paths, {
    // Big files are read by worker threads (dist/errorsWorker.js, next to this bundle).
    workerScript: nodePath.join(__dirname, 'errorsWorker.js'),
    fields: { ...fromConfig.mapping, ...fromArgs.mapping },
    groupingRules: grouping.rules,
    categoryRules: categories.rules,
    label: display,
    problems,
  });
  if (errors.length || !report) {
    const first = errors[0]!;
    if (fromStore) {
      if (json) io.out(JSON.stringify({ error: first.message }));
      io.err(`iwb errors: ${first.message}`);
      return EXIT.usage;
    }
    const message = `${display(first.path)} ${first.message}`;
    if (json) io.out(JSON.stringify({ error: message, errors: errors.map((e) => ({ file: display(e.path), message: e.message })) }));
    for (const e of errors) io.err(`iwb errors: ${display(e.path)} ${e.message}`);
    return EXIT.usage;
  }
  const vars = { workspaceFolders: [{ name: nodePath.basename(io.cwd), path: io.cwd }] };
  const mapFrame = (f: ReportFrame): ReportFrame & { loggedFile?: string } => {
    const local = applyPathMappings(f.file, maps.mappings, vars);
    if (local === undefined) return f;
    return { ...f, file: display(nodePath.resolve(io.cwd, local)), loggedFile: f.file };
  };
  const triaged = applyTriage(report, triage, Date.now());
  let withSuspects: CliReport = triaged;
  if (repoRoot) {
    const repo = new GitRepo(gitRunner(repoRoot));
    // A note (a file moved since the logs, a missing tag) often holds for many clusters: said once, naming them.
    const notes = new Map<string, string[]>();
    const note = (text: string, id: string) => {
      const ids = notes.get(text) ?? notes.set(text, []).get(text)!;
      if (!ids.includes(id)) ids.push(id);
    };
    const clusters: CliCluster[] = [];
    for (const c of triaged.clusters) {
      try {
        const ranked = await rankSuspects(repo, targetFromCluster(c, report));
        for (const n of ranked.notes) note(n, c.id);
        clusters.push({ ...c, suspects: ranked.suspects });
      } catch (e) {
        if (e instanceof GitError && (e.code === 'NOT_INSTALLED' || e.code === 'NOT_A_REPOSITORY' || e.code === 'NO_HISTORY')) throw new UsageError(e.message.replace(/\.$/, ''));
        note(`no suspects (${errorMessage(e)})`, c.id);
        clusters.push({ ...c, suspects: [] });
      }
    }
    const said = [...notes].map(([text, ids]) => `cluster${ids.length > 1 ? 's' : ''} ${ids.join(', ')}: ${text}`);
    withSuspects = { ...triaged, clusters, problems: [...triaged.problems, ...said] };
  }
  const mapped: typeof withSuspects = maps.mappings.length
    ? {
        ...withSuspects,
        clusters: withSuspects.clusters.map((c) => ({ ...c, frames: c.frames.map(mapFrame), chain: c.chain.map((e) => ({ ...e, frames: e.frames.map(mapFrame) })) })),
      }
    : withSuspects;
  if (json) io.out(JSON.stringify(source ? { ...mapped, source } : mapped, null, 2));
  else {
    printHuman(mapped, io, source);
    if (source) io.err(`source: ${source.kind} ${source.url}: ${formatCount(source.linesScanned)} error events read, ${formatCount(source.bytesTransferred)} bytes transferred${source.exact ? '' : ' (cut by the limit: not every event)'}`);
  }
  if (json && source) for (const p of report.problems) io.err(`warning: ${p}`);
  return report.clusters.length > 0 ? EXIT.findings : EXIT.ok;
}

async function readTriageFile(cwd: string, given: string | undefined): Promise<TriageFile | undefined> {
  const file = nodePath.resolve(cwd, given ?? nodePath.join('.incidents', 'triage.json'));
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if (!given && (e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`--triage ${given ?? file} cannot be read (${(e as NodeJS.ErrnoException).code ?? errorMessage(e)})`);
  }
  const parsed = parseTriage(text);
  if (!parsed.file) {
    const p = parsed.problems[0];
    throw new UsageError(`${nodePath.relative(cwd, file) || file}${p ? `:${p.line}:${p.column}` : ''} is not a valid triage file${p ? ` (${p.message})` : ''}`);
  }
  return parsed.file;
}

async function findRepository(cwd: string, given: string | undefined): Promise<string> {
  const dir = nodePath.resolve(cwd, given ?? '.');
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat?.isDirectory()) throw new UsageError(`--repo ${given} is not a folder`);
  try {
    return await repositoryRoot(dir);
  } catch (e) {
    throw new UsageError(`${given ? `--repo ${given}: ` : ''}${errorMessage(e).replace(/\.$/, '')}`);
  }
}

function time(iso: string | undefined): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '—';
}

function topFrame(c: Pick<ClusterSummary, 'frames' | 'chain'>): ReportFrame | undefined {
  const frames = c.frames.length ? c.frames : (c.chain[0]?.frames ?? []);
  return [...frames].reverse().find((f) => f.inApp) ?? frames[frames.length - 1];
}

function printHuman(r: CliReport, io: CliIO, source?: StoreSourceInfo): void {
  io.out(
    `${source ? `${source.kind} ${source.url}` : `${r.sources.length} file${r.sources.length === 1 ? '' : 's'}`}, ${formatCount(r.lines)} lines, ${formatCount(r.events)} error events in ${r.clusters.length} cluster${r.clusters.length === 1 ? '' : 's'}` +
      (r.firstSeen ? ` (${time(r.firstSeen)} – ${time(r.lastSeen)})` : ''),
  );
  r.clusters.forEach((c, i) => {
    io.out(`${String(i + 1).padStart(3)}. ${formatCount(c.count).padStart(7)}  ${clusterTitle(c)}  [${c.category}]  ${c.id}`);
    io.out(`            first ${time(c.firstSeen)}, last ${time(c.lastSeen)}`);
    const f = topFrame(c);
    if (f) io.out(`            at ${f.file}${f.line !== undefined ? `:${f.line}` : ''} in ${f.function}`);
    for (const p of c.patterns) if (p.type !== 'common_frames') io.out(`            ${p.type}: ${p.description}`);
    if (r.releases.length > 0 && c.releases.length > 0) {
      const rates = ratePerRelease(c.releases, r.releases).map((x) => `${x.name} ${formatCount(x.count)}${x.records ? ` (${x.perThousand}/1k)` : ''}`);
      io.out(`            ${c.status}${c.triage ? ` (${c.triage.summary})` : ''} · per release: ${rates.join(', ')}`);
    } else if (c.triage) io.out(`            ${c.status} (${c.triage.summary})`);
    for (const s of (c.suspects ?? []).slice(0, 3)) {
      io.out(`            suspect ${s.commit.slice(0, 10)} ${s.summary} (${s.author}, ${time(s.date)}) score ${s.score}`);
      io.out(`              ${s.reasons.join('; ')}`);
    }
  });
  for (const p of r.patterns) io.out(`correlated: ${p.description}`);
  for (const s of r.skipped) io.err(s.message);
  for (const p of r.problems) io.err(`warning: ${p}`);
}
