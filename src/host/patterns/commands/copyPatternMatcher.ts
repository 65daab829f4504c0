import * as vscode from 'vscode';
import type { Command } from '../../shared/command';
import type { PatternsDeps } from '../deps';
import type { PatternsNode } from '../patternsTree';

/** Copies a pattern's regular expression (the matcher a log store filter or grep can use). */
export const copyPatternMatcher: Command<PatternsDeps> = {
  id: 'incidentWorkbench.copyPatternMatcher',
  async run(deps, arg?: unknown): Promise<string | undefined> {
    const node = arg as PatternsNode | undefined;
    const id = typeof arg === 'string' ? arg : node && node.kind !== 'empty' ? node.pattern.id : undefined;
    const p = id ? deps.patterns.state.pattern(id) : undefined;
    if (!p) return undefined;
    await vscode.env.clipboard.writeText(p.matcher.regex);
    void vscode.window.setStatusBarMessage(`Copied the matcher of pattern ${p.id}`, 3000);
    return p.matcher.regex;
  },
};
