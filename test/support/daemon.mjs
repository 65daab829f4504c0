// What the real servers started by tests share (Jaeger, Prometheus, VictoriaLogs): a free port, and a
// child process with a stop() that does not leave it behind and a wait until its health URL answers.
//
// API
//   import { freePort, startDaemon } from '../support/daemon.mjs';
//
//   await freePort(): number          a TCP port of 127.0.0.1 that was free a moment ago
//
//   const d = await startDaemon({ name, bin, args, env?, readyUrl, headers?, readyTimeoutMs, pollMs? = 200, cleanup? })
//       Spawns `bin args` (argument array, stderr kept), polls `readyUrl` until it answers 2xx.
//       Returns { pid, stop(): Promise<void>, log(): string }. stop() sends SIGTERM (SIGKILL after 5 s),
//       waits for the exit and then runs `cleanup` (also when the server never became ready: the error
//       then names the server and carries its stderr).
import { spawn } from 'node:child_process';
import { freePort } from '../../scripts/lib/codeserver.mjs';

// One definition of a free port for scripts and tests.
export { freePort };

export async function startDaemon({ name, bin, args, env, readyUrl, headers = {}, readyTimeoutMs, pollMs = 200, cleanup = () => {} }) {
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'], env: env ?? process.env });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-20000);
  });
  let alive = true;
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      alive = false;
      resolve({ code, signal });
    });
    // A binary that cannot be started at all still ends here, with its reason in the log.
    child.once('error', (e) => {
      stderr += `\n${e.message}`;
      alive = false;
      resolve({ code: null, signal: null });
    });
  });
  const stop = async () => {
    if (alive) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => alive && child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    cleanup();
  };
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (!alive) {
      await stop();
      throw new Error(`${name} exited before it was ready:\n${stderr}`);
    }
    try {
      const r = await fetch(readyUrl, { signal: AbortSignal.timeout(2000), headers });
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${name} was not ready within ${readyTimeoutMs} ms:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return { pid: child.pid, stop, log: () => stderr };
}
