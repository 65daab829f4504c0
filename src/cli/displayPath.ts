import * as nodePath from 'node:path';

/** A path as the user can find it: relative when under the current folder, else absolute (a climb of
 * "../../.." out of the current folder names the file less clearly than the path the user typed). */
export function displayPath(cwd: string, p: string): string {
  const rel = nodePath.relative(cwd, p);
  if (rel === '') return p;
  if (rel === '..' || rel.startsWith(`..${nodePath.sep}`) || nodePath.isAbsolute(rel)) return p;
  return rel;
}
