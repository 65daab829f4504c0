import * as vscode from 'vscode';
import { WATERFALL_VIEW_TYPE } from '../../../protocol/waterfall';
import type { Command } from '../../shared/command';
import type { TracesDeps } from '../deps';

/** Opens a trace file (OTLP/JSON, JSON Lines, Jaeger, Zipkin) in the waterfall. Arg: a Uri or path. */
export const openTraceWaterfall: Command<TracesDeps> = {
  id: 'incidentWorkbench.openTraceWaterfall',
  async run(deps, arg?: unknown): Promise<string | undefined> {
    let uri = arg instanceof vscode.Uri ? arg : typeof arg === 'string' ? (arg.includes('://') ? vscode.Uri.parse(arg) : deps.repository.uri(arg)) : undefined;
    if (!uri) {
      const picked = await vscode.window.showOpenDialog({
        title: 'Open Trace Waterfall',
        openLabel: 'Open Trace',
        canSelectMany: false,
        ...(deps.repository.folder ? { defaultUri: deps.repository.folder.uri } : {}),
        filters: { 'Trace exports (OTLP/JSON, Jaeger, Zipkin)': ['json', 'jsonl', 'gz'], 'All files': ['*'] },
      });
      uri = picked?.[0];
    }
    if (!uri) return undefined;
    await vscode.commands.executeCommand('vscode.openWith', uri, WATERFALL_VIEW_TYPE);
    return uri.toString();
  },
};
