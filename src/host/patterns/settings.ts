import * as vscode from 'vscode';
import { parseFieldMapping, type FieldMapping } from '../../core/logs/fieldMapping';
import { compileUserMasks, type CompiledUserMask, type UserMaskRule } from '../../core/patterns/masking';
import { compilePatternRules, type CompiledPatternRule } from '../../core/patterns/rules';

export interface PatternsSettings {
  fields: FieldMapping;
  masks: CompiledUserMask[];
  /** The masking rules as written (worker threads compile their own). */
  maskRules: UserMaskRule[];
  rules: CompiledPatternRule[];
  maxPatterns: number;
  codeLens: boolean;
  maxLineLength: number;
  /** Setting entries that could not be used, each saying which and why. */
  problems: string[];
}

/** The pattern settings; the JSON field mapping and the line limit are the Errors view's, shared. */
export function readPatternsSettings(): PatternsSettings {
  const config = vscode.workspace.getConfiguration('incidentWorkbench');
  const fields = parseFieldMapping(config.get<Record<string, unknown>>('errors.fieldMapping') ?? {});
  const rawMasks = config.get<unknown>('patterns.maskingRules');
  const masks = compileUserMasks(rawMasks, 'patterns.maskingRules');
  const rules = compilePatternRules(config.get('patterns.groupingRules'), 'patterns.groupingRules');
  const max = config.get<number>('patterns.maxPatterns', 100_000);
  const kb = config.get<number>('errors.maxLineKB', 1024);
  return {
    fields: fields.mapping,
    masks: masks.rules,
    maskRules: Array.isArray(rawMasks) ? (rawMasks as UserMaskRule[]) : [],
    rules: rules.rules,
    maxPatterns: Number.isFinite(max) && max >= 100 ? Math.floor(max) : 100_000,
    codeLens: config.get<boolean>('patterns.codeLens', true),
    maxLineLength: Math.max(1, Number.isFinite(kb) ? kb : 1024) * 1024,
    problems: [...fields.problems.map((p) => `errors.fieldMapping: ${p}`), ...masks.problems, ...rules.problems],
  };
}
