import * as vscode from 'vscode';
import type { EvidenceItem, EvidenceKind } from '../../core/incident/types';
import { EVIDENCE_FOLDER, incidentDir } from '../../core/store/layout';
import type { Workbench } from './workbench';

/**
 * The one way a command asks for a file: a quick pick of the files that fit — the incident's evidence of
 * the right kinds first, then the workspace's matching files — with "Browse…" last for anything else.
 * Typing filters the list by name and folder; nobody types a path into a bare dialog.
 */
export interface PickFileOptions {
  title: string;
  placeHolder?: string;
  /** Evidence of these kinds is listed first; `unrecorded`: files in the incident's evidence/ not yet recorded. */
  kinds: readonly EvidenceKind[] | 'unrecorded';
  /** Workspace files to offer (a glob, relative to the folder). */
  include: string;
  /** Only names like this are offered (evidence and workspace files alike). */
  match: RegExp;
  /** The incident whose evidence comes first; default the active incident, else the only incident. */
  incidentId?: string;
  /** Not offered (the other file of a pair). */
  exclude?: vscode.Uri;
  /** Workspace files left out besides dependencies and builds (a glob). */
  excludeGlob?: string;
  /** A file to offer before all others, with why (e.g. the Python file in the active editor). */
  first?: { uri: vscode.Uri; why: string };
  /** The open dialog behind "Browse…" (its defaults: one file, from the workspace folder). */
  dialog?: vscode.OpenDialogOptions;
  /** Other sources offered with the files, under their own heading (e.g. the configured log stores). */
  choices?: { heading: string; items: { label: string; description?: string; detail?: string; value: unknown }[] };
}

/** Folders whose files are never evidence: dependencies, builds, caches, version control. */
export const NOT_EVIDENCE_GLOB = '{**/node_modules/**,**/.git/**,**/.venv/**,**/venv/**,**/__pycache__/**,**/dist/**,**/out/**,**/.vscode-host/**,**/.vscode-test/**}';
const MAX_WORKSPACE_FILES = 300;

export type FileItem = vscode.QuickPickItem & { uri?: vscode.Uri; browse?: true; group?: 'evidence' | 'workspace'; choice?: { value: unknown } };

const EVIDENCE_ICON: Partial<Record<EvidenceKind, string>> = {
  profile: 'flame',
  memory: 'flame',
  errors: 'bug',
  trace: 'type-hierarchy-sub',
  logs: 'output',
  metrics: 'graph-line',
  abtest: 'beaker',
  rollback: 'discard',
  model: 'symbol-misc',
};

const base = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const dir = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');

async function exists(uri: vscode.Uri): Promise<boolean> {
  return Promise.resolve(vscode.workspace.fs.stat(uri)).then(
    (s) => (s.type & vscode.FileType.File) !== 0,
    () => false,
  );
}

/** The incident to list first: the one asked for, else the active one, else the only one there is. */
async function incidentFor(deps: Workbench, asked: string | undefined): Promise<string | undefined> {
  if (asked) return asked;
  if (deps.activeIncident.id) return deps.activeIncident.id;
  const entries = await deps.repository.list().catch(() => []);
  return entries.length === 1 ? entries[0]!.id : undefined;
}

