import * as vscode from 'vscode';
import type { Command } from '../../shared/command';
import type { TraceSearchDeps } from '../deps';

/** Statistics over every trace of a file (rates, percentiles, histogram, BubbleUp) in the Trace Search panel. */
export const traceStatsOfFile: Command<TraceSearchDeps> = {
  id: 'incidentWorkbench.traceStatsOfFile',
  async run(deps, arg?: unknown) {
    let uri = arg instanceof vscode.Uri ? arg : typeof arg === 'string' ? (arg.includes('://') ? vscode.Uri.parse(arg) : deps.repository.uri(arg)) : undefined;
    if (!uri) uri = (await vscode.window.showOpenDialog({ title: 'Statistics of the traces in a file', canSelectMany: false, filters: { 'Trace exports (OTLP/JSON, Jaeger, Zipkin)': ['json', 'jsonl', 'gz'], 'All files': ['*'] } }))?.[0];
    if (!uri) return undefined;
    const panel = await deps.panels.showSearch();
    await panel.statsOfFile(uri);
    return panel.snapshotNow();
  },
};
