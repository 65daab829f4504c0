import * as vscode from 'vscode';
import type { Command } from '../../shared/command';
import type { TraceSearchDeps } from '../deps';

/**
 * Compares two traces: args are trace ids (from the configured Jaeger) or trace files (Uri or path,
 * `FILE#ID` picks one); without args, asks for two files. Returns the comparison panel's snapshot.
 */
export const compareTraces: Command<TraceSearchDeps> = {
  id: 'incidentWorkbench.compareTraces',
  async run(deps, a?: unknown, b?: unknown) {
    let specs = [a, b].map((x) => (x instanceof vscode.Uri ? x.toString() : typeof x === 'string' ? x : undefined));
    if (!specs[0] || !specs[1]) {
      const picked = await vscode.window.showOpenDialog({ title: 'Compare two traces: pick the normal one, then the slow one (or both at once)', canSelectMany: true, filters: { 'Trace exports (OTLP/JSON, Jaeger, Zipkin)': ['json', 'jsonl', 'gz'], 'All files': ['*'] } });
      if (!picked?.length) return undefined;
      const second = picked[1] ?? (await vscode.window.showOpenDialog({ title: 'The second trace', canSelectMany: false }))?.[0];
      if (!second) return undefined;
      specs = [picked[0]!.toString(), second.toString()];
    }
    const panel = await deps.panels.compare(specs[0]!, specs[1]!);
    return panel?.snapshotNow();
  },
};