/** The items of the quick pick, in order (exported for tests). */
export async function fileItems(deps: Workbench, options: PickFileOptions): Promise<FileItem[]> {
  const id = await incidentFor(deps, options.incidentId);
  const skip = new Set<string>(options.exclude ? [options.exclude.toString()] : []);
  const first = options.first && !skip.has(options.first.uri.toString()) && options.match.test(base(options.first.uri.path)) ? options.first : undefined;
  if (first) skip.add(first.uri.toString());
  const evidence: FileItem[] = [];
  if (id) {
    const folder = deps.repository.uri(incidentDir(id));
    const entry = (await deps.repository.list().catch(() => [])).find((e) => e.id === id);
    const recorded: EvidenceItem[] = entry?.value?.evidence ?? [];
    if (folder && options.kinds === 'unrecorded') {
      const known = new Set(recorded.map((e) => e.path));
      const files = await vscode.workspace.findFiles(new vscode.RelativePattern(vscode.Uri.joinPath(folder, EVIDENCE_FOLDER), '**/*'), null, MAX_WORKSPACE_FILES);
      for (const uri of files.sort((a, b) => a.path.localeCompare(b.path))) {
        const path = uri.path.slice(folder.path.length + 1);
        if (known.has(path) || !options.match.test(base(path)) || skip.has(uri.toString())) continue;
        skip.add(uri.toString());
        evidence.push({ label: `$(file) ${base(path)}`, description: `${dir(path)} · not recorded yet`, uri, group: 'evidence' });
      }
    } else if (folder && options.kinds !== 'unrecorded') {
      const kinds = new Set<string>(options.kinds);
      // The incident's evidence of other kinds is known not to be what is asked for (a trace for Load Logs).
      for (const item of recorded) if (!kinds.has(item.kind)) skip.add(vscode.Uri.joinPath(folder, item.path).toString());
      // Newest first: the evidence collected last is the likeliest next step.
      for (const item of [...recorded].reverse()) {
        if (!kinds.has(item.kind) || !options.match.test(base(item.path))) continue;
        const uri = vscode.Uri.joinPath(folder, item.path);
        if (skip.has(uri.toString()) || !(await exists(uri))) continue;
        skip.add(uri.toString());
        evidence.push({ label: `$(${EVIDENCE_ICON[item.kind as EvidenceKind] ?? 'file'}) ${base(item.path)}`, description: `${id} · ${item.kind}`, ...(item.note ? { detail: item.note } : {}), uri, group: 'evidence' });
      }
    }
  }
  const excluded = options.excludeGlob ? `{${NOT_EVIDENCE_GLOB.slice(1, -1)},${options.excludeGlob}}` : NOT_EVIDENCE_GLOB;
  const found = deps.repository.folder ? await vscode.workspace.findFiles(new vscode.RelativePattern(deps.repository.folder, options.include), excluded, MAX_WORKSPACE_FILES) : [];
  const workspace: FileItem[] = found
    .filter((u) => !skip.has(u.toString()) && options.match.test(base(u.path)))
    .map((uri) => ({ uri, relative: vscode.workspace.asRelativePath(uri, false) }))
    .sort((a, b) => a.relative.localeCompare(b.relative))
    .map(({ uri, relative }) => ({ label: `$(file) ${base(relative)}`, description: dir(relative), uri, group: 'workspace' as const }));
  const items: FileItem[] = [];
  if (first) items.push({ label: `$(file) ${base(first.uri.path)}`, description: `${dir(vscode.workspace.asRelativePath(first.uri, false))} · ${first.why}`.replace(/^ · /, ''), uri: first.uri });
  if (evidence.length) items.push({ label: options.kinds === 'unrecorded' ? `${id} evidence/ (not recorded yet)` : `Evidence of ${id}`, kind: vscode.QuickPickItemKind.Separator }, ...evidence);
  if (workspace.length) items.push({ label: 'Workspace', kind: vscode.QuickPickItemKind.Separator }, ...workspace);
  if (options.choices?.items.length) {
    items.push({ label: options.choices.heading, kind: vscode.QuickPickItemKind.Separator }, ...options.choices.items.map((c): FileItem => ({ label: c.label, description: c.description, detail: c.detail, choice: { value: c.value } })));
  }
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: '$(folder-opened) Browse…', description: 'any file, with the file dialog', alwaysShow: true, browse: true });
  return items;
}

/**
 * Asks for a file with the quick pick (see PickFileOptions); "Browse…" opens the file dialog. Returns the
 * files chosen (several only from a dialog that allows it), or undefined when cancelled.
 */
export async function pickFile(deps: Workbench, options: PickFileOptions): Promise<vscode.Uri[] | undefined> {
  const picked = await pickFileOrChoice(deps, options);
  return Array.isArray(picked) ? picked : undefined;
}

/** pickFile, where one of `options.choices` may be picked instead: then `{ choice: value }`. */
export async function pickFileOrChoice(deps: Workbench, options: PickFileOptions): Promise<vscode.Uri[] | { choice: unknown } | undefined> {
  const quickPick = vscode.window.createQuickPick<FileItem>();
  quickPick.title = options.title;
  quickPick.placeholder = options.placeHolder ?? 'Type to filter by name or folder; Browse… for any other file';
  quickPick.matchOnDescription = true;
  quickPick.ignoreFocusOut = true;
  quickPick.busy = true;
  quickPick.show();
  const chosen = new Promise<FileItem | undefined>((resolve) => {
    quickPick.onDidAccept(() => {
      // Enter before the list is there picks nothing; wait for a real choice.
      if (quickPick.selectedItems[0]) resolve(quickPick.selectedItems[0]);
    });
    quickPick.onDidHide(() => resolve(undefined));
  });
  try {
    quickPick.items = await fileItems(deps, options);
  } finally {
    quickPick.busy = false;
  }
  const picked = await chosen;
  quickPick.dispose();
  if (!picked) return undefined;
  if (picked.uri) return [picked.uri];
  if (picked.choice) return { choice: picked.choice.value };
  const dialog: vscode.OpenDialogOptions = { canSelectMany: false, title: options.title, ...(deps.repository.folder ? { defaultUri: deps.repository.folder.uri } : {}), ...options.dialog };
  const files = await vscode.window.showOpenDialog(dialog);
  return files?.length ? files : undefined;
}

/**
 * The file a command was given: a Uri, a workspace-relative path, a tree or explorer node with a
 * resourceUri or uri, or an evidence item of the Incidents tree (its path is relative to the incident folder).
 */
export function fileUriFrom(deps: Workbench, arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return deps.repository.uri(arg) ?? vscode.Uri.file(arg);
  if (arg && typeof arg === 'object') {
    const o = arg as { resourceUri?: unknown; uri?: unknown; kind?: unknown; entry?: { id?: unknown }; item?: { path?: unknown } };
    if (o.resourceUri instanceof vscode.Uri) return o.resourceUri;
    if (o.uri instanceof vscode.Uri) return o.uri;
    if (o.kind === 'evidence' && typeof o.entry?.id === 'string' && typeof o.item?.path === 'string') {
      const store = deps.repository.store();
      return store ? deps.repository.uri(`${store.root}/${o.entry.id}/${o.item.path}`) : undefined;
    }
  }
  return undefined;
}
