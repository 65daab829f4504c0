import * as vscode from 'vscode';
import { registerCommands } from '../shared/command';
import type { Workbench } from '../shared/workbench';
import { compareTraces } from './commands/compareTraces';
import { searchTraces } from './commands/searchTraces';
import { setJaegerHeaders } from './commands/setJaegerHeaders';
import { traceStatsOfFile } from './commands/traceStatsOfFile';
import type { TraceSearchDeps } from './deps';
import { TraceSearchPanels } from './panels';

export const TRACE_SEARCH_COMMANDS = [searchTraces, compareTraces, traceStatsOfFile, setJaegerHeaders];

/** Traces where they live: search a Jaeger, compare two traces, statistics over many. */
export function registerTraceSearch(workbench: Workbench): vscode.Disposable[] {
  const panels = new TraceSearchPanels(workbench);
  const deps: TraceSearchDeps = { ...workbench, panels };
  const disposables = [panels, ...registerCommands(TRACE_SEARCH_COMMANDS, deps)];
  if (workbench.extensionMode === vscode.ExtensionMode.Test) {
    // Sends one intent to the Trace Search panel (as the page would) and returns its snapshot after it.
    disposables.push(vscode.commands.registerCommand('incidentWorkbench._traceSearch', async (intent?: { type: string }) => {
      const panel = await panels.showSearch();
      if (intent) await panel.intent(intent);
      return panel.snapshotNow();
    }));
  }
  return disposables;
}
