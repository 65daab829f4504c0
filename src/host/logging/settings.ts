import * as vscode from 'vscode';
import { isRuleId, type RuleSeverities, type SeveritySetting } from '../../core/logging/rules';
import { createRedactor, RedactionConfigError, type CustomPattern, type Redactor } from '../../core/redaction/redact';

export interface LoggingSettings {
  enabled: boolean;
  severities: RuleSeverities;
  debounceMs: number;
  exclude: string[];
  contextFields: string[] | undefined;
  sensitiveNames: string[];
}

const SEVERITY_VALUES = new Set(['error', 'warning', 'information', 'hint', 'off']);

export function loggingSettings(scope?: vscode.ConfigurationScope): LoggingSettings {
  const c = vscode.workspace.getConfiguration('incidentWorkbench', scope);
  const rules = c.get<Record<string, unknown>>('logging.rules', {}) ?? {};
  const severities: RuleSeverities = {};
  for (const [rule, level] of Object.entries(rules)) if (isRuleId(rule) && typeof level === 'string' && SEVERITY_VALUES.has(level)) severities[rule] = level as SeveritySetting;
  const strings = (key: string) => (c.get<unknown[]>(key, []) ?? []).filter((x): x is string => typeof x === 'string' && x.trim() !== '');
  const contextFields = strings('logging.contextFields');
  return {
    enabled: c.get<boolean>('logging.enabled', true),
    severities,
    debounceMs: Math.max(0, Math.min(5000, c.get<number>('logging.debounceMs', 300))),
    exclude: strings('logging.exclude'),
    contextFields: contextFields.length ? contextFields : undefined,
    sensitiveNames: strings('redaction.fieldNames'),
  };
}

/**
 * The redactor configured in settings (`incidentWorkbench.redaction.fieldNames`, `.patterns`). A pattern that
 * is not a valid regular expression is reported and skipped, never silently ignored.
 */
export function configuredRedactor(log?: vscode.LogOutputChannel): Redactor {
  const c = vscode.workspace.getConfiguration('incidentWorkbench');
  const fieldNames = (c.get<unknown[]>('redaction.fieldNames', []) ?? []).filter((x): x is string => typeof x === 'string');
  const patterns: CustomPattern[] = [];
  for (const p of c.get<unknown[]>('redaction.patterns', []) ?? []) {
    if (typeof p === 'string') patterns.push({ name: 'custom', pattern: p });
    else if (p && typeof p === 'object' && typeof (p as CustomPattern).pattern === 'string') {
      const o = p as CustomPattern;
      patterns.push({ name: typeof o.name === 'string' && o.name ? o.name : 'custom', pattern: o.pattern, ...(typeof o.flags === 'string' ? { flags: o.flags } : {}) });
    }
  }
  const usable: CustomPattern[] = [];
  for (const p of patterns) {
    try {
      createRedactor({ patterns: [p] });
      usable.push(p);
    } catch (e) {
      if (!(e instanceof RedactionConfigError)) throw e;
      log?.warn(`incidentWorkbench.redaction.patterns: ${e.message}; skipped.`);
      void vscode.window.showWarningMessage(`${e.message}. It is skipped until fixed in settings (incidentWorkbench.redaction.patterns).`);
    }
  }
  return createRedactor({ fieldNames, patterns: usable });
}
