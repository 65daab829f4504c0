/**
 * The one way to change files under `.incidents/<id>/`: every step of the method, every evidence file, every
 * timeline event from the editor or the CLI goes through an IncidentWriter.
 *
 * - Writes to one file are serialised: in this process by a queue per file, across processes (the CLI in a
 *   deploy job, a second window) by a lock file next to it, created exclusively and removed after the write.
 * - A change is a pure function of the file as it is when the lock is held, so two changes made at once both
 *   land (merged), in some order. A caller that decided something from an earlier read passes the version it
 *   read (`expectedVersion`); if the file changed since, the change is refused (STALE), never applied blind.
 * - An editor saving the file without the lock is caught by reading it again just before the rename: the
 *   change is then re-applied to what the editor saved.
 * - Every file is written to a temp file in the same folder and renamed over the target; a failed write
 *   removes its temp file. Nothing invalid is written: the result is checked against the schema first.
 * - Evidence files are redacted on the way in and named by one rule (see `evidencePath`).
 */
import { fnv1a64 } from '../errors/hash';
import { parseJsonWithPositions } from '../json/positions';
import type { PostMortem } from '../postmortem/types';
import { createRedactor, type Redactor } from '../redaction/redact';
import { redactEvidenceBytes, withRedaction } from '../redaction/evidence';
import { StoreError } from '../store/errors';
import { joinPath, type StoreFileSystem } from '../store/fileSystem';
import { INCIDENTS_FOLDER, EVIDENCE_FOLDER, incidentDir, incidentFile, postmortemFile, triageFile } from '../store/layout';
import type { TriageFile } from '../triage/triage';
import { validateParsed, type IncidentFileKind } from '../validation/validate';
import { createIncident, type NewIncidentInput } from './create';
import { isIncidentId, nextIncidentId } from './ids';
import { attachEvidence, type StepContext } from './session';
import type { EvidenceKind, EvidenceRedaction, Incident } from './types';

export interface WriterOptions {
  root?: string;
  /** Files larger than this are not rewritten (they are reported by the store as too large). */
  maxFileBytes?: number;
  /** How long to wait for another writer's lock before giving up (BUSY). */
  lockTimeoutMs?: number;
  /** A lock older than this belongs to a process that died mid-write and is broken. */
  staleLockMs?: number;
  now?: () => number;
}

export interface Written<T> {
  value: T;
  /** The version of the file as written; pass it back as `expectedVersion` to refuse stale changes. */
  version: string;
}

export interface ChangeOptions {
  /** The version the caller's decision was based on; a file that has moved on since is not changed. */
  expectedVersion?: string;
}

export interface EvidenceInput {
  /** The file name to keep; sanitised, and a free variant is chosen when it is taken. */
  name: string;
  bytes: Uint8Array;
  kind: EvidenceKind;
  note?: string;
  /** Binary formats without free text (profiles, captures) may be kept unredacted, recorded as `ran: false`. */
  allowBinary?: boolean;
  /** Extra change applied in the same write as the evidence item (e.g. a hypothesis naming it). */
  also?: (incident: Incident, path: string) => Incident;
}

export interface BatchEvidenceInput extends Omit<EvidenceInput, 'also'> {
  /** Instead of bytes: a file too big to copy, linked by absolute path (the file system must support links). */
  linkTo?: string;
}

export type BatchResult = { path: string; redaction: EvidenceRedaction; linked: boolean } | { skipped: string };

export interface WrittenEvidence {
  /** Relative to the incident folder, e.g. `evidence/profiles/2026-12-05T10-00-00Z-server.speedscope.json`. */
  path: string;
  redaction: EvidenceRedaction;
  byKind: Record<string, number>;
  incident: Incident;
  version: string;
}

const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();
/** Re-applications when an editor keeps saving underneath; more means something is looping. */
const MAX_REAPPLY = 5;

/** One folder per evidence kind under `evidence/`: the naming rule every feature shares. */
export const EVIDENCE_KIND_FOLDER: Record<EvidenceKind, string> = {
  profile: 'profiles',
  memory: 'memory',
  stacks: 'stacks',
  errors: 'errors',
  patterns: 'patterns',
  trace: 'traces',
  logs: 'logs',
  metrics: 'metrics',
  snapshot: 'snapshots',
  abtest: 'decisions',
  rollback: 'decisions',
  model: 'decisions',
  commit: 'commits',
  file: 'files',
};

