import * as vscode from 'vscode';
import type { Incident } from '../../core/incident/types';
import { checkPostmortemText, parseObject, parsesAsObject } from '../../core/postmortem/check';
import { mergeTimeline, timelineFromEvents } from '../../core/postmortem/prefill';
import type { TimelineEntry } from '../../core/postmortem/types';
import { incidentDir } from '../../core/store/layout';
import { POSTMORTEM_VIEW_TYPE, isPostmortemIntent, type JsonPath, type PostmortemEvent, type PostmortemIntent, type PostmortemSnapshot, type TimelineView } from '../../protocol/postmortem';
import { RowIdentities, resolveChange } from '../../core/postmortem/formRows';
import type { PostmortemDeps } from './deps';
import { WebviewBridge } from '../shared/webviewBridge';
import { buildWebviewHtml, webviewOptions } from '../shared/webviewHtml';
import { editsFor } from './edits';
import { DEFAULT_TIMELINE_VIEW, buildSnapshot } from '../../presenters/postmortem';
import { parseForensicsTimeline } from '../../core/postmortem/importTimeline';
import { errorMessage } from '../../core/util/errors';
import { reportError } from '../shared/reportError';
import { pickFile } from '../shared/pickFile';

/** `.incidents/<id>/postmortem.json` → `<id>`, or undefined for a post-mortem somewhere else. */
export function incidentIdOf(uri: vscode.Uri): string | undefined {
  const m = /\/\.incidents\/([^/]+)\/postmortem\.json$/.exec(uri.path);
  return m?.[1];
}

/** A change to apply as it is (its path already names the current document's positions). */
export type DirectChange = { type: 'set'; path: JsonPath; value: unknown } | { type: 'remove'; path: JsonPath } | { type: 'append'; key: string; value: unknown };

type Bridge = WebviewBridge<PostmortemSnapshot, PostmortemIntent, PostmortemEvent>;

function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * The post-mortem form. The TextDocument is the only model: the page renders snapshots computed from the text
 * and sends intents; intents become minimal WorkspaceEdits on the document, so undo/redo, dirty state, save,
 * hot exit and external changes behave as for any text file. When the text does not parse, the page shows a
 * banner and every edit intent is refused: nothing is written over what cannot be read.
 */
export class PostmortemEditorProvider implements vscode.CustomTextEditorProvider {
  constructor(private readonly deps: PostmortemDeps) {}

