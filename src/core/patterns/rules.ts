/**
 * Split and merge rules for log patterns (setting `incidentWorkbench.patterns.groupingRules`, `--rules`), as
 * for error clusters: when the default grouping is wrong for a log.
 *
 *   {"action": "merge", "name": "cache misses", "template": "^cache miss for"}
 *   {"action": "split", "template": "^user \\S+ logged (in|out)$"}
 *
 * merge: every pattern whose template matches (regular expression, case-insensitive) becomes one pattern,
 * named by the rule. split: a matching pattern is not generalised — each distinct masked message in it
 * stays a pattern of its own (the words the miner took for values are kept apart).
 */
import { errorMessage } from '../util/errors';

export interface PatternRule {
  action: 'merge' | 'split';
  name?: string;
  template: string;
}

export interface CompiledPatternRule {
  index: number;
  action: 'merge' | 'split';
  name: string;
  re: RegExp;
}

export function compilePatternRules(value: unknown, where = 'patterns.groupingRules'): { rules: CompiledPatternRule[]; problems: string[] } {
  const rules: CompiledPatternRule[] = [];
  const problems: string[] = [];
  if (value === undefined || value === null) return { rules, problems };
  if (!Array.isArray(value)) return { rules, problems: [`${where} must be an array of {"action", "template"} rules`] };
  value.forEach((raw, index) => {
    const r = raw as Partial<PatternRule> | null;
    const at = `${where}[${index}]`;
    if (!r || (r.action !== 'merge' && r.action !== 'split')) {
      problems.push(`${at}: "action" must be "merge" or "split"`);
      return;
    }
    if (typeof r.template !== 'string' || r.template === '') {
      problems.push(`${at}: "template" must be a regular expression over pattern templates`);
      return;
    }
    try {
      rules.push({ index, action: r.action, name: typeof r.name === 'string' && r.name.trim() ? r.name.trim() : `rule ${index + 1}`, re: new RegExp(r.template, 'i') });
    } catch (e) {
      problems.push(`${at}.template is not a valid regular expression: ${errorMessage(e)}`);
    }
  });
  return { rules, problems };
}
