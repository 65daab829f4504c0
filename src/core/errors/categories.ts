/**
 * Error categories, hypotheses and action items from the seed's ErrorAnalyzer (Part 3), with its gaps
 * filled: the seed gives third_party and unknown no hypothesis, and looks at the message only. Here the
 * exception type is read first, then the exception message (the log message when there is no exception); rules from the
 * `incidentWorkbench.errors.categoryRules` setting come before all of them.
 */
import { unknownKeys } from './rules';
import { errorMessage } from '../util/errors';

export const CATEGORIES = ['input_validation', 'model_inference', 'infrastructure', 'resource_exhaustion', 'third_party', 'unknown'] as const;
export type BuiltInCategory = (typeof CATEGORIES)[number];

export interface CategoryAdvice {
  hypothesis: string;
  actionItems: string[];
}

export const ADVICE: Record<BuiltInCategory, CategoryAdvice> = {
  input_validation: {
    hypothesis: 'Client sending invalid data. Check API contract.',
    actionItems: ['Add input validation at API layer', 'Return clear error messages to client', 'Add monitoring for validation failures'],
  },
  model_inference: {
    hypothesis: 'Model failing on specific inputs. Check edge cases.',
    actionItems: ['Analyze failed inputs for patterns', 'Add input sanitization before inference', 'Add fallback for model failures', 'Retrain model with failed examples'],
  },
  infrastructure: {
    hypothesis: 'Infrastructure issue (DB, network). Check external dependencies.',
    actionItems: ['Check database connection pool size', 'Check network connectivity to services', 'Add retry logic with exponential backoff', 'Add circuit breaker for failing services'],
  },
  resource_exhaustion: {
    hypothesis: 'Resource limits exceeded. Scale up or optimize.',
    actionItems: ['Profile memory/CPU usage', 'Increase resource limits', 'Optimize hot paths', 'Add auto-scaling'],
  },
  third_party: {
    hypothesis: 'A third-party API or external service is failing or changed its contract. Check its status and recent changes.',
    actionItems: ["Check the provider's status and recent API changes", 'Add timeouts, retries with backoff and a circuit breaker', 'Degrade gracefully or serve cached results while it is down'],
  },
  unknown: {
    hypothesis: 'Not categorised yet: read the shared stack and the samples, and compare when the cluster started with recent deploys.',
    actionItems: ["Reproduce with a sample event's input", 'Check what changed when the cluster first appeared (deploys, config, data)', 'Add a category rule (incidentWorkbench.errors.categoryRules) once understood'],
  },
};

/** The seed's keyword lists, in the seed's order, plus a few phrases validation errors commonly use. */
const KEYWORDS: [BuiltInCategory, string[]][] = [
  ['input_validation', ['invalid', 'validation', 'schema', 'must be', 'malformed', 'missing required', 'not a valid']],
  ['model_inference', ['model', 'inference', 'prediction']],
  ['infrastructure', ['connection', 'timeout', 'timed out', 'database', 'deadline']],
  ['resource_exhaustion', ['memory', 'cpu', 'quota', 'limit', 'no space left', 'too many open files']],
  ['third_party', ['api', 'external', 'service', 'gateway', 'upstream']],
];

const TYPE_RULES: [BuiltInCategory, RegExp][] = [
  // (the JVM's own after Python's: Spark, Hadoop, Kafka and other JVM services in the same incident)
  ['input_validation', /(?:^|\.)(?:ValidationError|JSONDecodeError|UnicodeDecodeError|SchemaError|BadRequest|IllegalArgumentException|NumberFormatException|DateTimeParseException|JsonParseException|MismatchedInputException)$/],
  ['infrastructure', /(?:^|\.)(?:TimeoutError|Timeout|ConnectionError|ConnectionRefusedError|ConnectionResetError|BrokenPipeError|OperationalError|InterfaceError|socket\.\w+|gaierror|DeadlineExceeded|SocketTimeoutException|ConnectException|UnknownHostException|NoRouteToHostException|TimeoutException|SQLTransientConnectionException)$/],
  ['resource_exhaustion', /(?:^|\.)(?:MemoryError|OutOfMemoryError|ResourceExhausted|RecursionError|StackOverflowError|RejectedExecutionException)$/],
  ['third_party', /(?:^|\.)(?:HTTPError|RequestException|ClientResponseError|APIError|APIConnectionError|RateLimitError)$|^(?:requests|httpx|aiohttp|botocore|urllib3)\./],
];

export interface CategoryRule {
  category: string;
  /** Regular expression (case-insensitive) tested against "Type: exception message" and the log message. */
  pattern: string;
  hypothesis?: string;
  actionItems?: string[];
}

export interface CompiledCategoryRule extends CategoryRule {
  re: RegExp;
}

/** Validates settings entries; bad ones are reported with their index and skipped. */
export function compileCategoryRules(value: unknown): { rules: CompiledCategoryRule[]; problems: string[] } {
  const rules: CompiledCategoryRule[] = [];
  const problems: string[] = [];
  if (value === undefined || value === null) return { rules, problems };
  if (!Array.isArray(value)) return { rules, problems: ['errors.categoryRules must be an array of {category, pattern}'] };
  value.forEach((r, i) => {
    const o = r as Partial<CategoryRule>;
    const unknown = unknownKeys(r, ['category', 'pattern', 'hypothesis', 'actionItems']);
    if (unknown) {
      problems.push(`errors.categoryRules[${i}]: ${unknown}`);
      return;
    }
    if (!o || typeof o.category !== 'string' || !o.category || typeof o.pattern !== 'string') {
      problems.push(`errors.categoryRules[${i}] needs "category" and "pattern" strings`);
      return;
    }
    try {
      rules.push({ ...o, category: o.category, pattern: o.pattern, re: new RegExp(o.pattern, 'i') });
    } catch (e) {
      problems.push(`errors.categoryRules[${i}].pattern is not a valid regular expression: ${errorMessage(e)}`);
    }
  });
  return { rules, problems };
}

export interface Categorised extends CategoryAdvice {
  category: string;
}

export function categorise(input: { exceptionType?: string; exceptionMessage?: string; message?: string }, rules: readonly CompiledCategoryRule[] = []): Categorised {
  const head = [input.exceptionType, input.exceptionMessage].filter(Boolean).join(': ');
  for (const r of rules) {
    if (r.re.test(head) || (input.message !== undefined && r.re.test(input.message))) {
      const builtIn = ADVICE[r.category as BuiltInCategory];
      return {
        category: r.category,
        hypothesis: r.hypothesis ?? builtIn?.hypothesis ?? ADVICE.unknown.hypothesis,
        actionItems: r.actionItems ?? builtIn?.actionItems ?? ADVICE.unknown.actionItems,
      };
    }
  }
  if (input.exceptionType) {
    for (const [category, re] of TYPE_RULES) if (re.test(input.exceptionType)) return { category, ...ADVICE[category] };
  }
  // With an exception, its own message decides (the log line's text is often a generic "Prediction failed");
  // without one, the log message does, as in the seed, with the error's text when the line has it apart (Go's
  // `"msg": "fetch failed", "error": "dial tcp …: connection refused"`).
  const text = input.exceptionType ? input.exceptionMessage : [input.message, input.exceptionMessage].filter(Boolean).join(': ');
  if (text) {
    const msg = text.toLowerCase();
    for (const [category, words] of KEYWORDS) if (words.some((w) => msg.includes(w))) return { category, ...ADVICE[category] };
  }
  return { category: 'unknown', ...ADVICE.unknown };
}
