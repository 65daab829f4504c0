import * as vscode from 'vscode';
import { stacksReport } from '../../core/stacks/analyze';
import { registerCommands } from '../shared/command';
import type { Workbench } from '../shared/workbench';
import { dumpPythonStacks } from './commands/dumpPythonStacks';
import { openStackDump } from './commands/openStackDump';
import type { StacksDeps } from './deps';
import { registerProgramTaskType } from '../shared/programTask';
import { createDumpTask, PY_SPY_DUMP_TASK_TYPE, type PySpyDumpTaskDefinition } from './dumpTask';
import { openDumpFrame, StacksEditorProvider } from './stacksEditor';

export const STACKS_COMMANDS = [dumpPythonStacks, openStackDump];

/** Stuck processes: the py-spy-dump task, the stack dump editor and its commands. */
export function registerStacks(workbench: Workbench): vscode.Disposable[] {
  const { provider, disposable } = StacksEditorProvider.register(workbench.extensionUri, workbench.log);
  const deps: StacksDeps = { ...workbench, editor: provider };
  const disposables = [disposable, registerProgramTaskType<PySpyDumpTaskDefinition>(PY_SPY_DUMP_TASK_TYPE, (def, scope) => createDumpTask(deps, def, scope)), ...registerCommands(STACKS_COMMANDS, deps)];
  if (workbench.extensionMode === vscode.ExtensionMode.Test) {
    disposables.push(
      // What the stack view of an open dump shows, as `iwb stacks --json` writes it.
      vscode.commands.registerCommand('incidentWorkbench._stacksReport', (uri: unknown) => {
        const doc = uri instanceof vscode.Uri ? provider.documentFor(uri) : undefined;
        return doc?.analysis ? stacksReport(doc.analysis) : doc?.error;
      }),
      vscode.commands.registerCommand('incidentWorkbench._openStackFrame', (file: unknown, line: unknown) => (typeof file === 'string' && typeof line === 'number' ? openDumpFrame(file, line) : undefined)),
    );
  }
  return disposables;
}
