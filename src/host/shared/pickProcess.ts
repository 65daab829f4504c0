import * as path from 'node:path';
import * as vscode from 'vscode';
import { pickFile } from './pickFile';
import { listPythonProcesses } from './processList';
import type { Workbench } from './workbench';

/** What the picker returns: a running process, or a script of the workspace to launch with its arguments. */
export type PickedPython = { pid: number } | { script: vscode.Uri; args: string[]; cwd: string };

export interface PickPythonOptions {
  title: string;
  placeholder: string;
  /** Offer "launch a script" too, with this label (e.g. "Run a script under memray…"). */
  launch?: { label: string; deps: Workbench };
}

/**
 * A quick pick of the running Python processes (command line, PID, CPU%, cwd), this workspace's first (their
 * cwd is under a workspace folder), filled in while it is open, with "Enter PID…" for a process the list
 * cannot see and, when asked, a script of the workspace to launch (the one in the editor first) with its
 * arguments. Shared by py-spy profiling, memray and stack dumps.
 */
export async function pickPythonTarget(o: PickPythonOptions): Promise<PickedPython | undefined> {
  type Item = vscode.QuickPickItem & { pid?: number; action?: 'launch' | 'pid' };
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = o.title;
  qp.placeholder = o.placeholder;
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.ignoreFocusOut = true;
  const fixed: Item[] = [
    ...(o.launch ? [{ label: `$(debug-start) ${o.launch.label}`, action: 'launch' as const, alwaysShow: true }] : []),
    { label: '$(edit) Enter PID…', action: 'pid', alwaysShow: true },
  ];
  qp.items = fixed;
  qp.busy = true;
  qp.show();
  void listPythonProcesses().then((all) => {
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    const ours = (r: { cwd?: string }) => !!r.cwd && folders.some((f) => r.cwd === f || r.cwd!.startsWith(f + path.sep));
    const rows = [...all.filter(ours), ...all.filter((r) => !ours(r))];
    qp.items = [
      ...fixed,
      { label: rows.length ? 'Running Python processes' : 'No running Python process found', kind: vscode.QuickPickItemKind.Separator },
      ...rows.map((r) => ({
        label: `$(pulse) ${r.command.length > 90 ? `${r.command.slice(0, 89)}…` : r.command}`,
        description: `PID ${r.pid}${r.cpu !== undefined ? ` · ${r.cpu.toFixed(1)}% CPU` : ''}`,
        ...(r.cwd ? { detail: `${ours(r) ? '$(root-folder) this workspace · ' : ''}cwd ${r.cwd}` } : {}),
        pid: r.pid,
      })),
    ];
    qp.busy = false;
  });
  const picked = await new Promise<Item | undefined>((resolve) => {
    qp.onDidAccept(() => resolve(qp.selectedItems[0]));
    qp.onDidHide(() => resolve(undefined));
  });
  qp.dispose();
  if (!picked) return undefined;
  if (picked.pid !== undefined) return { pid: picked.pid };
  if (picked.action === 'pid' || !o.launch) {
    const v = await vscode.window.showInputBox({ title: `${o.title}: PID`, prompt: 'Process id of a running Python program', ignoreFocusOut: true, validateInput: (s) => (/^\s*\d+\s*$/.test(s) && Number(s) > 0 ? undefined : 'A positive whole number') });
    return v ? { pid: Number(v) } : undefined;
  }
  const { deps, label } = o.launch;
  const active = vscode.window.activeTextEditor?.document;
  const activePy = active?.languageId === 'python' && active.uri.scheme === 'file' ? active.uri : undefined;
  // The workspace's Python files (the one being edited first), Browse… for any other.
  const files = await pickFile(deps, {
    title: label.replace(/…$/, ''),
    kinds: [],
    include: '**/*.py',
    match: /\.py$/i,
    ...(activePy ? { first: { uri: activePy, why: 'open in the editor' } } : {}),
    dialog: { filters: { Python: ['py'] } },
  });
  if (!files?.[0]) return undefined;
  const extra = await vscode.window.showInputBox({ title: `Arguments for ${path.basename(files[0].fsPath)}`, prompt: 'Space-separated; leave empty for none', ignoreFocusOut: true });
  if (extra === undefined) return undefined;
  return { script: files[0], args: extra.split(/\s+/).filter(Boolean), cwd: deps.repository.folder?.uri.fsPath ?? path.dirname(files[0].fsPath) };
}

/** A running Python process's PID (or one typed in), or undefined. */
export async function pickPythonProcess(title: string, placeholder = 'Pick a running Python process, or enter a PID'): Promise<number | undefined> {
  const picked = await pickPythonTarget({ title, placeholder });
  return picked && 'pid' in picked ? picked.pid : undefined;
}
