import * as vscode from 'vscode';
import { compileCategoryRules, type CompiledCategoryRule } from '../../core/errors/categories';
import { compileGroupingRules, type CompiledRule } from '../../core/errors/rules';
import { parseFieldMapping, type FieldMapping } from '../../core/logs/fieldMapping';
import { parsePathMappings, type MappingVariables, type PathMapping } from '../../core/paths/pathMappings';

export interface ErrorsSettings {
  fields: FieldMapping;
  groupingRules: CompiledRule[];
  categoryRules: CompiledCategoryRule[];
  pathMappings: PathMapping[];
  maxLineLength: number;
  codeLens: boolean;
  /** Settings entries that could not be used, each saying which and why. */
  problems: string[];
}

export const ERRORS_SETTINGS = [
  'incidentWorkbench.errors.fieldMapping',
  'incidentWorkbench.errors.groupingRules',
  'incidentWorkbench.errors.categoryRules',
  'incidentWorkbench.errors.maxLineKB',
  'incidentWorkbench.errors.codeLens',
  'incidentWorkbench.pathMappings',
];

export function readErrorsSettings(): ErrorsSettings {
  const config = vscode.workspace.getConfiguration('incidentWorkbench');
  const fields = parseFieldMapping(config.get<Record<string, unknown>>('errors.fieldMapping') ?? {});
  const grouping = compileGroupingRules(config.get('errors.groupingRules'));
  const categories = compileCategoryRules(config.get('errors.categoryRules'));
  const paths = parsePathMappings(config.get('pathMappings'));
  const kb = config.get<number>('errors.maxLineKB', 1024);
  return {
    fields: fields.mapping,
    groupingRules: grouping.rules,
    categoryRules: categories.rules,
    pathMappings: paths.mappings,
    maxLineLength: Math.max(1, Number.isFinite(kb) ? kb : 1024) * 1024,
    codeLens: config.get<boolean>('errors.codeLens', true),
    problems: [...fields.problems.map((p) => `errors.fieldMapping: ${p}`), ...grouping.problems, ...categories.problems, ...paths.problems],
  };
}

export function mappingVariables(): MappingVariables {
  return { workspaceFolders: (vscode.workspace.workspaceFolders ?? []).map((f) => ({ name: f.name, path: f.uri.fsPath })) };
}
