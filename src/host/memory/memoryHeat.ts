import * as vscode from 'vscode';
import { formatBytes, rangeValues, stackLocations, type Measure } from '../../core/memory/analysis';
import type { StackValues } from '../../core/memory/model';
import type { MemoryPageView } from '../../protocol/memory';
import type { EditorHeat, HeatLine } from '../shared/editorHeat';
import type { PathResolver } from '../shared/pathResolver';
import type { MemoryDocument } from './memoryDocument';

const ON_KEY = 'incidentWorkbench.memoryHeat.on';
const VIEW_WORDS: Record<MemoryPageView, string> = { peak: 'at the peak', leaks: 'leaked', temporary: 'temporary', range: 'allocated in the range' };

export interface HeatChoice {
  view: MemoryPageView;
  measure: Measure;
  range?: [number, number];
}

/**
 * Bytes per line in the editors: the lines that allocated what the focused memory view shows (the view,
 * measure and range the page has chosen), through the workbench's EditorHeat, in place of CPU heat while
 * a memory view has the focus.
 */
export class MemoryHeat implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private source: MemoryDocument | undefined;
  private choice: HeatChoice = { view: 'leaks', measure: 'bytes' };
  private lines = new Map<string, Map<number, HeatLine>>();
  private ticket = 0;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly resolver: PathResolver,
    private readonly memento: vscode.Memento,
    private readonly editorHeat: EditorHeat,
  ) {
    this.subscription = editorHeat.onDidChange(() => this.changed.fire());
  }

  get enabled(): boolean {
    return this.memento.get<boolean>(ON_KEY, true);
  }

  /** Memory heat is what the editors show. */
  get shown(): boolean {
    return this.editorHeat.shown === 'memory';
  }

  get current(): MemoryDocument | undefined {
    return this.source;
  }

  async setEnabled(on: boolean): Promise<void> {
    await this.memento.update(ON_KEY, on);
    this.publish();
    if (on) await this.editorHeat.show('memory');
    this.changed.fire();
  }

  /** Shows the heat of `doc` for the page's choice (or its last one). */
  async follow(doc: MemoryDocument, choice: HeatChoice = this.source === doc ? this.choice : this.choice): Promise<void> {
    const capture = doc.capture;
    if (!capture) return;
    const ticket = ++this.ticket;
    const values: StackValues | undefined = choice.view === 'range' ? (choice.range ? rangeValues(capture, choice.range[0], choice.range[1]).allocated : undefined) : capture.views[choice.view];
    const { of, locations } = stackLocations(capture);
    const bytes = new Float64Array(locations.length);
    const counts = new Float64Array(locations.length);
    let totalBytes = 0;
    let totalCount = 0;
    for (let i = 0; i < (values?.stacks.length ?? 0); i++) {
      const s = values!.stacks[i]!;
      const loc = s >= 0 ? of[s]! : 0;
      bytes[loc] += values!.bytes[i]!;
      counts[loc] += values!.counts[i]!;
      totalBytes += values!.bytes[i]!;
      totalCount += values!.counts[i]!;
    }
    // Per resolved file and line first: two functions on one line (a comprehension in its caller) add up.
    const perLine = new Map<string, Map<number, { bytes: number; count: number }>>();
    await Promise.all(
      locations.map(async (l, i) => {
        if (!l.file || l.line <= 0 || (bytes[i]! <= 0 && counts[i]! <= 0)) return;
        const uri = await this.resolver.resolve(l.file, doc.cwd);
        if (!uri) return;
        const lines = perLine.get(uri.fsPath) ?? new Map<number, { bytes: number; count: number }>();
        const acc = lines.get(l.line) ?? { bytes: 0, count: 0 };
        acc.bytes += bytes[i]!;
        acc.count += counts[i]!;
        lines.set(l.line, acc);
        perLine.set(uri.fsPath, lines);
      }),
    );
    const where = vscode.workspace.asRelativePath(doc.uri);
    const next = new Map<string, Map<number, HeatLine>>();
    for (const [file, lines] of perLine) {
      const out = new Map<number, HeatLine>();
      for (const [line, acc] of lines) {
        const share = choice.measure === 'bytes' ? (totalBytes > 0 ? acc.bytes / totalBytes : 0) : totalCount > 0 ? acc.count / totalCount : 0;
        const n = Math.round(acc.count);
        const pct = `${(share * 100).toFixed(1)}%`;
        const what = `${formatBytes(acc.bytes)} ${VIEW_WORDS[choice.view]}`;
        const allocations = `${n.toLocaleString('en')} allocation${n === 1 ? '' : 's'}`;
        out.set(line, {
          strength: Math.sqrt(share),
          hover: `**Memory heat** — ${what} (${pct} of the view), ${allocations}, in ${where}`,
          lens: share < 0.005 ? '' : `$(symbol-numeric) ${what} · ${pct} · ${allocations}`,
        });
      }
      next.set(file, out);
    }
    if (ticket !== this.ticket) return;
    this.source = doc;
    this.choice = choice;
    this.lines = next;
    this.publish();
    if (this.enabled) await this.editorHeat.show('memory');
    this.changed.fire();
  }

  /** The capture was closed: its heat goes with it. */
  forget(doc: MemoryDocument): void {
    if (this.source !== doc) return;
    this.source = undefined;
    this.lines = new Map();
    this.publish();
    this.changed.fire();
  }

  /** The heat of one file while memory heat is shown (tests). */
  linesFor(uri: vscode.Uri): Map<number, HeatLine> | undefined {
    return this.enabled && this.shown ? this.lines.get(uri.fsPath) : undefined;
  }

  private publish(): void {
    this.editorHeat.set('memory', this.enabled && this.lines.size > 0 ? { lines: this.lines, lensCommand: 'incidentWorkbench.toggleMemoryHeat', lensTooltip: 'Memory allocated on this line in the focused memory view. Click to hide the heat.' } : undefined);
  }

  dispose(): void {
    this.editorHeat.set('memory', undefined);
    this.subscription.dispose();
    this.changed.dispose();
  }
}
