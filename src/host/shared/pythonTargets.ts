import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseEnvFile, pythonLaunchTargets, runFile, type LaunchTarget } from '../../core/profile/launchTargets';
import { errorMessage } from '../../core/util/errors';
import { activeInterpreter } from './python';
import { reportError } from './reportError';
import type { Workbench } from './workbench';

/**
 * What to run when the user profiles from where they are (the file in the editor or the Explorer, a
 * launch.json configuration), shared by CPU profiling (py-spy) and memory profiling (memray): both run the
 * same Python command line, only the profiler around it differs.
 */
export interface PythonRun {
  /** The interpreter (memray brings its own: it uses `args` only). */
  python: string;
  /** Arguments for the interpreter: the script and its args, or `-m module` and its args. */
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
}

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

/**
 * The Python file a menu or the editor points at, saved, as a command line with the selected interpreter;
 * undefined (after saying what to do) when there is none. `extra` adds program arguments.
 */
export async function activeFileRun(deps: Pick<Workbench, 'log'>, target: unknown, extra?: unknown): Promise<PythonRun | undefined> {
  const file = pythonFileFrom(target);
  if (!file) {
    void reportError(deps.log, 'Open a Python file (.py) in the editor first, or right-click one in the Explorer.', { notify: true });
    return undefined;
  }
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.toString());
  if (doc?.isDirty) await doc.save();
  const { args, cwd } = await fileLaunch(file);
  const more = Array.isArray(extra) && extra.every((a) => typeof a === 'string') ? (extra as string[]) : [];
  return { python: await pythonFor(file), args: [...args, ...more], cwd };
}

/**
 * A launch.json Python configuration (what the user already debugs with: program or module, args, env,
 * envFile, cwd, python) as a command line: `name` picks one without asking, else a quick pick lists them,
 * with the reason beside each that cannot run. `profiler` names what it will run under, for the picker.
 */
export async function launchConfigurationRun(deps: Pick<Workbench, 'log' | 'repository'>, name: unknown, profiler: string): Promise<PythonRun | undefined> {
  const folder = deps.repository.folder;
  if (!folder) {
    void reportError(deps.log, 'Open a folder first: launch configurations live in its .vscode/launch.json.', { notify: true });
    return undefined;
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  const results = pythonLaunchTargets(vscode.workspace.getConfiguration('launch', folder.uri).get<unknown[]>('configurations', []), {
    workspaceFolder: folder.uri.fsPath,
    ...(active?.scheme === 'file' ? { file: active.fsPath } : {}),
    env: process.env,
  });
  let target: LaunchTarget | undefined;
  if (typeof name === 'string') {
    const r = results.find((x) => (x.ok ? x.target.name : x.name) === name);
    if (!r || !r.ok) {
      void reportError(deps.log, r ? `Launch configuration "${name}" cannot be profiled: it ${r.reason}.` : `No Python launch configuration named "${name}" in launch.json.`, { notify: true });
      return undefined;
    }
    target = r.target;
  } else {
    const usable = results.filter((r): r is Extract<typeof r, { ok: true }> => r.ok);
    if (usable.length === 0) {
      const choice = await vscode.window.showInformationMessage(
        results.length ? `No launch configuration can be profiled: ${results.map((r) => (r.ok ? '' : `"${r.name}" ${r.reason}`)).join('; ')}.` : 'launch.json has no Python configuration to profile.',
        'Open launch.json',
      );
      if (choice) await vscode.commands.executeCommand('workbench.action.debug.configure');
      return undefined;
    }
    type Item = vscode.QuickPickItem & { target?: LaunchTarget };
    const items: Item[] = [
      ...usable.map((r) => ({ label: `$(flame) ${r.target.name}`, description: r.target.args.join(' '), detail: `cwd ${vscode.workspace.asRelativePath(r.target.cwd ?? folder.uri.fsPath)}${r.target.env ? ` · env ${Object.keys(r.target.env).join(', ')}` : ''}`, target: r.target })),
      ...results.filter((r) => !r.ok).map((r) => ({ label: `$(circle-slash) ${r.ok ? '' : r.name}`, description: r.ok ? '' : `cannot be profiled: it ${r.reason}` })),
    ];
    const picked = await vscode.window.showQuickPick(items, { title: `Profile Launch Configuration with ${profiler}`, placeHolder: `Run a launch.json configuration under ${profiler} until it exits (or stop it early)` });
    if (!picked?.target) return undefined;
    target = picked.target;
  }
  let env = target.env;
  if (target.envFile) {
    try {
      env = { ...parseEnvFile(await fs.readFile(target.envFile, 'utf8')), ...(env ?? {}) };
    } catch (e) {
      // The debugger goes on without a missing envFile; so does the profiler, saying so in the log.
      deps.log.warn(`envFile ${target.envFile} of "${target.name}" was not read: ${errorMessage(e)}`);
    }
  }
  const cwd = target.cwd && !path.isAbsolute(target.cwd) ? path.join(folder.uri.fsPath, target.cwd) : target.cwd;
  return { python: target.python ?? (await pythonFor(folder.uri)), args: target.args, ...(cwd ? { cwd } : {}), ...(env ? { env } : {}) };
}
