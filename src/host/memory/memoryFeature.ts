import * as vscode from 'vscode';
import type { EditorHeat } from '../shared/editorHeat';
import { RecordedFileFeature } from '../shared/recordedFileFeature';
import type { Workbench } from '../shared/workbench';
import { MemoryEditorProvider, openCaptureSource, type MemoryEditorHost } from './memoryEditor';
import { MemoryHeat } from './memoryHeat';
import { MemoryReading } from './memoryReading';

/**
 * What the memory feature shares between its commands, the memray task, the memory editor and memory
 * heat. Built in `activate` without any I/O; files are read and programs found only when asked.
 */
export class MemoryFeature extends RecordedFileFeature implements MemoryEditorHost {
  readonly reading: MemoryReading;
  readonly heat: MemoryHeat;
  readonly editor: MemoryEditorProvider;
  readonly editorHeat: EditorHeat;

  constructor(workbench: Workbench) {
    super(workbench, 'incidentWorkbench.memoryCwds');
    this.editorHeat = workbench.heat;
    this.reading = new MemoryReading(workbench.extensionUri);
    this.heat = new MemoryHeat(this.resolver, workbench.workspaceState, workbench.heat);
    const { provider, disposable } = MemoryEditorProvider.register(this);
    this.editor = provider;
    this.disposables.push(this.reading, this.heat, disposable);
    if (workbench.extensionMode === vscode.ExtensionMode.Test) {
      this.disposables.push(
        // The snapshot the focused memory view was last sent: its suspects, views and facts.
        vscode.commands.registerCommand('incidentWorkbench._memorySnapshot', () => (this.editor.active ? this.editor.lastSnapshot.get(this.editor.active) : undefined)),
        // What a click on a frame or a suspect does: resolve the recorded path and open the file at the line.
        vscode.commands.registerCommand('incidentWorkbench._openMemorySource', (file: unknown, line: unknown) =>
          typeof file === 'string' && typeof line === 'number' ? openCaptureSource(this.resolver, file, line, this.editor.active?.cwd, vscode.ViewColumn.Two) : undefined,
        ),
        // The memory heat of one file, as the editors show it.
        vscode.commands.registerCommand('incidentWorkbench._memoryHeatLines', (uri: unknown) => (uri instanceof vscode.Uri ? [...(this.heat.linesFor(uri) ?? new Map()).keys()] : undefined)),
      );
    }
  }
}
