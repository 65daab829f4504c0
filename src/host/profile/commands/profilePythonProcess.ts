import * as vscode from 'vscode';
import { DEFAULT_DURATION, DEFAULT_RATE, type PySpyTaskFields, type SamplingOptions } from '../../../core/profile/pySpy';
import { rememberProfile } from '../../shared/lastProfile';
import { pickPythonTarget } from '../../shared/pickProcess';
import { pythonFor } from '../../shared/pythonTargets';
import { createPySpyTask, onDidFinishProfileRun, type ProfileRunResult, type PySpyTaskDefinition } from '../pySpyTask';
import type { ProfileDeps } from '../deps';
import type { Command } from '../../shared/command';
import { reportError } from '../../shared/reportError';

/** Arguments for scripted use (tests, tasks): given a pid or a program, nothing is asked. */
export type ProfileArgs = PySpyTaskFields;

const OPTIONS_KEY = 'incidentWorkbench.profileOptions';
/** The choices of the last interactive run, offered again next time. */
type Remembered = Required<SamplingOptions> & { duration: number };
const DEFAULTS: Remembered = { duration: DEFAULT_DURATION, rate: DEFAULT_RATE, native: false, idle: false, gil: false, subprocesses: false, threads: false };

type Target = { pid: number } | { program: string; args: string[]; cwd?: string; env?: Record<string, string> };

async function pickTarget(deps: ProfileDeps): Promise<Target | undefined> {
  const picked = await pickPythonTarget({ title: 'Profile Python Process (1/3)', placeholder: 'Pick a running Python process, launch a script, or enter a PID', launch: { label: 'Launch a script and profile it…', deps } });
  if (!picked || 'pid' in picked) return picked;
  return { program: await pythonFor(picked.script), args: [picked.script.fsPath, ...picked.args], cwd: picked.cwd };
}

async function pickOptions(last: Remembered): Promise<Remembered | undefined> {
  const durations = [
    { label: `${last.duration > 0 ? `${last.duration} seconds` : 'Until stopped'}`, description: 'last used', value: last.duration },
    ...[10, 30, 60, 120].filter((d) => d !== last.duration).map((d) => ({ label: `${d} seconds`, description: d === DEFAULT_DURATION ? 'default' : '', value: d })),
    ...(last.duration !== 0 ? [{ label: 'Until stopped', description: 'Cancel the notification to stop', value: 0 }] : []),
  ];
  const d = await vscode.window.showQuickPick(durations, { title: 'Profile Python Process (2/3): how long', ignoreFocusOut: true });
  if (!d) return undefined;
  type Opt = vscode.QuickPickItem & { key: keyof Omit<Remembered, 'duration' | 'rate'> | 'rate' };
  const opts: Opt[] = [
    { label: `Sampling rate: ${last.rate} Hz`, description: 'pick to change', key: 'rate' },
    { label: 'Native frames', description: '--native: C/C++/Rust frames of extensions (Linux, Windows)', key: 'native', picked: last.native },
    { label: 'Include idle', description: '--idle: also samples threads that wait', key: 'idle', picked: last.idle },
    { label: 'GIL only', description: '--gil: only the thread holding the GIL', key: 'gil', picked: last.gil },
    { label: 'Subprocesses', description: '--subprocesses: also child processes', key: 'subprocesses', picked: last.subprocesses },
    { label: 'Per thread', description: '--threads: thread ids in the stacks', key: 'threads', picked: last.threads },
  ];
  const chosen = await vscode.window.showQuickPick(opts, { title: 'Profile Python Process (3/3): options (Enter to start)', canPickMany: true, ignoreFocusOut: true });
  if (!chosen) return undefined;
  let rate = last.rate;
  if (chosen.some((o) => o.key === 'rate')) {
    const v = await vscode.window.showInputBox({ title: 'Sampling rate (Hz)', value: String(last.rate), ignoreFocusOut: true, validateInput: (s) => (/^\d+$/.test(s) && Number(s) >= 1 && Number(s) <= 10000 ? undefined : '1 to 10000') });
    if (v === undefined) return undefined;
    rate = Number(v);
  }
  const has = (k: Opt['key']) => chosen.some((o) => o.key === k);
  return { duration: d.value, rate, native: has('native'), idle: has('idle'), gil: has('gil'), subprocesses: has('subprocesses'), threads: has('threads') };
}

export const profilePythonProcess = {
  id: 'incidentWorkbench.profilePythonProcess' as const,
  async run(deps, raw?: unknown): Promise<ProfileRunResult | undefined> {
    const given = (raw && typeof raw === 'object' ? raw : {}) as ProfileArgs;
    if (!vscode.workspace.isTrusted) {
      const choice = await reportError(deps.log, 'Profiling runs py-spy, a program; it is only available in a trusted workspace.', { notify: true, actions: ['Manage Workspace Trust'] });
      if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
      return undefined;
    }
    if (!deps.repository.folder) {
      void reportError(deps.log, 'Open a folder first: profiles are written into the workspace.', { notify: true });
      return undefined;
    }
    const memento = deps.workspaceState;
    const last = { ...DEFAULTS, ...memento.get<Partial<Remembered>>(OPTIONS_KEY, {}) };
    let target: Target | undefined =
      given.pid !== undefined ? { pid: given.pid } : given.program ? { program: given.program, args: given.args ?? [], ...(given.cwd ? { cwd: given.cwd } : {}), ...(given.env ? { env: given.env } : {}) } : undefined;
    let options: Remembered = { ...last, ...Object.fromEntries(Object.entries(given).filter(([k, v]) => k in DEFAULTS && v !== undefined)) };
    if (!target) {
      target = await pickTarget(deps);
      if (!target) return undefined;
      const picked = await pickOptions(last);
      if (!picked) return undefined;
      options = picked;
      await memento.update(OPTIONS_KEY, options);
    }
    // Re-run Last Profile starts it again (not scripted runs that name their output: tests, tasks).
    if (given.output === undefined) {
      const args = { ...target, duration: options.duration, rate: options.rate, native: options.native, idle: options.idle, gil: options.gil, subprocesses: options.subprocesses, threads: options.threads } satisfies ProfileArgs;
      await rememberProfile(memento, { command: 'incidentWorkbench.profilePythonProcess', args });
    }
    const runId = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const def: PySpyTaskDefinition = {
      type: 'py-spy',
      ...target,
      duration: options.duration,
      rate: options.rate,
      native: options.native,
      idle: options.idle,
      gil: options.gil,
      subprocesses: options.subprocesses,
      threads: options.threads,
      ...(given.output ? { output: given.output } : {}),
      ...(given.open === false ? { open: false } : {}),
      runId,
    };
    const finished = new Promise<ProfileRunResult>((resolve) => {
      const sub = onDidFinishProfileRun((r) => {
        if (r.definition.runId === runId) {
          sub.dispose();
          resolve(r);
        }
      });
    });
    await vscode.tasks.executeTask(createPySpyTask(deps, def, deps.repository.folder));
    return finished;
  },
} satisfies Command<ProfileDeps>;
