/**
 * memray's command line (memray 1.20: `memray attach|detach|run`, run as `<python> -m memray`) and what its
 * failures mean, kept pure so the task, the CLI and the tests agree. Messages are memray's own
 * (src/memray/commands/attach.py, run.py) and gdb's.
 */
import { stripAnsi, type PySpyEnvironment } from '../profile/pySpy';

/** The `memray` task's fields, also the Profile Memory command's scripted arguments (package.json taskDefinitions). */
export interface MemrayTaskFields {
  /** Attach to this running Python process (memray attach; needs gdb or lldb)... */
  pid?: number;
  /** ...or run this Python script (memray run) with `args` in `cwd`. */
  program?: string;
  args?: string[];
  cwd?: string;
  /** Variables added to the script's environment (a launch configuration's `env`). */
  env?: Record<string, string>;
  /** Seconds to track an attached process; 0: until stopped. A launched script is tracked until it exits or is stopped. */
  duration?: number;
  /** --native: C/C++ frames too. */
  native?: boolean;
  /** --trace-python-allocators: every small Python object, not pymalloc's arenas. */
  tracePythonAllocators?: boolean;
  /** Workspace-relative or absolute output file; default under the active incident's evidence/memory/. */
  output?: string;
  /** Open the memory view when done (default true). */
  open?: boolean;
  runId?: string;
}

export const DEFAULT_MEMORY_DURATION = 10;

interface CaptureFlags {
  native?: boolean;
  tracePythonAllocators?: boolean;
}

function flags(o: CaptureFlags): string[] {
  return [...(o.native ? ['--native'] : []), ...(o.tracePythonAllocators ? ['--trace-python-allocators'] : [])];
}

/** `python -m memray attach` into `output`, tracking until detached (an argument array, never a shell string). */
export function attachArgs(pid: number, output: string, o: CaptureFlags = {}): string[] {
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`not a process id: ${pid}`);
  return ['-m', 'memray', 'attach', '-f', '-o', output, ...flags(o), String(pid)];
}

export function detachArgs(pid: number): string[] {
  return ['-m', 'memray', 'detach', String(pid)];
}

/** `python -m memray run` of a script (or `-m module` when the first argument is `-m`) into `output`. */
export function runArgs(output: string, script: string, args: readonly string[], o: CaptureFlags = {}): string[] {
  if (!script) throw new Error('memray run needs a script');
  return ['-m', 'memray', 'run', '-q', '-f', '-o', output, ...flags(o), ...(script === '-m' ? ['-m'] : [script]), ...args];
}

export interface MemrayProblem {
  kind: 'no-memray' | 'no-debugger' | 'no-process' | 'permission' | 'container' | 'wrong-python' | 'exited' | 'unknown';
  message: string;
  nextStep: string;
}

export interface MemrayEnvironment extends Omit<PySpyEnvironment, 'pySpyPath'> {
  /** The Python that runs memray. */
  python: string;
  /** What the target process runs (/proc/PID/exe), when known. */
  targetExecutable?: string;
  /** Whether the target still exists after the failure. */
  targetAlive?: boolean;
}

/** Turns memray's failure output into an explanation for the user's situation, or undefined if unknown. */
export function explainMemrayFailure(output: string, env: MemrayEnvironment): MemrayProblem | undefined {
  const text = stripAnsi(output);
  const target = env.pid !== undefined ? `process ${env.pid}` : 'the process';
  const install = `${env.python} -m pip install memray`;
  if (/No module named memray|No module named 'memray'/.test(text)) {
    return { kind: 'no-memray', message: `memray is not installed for ${env.python}.`, nextStep: `Install it: ${install} (or set incidentWorkbench.memory.python to a Python that has it).` };
  }
  if (/Cannot find a supported lldb or gdb/i.test(text)) {
    return {
      kind: 'no-debugger',
      message: `memray attach needs gdb or lldb to get into ${target}, and neither was found.`,
      nextStep: env.platform === 'darwin' ? 'Install lldb: xcode-select --install' : 'Install gdb: sudo apt-get install gdb (Fedora: sudo dnf install gdb). Or launch the script under memray instead ("Run a script under memray…").',
    };
  }
  if (/process ID does not exist|No such process/i.test(text) || env.targetAlive === false) {
    return env.targetAlive === false && !/does not exist/.test(text)
      ? { kind: 'exited', message: `${target} exited while memray was attaching; nothing was captured.`, nextStep: 'Start it again, then profile its memory.' }
      : { kind: 'no-process', message: `${target} is not running (it may have exited).`, nextStep: 'Pick the process again with "Profile Memory of a Python Process…".' };
  }
  if (/does not seem to be running Python/i.test(text)) {
    const exe = env.targetExecutable ? ` (it runs ${env.targetExecutable})` : '';
    return {
      kind: 'wrong-python',
      message: `memray (from ${env.python}) could not find a Python it can attach to in ${target}${exe}. memray attach works only when the target runs a CPython that has memray installed, ideally the same interpreter.`,
      nextStep: env.targetExecutable ? `Install memray for the target's Python: ${env.targetExecutable} -m pip install memray — then try again.` : `Install memray into the target's environment, then try again.`,
    };
  }
  if (/Failed to attach a debugger|ptrace|Operation not permitted|Permission denied/i.test(text)) {
    const sudo = `sudo ${env.python} -m memray attach --duration 10 -o capture.bin ${env.pid ?? '<PID>'}`;
    if (env.inContainer && env.hasSysPtrace === false) {
      return {
        kind: 'container',
        message: `This editor runs in a container without the SYS_PTRACE capability, so gdb cannot attach to ${target}.`,
        nextStep: 'Restart the container with `docker run --cap-add SYS_PTRACE …` (devcontainer.json: "runArgs": ["--cap-add=SYS_PTRACE"]), or run the script under memray instead ("Run a script under memray…").',
      };
    }
    if (env.uid !== undefined && env.targetUid !== undefined && env.uid !== 0 && env.uid !== env.targetUid) {
      return { kind: 'permission', message: `${target} belongs to another user (uid ${env.targetUid}); only root can attach to it.`, nextStep: `Run in a terminal: ${sudo}` };
    }
    if (env.ptraceScope !== undefined && env.ptraceScope >= 1 && env.uid !== 0) {
      return {
        kind: 'permission',
        message: `Linux's Yama ptrace_scope is ${env.ptraceScope}: gdb may not attach to ${target}, which it did not start.`,
        nextStep: env.ptraceScope === 3 ? 'Attaching is disabled until the next reboot; run the script under memray instead ("Run a script under memray…").' : `Run the script under memray instead, run ${sudo}, or allow attaching until the next reboot: sudo sysctl kernel.yama.ptrace_scope=0`,
      };
    }
    return { kind: 'permission', message: `gdb was not allowed to attach to ${target} (ptrace denied).`, nextStep: `Run in a terminal: ${sudo}` };
  }
  return undefined;
}
