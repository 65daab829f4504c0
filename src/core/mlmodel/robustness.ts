/**
 * Robustness: the seed's input variations (case change, whitespace, a typo) sent to the user's model, and
 * every prediction that changes with them. The model is reached through a `Predictor` (a command with JSON on
 * stdin/stdout, or an HTTP endpoint — see predictors.ts).
 */
import type { Prediction } from './analyze';

export type VariationKind = 'case_change' | 'whitespace' | 'typo';
export const VARIATIONS: readonly VariationKind[] = ['case_change', 'whitespace', 'typo'];

export interface MlModelAnswer {
  label: string;
  confidence: number | null;
}

export type Predictor = (inputs: string[], signal?: AbortSignal) => Promise<MlModelAnswer[]>;

/** The seed's variations, with its bugs fixed (mixed-case text is lower-cased; short text is left alone). */
export function vary(text: string, kind: VariationKind): string {
  switch (kind) {
    case 'case_change':
      return text === text.toLowerCase() ? text.toUpperCase() : text.toLowerCase();
    case 'whitespace':
      return `  ${text.trim().split(/\s+/).join('  ')} `;
    case 'typo': {
      // Swap two adjacent letters in the middle of the longest word (the seed swaps text[mid] and text[mid+1]).
      const words = text.split(/(\s+)/);
      let best = -1;
      words.forEach((w, i) => {
        if (/^\p{L}{3,}$/u.test(w) && (best < 0 || w.length > words[best]!.length)) best = i;
      });
      if (best < 0) return text;
      const w = words[best]!;
      const m = Math.floor(w.length / 2) - 1;
      words[best] = w.slice(0, m) + w[m + 1] + w[m] + w.slice(m + 2);
      return words.join('');
    }
  }
}

export interface Inconsistency {
  id: string;
  variation: VariationKind;
  input: string;
  variedInput: string;
  originalLabel: string;
  variedLabel: string;
  originalConfidence: number | null;
  variedConfidence: number | null;
}

export interface RobustnessReport {
  tested: number;
  checks: number;
  inconsistent: Inconsistency[];
  /** Share of variation checks whose label stayed the same. */
  consistency: number;
  byVariation: { variation: VariationKind; checks: number; flips: number }[];
}

/**
 * Picks what to test: high-confidence errors first (are they brittle?), then other predictions, up to `limit`
 * text inputs. Variations identical to the original are skipped.
 */
export function selectForRobustness(predictions: readonly Prediction[], limit = 50): Prediction[] {
  const text = predictions.filter((p) => typeof p.input === 'string' && (p.input as string).trim().length > 0);
  const wrongSure = text.filter((p) => p.trueLabel !== p.predictedLabel && (p.confidence ?? 0) > 0.9);
  const rest = text.filter((p) => !wrongSure.includes(p));
  return [...wrongSure, ...rest].slice(0, limit);
}

export async function checkRobustness(predictions: readonly Prediction[], predict: Predictor, options: { limit?: number; batchSize?: number; signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {}): Promise<RobustnessReport> {
  const chosen = selectForRobustness(predictions, options.limit ?? 50);
  const jobs: { p: Prediction; kind: VariationKind | 'original'; text: string }[] = [];
  for (const p of chosen) {
    const text = p.input as string;
    jobs.push({ p, kind: 'original', text });
    for (const kind of VARIATIONS) {
      const varied = vary(text, kind);
      if (varied !== text) jobs.push({ p, kind, text: varied });
    }
  }
  const answers: MlModelAnswer[] = [];
  const batch = options.batchSize ?? 64;
  for (let i = 0; i < jobs.length; i += batch) {
    if (options.signal?.aborted) throw new Error('cancelled');
    const slice = jobs.slice(i, i + batch);
    const got = await predict(slice.map((j) => j.text), options.signal);
    if (got.length !== slice.length) throw new Error(`the model answered ${got.length} predictions for ${slice.length} inputs`);
    answers.push(...got);
    options.onProgress?.(Math.min(i + batch, jobs.length), jobs.length);
  }
  const original = new Map<Prediction, MlModelAnswer>();
  jobs.forEach((j, i) => {
    if (j.kind === 'original') original.set(j.p, answers[i]!);
  });
  const inconsistent: Inconsistency[] = [];
  const counts = new Map<VariationKind, { checks: number; flips: number }>(VARIATIONS.map((v) => [v, { checks: 0, flips: 0 }]));
  jobs.forEach((j, i) => {
    if (j.kind === 'original') return;
    const o = original.get(j.p)!;
    const a = answers[i]!;
    const c = counts.get(j.kind)!;
    c.checks++;
    if (a.label !== o.label) {
      c.flips++;
      inconsistent.push({ id: j.p.id, variation: j.kind, input: j.p.input as string, variedInput: j.text, originalLabel: o.label, variedLabel: a.label, originalConfidence: o.confidence, variedConfidence: a.confidence });
    }
  });
  const checks = [...counts.values()].reduce((a, c) => a + c.checks, 0);
  return {
    tested: chosen.length,
    checks,
    inconsistent,
    consistency: checks ? 1 - inconsistent.length / checks : 1,
    byVariation: [...counts].map(([variation, c]) => ({ variation, ...c })),
  };
}
