import * as vscode from 'vscode';
import { DEFAULT_MEMORY_DURATION, type MemrayTaskFields } from '../../../core/memory/memray';
import type { Command } from '../../shared/command';
import { rememberProfile } from '../../shared/lastProfile';
import { pickPythonTarget } from '../../shared/pickProcess';
import { reportError } from '../../shared/reportError';
import type { MemoryDeps } from '../deps';
import { createMemrayTask, onDidFinishMemoryRun, type MemoryRunResult, type MemrayTaskDefinition } from '../memrayTask';

/** Arguments for scripted use (tests, tasks): given a pid or a program, nothing is asked. */
export type ProfileMemoryArgs = MemrayTaskFields;

const OPTIONS_KEY = 'incidentWorkbench.memoryOptions';
interface Remembered {
  duration: number;
  native: boolean;
  tracePythonAllocators: boolean;
}
const DEFAULTS: Remembered = { duration: DEFAULT_MEMORY_DURATION, native: false, tracePythonAllocators: false };

type Target = { pid: number } | { program: string; args: string[]; cwd?: string; env?: Record<string, string> };

async function pickTarget(deps: MemoryDeps): Promise<Target | undefined> {
  const picked = await pickPythonTarget({ title: 'Profile Memory of a Python Process (1/3)', placeholder: 'Pick a running Python process (memray attach, needs gdb), run a script under memray, or enter a PID', launch: { label: 'Run a script under memray…', deps } });
  if (!picked || 'pid' in picked) return picked;
  return { program: picked.script.fsPath, args: picked.args, cwd: picked.cwd };
}

async function pickOptions(last: Remembered, attach: boolean): Promise<Remembered | undefined> {
  let duration = last.duration;
  if (attach) {
    const durations = [
      { label: `${last.duration > 0 ? `${last.duration} seconds` : 'Until stopped'}`, description: 'last used', value: last.duration },
      ...[5, 10, 30, 60].filter((d) => d !== last.duration).map((d) => ({ label: `${d} seconds`, description: d === DEFAULT_MEMORY_DURATION ? 'default' : '', value: d })),
      ...(last.duration !== 0 ? [{ label: 'Until stopped', description: 'Cancel the notification to stop', value: 0 }] : []),
    ];
    const d = await vscode.window.showQuickPick(durations, { title: 'Profile Memory (2/3): how long to track', ignoreFocusOut: true });
    if (!d) return undefined;
    duration = d.value;
  }
  type Opt = vscode.QuickPickItem & { key: 'native' | 'tracePythonAllocators' };
  const opts: Opt[] = [
    { label: 'Python allocators', description: '--trace-python-allocators: every small object, not pymalloc arenas (slower, noisier)', key: 'tracePythonAllocators', picked: last.tracePythonAllocators },
    { label: 'Native frames', description: '--native: C/C++ frames of extensions too', key: 'native', picked: last.native },
  ];
  const chosen = await vscode.window.showQuickPick(opts, { title: `Profile Memory (${attach ? '3/3' : '2/2'}): options (Enter to start)`, canPickMany: true, ignoreFocusOut: true });
  if (!chosen) return undefined;
  return { duration, native: chosen.some((o) => o.key === 'native'), tracePythonAllocators: chosen.some((o) => o.key === 'tracePythonAllocators') };
}

/**
 * "Profile Memory of a Python Process…": pick a running Python process (memray attach) or a script to run
 * under memray, how long and how; memray runs as a task, the capture goes into the active incident's
 * evidence/memory/ (or profiles/) and opens in the memory view.
 */
export const profileMemory = {
  id: 'incidentWorkbench.profileMemory' as const,
  async run(deps, raw?: unknown): Promise<MemoryRunResult | undefined> {
    const given = (raw && typeof raw === 'object' ? raw : {}) as ProfileMemoryArgs;
    if (!vscode.workspace.isTrusted) {
      const choice = await reportError(deps.log, 'Profiling memory runs memray, a program; it is only available in a trusted workspace.', { notify: true, actions: ['Manage Workspace Trust'] });
      if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
      return undefined;
    }
    if (!deps.repository.folder) {
      void reportError(deps.log, 'Open a folder first: memory captures are written into the workspace.', { notify: true });
      return undefined;
    }
    const memento = deps.workspaceState;
    const last = { ...DEFAULTS, ...memento.get<Partial<Remembered>>(OPTIONS_KEY, {}) };
    let target: Target | undefined = given.pid !== undefined ? { pid: given.pid } : given.program ? { program: given.program, args: given.args ?? [], ...(given.cwd ? { cwd: given.cwd } : {}), ...(given.env ? { env: given.env } : {}) } : undefined;
    let options: Remembered = { ...last, ...Object.fromEntries(Object.entries(given).filter(([k, v]) => k in DEFAULTS && v !== undefined)) };
    if (!target) {
      target = await pickTarget(deps);
      if (!target) return undefined;
      const picked = await pickOptions(last, 'pid' in target);
      if (!picked) return undefined;
      options = picked;
      await memento.update(OPTIONS_KEY, options);
    }
    // A launched script runs until it exits unless a duration was given.
    const duration = 'pid' in target ? options.duration : (given.duration ?? 0);
    // Re-run Last Profile starts it again (not scripted runs that name their output: tests, tasks).
    if (given.output === undefined) await rememberProfile(memento, { command: 'incidentWorkbench.profileMemory', args: { ...target, duration, native: options.native, tracePythonAllocators: options.tracePythonAllocators } satisfies ProfileMemoryArgs });
    const runId = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const def: MemrayTaskDefinition = {
      type: 'memray',
      ...target,
      duration,
      native: options.native,
      tracePythonAllocators: options.tracePythonAllocators,
      ...(given.output ? { output: given.output } : {}),
      ...(given.open === false ? { open: false } : {}),
      runId,
    };
    const finished = new Promise<MemoryRunResult>((resolve) => {
      const sub = onDidFinishMemoryRun((r) => {
        if (r.definition.runId === runId) {
          sub.dispose();
          resolve(r);
        }
      });
    });
    await vscode.tasks.executeTask(createMemrayTask(deps, def, deps.repository.folder));
    return finished;
  },
} satisfies Command<MemoryDeps>;
