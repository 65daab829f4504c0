import * as vscode from 'vscode';
import { focusLabel, focusProfile, sharesKey, type FocusFrame } from '../../core/profile/focus';
import { isIdleFrame } from '../../core/profile/idle';
import { defaultThreads, totalWeight } from '../../core/profile/model';
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
  /** Set instead of `source` while the heat shows a profile diff's change. */
  private diff: ProfilePair | undefined;
  private threads: number[] | null = null;
  private focus: HeatFocus | undefined;
  /** What the heat is limited to (a zoomed frame, a thread), or undefined for the whole profile. */
  private filter: string | undefined;
  private computing = 0;
  /** What `heat` was computed from (threads, zoom, path resolution), while it shows one profile. */
  private sharesKey: string | undefined;

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
    // The page asks for the heat it shows right after its first paint, which is mostly what the editor
    // computed when the profile opened: the line table of 200k stacks is not made twice.
    const key = sharesKey(threads, focus, this.resolver.generation);
    const same = this.source === doc && this.sharesKey === key;
    const next = same ? this.heat : await this.resolved(sharesOf(doc, threads, focus), doc.cwd);
    if (ticket !== this.computing) return;
    this.heat = next;
    this.sharesKey = key;
    this.source = doc;
    this.diff = undefined;
    this.threads = threads;
    this.focus = focus;
    this.filter = zoomed || oneThread ? focusLabel(zoomed ? focus!.path : [], oneThread) : undefined;
    this.publish();
    await this.editorHeat.show('cpu');
    this.changed.fire();
  }

  /**
   * Shows the change between two profiles (the focused profile diff): per line, the share of samples after
   * minus the share before, of the whole profiles or, when the diff chart is zoomed, of that subtree in both.
   */
  async followDiff(pair: ProfilePair, focus: HeatFocus | undefined = this.diff === pair ? this.focus : undefined): Promise<void> {
    if (!pair.before.profile || !pair.after.profile) return;
    const ticket = ++this.computing;
    const zoomed = !!focus && focus.path.length > 0;
    // Thread indices differ between two profiles: a diff compares all their default threads.
    const [before, after] = await Promise.all([this.resolved(sharesOf(pair.before, null, focus, true), pair.before.cwd), this.resolved(sharesOf(pair.after, null, focus, true), pair.after.cwd)]);
    if (ticket !== this.computing) return;
    const next = new Map<string, Map<number, LineShare>>();
    for (const [file, lines] of after) next.set(file, new Map([...lines].map(([line, s]) => [line, { ...s }])));
    for (const [file, lines] of before) {
      const merged = next.get(file) ?? new Map<number, LineShare>();
      for (const [line, s] of lines) {
        const a = merged.get(line) ?? { self: 0, total: 0 };
        merged.set(line, { self: a.self - s.self, total: a.total - s.total });
      }
      next.set(file, merged);
    }
    this.heat = next;
    this.sharesKey = undefined;
    this.source = undefined;
    this.diff = pair;
    this.threads = null;
    this.focus = focus;
    this.filter = zoomed ? focusLabel(focus!.path) : undefined;
    this.publish();
    await this.editorHeat.show('cpu');
    this.changed.fire();
  }

  /** The diff the heat shows now, if any. */
  get currentDiff(): ProfilePair | undefined {
    return this.diff;
  }

  /** Resolves recorded file paths to the workspace, merging what lands on one file. */
  private async resolved(byFile: Map<string, Map<number, LineShare>>, cwd: string | undefined): Promise<Map<string, Map<number, LineShare>>> {
    const next = new Map<string, Map<number, LineShare>>();
    await Promise.all(
      [...byFile].map(async ([file, lines]) => {
        const uri = await this.resolver.resolve(file, cwd);
        if (!uri) return;
        const merged = next.get(uri.fsPath) ?? new Map<number, LineShare>();
        for (const [line, s] of lines) {
          const prev = merged.get(line);
          merged.set(line, prev ? { self: prev.self + s.self, total: Math.max(prev.total, s.total) } : s);
        }
        next.set(uri.fsPath, merged);
      }),
    );
    return next;
  }

  /** The note's reset: the whole profile's heat (all threads, no zoom), or the whole diff's. */
  async resetFilter(): Promise<void> {
    // An explicit empty focus: `undefined` would take the default parameter, the current zoom.
    const whole = { path: [], onlyMine: false, hideIdle: false };
    if (this.diff) await this.followDiff(this.diff, whole);
    else if (this.source) await this.follow(this.source, null, whole);
  }

  /** The profile (or the diff panel) was closed: its heat goes with it. */
  forget(doc: ProfileDocument | ProfilePair): void {
    if (this.source !== doc && this.diff !== doc) return;
    this.source = undefined;
    this.diff = undefined;
    this.filter = undefined;
    this.focus = undefined;
    this.heat = new Map();
    this.sharesKey = undefined;
    this.publish();
    this.changed.fire();
  }

  /** Per-line shares for a file (tests). */
  linesFor(uri: vscode.Uri): Map<number, LineShare> | undefined {
    return this.enabled ? this.heat.get(uri.fsPath) : undefined;
  }

  private publish(): void {
    const owner = this.diff?.after ?? this.source;
    if (!this.enabled || !owner || this.heat.size === 0) {
      this.editorHeat.set('cpu', undefined);
      return;
    }
    const diff = this.diff;
    const where = diff ? `${vscode.workspace.asRelativePath(diff.before.uri)} → ${vscode.workspace.asRelativePath(diff.after.uri)}` : vscode.workspace.asRelativePath(owner.uri);
    const under = this.filter ? ` under ${this.filter}` : '';
    const lines = new Map<string, Map<number, HeatLine>>();
    for (const [file, shares] of this.heat) {
      const out = new Map<number, HeatLine>();
      for (const [line, s] of shares) {
        if (diff) {
          // A change: how much the line's share grew (warm) or fell (cool).
          const self = Math.abs(s.self);
          const total = Math.abs(s.total);
          if (self < 0.0005 && total < 0.0005) continue;
          out.set(line, {
            strength: self > 0.0005 ? Math.sqrt(self) : Math.sqrt(total) * 0.25,
            cool: (self > 0.0005 ? s.self : s.total) < 0,
            hover: `**Profile diff heat** — ${deltaText(s.self)} self · ${deltaText(s.total)} total (share of the samples${under}) from ${where}`,
            lens: self < 0.005 && total < 0.01 ? '' : `$(diff) ${deltaText(s.self)} self · ${deltaText(s.total)} total`,
          });
          continue;
        }
        out.set(line, {
          strength: s.self > 0 ? Math.sqrt(s.self) : Math.sqrt(s.total) * 0.25,
          hover: `**Profile heat** — ${pctText(s.self)} self · ${pctText(s.total)} total of the samples${under} in ${where}`,
          lens: s.self < 0.005 && s.total < 0.01 ? '' : `$(flame) ${pctText(s.self)} self · ${pctText(s.total)} total`,
        });
      }
      if (out.size) lines.set(file, out);
    }
    const whole = diff ? 'the whole diff' : 'the whole profile';
    this.editorHeat.set('cpu', {
      lines,
      lensCommand: 'incidentWorkbench.toggleProfileHeat',
      lensTooltip: diff ? "How this line's share of the samples changed from the before profile to the after profile. Click to hide the heat." : "Share of the profile's samples on this line. Click to hide the heat.",
      ...(this.filter
        ? { note: { title: `$(filter) Heat filtered to ${this.filter} — show ${whole}`, command: 'incidentWorkbench.resetProfileHeatFilter', tooltip: `The ${diff ? 'diff' : 'flame graph'} is zoomed or shows one thread; the heat and these lenses count only those samples. Click for ${whole}.` } }
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

/** A change of share, signed: "+2.3%", "−0.4%" (a true minus sign), "±0.0%". */
export function deltaText(delta: number): string {
  const pct = (Math.abs(delta) * 100).toFixed(1);
  if (pct === '0.0') return '±0.0%';
  return `${delta > 0 ? '+' : '−'}${pct}%`;
}

/** Before and after of a profile diff panel: the heat shows the change between them. */
export interface ProfilePair {
  before: ProfileDocument;
  after: ProfileDocument;
}

/**
 * Per-line shares of a profile: its chosen threads, and under the chart's zoom only that subtree's samples,
 * as shares of the subtree or (`ofWhole`, a diff: two subtrees at 100% would show no change) of the whole.
 */
function sharesOf(doc: ProfileDocument, threads: number[] | null, focus: HeatFocus | undefined, ofWhole = false): Map<string, Map<number, LineShare>> {
  const profile = doc.profile!;
  if (!(focus && (focus.path.length > 0 || focus.hideIdle))) return lineHeat(profile, threads ?? undefined);
  const flags = doc.data?.frameFlags;
  const focused = focusProfile(profile, focus.path, {
    threads,
    ...(focus.onlyMine && flags ? { skip: (_f, i) => (flags[i]! & FRAME_MINE) === 0 } : {}),
    ...(focus.hideIdle ? { dropLeaf: (f) => isIdleFrame(f) } : {}),
  });
  const shares = lineHeat(focused);
  if (!ofWhole) return shares;
  const whole = totalWeight(profile, threads ?? defaultThreads(profile));
  const scale = whole > 0 ? totalWeight(focused) / whole : 0;
  for (const lines of shares.values()) for (const [line, v] of lines) lines.set(line, { self: v.self * scale, total: v.total * scale });
  return shares;
}

/** The chart's zoom as the heat follows it (see the `focus` intent in src/protocol/flamegraph.ts). */
export interface HeatFocus {
  path: FocusFrame[];
  onlyMine: boolean;
  hideIdle: boolean;
}
