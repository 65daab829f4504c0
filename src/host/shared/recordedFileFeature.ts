import type * as vscode from 'vscode';
import { PathResolver } from './pathResolver';
import type { Workbench } from './workbench';

/**
 * What a feature that opens files recorded from a process (profiles, memory captures) keeps for them: the
 * resolver of the frame paths they name, and the process's working directory per file, so relative frame
 * paths still resolve when the file is opened again later.
 */
export class RecordedFileFeature implements vscode.Disposable {
  readonly resolver = new PathResolver();
  readonly extensionUri: vscode.Uri;
  readonly log: vscode.LogOutputChannel;
  protected readonly disposables: vscode.Disposable[] = [this.resolver];
  private readonly workspaceState: vscode.Memento;

  /** `cwdKey`: the workspace-state key of this feature's working directories. */
  constructor(
    workbench: Workbench,
    private readonly cwdKey: string,
  ) {
    this.extensionUri = workbench.extensionUri;
    this.log = workbench.log;
    this.workspaceState = workbench.workspaceState;
  }

  /** The recording process's working directory, kept per file. */
  async rememberCwd(uri: vscode.Uri, cwd: string): Promise<void> {
    const all = { ...this.workspaceState.get<Record<string, string>>(this.cwdKey, {}), [uri.toString()]: cwd };
    await this.workspaceState.update(this.cwdKey, all);
  }

  cwdFor(uri: vscode.Uri): string | undefined {
    return this.workspaceState.get<Record<string, string>>(this.cwdKey, {})[uri.toString()];
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
