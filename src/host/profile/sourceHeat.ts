import * as vscode from 'vscode';
import { focusLabel, focusProfile, type FocusFrame } from '../../core/profile/focus';
import { isIdleFrame } from '../../core/profile/idle';
import { lineHeat } from '../../core/profile/summary';
import { FRAME_MINE } from '../../protocol/flamegraph';
import type { PathResolver } from './pathResolver';
import type { ProfileDocument } from './profileDocument';

/**
 * Hot lines glow in the editor: a background whose strength follows √(self share) (austin-vscode's
 * shading), a heat bar in the gutter, a mark in the overview ruler, and optionally a code lens
 * "18.4% self · 41.0% total". It follows the flamegraph that was focused last.
 */
const LEVELS = 6;

function gutterBar(level: number): vscode.Uri {
  const w = Math.round((level / LEVELS) * 14) + 2;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><rect x="0" y="3" width="${w}" height="10" fill="rgb(240,90,20)" fill-opacity="${0.35 + (0.65 * level) / LEVELS}"/></svg>`;
  return vscode.Uri.parse(`data:image/svg+xml;utf8,${encodeURIComponent(svg)}`);
}

export interface LineShare {
  self: number;
  total: number;
}

export class SourceHeat implements vscode.Disposable, vscode.CodeLensProvider {
  private readonly types = Array.from({ length: LEVELS }, (_, i) =>
    vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: `rgba(240, 90, 20, ${(0.06 + (0.3 * (i + 1)) / LEVELS).toFixed(3)})`,
      overviewRulerColor: `rgba(240, 90, 20, ${(0.4 + (0.6 * (i + 1)) / LEVELS).toFixed(2)})`,
      overviewRulerLane: vscode.OverviewRulerLane.Right,
      gutterIconPath: gutterBar(i + 1),
      gutterIconSize: 'contain',
    }),
  );
  private readonly lensChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensChanged.event;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when heat is switched on/off or follows another profile. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
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
  ) {
    this.disposables.push(
      ...this.types,
      this.lensChanged,
      this.changed,
      vscode.languages.registerCodeLensProvider({ scheme: 'file' }, this),
      vscode.window.onDidChangeVisibleTextEditors(() => this.paint()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('incidentWorkbench.profileHeat')) {
          this.paint();
          this.lensChanged.fire();
        }
      }),
    );
  }

  get enabled(): boolean {
    return this.memento.get<boolean>('incidentWorkbench.profileHeat.on', true);
  }

  get current(): ProfileDocument | undefined {
    return this.source;
  }

  async setEnabled(on: boolean): Promise<void> {
    await this.memento.update('incidentWorkbench.profileHeat.on', on);
    this.paint();
    this.lensChanged.fire();
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
    this.paint();
    this.lensChanged.fire();
    this.changed.fire();
  }

  /** The note's reset: the whole profile's heat (all threads the chart had, no zoom). */
  async resetFilter(): Promise<void> {
    if (!this.source) return;
    // An explicit empty focus: `undefined` would take the default parameter, the current zoom.
    await this.follow(this.source, null, { path: [], onlyMine: false, hideIdle: false });
  }

  /** The profile was closed: its heat goes with it. */
  forget(doc: ProfileDocument): void {
    if (this.source !== doc) return;
    this.source = undefined;
    this.filter = undefined;
    this.focus = undefined;
    this.heat = new Map();
    this.paint();
    this.lensChanged.fire();
    this.changed.fire();
  }

  /** Per-line shares for a file (tests and the code lens). */
  linesFor(uri: vscode.Uri): Map<number, LineShare> | undefined {
    return this.enabled ? this.heat.get(uri.fsPath) : undefined;
  }

  private paint(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const lines = this.linesFor(editor.document.uri);
      const buckets: vscode.DecorationOptions[][] = this.types.map(() => []);
      if (lines) {
        let maxSelf = 0;
        for (const s of lines.values()) maxSelf = Math.max(maxSelf, s.self);
        for (const [line, s] of lines) {
          if (line < 1 || line > editor.document.lineCount) continue;
          const strength = s.self > 0 ? Math.sqrt(s.self) : Math.sqrt(s.total) * 0.25;
          if (strength < 0.03) continue;
          const level = Math.min(LEVELS - 1, Math.floor(strength * LEVELS));
          const range = editor.document.lineAt(line - 1).range;
          buckets[level]!.push({ range, hoverMessage: new vscode.MarkdownString(`**Profile heat** — ${pctText(s.self)} self · ${pctText(s.total)} total of the samples${this.filter ? ` under ${this.filter}` : ''} in ${vscode.workspace.asRelativePath(this.source!.uri)}`) });
        }
      }
      this.types.forEach((t, i) => editor.setDecorations(t, buckets[i]!));
    }
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.getConfiguration('incidentWorkbench').get<boolean>('profileHeat.codeLens', true)) return [];
    const lines = this.linesFor(document.uri);
    if (!lines) return [];
    const lenses: vscode.CodeLens[] = [];
    if (this.filter) {
      // The note that the heat is partial, with its reset, on top of every heated file.
      lenses.push(new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title: `$(filter) Heat filtered to ${this.filter} — show the whole profile`, command: 'incidentWorkbench.resetProfileHeatFilter', tooltip: 'The flame graph is zoomed or shows one thread; the heat and these lenses count only those samples. Click for the whole profile.' }));
    }
    for (const [line, s] of lines) {
      if (line < 1 || line > document.lineCount || (s.self < 0.005 && s.total < 0.01)) continue;
      lenses.push(new vscode.CodeLens(document.lineAt(line - 1).range, { title: `$(flame) ${pctText(s.self)} self · ${pctText(s.total)} total`, command: 'incidentWorkbench.toggleProfileHeat', tooltip: 'Share of the profile\'s samples on this line. Click to hide the heat.' }));
    }
    return lenses;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** The chart's zoom as the heat follows it (see the `focus` intent in src/protocol/flamegraph.ts). */
export interface HeatFocus {
  path: FocusFrame[];
  onlyMine: boolean;
  hideIdle: boolean;
}

export function pctText(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
