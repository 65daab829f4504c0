/**
 * py-spy's command line and what its output means, kept pure so the task, the CLI and the tests agree.
 * Flags and messages from benfred/py-spy 0.4 (src/config.rs, src/main.rs, src/python_spy.rs).
 */

/** How py-spy samples: flags of `record` that the `py-spy` task and the Profile command pass on as they are. */
export interface SamplingOptions {
  rate?: number;
  native?: boolean;
  idle?: boolean;
  gil?: boolean;
  subprocesses?: boolean;
  threads?: boolean;
}

export interface RecordOptions extends SamplingOptions {
  /** Attach to a running process... */
  pid?: number;
  /** ...or start this program under py-spy (py-spy is then its parent, so ptrace rules allow it). */
  launch?: { program: string; args: string[] };
  output: string;
  format?: 'speedscope' | 'raw' | 'chrometrace';
  /** Seconds; undefined or 0: until stopped. */
  durationSeconds?: number;
  nonblocking?: boolean;
}

/**
 * The `py-spy` task's fields, also the Profile command's scripted arguments. package.json's taskDefinitions
 * describes the same fields as JSON schema for tasks.json; a unit test keeps the two in step.
 */
export interface PySpyTaskFields extends SamplingOptions {
  /** Attach to this running process... */
  pid?: number;
  /** ...or launch this program with `args` in `cwd`. */
  program?: string;
  args?: string[];
  cwd?: string;
  /** Environment variables added for the launched program (launch.json `env`). */
  env?: Record<string, string>;
  /** Seconds; 0: until stopped. */
  duration?: number;
  /** Workspace-relative or absolute output file; default under the active incident's evidence/profiles/. */
  output?: string;
  /** Open the flamegraph when done (default true). */
  open?: boolean;
  /** Set by the extension to recognise a run it started. */
  runId?: string;
}

export const DEFAULT_RATE = 100;
export const DEFAULT_DURATION = 30;

/** Arguments for `py-spy record` (an array for spawn, never a shell string). */
export function recordArgs(o: RecordOptions): string[] {
  if ((o.pid === undefined) === (o.launch === undefined)) throw new Error('record needs exactly one of pid or launch');
  const args = ['record', '--format', o.format ?? 'speedscope', '--full-filenames', '--output', o.output];
  args.push('--rate', String(Math.max(1, Math.round(o.rate ?? DEFAULT_RATE))));
  args.push('--duration', o.durationSeconds && o.durationSeconds > 0 ? String(Math.round(o.durationSeconds)) : 'unlimited');
  if (o.native) args.push('--native');
  if (o.idle) args.push('--idle');
  if (o.gil) args.push('--gil');
  if (o.subprocesses) args.push('--subprocesses');
  if (o.threads) args.push('--threads');
  if (o.nonblocking && !o.native) args.push('--nonblocking');
  if (o.pid !== undefined) {
    if (!Number.isInteger(o.pid) || o.pid <= 0) throw new Error(`not a process id: ${o.pid}`);
    args.push('--pid', String(o.pid));
  } else args.push('--', o.launch!.program, ...o.launch!.args);
  return args;
}

/** What a task asks `record` for, written to `output` (a path the task has resolved); defaults filled in. */
export function taskRecordOptions(def: PySpyTaskFields, output: string): RecordOptions & { durationSeconds: number; rate: number } {
  return {
    ...(def.pid !== undefined ? { pid: def.pid } : { launch: { program: def.program ?? '', args: def.args ?? [] } }),
    output,
    durationSeconds: def.duration ?? DEFAULT_DURATION,
    rate: def.rate ?? DEFAULT_RATE,
    native: def.native,
    idle: def.idle,
    gil: def.gil,
    subprocesses: def.subprocesses,
    threads: def.threads,
  };
}

export interface RecordOutcome {
  /** From "Samples: N Errors: M" once py-spy wrote its file. */
  samples?: number;
  errors?: number;
  wroteFile: boolean;
  processExited: boolean;
}

/** Reads what `py-spy record` printed (ANSI colours and \r included). */
export function parseRecordOutput(output: string): RecordOutcome {
  const plain = stripAnsi(output);
  const m = /Samples: (\d+) Errors: (\d+)/.exec(plain);
  return {
    ...(m ? { samples: Number(m[1]), errors: Number(m[2]) } : {}),
    wroteFile: /Wrote (speedscope file|raw flamegraph data|chrome trace|flamegraph data) to/.test(plain),
    processExited: /process exited|Stopped sampling because process exited/i.test(plain),
  };
}

export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
}

export interface PySpyEnvironment {
  platform: string;
  /** Effective uid of the editor's process; undefined on Windows. */
  uid?: number;
  /** /proc/sys/kernel/yama/ptrace_scope, when readable. */
  ptraceScope?: number;
  inContainer: boolean;
  /** Whether CAP_SYS_PTRACE is in our effective capability set (Linux), when known. */
  hasSysPtrace?: boolean;
  /** Owner uid of the target, when known. */
  targetUid?: number;
  pySpyPath: string;
  pid?: number;
  /** What py-spy was asked to do: the next steps name that command (default record). */
  action?: 'record' | 'dump';
}

