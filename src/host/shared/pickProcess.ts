import * as vscode from 'vscode';
import { listPythonProcesses } from './processList';

/**
 * A quick pick of the running Python processes (command line, PID, CPU%, cwd), filled in while it is
 * open, with "Enter PID…" for a process the list cannot see. Resolves to the PID or undefined.
 */
export async function pickPythonProcess(title: string, placeholder = 'Pick a running Python process, or enter a PID'): Promise<number | undefined> {
  type Item = vscode.QuickPickItem & { pid?: number; enter?: boolean };
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = title;
  qp.placeholder = placeholder;
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.ignoreFocusOut = true;
  const fixed: Item[] = [{ label: '$(edit) Enter PID…', enter: true, alwaysShow: true }];
  qp.items = fixed;
  qp.busy = true;
  qp.show();
  void listPythonProcesses().then((rows) => {
    qp.items = [
      ...fixed,
      { label: rows.length ? 'Running Python processes' : 'No running Python process found', kind: vscode.QuickPickItemKind.Separator },
      ...rows.map((r) => ({
        label: `$(pulse) ${r.command.length > 90 ? `${r.command.slice(0, 89)}…` : r.command}`,
        description: `PID ${r.pid}${r.cpu !== undefined ? ` · ${r.cpu.toFixed(1)}% CPU` : ''}`,
        ...(r.cwd ? { detail: `cwd ${r.cwd}` } : {}),
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
  if (picked.pid !== undefined) return picked.pid;
  const v = await vscode.window.showInputBox({ title: `${title}: PID`, prompt: 'Process id of a running Python program', ignoreFocusOut: true, validateInput: (s) => (/^\s*\d+\s*$/.test(s) && Number(s) > 0 ? undefined : 'A positive whole number') });
  return v ? Number(v) : undefined;
}
