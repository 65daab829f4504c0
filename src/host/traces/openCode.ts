import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { applyPathMappings, isLibraryPath, parsePathMappings, suffixCandidates } from '../../core/paths/pathMappings';
import { openBeside } from '../shared/openBeside';

async function isFile(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isFile();
  } catch {
    return false;
  }
}

/**
 * A span's `code.file.path` as a local file: `incidentWorkbench.pathMappings` first (a container's `/app`),
 * the path itself, relative to the workspace folders, then its trailing segments inside the workspace
 * (`/app/service/model.py` → `service/model.py`).
 */
export async function resolveCodePath(file: string): Promise<vscode.Uri | undefined> {
  if (!file) return undefined;
  const folders = vscode.workspace.workspaceFolders ?? [];
  const { mappings } = parsePathMappings(vscode.workspace.getConfiguration('incidentWorkbench').get('pathMappings'));
  const candidates: string[] = [];
  const mapped = applyPathMappings(file, mappings, { workspaceFolders: folders.map((f) => ({ name: f.name, path: f.uri.fsPath })) });
  if (mapped) candidates.push(mapped);
  if (path.isAbsolute(file)) candidates.push(file);
  else for (const f of folders) candidates.push(path.join(f.uri.fsPath, file));
  for (const c of candidates) if (await isFile(c)) return vscode.Uri.file(c);
  if (isLibraryPath(file)) return undefined;
  for (const suffix of suffixCandidates(file).slice(0, -1)) {
    for (const f of folders) {
      const c = path.join(f.uri.fsPath, suffix);
      if (await isFile(c)) return vscode.Uri.file(c);
    }
  }
  return undefined;
}

/** Opens the span's code at its line beside the waterfall (which stays open); explains when the file is not in the workspace. */
export async function openSpanCode(file: string, line: number | undefined): Promise<vscode.TextEditor | undefined> {
  const uri = await resolveCodePath(file);
  if (!uri) {
    void vscode.window.showWarningMessage(
      `${file} is not in this workspace. If it was recorded in a container or on another host, map its folder with the incidentWorkbench.pathMappings setting.`,
    );
    return undefined;
  }
  return openBeside(uri, line);
}
