import { execFile } from 'node:child_process';
import { promises as fs, readFileSync, existsSync } from 'node:fs';
import { cpuTicks, isPythonExecutable, parseCmdline, parsePs, sortProcesses, statusUid, type ProcessRow } from '../../core/profile/processes';
import { hasCapSysPtrace, type PySpyEnvironment } from '../../core/profile/pySpy';

/** Running Python processes with command line, cwd and CPU% (Linux: /proc sampled twice; macOS: ps). */
export async function listPythonProcesses(intervalMs = 300): Promise<ProcessRow[]> {
  if (process.platform === 'linux') return listFromProc(intervalMs);
  if (process.platform === 'darwin') return listFromPs();
  return [];
}

async function listFromProc(intervalMs: number): Promise<ProcessRow[]> {
  const pids = (await fs.readdir('/proc')).filter((n) => /^\d+$/.test(n)).map(Number);
  const rows: (ProcessRow & { ticks?: number })[] = [];
  await Promise.all(
    pids.map(async (pid) => {
      if (pid === process.pid) return;
      try {
        const argv = parseCmdline(await fs.readFile(`/proc/${pid}/cmdline`, 'utf8'));
        let exe = await fs.readlink(`/proc/${pid}/exe`).catch(() => argv[0] ?? '');
        if (!isPythonExecutable(exe) && !isPythonExecutable(argv[0] ?? '')) return;
        exe ||= argv[0] ?? '';
        const [cwd, stat, status] = await Promise.all([
          fs.readlink(`/proc/${pid}/cwd`).catch(() => undefined),
          fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => ''),
          fs.readFile(`/proc/${pid}/status`, 'utf8').catch(() => ''),
        ]);
        const uid = statusUid(status);
        rows.push({ pid, command: argv.join(' ') || exe, ...(cwd ? { cwd } : {}), ...(uid !== undefined ? { uid } : {}), ticks: cpuTicks(stat) });
      } catch {
        // The process exited while we looked, or is not ours to read.
      }
    }),
  );
  await new Promise((r) => setTimeout(r, intervalMs));
  const hz = 100; // USER_HZ is 100 on every Linux architecture py-spy supports
  await Promise.all(
    rows.map(async (row) => {
      const later = cpuTicks(await fs.readFile(`/proc/${row.pid}/stat`, 'utf8').catch(() => ''));
      if (later !== undefined && row.ticks !== undefined) row.cpu = Math.round(((later - row.ticks) / hz / (intervalMs / 1000)) * 1000) / 10;
      delete row.ticks;
    }),
  );
  return sortProcesses(rows);
}

function listFromPs(): Promise<ProcessRow[]> {
  return new Promise((resolve) => {
    execFile('ps', ['-axww', '-o', 'pid=,pcpu=,uid=,command='], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => {
      resolve(err ? [] : sortProcesses(parsePs(stdout).filter((r) => r.pid !== process.pid)));
    });
  });
}

/** What decides whether py-spy may attach here (for explaining a permission failure). */
export function pySpyEnvironment(pySpyPath: string, pid?: number): PySpyEnvironment {
  return { ...attachEnvironment(pid), pySpyPath };
}

/** What decides whether a debugger or profiler may attach to `pid` here: platform, uids, Yama, container, CAP_SYS_PTRACE. */
export function attachEnvironment(pid?: number): Omit<PySpyEnvironment, 'pySpyPath'> {
  const env: Omit<PySpyEnvironment, 'pySpyPath'> = { platform: process.platform, inContainer: false, ...(pid !== undefined ? { pid } : {}) };
  if (typeof process.getuid === 'function') env.uid = process.getuid();
  if (process.platform !== 'linux') return env;
  const read = (p: string) => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  };
  const scope = read('/proc/sys/kernel/yama/ptrace_scope');
  if (scope !== undefined && /^\d+/.test(scope.trim())) env.ptraceScope = Number(scope.trim());
  const cgroup = read('/proc/1/cgroup') ?? '';
  env.inContainer = existsSync('/.dockerenv') || existsSync('/run/.containerenv') || /docker|kubepods|containerd|libpod|lxc/.test(cgroup);
  const capEff = /^CapEff:\s+([0-9a-f]+)/m.exec(read('/proc/self/status') ?? '');
  if (capEff) env.hasSysPtrace = hasCapSysPtrace(capEff[1]!);
  if (pid !== undefined) {
    const uid = statusUid(read(`/proc/${pid}/status`) ?? '');
    if (uid !== undefined) env.targetUid = uid;
  }
  return env;
}

/** The target's working directory (relative frame paths resolve against it). */
export async function processCwd(pid: number): Promise<string | undefined> {
  if (process.platform !== 'linux') return undefined;
  return fs.readlink(`/proc/${pid}/cwd`).catch(() => undefined);
}

/** The program a process runs (/proc/PID/exe on Linux), when it can be read. */
export async function processExecutable(pid: number): Promise<string | undefined> {
  if (process.platform !== 'linux') return undefined;
  return fs.readlink(`/proc/${pid}/exe`).catch(() => undefined);
}

/** Whether a process with this id exists (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
