/**
 * Takes several `py-spy dump --json` of one process a fixed interval apart (the host's task and `iwb stacks
 * --pid` both do this). py-spy runs with an argument array, never a shell string; callers only do this in
 * a trusted workspace. A dump that fails after others succeeded ends the series and keeps what was taken.
 */
import { spawn } from 'node:child_process';
import { compactDump, dumpArgs, type DumpOptions } from '../core/stacks/pySpyDump';

export interface DumpSeriesRun extends DumpOptions {
  pySpy: string;
  dumps: number;
  intervalMs: number;
  signal?: AbortSignal;
  /** After each dump: its index (0-based) and its JSON, one line. */
  onDump?: (index: number, json: string) => void;
  /** Each dump may take this long before it is given up (py-spy pauses the process meanwhile). */
  timeoutMs?: number;
}

export interface DumpSeriesResult {
  /** One compact JSON array per dump taken. */
  dumps: string[];
  /** Why the series stopped early or took nothing: py-spy's own words. */
  failure?: { message: string; output: string; notFound?: boolean };
  cancelled: boolean;
}

function once(pySpy: string, args: string[], timeoutMs: number, signal?: AbortSignal): Promise<{ code: number | null; stdout: string; stderr: string; notFound?: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(pySpy, args, { stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      stderr += `\npy-spy did not finish the dump within ${timeoutMs / 1000} s`;
      child.kill('SIGKILL');
    }, timeoutMs);
    const abort = () => child.kill('SIGINT');
    signal?.addEventListener('abort', abort);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-8000)));
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
      resolve({ code: -1, stdout, stderr: e.code === 'ENOENT' ? `${pySpy} not found` : e.message, notFound: e.code === 'ENOENT' });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
      resolve({ code, stdout, stderr });
    });
  });
}

export async function runPySpyDumps(o: DumpSeriesRun): Promise<DumpSeriesResult> {
  const args = dumpArgs(o);
  const dumps: string[] = [];
  for (let i = 0; i < o.dumps; i++) {
    if (o.signal?.aborted) return { dumps, cancelled: true };
    if (i > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, o.intervalMs);
        o.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (o.signal?.aborted) return { dumps, cancelled: true };
    }
    const r = await once(o.pySpy, args, o.timeoutMs ?? 30_000, o.signal);
    let json: string | undefined;
    if (r.code === 0) {
      try {
        json = compactDump(r.stdout);
      } catch {
        json = undefined;
      }
    }
    if (json === undefined) {
      const message = (r.stderr.trim() || r.stdout.trim() || `py-spy exited with code ${r.code}`).split('\n').filter(Boolean).slice(-3).join(' ');
      return { dumps, cancelled: !!o.signal?.aborted, failure: { message, output: `${r.stdout}\n${r.stderr}`, ...(r.notFound ? { notFound: true } : {}) } };
    }
    dumps.push(json);
    o.onDump?.(i, json);
  }
  return { dumps, cancelled: false };
}
