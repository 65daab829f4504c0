import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { checkTitle } from '../../core/incident/create';
import type { GuardrailFinding } from '../../core/incident/guardrails';
import { isIncidentId } from '../../core/incident/ids';
import { addEvent, changeStatus, closeIncident, StepError, type StepContext } from '../../core/incident/session';
import { EVIDENCE_KINDS, SEVERITIES, STATUSES, type EvidenceKind, type Incident, type IncidentStatus, type Severity } from '../../core/incident/types';
import { IncidentWriter } from '../../core/incident/writer';
import { EvidenceImportError } from '../../core/redaction/evidence';
import { createRedactor, RedactionConfigError, type CustomPattern, type Redactor } from '../../core/redaction/redact';
import { StoreError } from '../../core/store/errors';
import { IncidentStore } from '../../core/store/incidentStore';
import { INCIDENTS_FOLDER, incidentDir, incidentFile } from '../../core/store/layout';
import { errorMessage } from '../../core/util/errors';
import { gitUserName, osUserName } from '../../node/gitUser';
import { UsageError, rejectUnknown, type ParsedArgs } from '../args';
import type { CommandHelp } from '../help';
import { NodeFileSystem } from '../nodeFileSystem';
import { EXIT, type CliIO } from '../output';

export const incidentHelp: CommandHelp = {
  summary: 'Open an incident, add timeline events, set its status, attach evidence (scripts, pipelines)',
  usage: `iwb incident new --title T --severity S [--description D] [--json]
  Opens an incident: .incidents/INC-YYYY-NNN/incident.json with the next free id of the year, status
  OPEN. S is CRITICAL, HIGH, MEDIUM or LOW. --json: {id, path, version}
iwb incident event ID --kind K --text T [--json]
  Appends an event to the incident's timeline: an alert firing, a deploy, a note. K is a lower-case word
  (alert, deploy, note, …); the kinds the method's steps write (status, closed, evidence,
  guardrail-override, …) are refused.
iwb incident status ID STATUS [--reason R] [--override REASON] [--json]
  Sets the status: OPEN, INVESTIGATING, MITIGATED, RESOLVED or CLOSED; R goes into the timeline.
  Closing a CRITICAL or HIGH incident needs a post-mortem with an action item that has an owner and a
  due date: without one the findings are printed and nothing changes, unless --override REASON, which
  is recorded like an override in the editor (a guardrail-override event and an "overrides" entry).
iwb incident evidence ID FILE --kind K [--note N] [--json]
  Copies FILE into .incidents/ID/evidence/<kind folder>/ and records it, redacted like every import
  (with the workspace's incidentWorkbench.redaction.* settings); the evidence item records what was
  replaced per kind. Binary files are refused unless K is profile or memory. K is one of:
  ${EVIDENCE_KINDS.slice(0, 8).join(', ')},
  ${EVIDENCE_KINDS.slice(8).join(', ')}.
  Every form: --workspace DIR is the folder holding .incidents/ (default: the current folder); --actor
  NAME is who acted (else $IWB_ACTOR, else git's user.name inside a git repository, else the OS user).
  Every change goes through the editor's incident writer: changes made at once (twenty jobs, the editor)
  all land, and a file another program is writing is never overwritten.
  --json (event, status, evidence): the incident as written; refused: {findings: [{rule, message}]}.
  Exit 0: done. 1: refused by a guardrail (findings printed). 2: bad arguments, unreadable FILE, or an
  incident that cannot be read or written (one line).`,
};

export const INCIDENT_VALUE_OPTIONS = ['title', 'severity', 'description', 'kind', 'text', 'reason', 'override', 'note', 'actor', 'workspace'];

const SUB_OPTIONS: Record<string, string[]> = {
  new: ['title', 'severity', 'description'],
  event: ['kind', 'text'],
  status: ['reason', 'override'],
  evidence: ['kind', 'note'],
};

const MAX_EVIDENCE_BYTES = 100 * 1024 * 1024;
/** Binary content is kept unredacted only for formats without free text (what the editor allows too). */
const BINARY_KINDS: readonly EvidenceKind[] = ['profile', 'memory'];

/** Refused by a guardrail: the findings, and nothing written. */
class Refused extends Error {
  constructor(readonly findings: GuardrailFinding[]) {
    super('refused');
  }
}

/** A problem with the input or the store, told in one line. */
class InputError extends Error {}

function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  const v = value.trim().toUpperCase();
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`${what} must be one of ${allowed.join(', ')} (got "${value}")`);
  return v as T;
}

/** Who is acting: --actor, $IWB_ACTOR, git's user.name inside a repository, the OS user. */
async function resolveActor(args: ParsedArgs, workspace: string): Promise<string> {
  const given = args.flags.get('actor');
  if (typeof given === 'string' && given.trim()) return given.trim();
  const env = process.env.IWB_ACTOR?.trim();
  if (env) return env;
  return (await gitUserName(workspace)) ?? osUserName();
}

