import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { applyPathMappings, isLibraryPath, parsePathMappings, suffixCandidates } from '../../core/paths/pathMappings';

/**
 * Turns a path recorded by the profiler into a local file: `incidentWorkbench.pathMappings` first (a
 * container's `/app` → `${workspaceFolder}`), then the path itself, then relative to the workspace folders
 * and the profiled process's cwd, then the recorded path's trailing segments inside the workspace.
 */
export class PathResolver implements vscode.Disposable {
  private cache = new Map<string, Promise<vscode.Uri | undefined>>();
  /** Grows whenever earlier answers may no longer hold (mappings or the workspace's Python files changed). */
  generation = 0;
  private readonly pythonFiles = new WorkspacePythonFiles();
  private readonly subscriptions = [
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('incidentWorkbench.pathMappings')) this.forgetAll();
    }),
    this.pythonFiles.onDidChange(() => this.forgetAll()),
  ];

  private forgetAll(): void {
    this.cache.clear();
    this.generation++;
  }

  resolve(file: string, cwd?: string): Promise<vscode.Uri | undefined> {
    if (!file || (file.startsWith('<') && file.endsWith('>'))) return Promise.resolve(undefined);
    const key = `${cwd ?? ''}\u0000${file}`;
    let r = this.cache.get(key);
    if (!r) this.cache.set(key, (r = this.find(file, cwd)));
    return r;
  }

  /** Resolved and inside a workspace folder, and not a library: "my code". */
  async isMine(file: string, cwd?: string): Promise<boolean> {
    const uri = await this.resolve(file, cwd);
    return !!uri && !!vscode.workspace.getWorkspaceFolder(uri) && !isLibraryPath(uri.fsPath);
  }

  private async find(file: string, cwd?: string): Promise<vscode.Uri | undefined> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const candidates = recordedCandidates(file);
    if (!path.isAbsolute(file)) {
      for (const f of folders) candidates.push(path.join(f.uri.fsPath, file));
      if (cwd) candidates.push(path.join(cwd, file));
    }
    const found = await firstFile(candidates);
    if (found) return found;
    if (isLibraryPath(file)) return undefined;
    const suffixes = suffixCandidates(file);
    const base = suffixes[suffixes.length - 1] ?? '';
    if (PYTHON_FILE.test(base)) {
      // Python files are looked up in one listing of the workspace: a profile names thousands of files, and
      // a search or a few file checks for each made opening a big profile take seconds.
      const listing = await this.pythonFiles.listing();
      for (const suffix of suffixes.slice(0, -1)) {
        for (let i = 0; i < folders.length; i++) {
          const hit = listing.byPath.get(`${i}\u0000${suffix}`);
          if (hit) return hit;
        }
      }
      // A bare file name: only when exactly one workspace file has it.
      const same = listing.byName.get(base);
      return same?.length === 1 ? same[0] : undefined;
    }
    for (const suffix of suffixes.slice(0, -1)) {
      for (const f of folders) {
        const c = path.join(f.uri.fsPath, suffix);
        if (await isFile(c)) return vscode.Uri.file(c);
      }
    }
    return undefined;
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
    this.pythonFiles.dispose();
  }
}

const PYTHON_FILE = /\.py[xiw]?$/i;
const LISTING_LIMIT = 100_000;

/**
 * The workspace's Python files by folder-relative path and by base name, listed with one search when first
 * needed and listed again after Python files are created or deleted.
 */
class WorkspacePythonFiles implements vscode.Disposable {
  private current: Promise<{ byPath: Map<string, vscode.Uri>; byName: Map<string, vscode.Uri[]> }> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  /** Watching starts with the first listing: a workspace that never opens a profile never watches. */
  private subscriptions: vscode.Disposable[] = [];

  listing(): Promise<{ byPath: Map<string, vscode.Uri>; byName: Map<string, vscode.Uri[]> }> {
    if (this.subscriptions.length === 0) {
      const watcher = vscode.workspace.createFileSystemWatcher('**/*.{py,pyx,pyi,pyw}', false, true, false);
      this.subscriptions = [watcher, watcher.onDidCreate(() => this.invalidate()), watcher.onDidDelete(() => this.invalidate()), vscode.workspace.onDidChangeWorkspaceFolders(() => this.invalidate())];
    }
    this.current ??= this.list();
    return this.current;
  }

  private invalidate(): void {
    this.current = undefined;
    this.changed.fire();
  }

  private async list(): Promise<{ byPath: Map<string, vscode.Uri>; byName: Map<string, vscode.Uri[]> }> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const uris = await vscode.workspace.findFiles('**/*.{py,pyx,pyi,pyw}', '**/{node_modules,.venv,venv,site-packages,.git}/**', LISTING_LIMIT);
    const byPath = new Map<string, vscode.Uri>();
    const byName = new Map<string, vscode.Uri[]>();
    for (const uri of uris) {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (!folder) continue;
      const rel = path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
      byPath.set(`${folders.indexOf(folder)}\u0000${rel}`, uri);
      const name = path.basename(uri.fsPath);
      const same = byName.get(name);
      if (same) same.push(uri);
      else byName.set(name, [uri]);
    }
    return { byPath, byName };
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
    this.changed.dispose();
  }
}

/**
 * Where a recorded path may be before any search: its image through `incidentWorkbench.pathMappings` (a
 * container's `/app`), then the path itself when it is absolute.
 */
export function recordedCandidates(file: string): string[] {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const vars = { workspaceFolders: folders.map((f) => ({ name: f.name, path: f.uri.fsPath })) };
  const { mappings } = parsePathMappings(vscode.workspace.getConfiguration('incidentWorkbench').get('pathMappings'));
  const candidates: string[] = [];
  const mapped = applyPathMappings(file, mappings, vars);
  if (mapped) candidates.push(mapped);
  if (path.isAbsolute(file)) candidates.push(file);
  return candidates;
}

/** The first of `candidates` that is a file, in order. */
export async function firstFile(candidates: readonly string[]): Promise<vscode.Uri | undefined> {
  for (const c of candidates) if (await isFile(c)) return vscode.Uri.file(c);
  return undefined;
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isFile();
  } catch {
    return false;
  }
}

/** Asks for a mapping from the recorded folder to a local one and saves it in the workspace settings. */
export async function offerPathMapping(file: string): Promise<boolean> {
  const choice = await vscode.window.showWarningMessage(`${file} was not found in this workspace. If it was recorded in a container or on another host, map its folder to yours.`, 'Add Path Mapping…');
  if (choice !== 'Add Path Mapping…') return false;
  const from = await vscode.window.showInputBox({
    title: 'Add Path Mapping (1/2)',
    prompt: 'The folder as the profiled process saw it',
    value: path.posix.dirname(file.replace(/\\/g, '/')),
    ignoreFocusOut: true,
  });
  if (!from) return false;
  const to = await vscode.window.showInputBox({ title: 'Add Path Mapping (2/2)', prompt: `The local folder for ${from}`, value: '${workspaceFolder}', ignoreFocusOut: true });
  if (!to) return false;
  const config = vscode.workspace.getConfiguration('incidentWorkbench');
  const current = (config.get<Record<string, string>>('pathMappings') ?? {}) as Record<string, string>;
  await config.update('pathMappings', { ...current, [from]: to }, vscode.ConfigurationTarget.Workspace);
  return true;
}
