/** `py-spy dump`'s command line (py-spy 0.4: src/config.rs), kept pure so the task, the CLI and the tests agree. */

export interface DumpOptions {
  pid: number;
  /** `--locals`: each frame's arguments and local variables. */
  locals?: boolean;
  /** `--native`: C/C++ frames too (Linux x86-64/ARM, Windows x86-64), which name the blocking call. */
  native?: boolean;
}

export const DEFAULT_DUMPS = 3;
export const DEFAULT_INTERVAL_MS = 1000;
/** More dumps say nothing new about a hang and keep the process paused longer in total. */
export const MAX_DUMPS = 20;

/**
 * Arguments for one `py-spy dump` (an array for spawn, never a shell string). JSON: full paths, locals as
 * data. Every py-spy with the `dump` sub-command has `--json` (checked: 0.2.2, 0.3.3, 0.4.3), so there is
 * no text fallback; py-spy 0.1 had no `dump` at all.
 */
export function dumpArgs(o: DumpOptions): string[] {
  if (!Number.isInteger(o.pid) || o.pid <= 0) throw new Error(`not a process id: ${o.pid}`);
  return ['dump', '--pid', String(o.pid), '--json', ...(o.locals ? ['--locals'] : []), ...(o.native ? ['--native'] : [])];
}

/** One dump's JSON on one line, so several dumps make a JSON Lines file that `parseStackDumps` reads back. */
export function compactDump(json: string): string {
  return JSON.stringify(JSON.parse(json));
}
