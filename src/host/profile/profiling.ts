import * as vscode from 'vscode';
import { FlamegraphEditorProvider, openFrameSource, type FlamegraphHost } from './flamegraphEditor';
import { PathResolver } from '../shared/pathResolver';
import { ProfileDocument } from './profileDocument';
import { profileSnapshot } from '../../presenters/flamegraph';
import type { Workbench } from '../shared/workbench';
import { SourceHeat } from './sourceHeat';
import { onDidChangeRecording } from './recording';

const CWD_KEY = 'incidentWorkbench.profileCwds';

/**
 * What the profiling feature shares between its commands, the py-spy task, the flamegraph editor and the
 * source heat. Built in `activate` without any I/O; everything reads files only when asked.
 */
export class Profiling implements vscode.Disposable, FlamegraphHost {
  readonly resolver = new PathResolver();
  readonly heat: SourceHeat;
  readonly editor: FlamegraphEditorProvider;
  readonly extensionUri: vscode.Uri;
  readonly log: vscode.LogOutputChannel;
  private readonly workspaceState: vscode.Memento;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(workbench: Workbench) {
    this.extensionUri = workbench.extensionUri;
    this.log = workbench.log;
    this.workspaceState = workbench.workspaceState;
    this.heat = new SourceHeat(this.resolver, workbench.workspaceState, workbench.heat);
    const { provider, disposable } = FlamegraphEditorProvider.register(this);
    this.editor = provider;
    this.disposables.push(this.resolver, this.heat, disposable);
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

  /** The profiled process's working directory, kept per profile file so relative frame paths resolve later. */
  async rememberCwd(uri: vscode.Uri, cwd: string): Promise<void> {
    const all = { ...this.workspaceState.get<Record<string, string>>(CWD_KEY, {}), [uri.toString()]: cwd };
    await this.workspaceState.update(CWD_KEY, all);
  }

  cwdFor(uri: vscode.Uri): string | undefined {
    return this.workspaceState.get<Record<string, string>>(CWD_KEY, {})[uri.toString()];
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
