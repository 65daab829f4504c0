/**
 * Prefixes that launchers of worker processes put before every line a worker writes: what the worker wrote
 * follows, and is read as if from its own output (its header, its traceback under its log line).
 *
 * - torchrun: `[rank1]:` (`--log-line-prefix-template`), `[default1]:` (its `--tee` default, the role and the
 *   local rank), and `[rank1]: ` that torch.distributed itself puts before each line of an uncaught
 *   exception's traceback — often two of them (`[rank1]:[rank1]: Traceback …`);
 * - Ray: `(pid=1234) `, `(RayTrainWorker pid=1234, ip=10.0.0.5) `, `(raylet) `.
 */
const TORCHRUN = /^\[[a-z_][a-z_-]{0,30}\d{1,5}\]: ?/;
const RAY = /^\((?:(?:[\w.-]+ )?pid=\d+|raylet|gcs_server|autoscaler|monitor|dashboard)(?:, ip=[\d.:a-fA-F]+)?\) /;

export function stripWorkerPrefix(line: string): string {
  const c = line.charCodeAt(0);
  if (c !== 91 /* [ */ && c !== 40 /* ( */) return line;
  for (let k = 0; k < 3; k++) {
    const m = TORCHRUN.exec(line) ?? RAY.exec(line);
    if (!m) break;
    line = line.slice(m[0].length);
  }
  return line;
}
