/**
 * The user's ML model as a local command, for the robustness check (the host's ML model panel and `iwb model`
 * both use it). It speaks the JSON of src/core/mlmodel/predictors.ts on stdin/stdout. The command runs with
 * an argument array (never a shell string); callers must only use it in a trusted workspace. Output is
 * bounded and the child is killed on timeout or cancel.
 */
import { spawn } from 'node:child_process';
import { PredictorError, parseAnswers } from '../core/mlmodel/predictors';
import type { MlModelAnswer, Predictor } from '../core/mlmodel/robustness';

const MAX_OUTPUT = 32 * 1024 * 1024;

export function commandPredictor(argv: readonly string[], options: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Predictor {
  if (!argv.length || !argv[0]) throw new PredictorError('the predict command is empty; set it as a list such as ["python3", "predict.py"]');
  const [command, ...args] = argv as [string, ...string[]];
  const name = `predict command "${argv.join(' ')}"`;
  return (inputs, signal) =>
    new Promise<MlModelAnswer[]>((resolve, reject) => {
      const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], shell: false });
      let out = '';
      let err = '';
      let done = false;
      const finish = (e?: Error, v?: MlModelAnswer[]) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (e) {
          child.kill('SIGKILL');
          reject(e);
        } else resolve(v!);
      };
      const onAbort = () => finish(new PredictorError('cancelled'));
      signal?.addEventListener('abort', onAbort);
      const timer = setTimeout(() => finish(new PredictorError(`${name} did not answer within ${(options.timeoutMs ?? 60000) / 1000} s`)), options.timeoutMs ?? 60000);
      child.on('error', (e) => finish(new PredictorError(`${name} could not be started: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? `${command} not found` : e.message}`)));
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (out.length > MAX_OUTPUT) finish(new PredictorError(`${name} printed more than ${MAX_OUTPUT / 1024 / 1024} MB`));
      });
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        err = (err + d).slice(-4000);
      });
      child.on('close', (code) => {
        if (done) return;
        if (code !== 0) return finish(new PredictorError(`${name} exited with code ${code}${err.trim() ? `: ${err.trim().split('\n').slice(-3).join(' ')}` : ''}`));
        try {
          finish(undefined, parseAnswers(out, inputs.length, name));
        } catch (e) {
          finish(e as Error);
        }
      });
      child.stdin.on('error', () => undefined); // a child that exits early closes the pipe; 'close' reports it
      child.stdin.end(JSON.stringify({ inputs }));
    });
}
