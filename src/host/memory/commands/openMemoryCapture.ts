import * as vscode from 'vscode';
import { MEMORY_VIEW_TYPE } from '../../../protocol/memory';
import type { Command } from '../../shared/command';
import { fileUriFrom } from '../../shared/pickFile';
import type { MemoryDeps } from '../deps';

export const MEMORY_FILTERS = { 'Memory captures (memray, tracemalloc, memory_profiler, mprof)': ['bin', 'tracemalloc', 'pickle', 'snapshot', 'dat', 'txt'], 'All files': ['*'] };
/** Files worth offering in the pickers. */
export const MEMORY_GLOB = '{**/*.memray.bin,**/memray-*.bin,**/evidence/memory/**,**/*.tracemalloc,**/mprofile_*.dat,**/*.mprof.dat,**/*.memory_profiler.txt}';

export const openMemoryCapture: Command<MemoryDeps> = {
  id: 'incidentWorkbench.openMemoryCapture',
  async run(deps, arg?: unknown): Promise<vscode.Uri | undefined> {
    let uri = fileUriFrom(deps, arg);
    if (!uri) {
      const picked = await vscode.window.showOpenDialog({ title: 'Open Memory Capture', canSelectMany: false, filters: MEMORY_FILTERS, ...(deps.repository.folder ? { defaultUri: deps.repository.folder.uri } : {}) });
      uri = picked?.[0];
    }
    if (!uri) return undefined;
    await vscode.commands.executeCommand('vscode.openWith', uri, MEMORY_VIEW_TYPE, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    return uri;
  },
};
