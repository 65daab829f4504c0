import * as vscode from 'vscode';
import type { Command } from '../../shared/command';
import type { PatternsDeps } from '../deps';

/** Opens the log file at a sample line of a pattern. */
export const openPatternSample: Command<PatternsDeps> = {
  id: 'incidentWorkbench.openPatternSample',
  async run(deps, id?: unknown, index?: unknown): Promise<vscode.Uri | undefined> {
    if (typeof id !== 'string') return undefined;
    const sample = deps.patterns.state.pattern(id)?.samples[typeof index === 'number' ? index : 0];
    const file = sample && deps.patterns.state.fileOf(sample.source);
    if (!sample || !file) return undefined;
    const uri = vscode.Uri.file(file);
    if (/\.gz$/i.test(file)) {
      void vscode.window.showInformationMessage(`${sample.source} is compressed; the sample is line ${sample.line} of it.`);
      return undefined;
    }
    await vscode.window.showTextDocument(uri, { preview: true, selection: new vscode.Range(sample.line - 1, 0, sample.line - 1, 0) });
    return uri;
  },
};
