import * as vscode from 'vscode';
import { isRuleId, type RuleSeverities, type SeveritySetting } from '../../core/logging/rules';

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