/**
 * The redaction settings of the workspace (`.vscode/settings.json`), so evidence attached from a pipeline is
 * redacted as the editor would redact it. A pattern that is not valid is reported and skipped.
 */
async function workspaceRedactor(workspace: string, io: CliIO): Promise<Redactor> {
  let settings: Record<string, unknown> = {};
  try {
    const text = await fs.readFile(nodePath.join(workspace, '.vscode', 'settings.json'), 'utf8');
    const parsed = parseJsonc(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) settings = parsed as Record<string, unknown>;
  } catch {
    // No settings file: the built-in detectors only.
  }
  const fieldNames = Array.isArray(settings['incidentWorkbench.redaction.fieldNames']) ? (settings['incidentWorkbench.redaction.fieldNames'] as unknown[]).filter((x): x is string => typeof x === 'string') : [];
  const patterns: CustomPattern[] = [];
  const raw = settings['incidentWorkbench.redaction.patterns'];
  for (const p of Array.isArray(raw) ? raw : []) {
    const pattern: CustomPattern | undefined =
      typeof p === 'string' ? { name: 'custom', pattern: p } : p && typeof p === 'object' && typeof (p as CustomPattern).pattern === 'string' ? { name: typeof (p as CustomPattern).name === 'string' && (p as CustomPattern).name ? (p as CustomPattern).name : 'custom', pattern: (p as CustomPattern).pattern, ...(typeof (p as CustomPattern).flags === 'string' ? { flags: (p as CustomPattern).flags } : {}) } : undefined;
    if (!pattern) continue;
    try {
      createRedactor({ patterns: [pattern] });
      patterns.push(pattern);
    } catch (e) {
      if (!(e instanceof RedactionConfigError)) throw e;
      io.err(`iwb incident: warning: .vscode/settings.json incidentWorkbench.redaction.patterns: ${e.message}; skipped`);
    }
  }
  return createRedactor({ fieldNames, patterns });
}