/** A file name safe on every file system and in a URL: letters, digits, `.`, `_`, `-`; at most 100 characters. */
export function safeEvidenceName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '');
  if (cleaned.length <= 100) return cleaned || 'evidence';
  // Keep the extension (two parts for names like x.speedscope.json) when shortening.
  const ext = /(\.[A-Za-z0-9]{1,12}){1,2}$/.exec(cleaned)?.[0] ?? '';
  return cleaned.slice(0, 100 - ext.length) + ext;
}

/** `evidence/<kind folder>/<safe name>`, relative to the incident folder (before a free variant is chosen). */
export function evidencePath(kind: EvidenceKind, name: string): string {
  return `${EVIDENCE_FOLDER}/${EVIDENCE_KIND_FOLDER[kind] ?? 'files'}/${safeEvidenceName(name)}`;
}

/** `name-2.ext`, `name-3.ext`, … keeping compound extensions such as `.speedscope.json` whole. */
export function variantName(name: string, n: number): string {
  const m = /^(.+?)((?:\.[A-Za-z0-9]{1,12}){0,2})$/.exec(name);
  return m ? `${m[1]}-${n}${m[2]}` : `${name}-${n}`;
}

/** A timestamp for evidence file names, sortable and safe on every file system: 2026-12-05T10-00-00Z. */
export function evidenceStamp(d = new Date()): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
}

export function versionOf(text: string): string {
  return fnv1a64(text);
}

