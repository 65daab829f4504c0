/**
 * Pure helpers for the process picker: what /proc (Linux) and `ps` (macOS) say, turned into rows.
 * The host reads the files; these functions only interpret text, so they are tested without processes.
 */

export interface ProcessRow {
  pid: number;
  command: string;
  cwd?: string;
  /** Percentage of one core over the measuring interval, when measured. */
  cpu?: number;
  uid?: number;
}

const PYTHON_NAME = /^(python|pypy)(\d+(\.\d+)*)?[mdu]?(\.exe)?$/i;

const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/** Whether an executable (the /proc/PID/exe target or argv[0]) is a Python interpreter. */
export function isPythonExecutable(path: string): boolean {
  return PYTHON_NAME.test(base(path.replace(/ \(deleted\)$/, '')));
}

/** /proc/PID/cmdline: NUL-separated arguments. */
export function parseCmdline(raw: string): string[] {
  return raw.split('\u0000').filter((s, i, all) => s !== '' || i < all.length - 1);
}

/** utime + stime clock ticks from /proc/PID/stat (fields 14 and 15, after the parenthesised comm). */
export function cpuTicks(stat: string): number | undefined {
  const close = stat.lastIndexOf(')');
  if (close === -1) return undefined;
  const fields = stat.slice(close + 2).split(' ');
  // fields[0] is field 3 (state), so utime (14) is fields[11], stime (15) fields[12]
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? utime + stime : undefined;
}

/** `Uid:` line of /proc/PID/status -> real uid. */
export function statusUid(status: string): number | undefined {
  const m = /^Uid:\s+(\d+)/m.exec(status);
  return m ? Number(m[1]) : undefined;
}

/** `ps -axww -o pid=,pcpu=,uid=,command=` (macOS and Linux) -> Python rows. */
export function parsePs(output: string): ProcessRow[] {
  const rows: ProcessRow[] = [];
  for (const line of output.split('\n')) {
    const m = /^\s*(\d+)\s+([\d.]+)\s+(\d+)\s+(.+)$/.exec(line);
    if (!m) continue;
    const command = m[4]!.trim();
    const argv0 = command.split(/\s+/)[0] ?? '';
    if (!isPythonExecutable(argv0)) continue;
    rows.push({ pid: Number(m[1]), cpu: Number(m[2]), uid: Number(m[3]), command });
  }
  return rows;
}

/** Busiest first, then newest (highest pid). */
export function sortProcesses(rows: ProcessRow[]): ProcessRow[] {
  return [...rows].sort((a, b) => (b.cpu ?? 0) - (a.cpu ?? 0) || b.pid - a.pid);
}
