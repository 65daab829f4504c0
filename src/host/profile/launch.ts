import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runFile } from '../../core/profile/launchTargets';
import { activeInterpreter } from '../shared/python';

/** The interpreter for a resource: the Python extension's selected one when present, else python3 on PATH. */
export async function pythonFor(resource?: vscode.Uri): Promise<string> {
  return (await activeInterpreter(resource)) ?? (process.platform === 'win32' ? 'python' : 'python3');
}

/** The Python file a menu or the editor points at: the clicked resource, else the active editor's file. */
export function pythonFileFrom(arg: unknown): vscode.Uri | undefined {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  return uri && uri.scheme === 'file' && /\.pyw?$/i.test(uri.fsPath) ? uri : undefined;
}

/**
 * How to run `file` from its workspace folder: as `-m package.module` when it sits in a package (so its
 * relative imports work), else as a script; the cwd is the workspace folder (or the folder above the package).
 */
export async function fileLaunch(file: vscode.Uri): Promise<{ args: string[]; cwd: string }> {
  const folder = vscode.workspace.getWorkspaceFolder(file);
  if (!folder) return { args: [file.fsPath], cwd: path.dirname(file.fsPath) };
  const rel = path.relative(folder.uri.fsPath, file.fsPath);
  const dirs = path.dirname(rel).split(path.sep).filter((d) => d !== '.' && d !== '');
  const packages = new Set<string>();
  for (let i = 1; i <= dirs.length; i++) {
    const d = dirs.slice(0, i).join('/');
    if (await fs.stat(path.join(folder.uri.fsPath, ...dirs.slice(0, i), '__init__.py')).then(() => true, () => false)) packages.add(d);
  }
  const run = runFile(rel, (d) => packages.has(d));
  const cwd = path.join(folder.uri.fsPath, ...run.cwdRel.split('/').filter(Boolean));
  return { args: run.args[0] === '-m' ? run.args : [path.join(folder.uri.fsPath, rel)], cwd };
}
