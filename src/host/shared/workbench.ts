import type * as vscode from 'vscode';
import type { ActiveIncident } from './activeIncident';
import type { EditorHeat } from './editorHeat';
import type { IncidentRepository } from './incidentRepository';
import type { HostIncidentWriter } from './incidentWriter';

/**
 * What every feature may use, built once in `activate` and passed to each feature's `register`: the
 * `.incidents/` store, the incident being worked on, the output channel, and the extension's own places.
 * A feature's own objects (its tree, its editor) stay inside the feature and travel in its own deps type.
 */
export interface Workbench {
  readonly extensionUri: vscode.Uri;
  readonly workspaceState: vscode.Memento;
  readonly extensionMode: vscode.ExtensionMode;
  readonly log: vscode.LogOutputChannel;
  readonly repository: IncidentRepository;
  readonly activeIncident: ActiveIncident;
  /** The one way to change an incident or attach evidence to it. */
  readonly writer: HostIncidentWriter;
  /** VS Code's SecretStorage: credentials (a tracing backend's or a log store's headers) never go to files. */
  readonly secrets: vscode.SecretStorage;
  /** The extension's own folder outside the workspace (traces fetched from a backend, before attaching). */
  readonly storageUri: vscode.Uri;
  /** Per-line heat in the editors (CPU or memory, one at a time). */
  readonly heat: EditorHeat;
}
