import * as path from 'node:path';
import * as vscode from 'vscode';
import { isLibraryPath, suffixCandidates } from '../../core/paths/pathMappings';
import { firstFile, recordedCandidates } from '../shared/pathResolver';
import type { SourceLines } from '../../core/stacks/analyze';

const MAX_SOURCE_BYTES = 4 * 1024 * 1024;

/**
 * Where a file named in a dump is in this workspace: `incidentWorkbench.pathMappings` first (a container's
 * `/app`), then the path itself, then relative to the workspace folders, then its trailing segments inside
 * them (py-spy's text dumps shorten paths to `package/module.py`).
 */
export async function resolveDumpFile(file: string): Promise<vscode.Uri | undefined> {
  if (!file || (file.startsWith('<') && file.endsWith('>'))) return undefined;
  const folders = vscode.workspace.workspaceFolders ?? [];
  const candidates = recordedCandidates(file);
  for (const f of folders) for (const suffix of path.isAbsolute(file) ? suffixCandidates(file).slice(0, -1) : [file, ...suffixCandidates(file)]) candidates.push(path.join(f.uri.fsPath, suffix));
  return firstFile(candidates);
}

/** The source lines of every program file the dumps name (libraries skipped), for the analysis. */
export async function loadSources(files: Iterable<string>): Promise<SourceLines> {
  const lines = new Map<string, readonly string[]>();
  const wanted = [...new Set(files)].filter((f) => f && !isLibraryPath(f) && /\.py[iwx]?$/.test(f)).slice(0, 500);
  await Promise.all(
    wanted.map(async (file) => {
      const uri = await resolveDumpFile(file);
      if (!uri) return;
      try {
        const stat = await vscode.workspace.fs.stat(uri);
        if (stat.size > MAX_SOURCE_BYTES) return;
        lines.set(file, new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)).split(/\r?\n/));
      } catch {
        // unreadable: the analysis goes on without this file's lines
      }
    }),
  );
  return (file) => lines.get(file);
}
