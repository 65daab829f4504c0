import * as vscode from 'vscode';
import type { Command } from '../../shared/command';
import type { ProfileDeps } from '../deps';
import { stopRecordings } from '../recording';

/** The status bar item's click: stops the running py-spy recordings; each keeps what it sampled. */
export const stopProfiling: Command<ProfileDeps> = {
  id: 'incidentWorkbench.stopProfiling',
  run(): number {
    const n = stopRecordings();
    if (n === 0) vscode.window.setStatusBarMessage('Nothing is being profiled.', 3000);
    return n;
  },
};
