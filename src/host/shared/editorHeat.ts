import * as vscode from 'vscode';

/**
 * Per-line heat in the editors, shared by the features that have some: CPU time from a profile, bytes from
 * a memory capture. Each feature publishes a layer (what to paint, per file and line); one layer is shown
 * at a time, so the editor never mixes the two: focusing a flame graph shows CPU heat, focusing a memory
 * view shows memory heat, and "Switch Editor Heat" flips between them. Painting follows austin-vscode's
 * shading: a background whose strength grows with the line's share, a heat bar in the gutter, a mark in
 * the overview ruler, and a code lens with the figures (setting incidentWorkbench.profileHeat.codeLens).
 */
export type HeatSource = 'cpu' | 'memory';

export interface HeatLine {
  /** 0..1: how strongly the line glows (a square root of its share, so small shares stay visible). */
  strength: number;
  /** Markdown for the hover. */
  hover: string;
  /** The code lens title; none when empty. */
  lens: string;
  /** A fall rather than a rise (a profile diff): painted in a cool colour. */
  cool?: boolean;
}

export interface HeatLayer {
  /** Per file (fsPath), per 1-based line. */
  lines: Map<string, Map<number, HeatLine>>;
  /** What clicking the lens runs (the feature's toggle). */
  // A command id (not CommandId: command.ts imports the workbench, which holds this).
  lensCommand: `incidentWorkbench.${string}`;
  lensTooltip: string;
  /** A lens on top of every heated file saying the heat is partial (a zoomed flame graph), with its reset. */
  note?: { title: string; command: `incidentWorkbench.${string}`; tooltip: string };
}

const LEVELS = 6;
/** A palette per source, and `cool` for the lines whose share fell (a diff's heat). */
type Palette = HeatSource | 'cool';
const COLOURS: Record<Palette, [number, number, number]> = { cpu: [240, 90, 20], memory: [150, 80, 230], cool: [40, 130, 230] };
const SHOWN_KEY = 'incidentWorkbench.heat.shown';

function gutterBar(level: number, [r, g, b]: [number, number, number]): vscode.Uri {
  const w = Math.round((level / LEVELS) * 14) + 2;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><rect x="0" y="3" width="${w}" height="10" fill="rgb(${r},${g},${b})" fill-opacity="${0.35 + (0.65 * level) / LEVELS}"/></svg>`;
  return vscode.Uri.parse(`data:image/svg+xml;utf8,${encodeURIComponent(svg)}`);
}

export class EditorHeat implements vscode.Disposable, vscode.CodeLensProvider {
  private readonly types = new Map<Palette, vscode.TextEditorDecorationType[]>();
  private readonly layers = new Map<HeatSource, HeatLayer>();
  private readonly lensChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensChanged.event;
  private readonly changed = new vscode.EventEmitter<HeatSource>();
  /** Fires when the shown source switches. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private started = false;

  constructor(private readonly memento: vscode.Memento) {}

  /** Decorations, the lens provider and the editor listeners start with the first layer: activation stays free. */
  private start(): void {
    if (this.started) return;
    this.started = true;
    for (const source of Object.keys(COLOURS) as Palette[]) {
      const [r, g, b] = COLOURS[source];
      this.types.set(
        source,
        Array.from({ length: LEVELS }, (_, i) =>
          vscode.window.createTextEditorDecorationType({
            isWholeLine: true,
            backgroundColor: `rgba(${r}, ${g}, ${b}, ${(0.06 + (0.3 * (i + 1)) / LEVELS).toFixed(3)})`,
            overviewRulerColor: `rgba(${r}, ${g}, ${b}, ${(0.4 + (0.6 * (i + 1)) / LEVELS).toFixed(2)})`,
            overviewRulerLane: vscode.OverviewRulerLane.Right,
            gutterIconPath: gutterBar(i + 1, [r, g, b]),
            gutterIconSize: 'contain',
          }),
        ),
      );
    }
    this.disposables.push(
      ...[...this.types.values()].flat(),
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

  /** Which source the editors show. */
  get shown(): HeatSource {
    return this.memento.get<HeatSource>(SHOWN_KEY, 'cpu');
  }

  /** Whether `source` has something to paint. */
  has(source: HeatSource): boolean {
    return (this.layers.get(source)?.lines.size ?? 0) > 0;
  }

  /** Shows `source`'s heat (the other's decorations go). */
  async show(source: HeatSource): Promise<void> {
    if (this.shown === source) return;
    await this.memento.update(SHOWN_KEY, source);
    this.paint();
    this.lensChanged.fire();
    this.changed.fire(source);
  }

  /** Publishes (or, with undefined, withdraws) a feature's heat. */
  set(source: HeatSource, layer: HeatLayer | undefined): void {
    if (layer) {
      this.start();
      this.layers.set(source, layer);
    } else this.layers.delete(source);
    if (!this.started) return;
    if (source === this.shown) {
      this.paint();
      this.lensChanged.fire();
    }
  }

  /** The shown heat of one file, or undefined. */
  linesFor(uri: vscode.Uri, source: HeatSource = this.shown): Map<number, HeatLine> | undefined {
    if (source !== this.shown) return undefined;
    return this.layers.get(source)?.lines.get(uri.fsPath);
  }

  private paint(): void {
    if (!this.started) return;
    const shown = this.shown;
    for (const editor of vscode.window.visibleTextEditors) {
      const buckets = new Map<Palette, vscode.DecorationOptions[][]>([...this.types].map(([p, types]) => [p, types.map(() => [])]));
      const lines = this.linesFor(editor.document.uri, shown);
      if (lines) {
        for (const [line, h] of lines) {
          if (line < 1 || line > editor.document.lineCount || h.strength < 0.03) continue;
          const level = Math.min(LEVELS - 1, Math.floor(h.strength * LEVELS));
          buckets.get(h.cool ? 'cool' : shown)![level]!.push({ range: editor.document.lineAt(line - 1).range, hoverMessage: new vscode.MarkdownString(h.hover) });
        }
      }
      for (const [palette, types] of this.types) types.forEach((t, i) => editor.setDecorations(t, buckets.get(palette)![i]!));
    }
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.getConfiguration('incidentWorkbench').get<boolean>('profileHeat.codeLens', true)) return [];
    const layer = this.layers.get(this.shown);
    const lines = layer?.lines.get(document.uri.fsPath);
    if (!layer || !lines) return [];
    const lenses: vscode.CodeLens[] = [];
    if (layer.note) lenses.push(new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title: layer.note.title, command: layer.note.command, tooltip: layer.note.tooltip }));
    for (const [line, h] of lines) {
      if (line < 1 || line > document.lineCount || !h.lens) continue;
      lenses.push(new vscode.CodeLens(document.lineAt(line - 1).range, { title: h.lens, command: layer.lensCommand, tooltip: layer.lensTooltip }));
    }
    return lenses;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.lensChanged.dispose();
    this.changed.dispose();
  }
}
