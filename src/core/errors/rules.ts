/**
 * Split and merge rules (setting `incidentWorkbench.errors.groupingRules`), for when the default grouping
 * is wrong for a codebase: "the same error split by different call paths" (merge) and "unrelated errors
 * rethrown from one line merged" (split). A rule matches an event when every condition it names matches
 * (regular expressions, case-insensitive):
 *
 *   {"action": "merge", "name": "db timeouts", "exceptionType": "Timeout", "frame": "db/"}
 *   {"action": "split", "exceptionType": "^ValueError$", "frame": "validate", "by": "message"}
 *
 * merge: matching events share one cluster named by the rule, whatever their stacks.
 * split: matching events are grouped additionally by `by` (message template, service, endpoint, version,
 * or the line numbers of their in-app frames).
 */
import { errorMessage } from '../util/errors';

export const SPLIT_BY = ['message', 'service', 'endpoint', 'version', 'lines'] as const;
export type SplitBy = (typeof SPLIT_BY)[number];

export interface GroupingRule {
  action: 'merge' | 'split';
  name?: string;
  exceptionType?: string;
  message?: string;
  frame?: string;
  service?: string;
  endpoint?: string;
  by?: SplitBy;
}

export interface CompiledRule {
  index: number;
  action: 'merge' | 'split';
  name: string;
  by: SplitBy;
  tests: { field: 'exceptionType' | 'message' | 'frame' | 'service' | 'endpoint'; re: RegExp }[];
}

export interface RuleSubject {
  exceptionType: string;
  message: string;
  /** "file:function" of every frame. */
  frames: string[];
  service?: string;
  endpoint?: string;
}

const RULE_KEYS = ['action', 'name', 'exceptionType', 'message', 'frame', 'service', 'endpoint', 'by'] as const;

/** "unknown key "x" (known: …)" for an object with keys outside `known`; undefined when there are none. */
export function unknownKeys(value: unknown, known: readonly string[]): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const extra = Object.keys(value).filter((k) => !known.includes(k));
  if (extra.length === 0) return undefined;
  return `unknown key${extra.length === 1 ? '' : 's'} ${extra.map((k) => JSON.stringify(k)).join(', ')} (known: ${known.join(', ')})`;
}

export function compileGroupingRules(value: unknown): { rules: CompiledRule[]; problems: string[] } {
  const rules: CompiledRule[] = [];
  const problems: string[] = [];
  if (value === undefined || value === null) return { rules, problems };
  if (!Array.isArray(value)) return { rules, problems: ['errors.groupingRules must be an array of rules'] };
  value.forEach((raw, index) => {
    const r = raw as Partial<GroupingRule>;
    const where = `errors.groupingRules[${index}]`;
    // A misspelt condition ("frames") would silently match everything the other conditions match.
    const unknown = unknownKeys(raw, RULE_KEYS);
    if (unknown) {
      problems.push(`${where}: ${unknown}`);
      return;
    }
    if (!r || (r.action !== 'merge' && r.action !== 'split')) {
      problems.push(`${where}: "action" must be "merge" or "split"`);
      return;
    }
    const by = r.by ?? 'message';
    if (!(SPLIT_BY as readonly string[]).includes(by)) {
      problems.push(`${where}: "by" must be one of ${SPLIT_BY.join(', ')}`);
      return;
    }
    const tests: CompiledRule['tests'] = [];
    for (const field of ['exceptionType', 'message', 'frame', 'service', 'endpoint'] as const) {
      const p = r[field];
      if (p === undefined) continue;
      if (typeof p !== 'string') {
        problems.push(`${where}.${field} must be a regular expression string`);
        return;
      }
      try {
        tests.push({ field, re: new RegExp(p, 'i') });
      } catch (e) {
        problems.push(`${where}.${field} is not a valid regular expression: ${errorMessage(e)}`);
        return;
      }
    }
    if (tests.length === 0) {
      problems.push(`${where}: name at least one condition (exceptionType, message, frame, service, endpoint)`);
      return;
    }
    rules.push({ index, action: r.action, name: r.name?.trim() || `rule ${index + 1}`, by, tests });
  });
  return { rules, problems };
}

export function ruleMatches(rule: CompiledRule, s: RuleSubject): boolean {
  return rule.tests.every(({ field, re }) => {
    if (field === 'frame') return s.frames.some((f) => re.test(f));
    const v = s[field];
    return v !== undefined && re.test(v);
  });
}
