import * as vscode from 'vscode';

// Policy: a problem the user caused or can act on (a file they picked, a setting, no folder, an untrusted
// workspace) is a notification, with the action that fixes it where there is one; internal detail (a stack, a
// failure they cannot act on) goes only to the output channel. Everything reported is also logged there.

export interface ReportErrorOptions {
  /** Whether the user sees a notification; false writes to the output channel only. */
  notify: boolean;
  /** 'warning' when the work was done or can go on, with a caveat. */
  severity?: 'error' | 'warning';
  /** What was thrown, if anything: its stack goes to the output channel, never into the notification. */
  cause?: unknown;
  /** What it is about (an incident id), for the output channel, where the lines of every feature mix. */
  subject?: string;
  /** Buttons that fix the problem ("Open Settings", "Manage Workspace Trust"); the one clicked is returned. */
  actions?: readonly string[];
}

export async function reportError(log: vscode.LogOutputChannel, message: string, options: ReportErrorOptions): Promise<string | undefined> {
  const stack = options.cause instanceof Error && options.cause.stack ? `\n${options.cause.stack}` : '';
  const line = `${options.subject ? `${options.subject}: ` : ''}${message}${stack}`;
  if (options.severity === 'warning') log.warn(line);
  else log.error(line);
  if (!options.notify) return undefined;
  const actions = options.actions ?? [];
  return options.severity === 'warning' ? vscode.window.showWarningMessage(message, ...actions) : vscode.window.showErrorMessage(message, ...actions);
}
