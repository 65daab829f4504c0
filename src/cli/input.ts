import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { errorMessage } from '../core/util/errors';

/**
 * Reads FILE (relative to the CLI's cwd) as UTF-8 text, or says in one line why it cannot: missing, not a
 * file, over `maxBytes` (a string cannot hold more than ~512 MB anyway), unreadable, or not UTF-8.
 */
export async function readTextInput(cwd: string, file: string, maxBytes: number, notUtf8 = 'it is not UTF-8 text'): Promise<{ text: string } | { error: string }> {
  const full = nodePath.resolve(cwd, file);
  const stat = await fs.stat(full).catch(() => undefined);
  if (!stat) return { error: `${file} does not exist` };
  if (!stat.isFile()) return { error: `${file} is not a file` };
  if (stat.size > maxBytes) return { error: `${file} is ${(stat.size / 1048576).toFixed(1)} MB, over the ${maxBytes / 1048576} MB limit` };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(await fs.readFile(full)) };
  } catch (e) {
    return { error: `${file} cannot be read: ${e instanceof TypeError ? notUtf8 : errorMessage(e)}` };
  }
}
