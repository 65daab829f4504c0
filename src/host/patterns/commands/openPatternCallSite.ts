import * as vscode from 'vscode';
import type { Command } from '../../shared/command';
import type { PatternsDeps } from '../deps';
import type { PatternsNode } from '../patternsTree';

/** Opens the logging call that writes a pattern (the first, or the one at `index`). Returns the Uri opened. */
export const openPatternCallSite: Command<PatternsDeps> = {
  id: 'incidentWorkbench.openPatternCallSite',
  async run(deps, arg?: unknown, indexArg?: unknown): Promise<vscode.Uri | undefined> {
    const node = arg as PatternsNode | undefined;
    const id = typeof arg === 'string' ? arg : node && node.kind !== 'empty' ? node.pattern.id : undefined;
    if (!id) return undefined;
    await deps.patterns.state.matchCallSites();
    const sites = deps.patterns.state.callSitesOf(id);
    const index = typeof indexArg === 'number' ? indexArg : node?.kind === 'site' ? node.index : 0;
    let site = sites[index];
    if (!site) {
      void vscode.window.showInformationMessage('No logging call in this workspace matches this pattern’s lines. Open the folder with the service’s Python code to link patterns to the calls that write them.');
      return undefined;
    }
    if (sites.length > 1 && typeof indexArg !== 'number' && node?.kind !== 'site') {
      const picked = await vscode.window.showQuickPick(
        sites.map((s, i) => ({ label: `${s.file}:${s.line}`, description: `logger.${s.method}("${s.template}")`, i })),
        { title: 'Several logging calls can write these lines' },
      );
      if (!picked) return undefined;
      site = sites[picked.i]!;
    }
    const line = site.line - 1;
    await vscode.window.showTextDocument(site.uri, { preview: true, selection: new vscode.Range(line, site.column - 1, line, site.column - 1) });
    return site.uri;
  },
};