  static register(deps: PostmortemDeps): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(POSTMORTEM_VIEW_TYPE, new PostmortemEditorProvider(deps), {
      webviewOptions: { enableFindWidget: true },
      supportsMultipleEditorsPerDocument: true,
    });
  }

  resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): void {
    const extensionUri = this.deps.extensionUri;
    panel.webview.options = webviewOptions(extensionUri);
    const id = incidentIdOf(document.uri);
    panel.webview.html = buildWebviewHtml(panel.webview, extensionUri, { app: 'postmortem', title: `Post-Mortem ${id ?? ''}`.trim() });
    const key = document.uri.toString();

    let cached: { version: number; view: TimelineView; snapshot: PostmortemSnapshot } | undefined;
    // What the page asked to see of the timeline (sort, how many rows); per panel, like a scroll position.
    let view: TimelineView = DEFAULT_TIMELINE_VIEW;
    // The ids this panel's page knows the list rows by, followed from version to version.
    const rows = new RowIdentities();
    // The last change of the page handled: the page stops showing it as pending once a snapshot says so.
    const handled = { seq: 0 };
    const snapshot = async (): Promise<PostmortemSnapshot> => {
      if (cached?.version !== document.version || cached.view !== view) {
        const s = await this.snapshot(document, id, view, rows);
        cached = { version: document.version, view, snapshot: s };
      }
      return { ...cached.snapshot, ackSeq: handled.seq };
    };
    const bridge: Bridge = new WebviewBridge<PostmortemSnapshot, PostmortemIntent, PostmortemEvent>(panel.webview, snapshot, isPostmortemIntent, async (intent): Promise<void> => {
      if (intent.type === 'timelineView') {
        view = { sortKey: intent.view.sortKey, desc: intent.view.desc, limit: Math.min(100000, Math.max(1, Math.floor(intent.view.limit))) };
        await bridge.push();
        return;
      }
      await this.onIntent(document, id, intent, bridge, rows);
      if ((intent.type === 'set' || intent.type === 'remove') && typeof intent.seq === 'number') handled.seq = Math.max(handled.seq, intent.seq);
    });

    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = () => {
      clearTimeout(timer);
      // Coalesce bursts (typing in the text editor) into one snapshot; form edits are single changes anyway.
      timer = setTimeout(() => void bridge.push(), 60);
    };
    const subscriptions = [
      bridge,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === key && e.contentChanges.length > 0) schedule();
      }),
      panel.onDidChangeViewState(() => {
        if (panel.visible) void bridge.push();
      }),
    ];
    panel.onDidDispose(() => {
      clearTimeout(timer);
      for (const s of subscriptions) s.dispose();
    });
  }

  private async snapshot(document: vscode.TextDocument, id: string | undefined, view: TimelineView, rows: RowIdentities): Promise<PostmortemSnapshot> {
    const incident = id ? await this.incident(id) : undefined;
    // Read after the await: the ids must describe the text of the version the snapshot says.
    const check = checkPostmortemText(document.getText(), { positions: false });
    return buildSnapshot(
      check,
      { version: document.version, fileName: vscode.workspace.asRelativePath(document.uri), today: localToday(), ...(incident ? { incidentEvents: (incident.events ?? []).length } : {}) },
      view,
      rows,
    );
  }

  private async incident(id: string): Promise<Incident | undefined> {
    try {
      const entry = await this.deps.repository.store()?.read(id);
      return entry?.state === 'valid' ? entry.value : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * A change the page made against some version, applied to the document as it is now: to the row it named
   * wherever that row moved, or refused (with the reason) when its row is gone or the value it replaces
   * changed meanwhile. Undefined when the text does not parse.
   */
  static async applyFormChange(document: vscode.TextDocument, rows: RowIdentities, change: Extract<PostmortemIntent, { type: 'set' | 'remove' }>): Promise<{ applied: boolean; refused?: string } | undefined> {
    const value = parseObject(document.getText());
    if (!value) return undefined;
    rows.update(document.version, value);
    const where = resolveChange(value, document.version, rows, change);
    if ('refused' in where) return { applied: false, refused: where.refused };
    const direct: DirectChange = change.type === 'set' ? { type: 'set', path: where.path, value: change.value } : { type: 'remove', path: where.path };
    return { applied: await PostmortemEditorProvider.applyIntent(document, direct) };
  }

  /** Applies one change as a minimal edit at the path it names. Returns false (and changes nothing) when the text does not parse. */
  static async applyIntent(document: vscode.TextDocument, intent: DirectChange): Promise<boolean> {
    const text = document.getText();
    if (!parsesAsObject(text)) return false;
    let change: Parameters<typeof editsFor>[1];
    if (intent.type === 'append') {
      const list = (JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as Record<string, unknown>)[intent.key];
      change = Array.isArray(list) ? { type: 'insert', path: [intent.key], index: list.length, value: intent.value } : { type: 'set', path: [intent.key], value: [intent.value] };
    } else change = intent;
    const edits = editsFor(text, change);
    if (edits.length === 0) return true;
    const edit = new vscode.WorkspaceEdit();
    for (const e of edits) edit.replace(document.uri, new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)), e.content);
    return vscode.workspace.applyEdit(edit);
  }

  private async onIntent(document: vscode.TextDocument, id: string | undefined, intent: PostmortemIntent, bridge: Bridge, rows: RowIdentities): Promise<void> {
    switch (intent.type) {
      case 'timelineView':
        return;
      case 'sortTimeline': {
        const check = checkPostmortemText(document.getText(), { positions: false });
        const timeline = check.value && Array.isArray(check.value.timeline) ? check.value.timeline : undefined;
        if (!timeline) return;
        const sorted = timeline.map((e, i) => ({ e, i, t: Date.parse(typeof e?.timestamp === 'string' ? e.timestamp : '') || 0 })).sort((a, b) => a.t - b.t || a.i - b.i).map((x) => x.e);
        await PostmortemEditorProvider.applyIntent(document, { type: 'set', path: ['timeline'], value: sorted });
        return;
      }
      case 'set':
      case 'remove': {
        const result = await PostmortemEditorProvider.applyFormChange(document, rows, intent);
        if (!result) return this.notParsed(document, bridge);
        if (result.refused) {
          // The page keeps what the user typed and shows the reason; the snapshot brings it up to date.
          this.deps.log.info(`${vscode.workspace.asRelativePath(document.uri)}: a form change made against version ${intent.version} was not applied (now ${document.version}): ${result.refused}`);
          await bridge.post({ type: 'refused', seq: intent.seq ?? -1, message: result.refused });
          await bridge.push();
        }
        return;
      }
      case 'append': {
        if (!(await PostmortemEditorProvider.applyIntent(document, intent))) await this.notParsed(document, bridge);
        return;
      }
      case 'importIncidentEvents': {
        const incident = id ? await this.incident(id) : undefined;
        if (!incident) {
          void reportError(this.deps.log, `The incident.json of ${id ?? 'this post-mortem'} cannot be read, so there are no events to import.`, { notify: true, severity: 'warning' });
          return;
        }
        await this.importEntries(document, timelineFromEvents(incident.events ?? []), `${id} events`);
        return;
      }
      case 'importTimelineFile': {
        const base = id ? this.deps.repository.uri(incidentDir(id)) : undefined;
        const picked = await pickFile(this.deps, {
          title: 'Import a timeline (forensics export: JSON or JSON Lines with a timestamp and an event per entry)',
          ...(id ? { incidentId: id } : {}),
          kinds: ['file', 'logs', 'trace'],
          include: '{**/*timeline*.json,**/*timeline*.jsonl,**/*forensics*.json,**/*forensics*.jsonl}',
          match: /timeline|forensics/i,
          dialog: { filters: { 'JSON timeline': ['json', 'jsonl'] }, ...(base ? { defaultUri: base } : {}) },
        });
        if (!picked?.[0]) return;
        try {
          const bytes = await vscode.workspace.fs.readFile(picked[0]);
          const entries = parseForensicsTimeline(new TextDecoder().decode(bytes));
          if (entries.length === 0) {
            void reportError(this.deps.log, `${vscode.workspace.asRelativePath(picked[0])} has no timeline entries with a timestamp and an event.`, { notify: true, severity: 'warning' });
            return;
          }
          await this.importEntries(document, entries, vscode.workspace.asRelativePath(picked[0]));
        } catch (e) {
          void reportError(this.deps.log, `Cannot import ${vscode.workspace.asRelativePath(picked[0])}: ${errorMessage(e)}`, { notify: true, cause: e });
        }
        return;
      }
      case 'openAsText': {
        const options: vscode.TextDocumentShowOptions = {};
        if (intent.line) {
          const p = new vscode.Position(Math.max(0, intent.line - 1), Math.max(0, (intent.column ?? 1) - 1));
          options.selection = new vscode.Range(p, p);
        }
        await vscode.commands.executeCommand('vscode.openWith', document.uri, 'default', options);
        return;
      }
      case 'openEvidence': {
        if (!id || /(^|[\\/])\.\.([\\/]|$)/.test(intent.path) || /^([a-z]+:|[\\/])/i.test(intent.path)) return;
        const uri = this.deps.repository.uri(`${incidentDir(id)}/${intent.path}`);
        if (uri) await vscode.commands.executeCommand('vscode.open', uri);
        return;
      }
      case 'export':
        await vscode.commands.executeCommand('incidentWorkbench.exportPostmortem', document.uri);
        return;
    }
  }

  private async notParsed(document: vscode.TextDocument, bridge: Bridge): Promise<void> {
    void reportError(this.deps.log, `${vscode.workspace.asRelativePath(document.uri)} is not valid JSON right now; the form did not change it. Fix it as text first.`, { notify: true, severity: 'warning' });
    await bridge.push();
  }

  private async importEntries(document: vscode.TextDocument, incoming: TimelineEntry[], from: string): Promise<void> {
    const check = checkPostmortemText(document.getText(), { positions: false });
    if (!check.value) return;
    const existing = Array.isArray(check.value.timeline) ? check.value.timeline.filter((e) => e && typeof e === 'object' && typeof e.timestamp === 'string' && typeof e.event === 'string') : [];
    if (Array.isArray(check.value.timeline) && existing.length !== check.value.timeline.length) {
      void reportError(this.deps.log, 'Some timeline rows lack a timestamp or an event; fix them before importing so nothing is lost.', { notify: true, severity: 'warning' });
      return;
    }
    const { timeline, added } = mergeTimeline(existing, incoming);
    if (added === 0) {
      vscode.window.setStatusBarMessage(`Timeline already has every entry from ${from}`, 4000);
      return;
    }
    await PostmortemEditorProvider.applyIntent(document, { type: 'set', path: ['timeline'], value: timeline });
    vscode.window.setStatusBarMessage(`$(check) Imported ${added} timeline entr${added === 1 ? 'y' : 'ies'} from ${from}`, 4000);
  }
}
