// With --json an unreadable input is {"error"} on stdout for scripts, and still one line on stderr that
// names the file (or the store) and why, as every other command does: a pipeline reading stderr sees it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { createServer } from 'node:net';
import { main } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/output';
import { tempDir } from './helpers';

async function run(argv: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), cwd };
  const code = await main(argv, io);
  return { code, out, err };
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

for (const command of ['errors', 'patterns']) {
  test(`iwb ${command} --json on a missing file: {error} on stdout and one line naming the file on stderr, exit 2`, async (t) => {
    const dir = tempDir(t);
    const r = await run([command, path.join(dir, 'nope.log'), '--json'], dir);
    assert.equal(r.code, 2);
    assert.match(JSON.parse(r.out.join('\n')).error, /nope\.log/);
    assert.equal(r.err.length, 1, r.err.join('\n'));
    assert.match(r.err[0]!, new RegExp(`^iwb ${command}: .*nope\\.log`));
  });

  test(`iwb ${command} --source --json on a store that does not answer: one line on stderr too, exit 2`, async (t) => {
    const dir = tempDir(t);
    const port = await closedPort();
    const r = await run([command, '--source', `victorialogs://127.0.0.1:${port}?query=*`, '--lookback', '1h', '--json'], dir);
    assert.equal(r.code, 2);
    assert.match(JSON.parse(r.out.join('\n')).error, /VictoriaLogs/);
    assert.equal(r.err.length, 1, r.err.join('\n'));
    assert.match(r.err[0]!, new RegExp(`^iwb ${command}: cannot reach VictoriaLogs at http://127\\.0\\.0\\.1:${port}`));
  });
}

for (const command of ['errors', 'patterns']) {
  test(`iwb ${command}: a file outside the current folder is named by its absolute path, not a climb of ../`, async (t) => {
    const dir = tempDir(t);
    const elsewhere = tempDir(t);
    const r = await run([command, path.join(elsewhere, 'gone.log')], dir);
    assert.equal(r.code, 2);
    assert.equal(r.err.length, 1, r.err.join('\n'));
    assert.ok(r.err[0]!.includes(path.join(elsewhere, 'gone.log')), r.err[0]);
    assert.doesNotMatch(r.err[0]!, /\.\.\//);
  });
}
