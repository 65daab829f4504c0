import type * as vscode from 'vscode';
import { registerCommands } from '../shared/command';
import type { Workbench } from '../shared/workbench';
import { appendForensicsTimeline } from './commands/appendForensicsTimeline';
import { importEvidenceBundle } from './commands/importEvidenceBundle';
import { openTraceWaterfall } from './commands/openTraceWaterfall';
import type { TracesDeps } from './deps';
import { TraceWaterfallProvider } from './waterfallEditor';

export const TRACES_COMMANDS = [openTraceWaterfall, importEvidenceBundle, appendForensicsTimeline];

/** The trace waterfall custom editor (spans, their logs, metrics), evidence bundles and the forensics timeline. */
export function registerTraces(workbench: Workbench): vscode.Disposable[] {
  const traces = new TraceWaterfallProvider(workbench);
  const deps: TracesDeps = { ...workbench, traces };
  return [TraceWaterfallProvider.register(traces), ...registerCommands(TRACES_COMMANDS, deps)];
}
