import * as vscode from 'vscode';
import { findMemrayPython, memrayScriptPython, readMemoryFile, type MemrayPython, type ReadResult } from '../../node/memoryReader';
import { activeInterpreter } from '../shared/python';

/**
 * Where the memory feature finds Python and memray, and how it reads captures: the setting
 * incidentWorkbench.memory.python, the active interpreter (Python extension), the interpreter of a
 * `memray` script on PATH, then python3/python. The first that imports memray reads memray captures (and
 * runs memray); tracemalloc snapshots are read by the first that runs. Only ever used in a trusted
 * workspace (it runs programs).
 */
export class MemoryReading implements vscode.Disposable {
  private memray: Promise<MemrayPython | undefined> | undefined;
  private readonly subscription = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('incidentWorkbench.memory.python')) this.memray = undefined;
  });

  constructor(private readonly extensionUri: vscode.Uri) {}

  /** The folder of the shipped Python helpers (python/ in the extension). */
  get helperDir(): string {
    return vscode.Uri.joinPath(this.extensionUri, 'python').fsPath;
  }

  configuredPython(resource?: vscode.Uri): string | undefined {
    const value = vscode.workspace.getConfiguration('incidentWorkbench', resource).get<string>('memory.python', '').trim();
    if (!value) return undefined;
    const folder = resource ? vscode.workspace.getWorkspaceFolder(resource) : vscode.workspace.workspaceFolders?.[0];
    return value.replace(/\$\{workspaceFolder\}/g, folder?.uri.fsPath ?? '').replace(/^~(?=\/|$)/, process.env.HOME ?? '~');
  }

  async pythons(resource?: vscode.Uri): Promise<string[]> {
    const configured = this.configuredPython(resource);
    // An explicit setting is the only candidate: a wrong one is reported, not silently skipped.
    if (configured) return [configured];
    const [active, script] = await Promise.all([activeInterpreter(resource), memrayScriptPython()]);
    return [...new Set([active, script, process.platform === 'win32' ? 'python' : 'python3', 'python'].filter((p): p is string => !!p))];
  }

  /** A Python that imports memray, `preferred` first (the target's own interpreter, for attaching). */
  async memrayPython(resource?: vscode.Uri, preferred?: string): Promise<MemrayPython | undefined> {
    if (preferred) {
      const own = await findMemrayPython([preferred]);
      if (own) return own;
    }
    this.memray ??= this.pythons(resource).then((p) => findMemrayPython(p));
    const found = await this.memray;
    if (!found) this.memray = undefined; // installed meanwhile? look again next time
    return found;
  }

  async read(uri: vscode.Uri, options: { time?: boolean; signal?: AbortSignal } = {}): Promise<ReadResult> {
    const pythons = await this.pythons(uri);
    const label = vscode.workspace.asRelativePath(uri);
    return readMemoryFile(uri.fsPath, { pythons, helperDir: this.helperDir, memray: () => this.memrayPython(uri), ...(options.time ? { time: true } : {}), ...(options.signal ? { signal: options.signal } : {}) }, label);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

/** The install command for memray with the user's interpreter. */
export function memrayInstallHint(python: string): string {
  return `${python} -m pip install memray`;
}