export async function incidentCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  const [sub, ...rest] = args.positionals;
  if (!sub) throw new UsageError('incident needs a sub-command: new, event, status or evidence');
  if (!Object.hasOwn(SUB_OPTIONS, sub)) throw new UsageError(`unknown sub-command "${sub}" (new, event, status, evidence)`);
  rejectUnknown(args, ['json', 'actor', 'workspace', ...SUB_OPTIONS[sub]!]);
  const json = args.flags.has('json');
  const opt = (name: string): string | undefined => {
    const v = args.flags.get(name);
    if (v === true) throw new UsageError(`--${name} needs a value`);
    return v;
  };
  const need = (name: string): string => {
    const v = opt(name);
    if (v === undefined) throw new UsageError(`${sub} needs --${name}`);
    return v;
  };
  const fail = (message: string) => {
    if (json) io.out(JSON.stringify({ error: message }));
    else io.err(`iwb incident: ${message}`);
    return EXIT.usage;
  };

  const workspaceArg = opt('workspace');
  const workspace = nodePath.resolve(io.cwd, workspaceArg ?? '.');
  const stat = await fs.stat(workspace).catch(() => undefined);
  if (!stat?.isDirectory()) return fail(`${workspaceArg ?? workspace} is not a folder (--workspace names the folder that holds ${INCIDENTS_FOLDER}/)`);
  const fileSystem = new NodeFileSystem(workspace);
  const writer = new IncidentWriter(fileSystem);
  const positional = (count: number, usage: string) => {
    if (rest.length < count) throw new UsageError(`usage: iwb incident ${usage}`);
    if (rest.length > count) throw new UsageError(`unexpected argument "${rest[count]}"`);
    return rest;
  };

  try {
    if (sub === 'new') {
      positional(0, 'new --title T --severity S');
      const title = need('title');
      const severity = oneOf<Severity>(need('severity'), SEVERITIES, '--severity');
      const problem = checkTitle(title);
      if (problem) throw new InputError(problem);
      const description = opt('description');
      const actor = await resolveActor(args, workspace);
      const written = await writer.create({ title, severity, reportedBy: actor, now: new Date().toISOString(), ...(description !== undefined ? { description } : {}) });
      const id = written.value.id;
      const path = incidentFile(id);
      if (json) io.out(JSON.stringify({ id, path, version: written.version }));
      else io.out(`${id} opened (${severity}): ${path}`);
      return EXIT.ok;
    }

    const [id] = rest;
    if (id !== undefined && !isIncidentId(id)) throw new InputError(`"${id}" is not an incident id (INC-YYYY-NNN)`);
    let written: Incident;
    let summary: string;
    if (sub === 'event') {
      positional(1, 'event ID --kind K --text T');
      const kind = need('kind');
      const text = need('text');
      const ctx = await context(args, workspace);
      written = (await writer.change(id!, (i) => addEvent(i, kind, text, ctx))).value;
      summary = `${id}: ${kind.trim()} event added`;
    } else if (sub === 'status') {
      const [, statusArg] = positional(2, 'status ID STATUS');
      const status = oneOf<IncidentStatus>(statusArg!, STATUSES, 'STATUS');
      const reason = opt('reason');
      const override = opt('override');
      if (override !== undefined && !override.trim()) throw new UsageError('--override needs a reason a reviewer can read');
      const ctx = await context(args, workspace);
      let before: IncidentStatus | undefined;
      let overridden: GuardrailFinding[] = [];
      if (status === 'CLOSED') {
        const pm = await new IncidentStore(fileSystem).readPostmortem(id!);
        if (pm.state !== 'missing' && pm.state !== 'valid') throw new InputError(`${pm.path} is ${pm.state === 'tooLarge' ? 'too large' : pm.state}${pm.problems[0] ? ` (${pm.problems[0].line}:${pm.problems[0].column}: ${pm.problems[0].message})` : ''}; fix it before closing`);
        const postmortem = pm.state === 'valid' ? pm.value : undefined;
        written = (
          await writer.change(id!, (i) => {
            before = i.status;
            const outcome = closeIncident(i, postmortem, ctx, override, reason);
            if (!outcome.ok) throw new Refused(outcome.findings);
            overridden = outcome.overridden;
            return outcome.incident;
          })
        ).value;
      } else {
        written = (
          await writer.change(id!, (i) => {
            before = i.status;
            return changeStatus(i, status, ctx, reason);
          })
        ).value;
      }
      summary = before === status ? `${id}: already ${status}` : `${id}: status ${before} → ${status}`;
      for (const f of overridden) io.err(`${id}: overrode ${f.rule} (recorded): ${override!.trim()}`);
    } else {
      const [, file] = positional(2, 'evidence ID FILE --kind K');
      const kind = need('kind').trim() as EvidenceKind;
      if (!EVIDENCE_KINDS.includes(kind)) throw new UsageError(`--kind must be one of ${EVIDENCE_KINDS.join(', ')} (got "${kind}")`);
      const note = opt('note');
      const source = nodePath.resolve(io.cwd, file!);
      const fileStat = await fs.stat(source).catch(() => undefined);
      if (!fileStat) throw new InputError(`${file} does not exist`);
      if (!fileStat.isFile()) throw new InputError(`${file} is not a file`);
      if (fileStat.size > MAX_EVIDENCE_BYTES) throw new InputError(`${file} is ${(fileStat.size / 1048576).toFixed(1)} MB, over the ${MAX_EVIDENCE_BYTES / 1048576} MB limit for evidence copies`);
      const ctx = await context(args, workspace);
      const folder = nodePath.join(workspace, incidentDir(id!));
      const inside = nodePath.relative(folder, source);
      if (!inside.startsWith('..') && !nodePath.isAbsolute(inside)) {
        // Already in the incident folder (a profile written there): recorded where it is, not copied.
        written = (await writer.recordEvidence(id!, { kind, path: inside.split(nodePath.sep).join('/'), ...(note ? { note } : {}) }, ctx)).value;
        summary = `${id}: ${kind} evidence ${inside.split(nodePath.sep).join('/')} recorded (already in the incident folder)`;
      } else {
        let bytes: Uint8Array;
        try {
          bytes = await fs.readFile(source);
        } catch (e) {
          throw new InputError(`${file} cannot be read: ${errorMessage(e)}`);
        }
        const r = await writer.addEvidence(id!, { name: nodePath.basename(source), bytes, kind, ...(note ? { note } : {}), ...(BINARY_KINDS.includes(kind) ? { allowBinary: true } : {}) }, ctx, await workspaceRedactor(workspace, io));
        written = r.incident;
        const kinds = Object.entries(r.byKind).map(([k, n]) => `${k} ${n}`).join(', ');
        summary = `${id}: ${kind} evidence ${r.path} (${r.redaction.ran ? `redacted ${r.redaction.replaced}${kinds ? `: ${kinds}` : ''}` : 'binary, not redacted'})`;
      }
    }
    if (json) io.out(JSON.stringify(written, null, 2));
    else io.out(summary);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof Refused) {
      if (json) io.out(JSON.stringify({ findings: e.findings }));
      else {
        io.err(`iwb incident: ${rest[0]} was not changed; the method asks for more first:`);
        for (const f of e.findings) io.err(`  ${f.rule}: ${f.message}`);
        io.err('  To go ahead anyway, run it again with --override "REASON"; the override and the reason are recorded.');
      }
      return EXIT.findings;
    }
    if (e instanceof InputError || e instanceof StoreError || e instanceof StepError || e instanceof EvidenceImportError) return fail(e.message);
    throw e;
  }
}

async function context(args: ParsedArgs, workspace: string): Promise<StepContext> {
  return { now: new Date().toISOString(), actor: await resolveActor(args, workspace) };
}
