/**
 * The large half of the bad-input corpus, written at test time into a temporary folder (test/fixtures/bad/
 * holds the small, committed half; its NOTE.md lists both). Each file is what broke a command once: a CSV
 * line of 64 MB (a 50 MB line took 1.9 GB), 15 MB of "(" (tree-sitter ran out of WebAssembly memory), a
 * 300 KB gzip that expands to 300 MB (read whole, by its compressed size), JSON 100,000 levels deep, a log
 * line of 20 MB, and 200,000 one-character lines.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import * as path from 'node:path';
import { createGzip } from 'node:zlib';
import type { Writable } from 'node:stream';

const MB = 1024 * 1024;

async function put(out: Writable, data: string | Buffer): Promise<void> {
  if (!out.write(data)) await once(out, 'drain');
}

async function finish(out: Writable, file: Writable = out): Promise<void> {
  out.end();
  await once(file, 'finish');
}

/** Writes `head`, `bytes` of `fill` and `tail` without holding the file in memory. */
async function filled(file: string, head: string, fill: string, bytes: number, tail: string, gzip = false): Promise<void> {
  const disk = createWriteStream(file);
  const gz = gzip ? createGzip({ level: 1 }) : undefined;
  if (gz) gz.pipe(disk);
  const out: Writable = gz ?? disk;
  await put(out, head);
  const block = Buffer.from(fill.repeat(Math.ceil(MB / fill.length)).slice(0, MB));
  for (let left = bytes; left > 0; left -= block.length) await put(out, left >= block.length ? block : block.subarray(0, left));
  await put(out, tail);
  await finish(out, disk);
}

export async function writeLargeBadInputs(dir: string): Promise<string[]> {
  const files: [string, () => Promise<void>][] = [
    ['long-line.csv', () => filled(path.join(dir, 'long-line.csv'), 'timestamp,name,value\n1795900000,', 'x', 64 * MB, ',1\n1795900060,m,2\n')],
    ['parens.py', () => filled(path.join(dir, 'parens.py'), '', '(', 15_000_000, '')],
    ['bomb.jsonl.gz', () => filled(path.join(dir, 'bomb.jsonl.gz'), '', '0', 300 * MB, '', true)],
    ['deep-100000.json', () => filled(path.join(dir, 'deep-100000.json'), '{"a":'.repeat(100_000) + '1', '}', 100_000, '')],
    ['huge-message.jsonl', () => filled(path.join(dir, 'huge-message.jsonl'), '{"level":"ERROR","message":"', 'A', 20 * MB, '","trace_id":"0af7651916cd43dd8448eb211c80319c"}\n{"level":"ERROR","message":"after"}\n')],
    ['many-lines.log', () => filled(path.join(dir, 'many-lines.log'), '', 'x\n', 400_000, '')],
  ];
  for (const [, write] of files) await write();
  return files.map(([name]) => path.join(dir, name));
}
