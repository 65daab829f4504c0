import * as vscode from 'vscode';
import { FlamegraphEditorProvider, openFrameSource, type FlamegraphHost } from './flamegraphEditor';
import { RecordedFileFeature } from '../shared/recordedFileFeature';
import { ProfileDocument } from './profileDocument';
import { profileSnapshot } from '../../presenters/flamegraph';
import type { Workbench } from '../shared/workbench';
import { SourceHeat } from './sourceHeat';
import { onDidChangeRecording } from './recording';

/**
 * What the profiling feature shares between its commands, the py-spy task, the flamegraph editor and the
 * source heat. Built in `activate` without any I/O; everything reads files only when asked.
 */
export class Profiling extends RecordedFileFeature implements FlamegraphHost {
  readonly heat: SourceHeat;
  readonly editor: FlamegraphEditorProvider;

  constructor(workbench: Workbench) {
    super(workbench, 'incidentWorkbench.profileCwds');
    this.heat = new SourceHeat(this.resolver, workbench.workspaceState, workbench.heat);
    const { provider, disposable } = FlamegraphEditorProvider.register(this);
    this.editor = provider;
    this.disposables.push(this.heat, disposable);
    // While py-spy records: what, and a click that stops it (the profile is written and opens).
    const item = vscode.window.createStatusBarItem('incidentWorkbench.profiling', vscode.StatusBarAlignment.Left, 100);
    item.name = 'Incident Workbench: profiling';
    item.command = 'incidentWorkbench.stopProfiling';
    item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.disposables.push(
      item,
      onDidChangeRecording((what) => {
        if (what.length === 0) return item.hide();
        item.text = `$(record) Profiling ${what.join(', ')}`;
        item.tooltip = 'py-spy is recording. Click to stop; the flame graph opens with what was sampled.';
        item.show();
      }),
    );
    if (workbench.extensionMode === vscode.ExtensionMode.Test) {
      this.disposables.push(
        // Where a frame's recorded file resolves (mappings, cwd, workspace), without the prompt for a mapping on a miss.
        vscode.commands.registerCommand('incidentWorkbench._resolveProfileFile', (file: unknown, cwd?: unknown) =>
          typeof file === 'string' ? this.resolver.resolve(file, typeof cwd === 'string' ? cwd : undefined) : undefined,
        ),
        // What a click on a frame does: resolve the recorded path and open the file at the line.
        vscode.commands.registerCommand('incidentWorkbench._openProfileFrame', (file: unknown, line: unknown, cwd?: unknown) =>
          typeof file === 'string' && typeof line === 'number' ? openFrameSource(this, file, line, typeof cwd === 'string' ? cwd : undefined) : undefined,
        ),
        // The snapshot the flame graph page gets for a file (calls table, op table, note, threads).
        vscode.commands.registerCommand('incidentWorkbench._profileSnapshot', async (uri: unknown) =>
          uri instanceof vscode.Uri ? profileSnapshot(await ProfileDocument.load(uri, this.resolver, this.cwdFor(uri)), uri.path, false) : undefined,
        ),
      );
    }
  }
}
