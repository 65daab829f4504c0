import * as vscode from 'vscode';
import { DEFAULT_DUMPS } from '../../../core/stacks/pySpyDump';
import type { Command } from '../../shared/command';
import { pickPythonProcess } from '../../shared/pickProcess';
import { reportError } from '../../shared/reportError';
import { createDumpTask, onDidFinishStackDump, type PySpyDumpTaskDefinition, type StackDumpResult } from '../dumpTask';
import type { StacksDeps } from '../deps';

/** Scripted use (tests, other commands): given a pid, nothing is asked. */
export interface DumpArgs {
  pid?: number;
  dumps?: number;
  interval?: number;
  locals?: boolean;
  native?: boolean;
  open?: boolean;
}

const OPTIONS_KEY = 'incidentWorkbench.stackDumpOptions';
type Remembered = { dumps: number; locals: boolean; native: boolean };

async function pickOptions(last: Remembered): Promise<Remembered | undefined> {
  type Opt = vscode.QuickPickItem & { key: 'count' | 'locals' | 'native' };
  const chosen = await vscode.window.showQuickPick<Opt>(
    [
      { label: `${last.dumps} dumps, 1 s apart`, description: 'pick to change; frames that do not move between dumps are stuck', key: 'count' },
      { label: 'Local variables', description: '--locals: arguments and locals of every frame', key: 'locals', picked: last.locals },
      { label: 'Native frames', description: '--native: the C call each thread is blocked in (Linux, Windows)', key: 'native', picked: last.native },
    ],
    { title: 'Dump Python Process Stacks (2/2): options (Enter to start)', canPickMany: true, ignoreFocusOut: true },
  );
  if (!chosen) return undefined;
  let dumps = last.dumps;
  if (chosen.some((o) => o.key === 'count')) {
    const v = await vscode.window.showInputBox({ title: 'How many dumps', value: String(last.dumps), ignoreFocusOut: true, validateInput: (s) => (/^\d+$/.test(s) && Number(s) >= 1 && Number(s) <= 20 ? undefined : '1 to 20') });
    if (v === undefined) return undefined;
    dumps = Number(v);
  }
  return { dumps, locals: chosen.some((o) => o.key === 'locals'), native: chosen.some((o) => o.key === 'native') };
}

/**
 * "Dump Python Process Stacks…": py-spy dump of every thread of a process, several times a second apart,
 * as a task; the dumps go into the active incident's evidence/stacks/ and open in the stack view.
 */
export const dumpPythonStacks: Command<StacksDeps> = {
  id: 'incidentWorkbench.dumpPythonStacks',
  async run(deps, raw?: unknown): Promise<StackDumpResult | undefined> {
    const given = (raw && typeof raw === 'object' ? raw : {}) as DumpArgs;
    if (!vscode.workspace.isTrusted) {
      const choice = await reportError(deps.log, 'Dumping stacks runs py-spy, a program; it is only available in a trusted workspace.', { notify: true, actions: ['Manage Workspace Trust'] });
      if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
      return undefined;
    }
    const folder = deps.repository.folder;
    if (!folder) {
      void reportError(deps.log, 'Open a folder first: stack dumps are written into the workspace.', { notify: true });
      return undefined;
    }
    const last: Remembered = { dumps: DEFAULT_DUMPS, locals: false, native: false, ...deps.workspaceState.get<Partial<Remembered>>(OPTIONS_KEY, {}) };
    let pid = given.pid;
    let options: Remembered = { dumps: given.dumps ?? last.dumps, locals: given.locals ?? last.locals, native: given.native ?? last.native };
    if (pid === undefined) {
      pid = await pickPythonProcess('Dump Python Process Stacks (1/2)', 'Pick the Python process that hangs, or enter a PID');
      if (pid === undefined) return undefined;
      const picked = await pickOptions(last);
      if (!picked) return undefined;
      options = picked;
      await deps.workspaceState.update(OPTIONS_KEY, options);
    }
    const runId = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const def: PySpyDumpTaskDefinition = {
      type: 'py-spy-dump',
      pid,
      dumps: options.dumps,
      ...(given.interval !== undefined ? { interval: given.interval } : {}),
      locals: options.locals,
      native: options.native,
      ...(given.open === false ? { open: false } : {}),
      runId,
    };
    const finished = new Promise<StackDumpResult>((resolve) => {
      const sub = onDidFinishStackDump((r) => {
        if (r.definition.runId === runId) {
          sub.dispose();
          resolve(r);
        }
      });
    });
    await vscode.tasks.executeTask(createDumpTask(deps, def, folder));
    return finished;
  },
};
