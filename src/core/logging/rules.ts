/**
 * The logging rules: ids, default severities and the text that teaches why each one matters. Severities are
 * configurable per rule (setting `incidentWorkbench.logging.rules`, CLI `--rules`); `off` disables a rule.
 * A finding is suppressed by `# iwb: ignore[rule-id]` on its line (or alone on the line above), by
 * `# iwb: ignore` for every rule, and for a whole file by `# iwb: ignore-file[rule-id]`.
 */
export const RULE_IDS = [
  'print-logging',
  'exception-without-traceback',
  'swallowed-exception',
  'eager-formatting',
  'missing-context',
  'sensitive-data',
  'unstructured-logger',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export const SEVERITIES = ['error', 'warning', 'information', 'hint'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type SeveritySetting = Severity | 'off';

export interface RuleInfo {
  id: RuleId;
  severity: Severity;
  title: string;
  /** Why it matters in production, shown with every finding. */
  why: string;
}

export const RULES: Record<RuleId, RuleInfo> = {
  'print-logging': {
    id: 'print-logging',
    severity: 'warning',
    title: 'print() used for logging',
    why: 'print() output has no level, timestamp, logger name or request id, cannot be filtered or shipped as structured data, and is lost when stdout is not captured. Use a module logger.',
  },
  'exception-without-traceback': {
    id: 'exception-without-traceback',
    severity: 'error',
    title: 'Error logged without its traceback',
    why: 'Only the message of the exception reaches the log; the stack that says where it happened is dropped. Use logger.exception(...) or exc_info=True.',
  },
  'swallowed-exception': {
    id: 'swallowed-exception',
    severity: 'error',
    title: 'Exception swallowed',
    why: 'The error disappears without a trace: nothing is logged and nothing is raised, so production shows wrong results with no evidence of why. Log it (logger.exception) or re-raise.',
  },
  'eager-formatting': {
    id: 'eager-formatting',
    severity: 'warning',
    title: 'Log message formatted eagerly',
    why: 'The message is built before logging decides whether to emit it (wasted work for filtered levels), and every value produces a different message, so log tools cannot group lines by template. Pass the values as arguments: logger.info("user %s", user_id).',
  },
  'missing-context': {
    id: 'missing-context',
    severity: 'warning',
    title: 'Error in a request handler logged without request context',
    why: 'Without a request id, trace id or user id the line cannot be joined to the request, its trace or the user who saw the error. Add them in extra={...} or set them once in a contextvar read by the log formatter.',
  },
  'sensitive-data': {
    id: 'sensitive-data',
    severity: 'error',
    title: 'Sensitive value logged',
    why: 'Logs are copied to many systems and kept for a long time; passwords, tokens, keys and card numbers in them are a breach. Log an identifier or a redacted form instead.',
  },
  'unstructured-logger': {
    id: 'unstructured-logger',
    severity: 'information',
    title: 'No JSON log formatter configured',
    why: 'Plain-text logs cannot be queried or aggregated by field; with a JSON formatter every line carries level, logger, request id, and the traceback as fields. Run "Insert Structured Logging Setup".',
  },
};

export type RuleSeverities = Partial<Record<RuleId, SeveritySetting>>;

export function isRuleId(value: unknown): value is RuleId {
  return typeof value === 'string' && (RULE_IDS as readonly string[]).includes(value);
}

/** The effective severity of a rule, or undefined when it is off. Unknown setting values fall back to the default. */
export function severityOf(rule: RuleId, overrides: RuleSeverities | undefined): Severity | undefined {
  const setting = overrides?.[rule];
  if (setting === 'off') return undefined;
  if (setting && (SEVERITIES as readonly string[]).includes(setting)) return setting;
  return RULES[rule].severity;
}

/**
 * Parses `rule=severity,rule=severity` (the CLI's --rules). Returns the overrides and a message per part
 * that is not understood.
 */
export function parseRuleSeverities(text: string): { severities: RuleSeverities; errors: string[] } {
  const severities: RuleSeverities = {};
  const errors: string[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    // Split at the first "=" only: "print-logging=error=x" has the severity "error=x", which is wrong.
    const eq = part.indexOf('=');
    const rule = (eq < 0 ? part : part.slice(0, eq)).trim();
    const level = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (!isRuleId(rule)) errors.push(`unknown rule "${rule}" (rules: ${RULE_IDS.join(', ')})`);
    else if (!level || ![...SEVERITIES, 'off'].includes(level)) errors.push(`"${part}": severity must be one of ${[...SEVERITIES, 'off'].join(', ')}`);
    else severities[rule] = level as SeveritySetting;
  }
  return { severities, errors };
}
