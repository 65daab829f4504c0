import * as vscode from 'vscode';
import { createRedactor, RedactionConfigError, type CustomPattern, type Redactor } from '../../core/redaction/redact';

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
