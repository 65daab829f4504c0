import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from './helpers';

export interface ReferenceCase {
  fn: string;
  args: Record<string, unknown>;
}

/**
 * Runs test/support/stats_reference.py (scipy + statsmodels, from requirements-dev.txt) on a batch of cases
 * and returns its answers in order. One process per batch: starting Python with scipy costs ~1 s.
 */
export function reference<T = unknown>(cases: readonly ReferenceCase[]): T[] {
  const script = path.join(repoRoot, 'test', 'support', 'stats_reference.py');
  const r = spawnSync('python3', [script], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`python3 could not be started: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`stats_reference.py failed (is "python3 -m pip install -r requirements-dev.txt" done?):\n${r.stderr}`);
  return JSON.parse(r.stdout) as T[];
}

/** |a − b| ≤ tol, or relative tolerance for large magnitudes. */
export function close(actual: number, expected: number, tol = 1e-6, label = ''): void {
  const ok = actual === expected || Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected));
  if (!ok) throw new Error(`${label} expected ${expected}, got ${actual} (diff ${Math.abs(actual - expected)})`);
}
