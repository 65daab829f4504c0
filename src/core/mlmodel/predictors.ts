/**
 * Ways to reach the user's model for the robustness check. Both speak the same JSON:
 *   request  {"inputs": ["text", ...]}
 *   response {"predictions": [{"label": "...", "confidence": 0.93}, ...]}   (a bare list is accepted too)
 * The command runs with an argument array (never a shell string); callers must only use it in a trusted
 * workspace. Output is bounded and the child is killed on timeout or cancel.
 */
import { spawn } from 'node:child_process';
import type { MlModelAnswer, Predictor } from './robustness';

const MAX_OUTPUT = 32 * 1024 * 1024;

export class PredictorError extends Error {}

export function parseAnswers(text: string, expected: number, source: string): MlModelAnswer[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new PredictorError(`${source} did not answer JSON (got ${JSON.stringify(text.slice(0, 80))}); it must print {"predictions": [{"label", "confidence"}]}`);
  }
  const list = Array.isArray(body) ? body : typeof body === 'object' && body !== null ? (body as { predictions?: unknown }).predictions : undefined;
  if (!Array.isArray(list)) throw new PredictorError(`${source} answered JSON without a "predictions" list`);
  if (list.length !== expected) throw new PredictorError(`${source} answered ${list.length} predictions for ${expected} inputs`);
  return list.map((p, i) => {
    const o = (typeof p === 'object' && p !== null ? p : { label: p }) as { label?: unknown; predictedLabel?: unknown; confidence?: unknown };
    const label = o.label ?? o.predictedLabel;
    if (typeof label !== 'string' && typeof label !== 'number' && typeof label !== 'boolean') throw new PredictorError(`${source}: prediction ${i} has no label`);
    const c = typeof o.confidence === 'number' && Number.isFinite(o.confidence) ? o.confidence : null;
    return { label: String(label), confidence: c };
  });
}

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

export function httpPredictor(endpoint: string, options: { timeoutMs?: number; fetchImpl?: typeof fetch } = {}): Predictor {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new PredictorError(`"${endpoint}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new PredictorError(`the predict endpoint must be http(s), got ${url.protocol}`);
  const doFetch = options.fetchImpl ?? fetch;
  return async (inputs, signal) => {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 60000);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await doFetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ inputs }), signal: combined });
    } catch (e) {
      throw new PredictorError(`cannot reach the predict endpoint ${url.origin}: ${(e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message}`);
    }
    const text = await response.text();
    if (!response.ok) throw new PredictorError(`the predict endpoint answered HTTP ${response.status}: ${text.slice(0, 200)}`);
    return parseAnswers(text, inputs.length, `the predict endpoint ${url.origin}`);
  };
}

/** Splits a command given as one string on whitespace (no shell: quotes are not interpreted) or takes a JSON list. */
export function commandArgv(spec: string | readonly string[]): string[] {
  if (Array.isArray(spec)) return spec.map(String);
  const s = (spec as string).trim();
  if (s.startsWith('[')) {
    try {
      const parsed = JSON.parse(s) as unknown;
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed;
    } catch {
      // fall through to whitespace splitting
    }
  }
  return s.split(/\s+/).filter(Boolean);
}
