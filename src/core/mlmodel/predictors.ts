/**
 * Ways to reach the user's ML model for the robustness check. Both speak the same JSON:
 *   request  {"inputs": ["text", ...]}
 *   response {"predictions": [{"label": "...", "confidence": 0.93}, ...]}   (a bare list is accepted too)
 * The HTTP endpoint is here; a local command is started by src/node/commandPredictor.ts (core starts no
 * processes), which reads the answer with `parseAnswers`.
 */
import type { MlModelAnswer, Predictor } from './robustness';
import { errorMessage } from '../util/errors';

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
      throw new PredictorError(`cannot reach the predict endpoint ${url.origin}: ${(e as { cause?: { code?: string } }).cause?.code ?? errorMessage(e)}`);
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
