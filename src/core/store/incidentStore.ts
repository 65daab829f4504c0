import { isIncidentId } from '../incident/ids';
import { IncidentWriter } from '../incident/writer';
import type { Incident } from '../incident/types';
import { locate, parseJsonWithPositions } from '../json/positions';
import type { FileProblem } from '../validation/problems';
import { validateParsed, type IncidentFileKind } from '../validation/validate';
import { joinPath, type StoreFileSystem } from './fileSystem';
import type { PostMortem } from '../postmortem/types';
import { INCIDENTS_FOLDER, POSTMORTEM_FILE, incidentDir, incidentFile, postmortemFile } from './layout';
import { errorMessage } from '../util/errors';

export type EntryState = 'valid' | 'invalid' | 'missing' | 'unreadable' | 'tooLarge';

/** What one file under `.incidents/` holds, or why it cannot be used. */
export interface FileReport<T = unknown> {
  path: string;
  kind: IncidentFileKind;
  state: EntryState;
  /** The parsed object when the file is JSON (also when it fails the schema), for best-effort display. */
  value?: T;
  problems: FileProblem[];
}

export interface IncidentEntry extends FileReport<Incident> {
  /** The folder name, which is the incident id. */
  id: string;
}

export interface StoreOptions {
  root?: string;
  /** Files larger than this are reported, not read: a stray 2 GB file must not take the editor down. */
  maxFileBytes?: number;
}

const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
const decoder = new TextDecoder('utf-8', { fatal: true });

function wholeFileProblem(message: string): FileProblem {
  return { line: 1, column: 1, offset: 0, length: 0, pointer: '', severity: 'error', message };
}

export class IncidentStore {
  readonly root: string;
  private readonly maxFileBytes: number;

  constructor(
    private readonly fs: StoreFileSystem,
    options: StoreOptions = {},
  ) {
    this.root = options.root ?? INCIDENTS_FOLDER;
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_BYTES;
  }

  /** Incident folder names, newest id first. Folders that are not incident ids are ignored. */
  async ids(): Promise<string[]> {
    const stat = await this.fs.stat(this.root);
    if (!stat || stat.type !== 'directory') return [];
    const entries = await this.fs.readDirectory(this.root);
    return entries
      .filter(([name, type]) => type === 'directory' && isIncidentId(name))
      .map(([name]) => name)
      .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
  }

  async list(): Promise<IncidentEntry[]> {
    const ids = await this.ids();
    // One file that cannot be read (whatever the reason) is one entry with a problem, never a missing list.
    return Promise.all(
      ids.map((id) =>
        this.read(id).catch((e: unknown): IncidentEntry => {
          const path = incidentFile(id, this.root);
          return { id, path, kind: 'incident', state: 'unreadable', problems: [wholeFileProblem(`${path} cannot be read: ${errorMessage(e)}`)] };
        }),
      ),
    );
  }

  async read(id: string): Promise<IncidentEntry> {
    const report = await this.readFile<Incident>(incidentFile(id, this.root), 'incident');
    if (report.state === 'valid' && report.value && report.value.id !== id) {
      // The folder name is the id people and links use; a mismatch means a copied folder, so say which.
      const parsed = parseJsonWithPositions(await this.readText(report.path));
      report.state = 'invalid';
      report.problems.push({
        ...locate(parsed, ['id']),
        pointer: '/id',
        severity: 'error',
        message: `/id is "${report.value.id}" but the folder is "${id}"; they must be equal`,
      });
    }
    return { ...report, id };
  }

  /** Reads and validates one file without ever throwing for bad content. */
  async readFile<T>(path: string, kind: IncidentFileKind): Promise<FileReport<T>> {
    const stat = await this.fs.stat(path);
    if (!stat) return { path, kind, state: 'missing', problems: [wholeFileProblem(`${path} does not exist`)] };
    if (stat.type !== 'file') return { path, kind, state: 'unreadable', problems: [wholeFileProblem(`${path} is not a file`)] };
    if (stat.size > this.maxFileBytes) {
      const mb = (stat.size / 1024 / 1024).toFixed(1);
      return {
        path,
        kind,
        state: 'tooLarge',
        problems: [wholeFileProblem(`${path} is ${mb} MB, over the ${(this.maxFileBytes / 1024 / 1024).toFixed(1)} MB limit for incident files; keep large data under evidence/ and link it`)],
      };
    }
    let text: string;
    try {
      text = await this.readText(path);
    } catch (e) {
      const reason = e instanceof TypeError ? 'it is not UTF-8 text' : errorMessage(e);
      return { path, kind, state: 'unreadable', problems: [wholeFileProblem(`${path} cannot be read: ${reason}`)] };
    }
    const result = validateParsed<T>(parseJsonWithPositions(text), kind);
    return { path, kind, state: result.valid ? 'valid' : 'invalid', value: result.value, problems: result.problems };
  }

  /** Every incident.json and postmortem.json, for `iwb validate` and the Problems panel. */
  async validateAll(): Promise<FileReport[]> {
    const reports: FileReport[] = [];
    for (const id of await this.ids()) {
      reports.push(await this.read(id));
      const pm = await this.readFile(joinPath(incidentDir(id, this.root), POSTMORTEM_FILE), 'postmortem');
      if (pm.state !== 'missing') reports.push(pm);
    }
    return reports;
  }

  /** The one writer over the same files and limits (src/core/incident/writer.ts): every change goes through it. */
  writer(): IncidentWriter {
    return new IncidentWriter(this.fs, { root: this.root, maxFileBytes: this.maxFileBytes });
  }

  /** The incident's postmortem.json, validated; `state: 'missing'` when there is none yet. */
  async readPostmortem(id: string): Promise<FileReport<PostMortem>> {
    return this.readFile<PostMortem>(postmortemFile(id, this.root), 'postmortem');
  }

  private async readText(path: string): Promise<string> {
    return decoder.decode(await this.fs.readFile(path));
  }
}

export { serialize } from '../incident/writer';
