import type * as vscode from 'vscode';

/**
 * The last profiling target of this workspace, whichever profiler ran it (py-spy or memray): Re-run Last
 * Profile runs `command` with `args` again. Kept here so the two features share it without importing each other.
 */
export interface LastProfile {
  command: 'incidentWorkbench.profilePythonProcess' | 'incidentWorkbench.profileMemory';
  /** The command's scripted arguments (target and options): nothing is asked again. */
  args: Record<string, unknown>;
}

const KEY = 'incidentWorkbench.lastProfile';

export function lastProfile(memento: vscode.Memento): LastProfile | undefined {
  const last = memento.get<LastProfile>(KEY);
  return last && typeof last.command === 'string' && last.args && typeof last.args === 'object' ? last : undefined;
}

export function rememberProfile(memento: vscode.Memento, last: LastProfile): Thenable<void> {
  return memento.update(KEY, last);
}