export function serialize(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** In-process queues by file location, shared by every writer over the same files (the host makes many). */
const queues = new Map<string, Promise<unknown>>();

function queued<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(work, work);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class IncidentWriter {
  readonly root: string;
  private readonly maxFileBytes: number;
  private readonly lockTimeoutMs: number;
  private readonly staleLockMs: number;
  private readonly now: () => number;

  constructor(
    private readonly fs: StoreFileSystem,
    options: WriterOptions = {},
  ) {
    this.root = options.root ?? INCIDENTS_FOLDER;
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_BYTES;
    this.lockTimeoutMs = options.lockTimeoutMs ?? 15_000;
    this.staleLockMs = options.staleLockMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** The version of a file as it is now, or undefined when it does not exist. */
  async version(path: string): Promise<string | undefined> {
    if (!(await this.fs.stat(path))) return undefined;
    return versionOf(await this.readText(path));
  }

  /**
   * Applies `mutate` to the incident as it is on disk while holding its lock, and writes the result
   * atomically. The mutation gets a private copy holding every field (unknown ones too) and may throw to
   * abandon the change (nothing is written). An invalid file is never rewritten.
   */
  async change(id: string, mutate: (incident: Incident) => Incident, options: ChangeOptions = {}): Promise<Written<Incident>> {
    if (!isIncidentId(id)) throw new StoreError('NOT_FOUND', `"${id}" is not an incident id (INC-YYYY-NNN).`);
    const path = incidentFile(id, this.root);
    // Without its folder there is nowhere to put the lock file either; say what is missing, not ENOENT.
    if (!(await this.fs.stat(incidentDir(id, this.root)))) throw new StoreError('NOT_FOUND', `Incident ${id} does not exist (${path}).`, path);
    return this.changeFile<Incident>(path, 'incident', id, (current) => {
      if (current === undefined) throw new StoreError('NOT_FOUND', `Incident ${id} does not exist (${path}).`, path);
      return mutate(current);
    }, options);
  }

  /**
   * The same for the incident's postmortem.json; `mutate` gets undefined when there is none yet and may
   * create it. (The post-mortem form edits the file through its TextDocument instead, as an editor does.)
   */
  async changePostmortem(id: string, mutate: (postmortem: PostMortem | undefined) => PostMortem, options: ChangeOptions = {}): Promise<Written<PostMortem>> {
    if (!isIncidentId(id)) throw new StoreError('NOT_FOUND', `"${id}" is not an incident id (INC-YYYY-NNN).`);
    return this.changeFile<PostMortem>(postmortemFile(id, this.root), 'postmortem', undefined, mutate, options, true);
  }

  /**
   * The same for `.incidents/triage.json` (error cluster triage); `mutate` gets undefined when there is none
   * yet and may create it. An invalid triage file is never rewritten.
   */
  async changeTriage(mutate: (triage: TriageFile | undefined) => TriageFile, options: ChangeOptions = {}): Promise<Written<TriageFile>> {
    // The lock sits next to the file: a workspace without .incidents/ yet gets the folder first.
    await this.fs.createDirectory(this.root);
    return this.changeFile<TriageFile>(triageFile(this.root), 'triage', undefined, mutate, options, true);
  }

  private async changeFile<T>(path: string, kind: IncidentFileKind, id: string | undefined, mutate: (current: T | undefined) => T, options: ChangeOptions, mayCreate = false): Promise<Written<T>> {
    // The schema is compiled on first use (a few hundred ms): do that before taking the lock, not while
    // every other writer (twenty CLI processes in a pipeline) waits for it.
    validateParsed(parseJsonWithPositions('{}'), kind);
    return this.exclusive(path, async () => {
      for (let attempt = 0; ; attempt++) {
        const exists = (await this.fs.stat(path)) !== undefined;
        const read = exists || !mayCreate ? await this.readValid<T>(path, kind, id) : undefined;
        const version = read ? versionOf(read.text) : undefined;
        if (options.expectedVersion !== undefined && options.expectedVersion !== version) {
          throw new StoreError('STALE', `${path} changed since it was read (by another window, the CLI or an editor); nothing was written. Look at it again and retry.`, path);
        }
        const next = mutate(read ? structuredClone(read.value) : undefined);
        const out = serialize(next);
        this.check(out, kind, path);
        // Someone without the lock (an editor saving) may have written meanwhile: apply to that instead.
        const now = (await this.fs.stat(path)) ? versionOf(await this.readText(path)) : undefined;
        if (now !== version) {
          if (attempt >= MAX_REAPPLY) throw new StoreError('BUSY', `${path} keeps changing while being written; nothing was written. Try again.`, path);
          continue;
        }
        if (read === undefined) await this.fs.createDirectory(path.slice(0, path.lastIndexOf('/')));
        await this.replace(path, out, read !== undefined);
        return { value: next, version: versionOf(out) };
      }
    });
  }

  /**
   * Creates `.incidents/<id>/incident.json` with the next free id of the year; the input is validated before
   * anything is written. Two creators at once get two ids: the final rename refuses to overwrite.
   */
  async create(input: Omit<NewIncidentInput, 'id'>): Promise<Written<Incident>> {
    const year = Number(input.now.slice(0, 4));
    const probe = createIncident({ ...input, id: nextIncidentId(new Set(), year) });
    this.check(serialize(probe), 'incident', `${this.root}/<new>/incident.json`);
    const taken = new Set(await this.ids());
    for (let attempt = 0; attempt < 50; attempt++) {
      const id = nextIncidentId(taken, year);
      const incident = createIncident({ ...input, id });
      const text = serialize(incident);
      await this.fs.createDirectory(incidentDir(id, this.root));
      try {
        await this.replace(incidentFile(id, this.root), text, false);
        return { value: incident, version: versionOf(text) };
      } catch (e) {
        if (e instanceof StoreError && e.code === 'CONFLICT') {
          taken.add(id);
          continue;
        }
        throw e;
      }
    }
    throw new StoreError('CONFLICT', 'Could not find a free incident id after 50 attempts; is another tool creating incidents?');
  }

  /** Writes a new postmortem.json, validated first; never replaces one that exists (CONFLICT). */
  async createPostmortem(id: string, postmortem: PostMortem): Promise<string> {
    const path = postmortemFile(id, this.root);
    const text = serialize(postmortem);
    this.check(text, 'postmortem', path);
    await this.replace(path, text, false);
    return path;
  }

  /**
   * Puts a file into the incident's evidence and records it, in one step: the bytes are redacted (text) or
   * refused (binary, unless `allowBinary`), written atomically under `evidencePath` (a free variant when the
   * name is taken; nothing is overwritten), then the evidence item and a timeline event are added through
   * `change`. If recording fails, the file just written is removed, so nothing is half-attached.
   */
  async addEvidence(id: string, input: EvidenceInput, ctx: StepContext, redactor: Redactor = createRedactor()): Promise<WrittenEvidence> {
    // Fail before writing anything when the incident cannot take it.
    await this.readValid<Incident>(incidentFile(id, this.root), 'incident', id);
    const redacted = redactEvidenceBytes(input.bytes, input.name, redactor, input.allowBinary);
    const relative = await this.writeNewFile(incidentDir(id, this.root), evidencePath(input.kind, input.name), redacted.bytes);
    const note = input.note?.trim();
    try {
      const written = await this.change(id, (i) => {
        const next = withRedaction(attachEvidence(i, { kind: input.kind, path: relative, ...(note ? { note } : {}) }, ctx), relative, redacted.redaction);
        return input.also ? input.also(next, relative) : next;
      });
      return { path: relative, redaction: redacted.redaction, byKind: redacted.byKind, incident: written.value, version: written.version };
    } catch (e) {
      await this.fs.delete(joinPath(incidentDir(id, this.root), relative)).catch(() => undefined);
      throw e;
    }
  }

  /**
   * Several files at once (an evidence bundle): each written like `addEvidence` (or linked when `linkTo`),
   * then one change records every evidence item and one timeline event `eventText: path, path, …`. A file that
   * cannot be taken (binary, unreadable) is skipped with its reason; the rest go on.
   */
  async addEvidenceBatch(id: string, inputs: readonly BatchEvidenceInput[], ctx: StepContext, eventText: string, redactor: Redactor = createRedactor()): Promise<{ results: BatchResult[]; incident?: Incident }> {
    await this.readValid<Incident>(incidentFile(id, this.root), 'incident', id);
    const folder = incidentDir(id, this.root);
    const results: BatchResult[] = [];
    for (const input of inputs) {
      try {
        if (input.linkTo !== undefined) {
          if (!this.fs.symlink) throw new Error('this file system cannot link files; copy it in instead');
          const relative = await this.writeNewFile(folder, evidencePath(input.kind, input.name), undefined, input.linkTo);
          results.push({ path: relative, redaction: { ran: false, replaced: 0 }, linked: true });
        } else {
          const redacted = redactEvidenceBytes(input.bytes, input.name, redactor, input.allowBinary);
          const relative = await this.writeNewFile(folder, evidencePath(input.kind, input.name), redacted.bytes);
          results.push({ path: relative, redaction: redacted.redaction, linked: false });
        }
      } catch (e) {
        results.push({ skipped: String((e as { message?: unknown }).message ?? e) });
      }
    }
    const placed = results.flatMap((r, i) => ('path' in r ? [{ r, input: inputs[i]! }] : []));
    if (placed.length === 0) return { results };
    try {
      const written = await this.change(id, (incident) => ({
        ...incident,
        evidence: [
          ...(incident.evidence ?? []),
          ...placed.map(({ r, input }) => ({ kind: input.kind, path: r.path, at: ctx.now, ...(input.note?.trim() || r.linked ? { note: `${input.note?.trim() ?? ''}${r.linked ? ' (linked: large file)' : ''}`.trim() } : {}), redaction: r.redaction })),
        ],
        events: [...(incident.events ?? []), { at: ctx.now, actor: ctx.actor, kind: 'evidence', text: `${eventText}: ${placed.map(({ r }) => r.path).join(', ')}` }],
      }));
      return { results, incident: written.value };
    } catch (e) {
      for (const { r } of placed) await this.fs.delete(joinPath(folder, r.path)).catch(() => undefined);
      throw e;
    }
  }

  /**
   * Records a file that is already inside the incident folder (a profile py-spy wrote there) as evidence,
   * without copying it. `path` is relative to the incident folder.
   */
  async recordEvidence(id: string, item: { kind: EvidenceKind; path: string; note?: string }, ctx: StepContext): Promise<Written<Incident>> {
    if (item.path.split('/').some((part) => part === '..' || part === '') || item.path.startsWith('/')) {
      throw new StoreError('INVALID', `Evidence path ${item.path} must be relative to the incident folder, without "..".`);
    }
    if (!(await this.fs.stat(joinPath(incidentDir(id, this.root), item.path)))) {
      throw new StoreError('NOT_FOUND', `${joinPath(incidentDir(id, this.root), item.path)} does not exist.`);
    }
    return this.change(id, (i) => attachEvidence(i, item, ctx));
  }

  /** Writes `bytes` (or a link to `linkTo`) under `folder` at `relative` or a free variant of it; returns the path used. */
  private async writeNewFile(folder: string, relative: string, bytes: Uint8Array | undefined, linkTo?: string): Promise<string> {
    const slash = relative.lastIndexOf('/');
    const dir = relative.slice(0, slash);
    const name = relative.slice(slash + 1);
    await this.fs.createDirectory(joinPath(folder, dir));
    for (let n = 1; n < 1000; n++) {
      const candidate = `${dir}/${n === 1 ? name : variantName(name, n)}`;
      const target = joinPath(folder, candidate);
      if (await this.fs.stat(target)) continue;
      try {
        if (linkTo !== undefined) await this.fs.symlink!(linkTo, target);
        else await this.replace(target, bytes!, false);
        return candidate;
      } catch (e) {
        if (e instanceof StoreError && e.code === 'CONFLICT') continue; // taken meanwhile: next variant
        throw e;
      }
    }
    throw new StoreError('CONFLICT', `No free name for ${relative} after 1000 tries.`);
  }

  private async ids(): Promise<string[]> {
    const stat = await this.fs.stat(this.root);
    if (!stat || stat.type !== 'directory') return [];
    return (await this.fs.readDirectory(this.root)).filter(([name, type]) => type === 'directory' && isIncidentId(name)).map(([name]) => name);
  }

  private async readText(path: string): Promise<string> {
    return decoder.decode(await this.fs.readFile(path));
  }

  /** The file's text and value when it exists, fits, parses and passes its schema; a StoreError otherwise. */
  private async readValid<T>(path: string, kind: IncidentFileKind, id?: string): Promise<{ text: string; value: T }> {
    const stat = await this.fs.stat(path);
    if (!stat) throw new StoreError('NOT_FOUND', `${id ? `Incident ${id}` : path} does not exist (${path}).`, path);
    if (stat.size > this.maxFileBytes) throw new StoreError('TOO_LARGE', `${path} is over the size limit for incident files; nothing was written.`, path);
    let text: string;
    try {
      text = await this.readText(path);
    } catch (e) {
      throw new StoreError('INVALID', `${path} cannot be read (${e instanceof TypeError ? 'it is not UTF-8 text' : String((e as { message?: unknown }).message ?? e)}); nothing was written.`, path);
    }
    const result = validateParsed<T>(parseJsonWithPositions(text), kind);
    const idMismatch = kind === 'incident' && id !== undefined && result.valid && (result.value as { id?: unknown }).id !== id;
    if (!result.valid || result.value === undefined || idMismatch) {
      const first = idMismatch ? { line: 1, column: 1, message: `/id is not "${id}", the folder's name` } : result.problems[0];
      throw new StoreError('INVALID', `${path} was not changed because it is invalid${first ? ` (${first.line}:${first.column}: ${first.message})` : ''}. Fix it first; nothing was overwritten.`, path);
    }
    return { text, value: result.value };
  }

  private check(text: string, kind: IncidentFileKind, path: string): void {
    const result = validateParsed(parseJsonWithPositions(text), kind);
    if (!result.valid) throw new StoreError('INVALID', `The change would make ${path} invalid (${result.problems[0]?.message}); nothing was written.`, path);
  }

  /** Serialised in this process, and across processes by `<file>.lock` created exclusively. */
  private exclusive<T>(path: string, work: () => Promise<T>): Promise<T> {
    return queued(this.fs.location?.(path) ?? path, async () => {
      const lock = `${path}.lock`;
      await this.acquire(lock, path);
      try {
        return await work();
      } finally {
        await this.fs.delete(lock).catch(() => undefined);
      }
    });
  }

  private async acquire(lock: string, path: string): Promise<void> {
    const started = this.now();
    let wait = 2;
    for (;;) {
      const owner = encoder.encode(JSON.stringify({ at: new Date(this.now()).toISOString(), by: 'incident-workbench' }));
      if (await this.fs.createExclusive(lock, owner)) return;
      const stat = await this.fs.stat(lock);
      if (stat && this.now() - stat.mtime > this.staleLockMs) {
        // A writer that died mid-write: its lock is older than any write takes.
        await this.fs.delete(lock).catch(() => undefined);
        continue;
      }
      if (this.now() - started > this.lockTimeoutMs) {
        throw new StoreError('BUSY', `${path} is being changed by another process (lock ${lock}); nothing was written. Try again; if no Incident Workbench or iwb is running, delete the lock file.`, path);
      }
      await sleep(wait + Math.random() * wait);
      wait = Math.min(wait * 2, 100);
    }
  }

  /** Temp file in the same folder + rename; the temp file never outlives a failure. */
  private async replace(path: string, content: string | Uint8Array, overwrite: boolean): Promise<void> {
    const slash = path.lastIndexOf('/');
    const temp = `${path.slice(0, slash + 1)}.${path.slice(slash + 1)}.${this.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`;
    try {
      await this.fs.writeFile(temp, typeof content === 'string' ? encoder.encode(content) : content);
    } catch (e) {
      await this.fs.delete(temp).catch(() => undefined);
      throw new StoreError('WRITE_FAILED', `Could not write ${path}: ${String((e as { message?: unknown }).message ?? e)}`, path);
    }
    try {
      if (!overwrite && (await this.fs.stat(path))) throw new StoreError('CONFLICT', `${path} already exists`, path);
      await this.fs.rename(temp, path, { overwrite });
    } catch (e) {
      await this.fs.delete(temp).catch(() => undefined);
      if (e instanceof StoreError) throw e;
      if (!overwrite && (await this.fs.stat(path))) throw new StoreError('CONFLICT', `${path} already exists`, path);
      throw new StoreError('WRITE_FAILED', `Could not write ${path}: ${String((e as { message?: unknown }).message ?? e)}`, path);
    }
  }
}