export interface PySpyProblem {
  kind: 'permission' | 'macos-root' | 'container' | 'no-process' | 'not-python' | 'exited' | 'unknown';
  /** One sentence for the notification. */
  message: string;
  /** The exact next step (a command to run, a setting to add). */
  nextStep: string;
}

/** CapEff hex from /proc/self/status -> whether CAP_SYS_PTRACE (bit 19) is set. */
export function hasCapSysPtrace(capEffHex: string): boolean {
  try {
    return (BigInt(`0x${capEffHex.trim()}`) & (1n << 19n)) !== 0n;
  } catch {
    return false;
  }
}

/** Turns py-spy's failure output into an explanation for the user's situation, or undefined if unknown. */
export function explainPySpyFailure(output: string, env: PySpyEnvironment): PySpyProblem | undefined {
  const text = stripAnsi(output);
  const target = env.pid !== undefined ? `process ${env.pid}` : 'the process';
  const dump = env.action === 'dump';
  const sudo = dump
    ? `sudo "${env.pySpyPath}" dump --pid ${env.pid ?? '<PID>'} --json > stacks.pyspy-dump.json`
    : `sudo "${env.pySpyPath}" record --pid ${env.pid ?? '<PID>'} --format speedscope --full-filenames --output profile.speedscope.json`;
  if (/requires root on OSX|requires root on macOS/i.test(text) || (env.platform === 'darwin' && /Permission|not permitted|os error 1\b/i.test(text))) {
    return {
      kind: 'macos-root',
      message: `macOS only lets root read another process's memory, so py-spy could not attach to ${target}.`,
      nextStep: `Run in a terminal: ${sudo} — then open the file with Incident Workbench.`,
    };
  }
  if (/Permission Denied|Operation not permitted|os error 1\b|EPERM|os error 13\b/i.test(text)) {
    if (env.inContainer && env.hasSysPtrace === false) {
      return {
        kind: 'container',
        message: `This editor runs in a container without the SYS_PTRACE capability, so py-spy cannot attach to ${target}.`,
        nextStep:
          `Restart the container with the capability: \`docker run --cap-add SYS_PTRACE …\` (devcontainer.json: "runArgs": ["--cap-add=SYS_PTRACE"]; Kubernetes: securityContext.capabilities.add: ["SYS_PTRACE"]).${dump ? '' : ' "Launch a script and profile it…" may work without it.'}`,
      };
    }
    if (env.uid !== undefined && env.targetUid !== undefined && env.uid !== 0 && env.uid !== env.targetUid) {
      return {
        kind: 'permission',
        message: `${target} belongs to another user (uid ${env.targetUid}); only root can attach to it.`,
        nextStep: `Run in a terminal: ${sudo}`,
      };
    }
    if (env.ptraceScope === 1 && env.uid !== 0) {
      return {
        kind: 'permission',
        message: `Linux's Yama ptrace_scope is 1: a process may only be traced by its parent, and ${target} was not started by py-spy.`,
        nextStep: `${dump ? 'Either run' : 'Either use "Launch a script and profile it…" (py-spy becomes the parent), run'} ${sudo}, or allow attaching until the next reboot with: sudo sysctl kernel.yama.ptrace_scope=0`,
      };
    }
    if (env.ptraceScope === 2 && env.uid !== 0) {
      return { kind: 'permission', message: 'Linux\'s Yama ptrace_scope is 2: only root may attach to processes.', nextStep: `Run in a terminal: ${sudo}` };
    }
    if (env.ptraceScope === 3) {
      return {
        kind: 'permission',
        message: 'Linux\'s Yama ptrace_scope is 3: attaching is disabled for everyone until the next reboot.',
        nextStep: 'Set kernel.yama.ptrace_scope to 1 in /etc/sysctl.d/ and reboot, or profile on another machine.',
      };
    }
    if (env.inContainer) {
      return {
        kind: 'container',
        message: `py-spy was denied access to ${target}; containers usually need the SYS_PTRACE capability for this.`,
        nextStep: 'Add the capability: `docker run --cap-add SYS_PTRACE …` (Kubernetes: securityContext.capabilities.add: ["SYS_PTRACE"]).',
      };
    }
    return { kind: 'permission', message: `py-spy was not allowed to attach to ${target}.`, nextStep: `Run in a terminal: ${sudo}` };
  }
  if (/Failed to get process executable name|No such process|os error 3\b|Check that the process is running/i.test(text)) {
    return { kind: 'no-process', message: `${target} is not running (it may have exited).`, nextStep: `Pick the process again with "${dump ? 'Dump Python Process Stacks…' : 'Profile Python Process…'}".` };
  }
  if (/Failed to find python version|Failed to find a python interpreter|not a python process|Unsupported version of Python/i.test(text)) {
    return {
      kind: 'not-python',
      message: `py-spy found no Python interpreter it supports in ${target} (or the interpreter was still starting).`,
      nextStep: 'Check that the process runs CPython 2.3–3.13; for a process that just started, wait a second and try again.',
    };
  }
  if (/process exited/i.test(text)) {
    if (dump) return { kind: 'exited', message: `${target} exited during the dumps; the dumps taken until then are kept.`, nextStep: 'Open the dumps taken, or run the process again and dump it while it hangs.' };
    return { kind: 'exited', message: `${target} exited while it was sampled; what was sampled until then is kept.`, nextStep: 'Open the profile, or profile again with a shorter duration.' };
  }
  return undefined;
}
