/**
 * The child process of test/unit/badInputCorpus.test.ts (that file, started with IWB_BAD_INPUT_CHILD=1): runs `iwb` (src/cli/main.ts, in process) on each case it
 * is sent, one after another, and reports what the command printed and returned. The parent starts it with a
 * heap limit and a timeout per case, so an out-of-memory or a hang is seen as this process dying or going
 * quiet on the case it announced. Writes that bypass the CLI's io (a stray console.log, a library printing
 * to stderr) are captured too: they are part of what a user would see.
 */
import { main } from '../../src/cli/main';

interface Case {
  id: number;
  argv: string[];
  cwd: string;
}

export type RunnerMessage =
  | { type: 'start'; id: number }
  | { type: 'done'; id: number; code: number; out: string; err: string; stray: string; ms: number; heapMB: number }
  | { type: 'crash'; id: number; message: string };

const send = (m: RunnerMessage) => new Promise<void>((resolve) => process.send!(m, () => resolve()));

/** The child's side; the test file calls it instead of defining tests when it is started as the child. */
export function runBadInputChild(): void {
  let current = -1;
  let stray = '';
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      stray += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return write(chunk as string, ...(rest as []));
    }) as typeof stream.write;
  }
  for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
    process.on(event, (e: unknown) => {
      void send({ type: 'crash', id: current, message: `${event}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` }).then(() => process.exit(70));
    });
  }
  process.once('message', async (cases: Case[]) => {
    for (const c of cases) {
      current = c.id;
      await send({ type: 'start', id: c.id });
      const out: string[] = [];
      const err: string[] = [];
      stray = '';
      const started = performance.now();
      const code = await main(c.argv, { out: (l) => out.push(l), err: (l) => err.push(l), cwd: c.cwd });
      await send({ type: 'done', id: c.id, code, out: out.join('\n').slice(0, 1_000_000), err: err.join('\n').slice(0, 20_000), stray: stray.slice(0, 20_000), ms: performance.now() - started, heapMB: process.memoryUsage().heapUsed / 1048576 });
    }
    process.exit(0);
  });
}
