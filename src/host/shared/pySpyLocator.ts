import { execFile } from 'node:child_process';
import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activeInterpreter } from './python';

/**
 * Finds py-spy: the setting, then next to the active Python interpreter (through the Python extension's
 * API when it is installed — it stays optional, as vscode-python-debugger's python.ts does it), then PATH.
 */
export interface PySpyLocation {
  path: string;
  source: 'setting' | 'interpreter' | 'path';
  version?: string;
}

const EXE = process.platform === 'win32' ? 'py-spy.exe' : 'py-spy';

async function executable(p: string): Promise<boolean> {
  try {
    const s = await fs.stat(p);
    if (!s.isFile()) return false;
    await fs.access(p, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function findPySpy(resource?: vscode.Uri): Promise<PySpyLocation | undefined> {
  const configured = vscode.workspace.getConfiguration('incidentWorkbench', resource).get<string>('pySpyPath', '').trim();
  if (configured) {
    const folder = resource ? vscode.workspace.getWorkspaceFolder(resource) : vscode.workspace.workspaceFolders?.[0];
    const p = configured.replace(/\$\{workspaceFolder\}/g, folder?.uri.fsPath ?? '').replace(/^~(?=\/|$)/, process.env.HOME ?? '~');
    // An explicit setting that does not work is an error to report, not something to skip silently.
    return { path: p, source: 'setting' };
  }
  const interpreter = await activeInterpreter(resource);
  if (interpreter) {
    const candidate = path.join(path.dirname(interpreter), EXE);
    if (await executable(candidate)) return { path: candidate, source: 'interpreter' };
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, EXE);
    if (await executable(candidate)) return { path: candidate, source: 'path' };
  }
  return undefined;
}

/** `py-spy --version`, or an error message saying why it does not run. */
export function pySpyVersion(exe: string): Promise<{ version?: string; error?: string }> {
  return new Promise((resolve) => {
    execFile(exe, ['--version'], { timeout: 10_000 }, (err, stdout, stderr) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        resolve({ error: code === 'ENOENT' ? `${exe} does not exist` : code === 'EACCES' ? `${exe} is not executable` : (stderr || err.message).trim() });
      } else resolve({ version: stdout.trim() });
    });
  });
}

/**
 * Offers to install py-spy into the active environment, in a terminal the user watches
 * (`python -m pip install py-spy`). Returns true when the install was started.
 */
export async function offerInstall(resource?: vscode.Uri, reason = 'py-spy was not found (setting incidentWorkbench.pySpyPath, next to the active Python interpreter, or on PATH).'): Promise<boolean> {
  const interpreter = (await activeInterpreter(resource)) ?? (process.platform === 'win32' ? 'python' : 'python3');
  const choice = await vscode.window.showErrorMessage(reason, { detail: `Install it with: ${interpreter} -m pip install py-spy` }, 'Install py-spy', 'Set Path…');
  if (choice === 'Install py-spy') {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showErrorMessage('Installing py-spy runs pip; trust this workspace first (Manage Workspace Trust).');
      return false;
    }
    const terminal = vscode.window.createTerminal({ name: 'Install py-spy', shellPath: interpreter, shellArgs: ['-m', 'pip', 'install', 'py-spy'] });
    terminal.show();
    return true;
  }
  if (choice === 'Set Path…') await vscode.commands.executeCommand('workbench.action.openSettings', 'incidentWorkbench.pySpyPath');
  return false;
}
