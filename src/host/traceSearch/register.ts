import type * as vscode from 'vscode';
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
  return [panels, ...registerCommands(TRACE_SEARCH_COMMANDS, deps)];
}
