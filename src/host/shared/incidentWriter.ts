import * as vscode from 'vscode';
import type { NewIncidentInput } from '../../core/incident/create';
import type { StepContext } from '../../core/incident/session';
import type { EvidenceKind, Incident } from '../../core/incident/types';
import { IncidentWriter, type BatchEvidenceInput, type BatchResult, type ChangeOptions, type Written, type WrittenEvidence } from '../../core/incident/writer';
import type { PostMortem } from '../../core/postmortem/types';
import type { Actor, TriageFile } from '../../core/triage/triage';
import { StoreError } from '../../core/store/errors';
import { incidentDir } from '../../core/store/layout';
import { resolveReporter } from './identity';
import type { IncidentRepository } from './incidentRepository';
import { configuredRedactor } from './redaction';

export interface HostEvidence {
  /** The file name to keep (the folder comes from `kind`: evidence/<kind folder>/). */
  name: string;
  /** The content, or a file to copy (read whole; redacted on the way in). */
  content: string | Uint8Array | vscode.Uri;
  kind: EvidenceKind;
  note?: string;
  /** Profiles and captures without free text may be kept as they are (recorded as not redacted). */
  allowBinary?: boolean;
  /** A further change made in the same write (a hypothesis naming the file, say). */
  also?: (incident: Incident, path: string) => Incident;
}

/**
 * The host's one incident writer: every feature changes incidents and attaches evidence through it (the
 * core IncidentWriter does the serialising, version checks, atomic writes and redaction). It adds what only
 * the editor knows: the workspace folder, who is acting, the redaction settings, and telling the views.
 */
export class HostIncidentWriter {
  constructor(
    private readonly repository: IncidentRepository,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  private core(): IncidentWriter {
    const store = this.repository.store();
    if (!store) throw new StoreError('NOT_FOUND', 'Open a folder first: incidents are kept in its .incidents/ folder.');
    return store.writer();
  }

  /** Who is acting and when, for evidence items and timeline events. */
  async context(): Promise<StepContext> {
    return { now: new Date().toISOString(), actor: await resolveReporter(this.repository.folder) };
  }

  /** Applies a pure change to the incident as it is on disk (see IncidentWriter.change). */
  async change(id: string, mutate: (incident: Incident) => Incident, options?: ChangeOptions): Promise<Written<Incident>> {
    const written = await this.core().change(id, mutate, options);
    this.repository.invalidate();
    return written;
  }

  /** A new incident with the next free id of the year, validated before anything is written. */
  async create(input: Omit<NewIncidentInput, 'id'>): Promise<Incident> {
    const written = await this.core().create(input);
    this.repository.invalidate();
    return written.value;
  }

  /** A new postmortem.json for the incident; never over one that exists. Returns its path in the workspace. */
  async createPostmortem(id: string, postmortem: PostMortem): Promise<string> {
    const path = await this.core().createPostmortem(id, postmortem);
    this.repository.invalidate();
    return path;
  }

  /**
   * Changes `.incidents/triage.json` (error cluster triage) through the same lock, schema check and atomic
   * write as incidents; `mutate` gets who is acting and undefined when there is no file yet.
   */
  async changeTriage(mutate: (triage: TriageFile | undefined, actor: Actor) => TriageFile): Promise<TriageFile> {
    const ctx = await this.context();
    const written = await this.core().changeTriage((t) => mutate(t, { at: ctx.now, by: ctx.actor }));
    this.repository.invalidate();
    return written.value;
  }

  /** Appends one event to the incident's timeline. */
  async event(id: string, kind: string, text: string): Promise<Incident> {
    const ctx = await this.context();
    return (await this.change(id, (i) => ({ ...i, events: [...(i.events ?? []), { at: ctx.now, actor: ctx.actor, kind, text }] }))).value;
  }

  /** Copies content into the incident's evidence (redacted, one naming rule, never over a file) and records it. */
  async addEvidence(id: string, evidence: HostEvidence): Promise<WrittenEvidence> {
    const bytes = evidence.content instanceof vscode.Uri ? await vscode.workspace.fs.readFile(evidence.content) : typeof evidence.content === 'string' ? new TextEncoder().encode(evidence.content) : evidence.content;
    const written = await this.core().addEvidence(
      id,
      { name: evidence.name, bytes, kind: evidence.kind, ...(evidence.note ? { note: evidence.note } : {}), ...(evidence.allowBinary ? { allowBinary: true } : {}), ...(evidence.also ? { also: evidence.also } : {}) },
      await this.context(),
      configuredRedactor(this.log),
    );
    this.repository.invalidate();
    const kinds = Object.entries(written.byKind).map(([k, n]) => `${k} ${n}`).join(', ');
    this.log.info(`${id}: ${evidence.kind} evidence ${written.path}${written.redaction.ran ? ` (redacted ${written.redaction.replaced}${kinds ? `: ${kinds}` : ''})` : ' (not redacted: binary)'}`);
    return written;
  }

  /** Several files at once, one timeline event for all (an evidence bundle); see IncidentWriter.addEvidenceBatch. */
  async addEvidenceBatch(id: string, inputs: readonly BatchEvidenceInput[], eventText: string): Promise<BatchResult[]> {
    const { results } = await this.core().addEvidenceBatch(id, inputs, await this.context(), eventText, configuredRedactor(this.log));
    this.repository.invalidate();
    return results;
  }

  /**
   * Records a file a tool already wrote inside the incident folder (a profile py-spy wrote there), without
   * copying it. Returns the path relative to the incident folder.
   */
  async recordEvidence(id: string, file: vscode.Uri, kind: EvidenceKind, note?: string): Promise<string> {
    const base = this.repository.uri(incidentDir(id));
    if (!base || !file.path.startsWith(`${base.path}/`)) throw new StoreError('INVALID', `${file.fsPath} is not inside ${incidentDir(id)}/; attach it as a copy instead.`);
    const path = file.path.slice(base.path.length + 1);
    await this.core().recordEvidence(id, { kind, path, ...(note ? { note } : {}) }, await this.context());
    this.repository.invalidate();
    return path;
  }
}
