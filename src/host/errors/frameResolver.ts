import * as vscode from 'vscode';
import { applyPathMappings, isLibraryPath, suffixCandidates, type PathMapping } from '../../core/paths/pathMappings';
import { mappingVariables } from './settings';

/**
 * From a path as logged in production to a workspace file: first `incidentWorkbench.pathMappings`
 * (`/app` → `${workspaceFolder}`), then the path itself when it exists, then the workspace file whose path
 * ends with the same segments (`/srv/x/service/model.py` finds `service/model.py`), preferring the longest
 * match and refusing ambiguous basename-only matches. Library paths are never searched for.
 */
export class FrameResolver {
  private readonly cache = new Map<string, Promise<vscode.Uri | undefined>>();

  constructor(private mappings: PathMapping[]) {}

  reset(mappings: PathMapping[]): void {
    this.mappings = mappings;
    this.cache.clear();
  }

  resolve(file: string): Promise<vscode.Uri | undefined> {
    let hit = this.cache.get(file);
    if (!hit) {
      hit = this.lookup(file).catch(() => undefined);
      this.cache.set(file, hit);
    }
    return hit;
  }

  /** Whether a resolved file lies in an open workspace folder (frames elsewhere are dimmed). */
  static inWorkspace(uri: vscode.Uri | undefined): boolean {
    return uri !== undefined && vscode.workspace.getWorkspaceFolder(uri) !== undefined;
  }

  private async exists(uri: vscode.Uri): Promise<boolean> {
    try {
      const s = await vscode.workspace.fs.stat(uri);
      return (s.type & vscode.FileType.File) !== 0;
    } catch {
      return false;
    }
  }

  private async lookup(file: string): Promise<vscode.Uri | undefined> {
    const mapped = applyPathMappings(file, this.mappings, mappingVariables());
    if (mapped !== undefined) {
      const uri = vscode.Uri.file(mapped);
      if (await this.exists(uri)) return uri;
    }
    if (isLibraryPath(file)) return undefined;
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file)) {
      const uri = vscode.Uri.file(file);
      if (await this.exists(uri)) return uri;
    } else {
      for (const f of folders) {
        const uri = vscode.Uri.joinPath(f.uri, file);
        if (await this.exists(uri)) return uri;
      }
    }
    for (const suffix of suffixCandidates(file)) {
      const found = await vscode.workspace.findFiles(`**/${suffix}`, '**/{node_modules,.git,.venv,venv,site-packages}/**', 3);
      const onlyName = !suffix.includes('/');
      if (found.length === 1 || (!onlyName && found.length > 1)) {
        // Several files end with the same segments: the shortest path is the likeliest (least nested).
        return found.sort((a, b) => a.fsPath.length - b.fsPath.length)[0];
      }
      if (onlyName) return undefined;
    }
    return undefined;
  }
}
