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
  private readonly subscription = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('incidentWorkbench.pathMappings')) this.cache.clear();
  });

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
    const vars = { workspaceFolders: folders.map((f) => ({ name: f.name, path: f.uri.fsPath })) };
    const { mappings } = parsePathMappings(vscode.workspace.getConfiguration('incidentWorkbench').get('pathMappings'));
    const candidates: string[] = [];
    const mapped = applyPathMappings(file, mappings, vars);
    if (mapped) candidates.push(mapped);
    if (path.isAbsolute(file)) candidates.push(file);
    else {
      for (const f of folders) candidates.push(path.join(f.uri.fsPath, file));
      if (cwd) candidates.push(path.join(cwd, file));
    }
    for (const c of candidates) if (await isFile(c)) return vscode.Uri.file(c);
    if (isLibraryPath(file)) return undefined;
    for (const suffix of suffixCandidates(file).slice(0, -1)) {
      for (const f of folders) {
        const c = path.join(f.uri.fsPath, suffix);
        if (await isFile(c)) return vscode.Uri.file(c);
      }
    }
    // A bare file name: only when exactly one workspace file has it.
    const base = path.basename(file);
    if (base && /\.pyx?$/.test(base)) {
      const found = await vscode.workspace.findFiles(`**/${base.replace(/[[\]{}*?]/g, '?')}`, '**/{node_modules,.venv,venv,site-packages}/**', 2);
      if (found.length === 1) return found[0];
    }
    return undefined;
  }

  dispose(): void {
    this.subscription.dispose();
  }
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
