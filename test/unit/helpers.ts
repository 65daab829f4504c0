import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';

/** A fresh temp directory, removed after the test. */
export function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'iwb-unit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Repository root, from the compiled file's location (out/test/unit) or the source (test/unit). */
export const repoRoot = path.resolve(__dirname, __dirname.includes(`${path.sep}out${path.sep}`) ? '../../..' : '../..');

/** Runs `iwb argv` in-process in `cwd`: its exit code and what it printed to stdout and stderr (lines joined). */
export async function runCli(argv: string[], cwd = repoRoot): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), cwd });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

export const validIncident = {
  id: 'INC-2026-001',
  title: 'Checkout latency',
  severity: 'HIGH',
  status: 'OPEN',
  reportedBy: 'alice',
  reportedAt: '2026-11-20T09:12:00Z',
  description: 'p95 5 s',
  events: [{ at: '2026-11-20T09:12:00Z', actor: 'alice', kind: 'opened', text: 'Opened' }],
};

/** `text` cut at the given fractions of its length (0–1), as a stream that arrives in those pieces. */
export async function* chunked(text: string, cuts: number[]): AsyncGenerator<string> {
  let prev = 0;
  for (const c of [...new Set(cuts.map((x) => Math.floor(x * text.length)))].sort((a, b) => a - b)) {
    if (c > prev) {
      yield text.slice(prev, c);
      prev = c;
    }
  }
  yield text.slice(prev);
}
