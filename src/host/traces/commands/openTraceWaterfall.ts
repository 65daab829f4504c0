import * as vscode from 'vscode';
import { WATERFALL_VIEW_TYPE } from '../../../protocol/waterfall';
import type { Command } from '../../shared/command';
import type { TracesDeps } from '../deps';
import { pickFile } from '../../shared/pickFile';

/**
 * Opens a trace file (OTLP/JSON, JSON Lines, Jaeger, Zipkin) in the waterfall. Arg: a Uri or path; else a pick
 * of the incident's trace evidence and the workspace's trace exports (Browse… for any other).
 */
export const openTraceWaterfall: Command<TracesDeps> = {
  id: 'incidentWorkbench.openTraceWaterfall',
  async run(deps, arg?: unknown): Promise<string | undefined> {
    let uri = arg instanceof vscode.Uri ? arg : typeof arg === 'string' ? (arg.includes('://') ? vscode.Uri.parse(arg) : deps.repository.uri(arg)) : undefined;
    if (!uri) {
      const picked = await pickFile(deps, {
        title: 'Open Trace Waterfall: an OTLP/JSON, Jaeger or Zipkin export',
        kinds: ['trace'],
        include: '{**/*.otlp.json,**/*.otlp.jsonl,**/*trace*.json,**/*trace*.jsonl,**/*trace*.gz,**/traces/**/*.json,**/traces/**/*.jsonl,**/traces/**/*.gz,**/*spans*.json}',
        match: /\.(json|jsonl|gz)$/i,
        dialog: { openLabel: 'Open Trace', filters: { 'Trace exports (OTLP/JSON, Jaeger, Zipkin)': ['json', 'jsonl', 'gz'], 'All files': ['*'] } },
      });
      uri = picked?.[0];
    }
    if (!uri) return undefined;
    await vscode.commands.executeCommand('vscode.openWith', uri, WATERFALL_VIEW_TYPE);
    return uri.toString();
  },
};
