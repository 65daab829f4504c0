import * as vscode from 'vscode';
import { lineHeat } from '../../core/profile/summary';
import type { EditorHeat, HeatLine } from '../shared/editorHeat';
import type { PathResolver } from '../shared/pathResolver';
import type { ProfileDocument } from './profileDocument';

/**
 * Hot lines glow in the editor: a background whose strength follows √(self share) (austin-vscode's
 * shading), a heat bar in the gutter, a mark in the overview ruler, and optionally a code lens
 * "18.4% self · 41.0% total". It follows the flamegraph that was focused last. The painting is the
 * workbench's EditorHeat, shared with memory heat: focusing a flame graph shows CPU heat again.
 */
export interface LineShare {
  self: number;
  total: number;
}

export class SourceHeat implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when heat is switched on/off or follows another profile. */
  readonly onDidChange = this.changed.event;
  private heat = new Map<string, Map<number, LineShare>>();
  private source: ProfileDocument | undefined;
  private threads: number[] | null = null;
  private computing = 0;

  constructor(
    private readonly resolver: PathResolver,
    private readonly memento: vscode.Memento,
    private readonly editorHeat: EditorHeat,
  ) {}

  get enabled(): boolean {
    return this.memento.get<boolean>('incidentWorkbench.profileHeat.on', true);
  }

  get current(): ProfileDocument | undefined {
    return this.source;
  }

  async setEnabled(on: boolean): Promise<void> {
    await this.memento.update('incidentWorkbench.profileHeat.on', on);
    this.publish();
    if (on) await this.editorHeat.show('cpu');
    this.changed.fire();
  }

  /** Shows the heat of `doc` (the focused flamegraph), for its chosen threads. */
  async follow(doc: ProfileDocument, threads: number[] | null = this.source === doc ? this.threads : null): Promise<void> {
    if (!doc.profile) return;
    const ticket = ++this.computing;
    const byFile = lineHeat(doc.profile, threads ?? undefined);
    const next = new Map<string, Map<number, LineShare>>();
    await Promise.all(
      [...byFile].map(async ([file, lines]) => {
        const uri = await this.resolver.resolve(file, doc.cwd);
        if (!uri) return;
        const merged = next.get(uri.fsPath) ?? new Map<number, LineShare>();
        for (const [line, s] of lines) {
          const prev = merged.get(line);
          merged.set(line, prev ? { self: prev.self + s.self, total: Math.max(prev.total, s.total) } : s);
        }
        next.set(uri.fsPath, merged);
      }),
    );
    if (ticket !== this.computing) return;
    this.heat = next;
    this.source = doc;
    this.threads = threads;
    this.publish();
    await this.editorHeat.show('cpu');
    this.changed.fire();
  }

  /** The profile was closed: its heat goes with it. */
  forget(doc: ProfileDocument): void {
    if (this.source !== doc) return;
    this.source = undefined;
    this.heat = new Map();
    this.publish();
    this.changed.fire();
  }

  /** Per-line shares for a file (tests). */
  linesFor(uri: vscode.Uri): Map<number, LineShare> | undefined {
    return this.enabled ? this.heat.get(uri.fsPath) : undefined;
  }

  private publish(): void {
    if (!this.enabled || !this.source || this.heat.size === 0) {
      this.editorHeat.set('cpu', undefined);
      return;
    }
    const where = vscode.workspace.asRelativePath(this.source.uri);
    const lines = new Map<string, Map<number, HeatLine>>();
    for (const [file, shares] of this.heat) {
      const out = new Map<number, HeatLine>();
      for (const [line, s] of shares) {
        out.set(line, {
          strength: s.self > 0 ? Math.sqrt(s.self) : Math.sqrt(s.total) * 0.25,
          hover: `**Profile heat** — ${pctText(s.self)} self · ${pctText(s.total)} total of the samples in ${where}`,
          lens: s.self < 0.005 && s.total < 0.01 ? '' : `$(flame) ${pctText(s.self)} self · ${pctText(s.total)} total`,
        });
      }
      lines.set(file, out);
    }
    this.editorHeat.set('cpu', { lines, lensCommand: 'incidentWorkbench.toggleProfileHeat', lensTooltip: "Share of the profile's samples on this line. Click to hide the heat." });
  }

  dispose(): void {
    this.editorHeat.set('cpu', undefined);
    this.changed.dispose();
  }
}

export function pctText(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
