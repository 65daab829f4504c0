import * as vscode from 'vscode';
import { focusLabel, focusProfile, type FocusFrame } from '../../core/profile/focus';
import { isIdleFrame } from '../../core/profile/idle';
import { lineHeat } from '../../core/profile/summary';
import { FRAME_MINE } from '../../protocol/flamegraph';
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
  private focus: HeatFocus | undefined;
  /** What the heat is limited to (a zoomed frame, a thread), or undefined for the whole profile. */
  private filter: string | undefined;
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

  /** What the heat is limited to, when it follows a zoom or a thread of the chart (the page's note). */
  get filterLabel(): string | undefined {
    return this.filter;
  }

  /**
   * Shows the heat of `doc` (the focused flamegraph), for its chosen threads and, when the chart is
   * zoomed, only the samples under the zoomed frame (shares of that subtree).
   */
  async follow(
    doc: ProfileDocument,
    threads: number[] | null = this.source === doc ? this.threads : null,
    focus: HeatFocus | undefined = this.source === doc ? this.focus : undefined,
  ): Promise<void> {
    if (!doc.profile) return;
    const ticket = ++this.computing;
    const profile = doc.profile;
    const zoomed = !!focus && focus.path.length > 0;
    const oneThread = threads && threads.length === 1 && profile.threads.length > 1 ? profile.threads[threads[0]!]?.name : undefined;
    let byFile;
    if (zoomed || focus?.hideIdle) {
      const flags = doc.data?.frameFlags;
      const focused = focusProfile(profile, focus!.path, {
        threads,
        ...(focus!.onlyMine && flags ? { skip: (_f, i) => (flags[i]! & FRAME_MINE) === 0 } : {}),
        ...(focus!.hideIdle ? { dropLeaf: (f) => isIdleFrame(f) } : {}),
      });
      byFile = lineHeat(focused);
    } else byFile = lineHeat(profile, threads ?? undefined);
    const label = zoomed || oneThread ? focusLabel(zoomed ? focus!.path : [], oneThread) : undefined;
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
    this.focus = focus;
    this.filter = label;
    this.publish();
    await this.editorHeat.show('cpu');
    this.changed.fire();
  }

  /** The profile was closed: its heat goes with it. */
  /** The note's reset: the whole profile's heat (all threads, no zoom). */
  async resetFilter(): Promise<void> {
    if (!this.source) return;
    // An explicit empty focus: `undefined` would take the default parameter, the current zoom.
    await this.follow(this.source, null, { path: [], onlyMine: false, hideIdle: false });
  }

  forget(doc: ProfileDocument): void {
    if (this.source !== doc) return;
    this.source = undefined;
    this.filter = undefined;
    this.focus = undefined;
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
          hover: `**Profile heat** — ${pctText(s.self)} self · ${pctText(s.total)} total of the samples${this.filter ? ` under ${this.filter}` : ''} in ${where}`,
          lens: s.self < 0.005 && s.total < 0.01 ? '' : `$(flame) ${pctText(s.self)} self · ${pctText(s.total)} total`,
        });
      }
      lines.set(file, out);
    }
    this.editorHeat.set('cpu', { lines, lensCommand: 'incidentWorkbench.toggleProfileHeat', lensTooltip: "Share of the profile's samples on this line. Click to hide the heat.",
      ...(this.filter
        ? { note: { title: `$(filter) Heat filtered to ${this.filter} — show the whole profile`, command: 'incidentWorkbench.resetProfileHeatFilter', tooltip: 'The flame graph is zoomed or shows one thread; the heat and these lenses count only those samples. Click for the whole profile.' } }
        : {}),
    });
  }

  dispose(): void {
    this.editorHeat.set('cpu', undefined);
    this.changed.dispose();
  }
}

export function pctText(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** The chart's zoom as the heat follows it (see the `focus` intent in src/protocol/flamegraph.ts). */
export interface HeatFocus {
  path: FocusFrame[];
  onlyMine: boolean;
  hideIdle: boolean;
}
