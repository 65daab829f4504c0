import * as vscode from 'vscode';
import type { ClusterSummary } from '../../../core/errors/report';
import type { LogRelease } from '../../../core/errors/releases';
import { deployMarkers } from '../../../core/changes/releases';
import { SourceError, targetsFromFile } from '../../../core/changes/sources';
import { rankSuspects } from '../../../core/changes/suspects';
import { targetFromCluster } from '../../../core/changes/targets';
import { GitError, type SuspectReport, type SuspectTarget } from '../../../core/changes/types';
import type { EvidenceItem, Incident } from '../../../core/incident/types';
import { errorMessage } from '../../../core/util/errors';
import type { Command } from '../../shared/command';
import { reportError } from '../../shared/reportError';
import type { ChangesDeps } from '../deps';
import { openRepository, workspaceRepository } from '../gitAccess';

export interface ShowSuspectsOptions {
  /** Which target of a file to rank without asking: its index, or text its label contains. */
  pick?: number | string;
  /** Blame at this revision instead of the release's. */
  revision?: string;
}

interface Resolved {
  target: SuspectTarget;
  incidentId?: string;
  /** The incident itself when it was read from beside the file (an incident folder outside the workspace's store). */
  incident?: Incident;
}

/** The incident whose folder holds `uri` (`…/.incidents/<id>/evidence/…`), read from its incident.json. */
async function incidentAround(uri: vscode.Uri): Promise<Incident | undefined> {
  const m = /^(.*\/\.incidents\/(INC-\d{4}-\d{3,}))\//.exec(uri.path);
  if (!m) return undefined;
  try {
    const value = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri.with({ path: `${m[1]}/incident.json` })))) as Incident;
    return value && typeof value === 'object' && value.id === m[2] ? value : undefined;
  } catch {
    return undefined;
  }
}

const SOURCE_KINDS = new Set(['errors', 'trace', 'profile', 'memory']);

function isTarget(v: unknown): v is SuspectTarget {
  const o = v as SuspectTarget | undefined;
  return !!o && typeof o === 'object' && ['error', 'function', 'span', 'leak'].includes(o.kind) && typeof o.label === 'string' && Array.isArray(o.frames);
}

function isCluster(v: unknown): v is ClusterSummary {
  const o = v as ClusterSummary | undefined;
  return !!o && typeof o === 'object' && typeof o.fingerprint === 'string' && Array.isArray(o.frames) && Array.isArray(o.chain);
}

async function incidentOf(deps: ChangesDeps, id: string | undefined): Promise<Incident | undefined> {
  if (!id) return undefined;
  const entry = (await deps.repository.list()).find((e) => e.id === id);
  return entry?.state === 'valid' ? entry.value : undefined;
}

/** The targets of a file, then one of them (by `pick`, or a quick pick). */
async function fromFile(deps: ChangesDeps, uri: vscode.Uri, options: ShowSuspectsOptions, context: { kind?: EvidenceItem['kind']; incidentId?: string }): Promise<Resolved | undefined> {
  // A file of an incident's evidence speaks for that incident: its report time and deploy markers.
  const around = await incidentAround(uri);
  const incident = around ?? (await incidentOf(deps, context.incidentId));
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (e) {
    void reportError(deps.log, `${vscode.workspace.asRelativePath(uri)} cannot be read: ${errorMessage(e)}`, { notify: true });
    return undefined;
  }
  let found;
  try {
    found = await targetsFromFile(uri.path, bytes, { ...(context.kind ? { kind: context.kind } : {}), ...(incident ? { firstSeen: incident.reportedAt } : {}) });
  } catch (e) {
    void reportError(deps.log, e instanceof SourceError ? e.message.replace(uri.path, vscode.workspace.asRelativePath(uri)) : `Reading ${vscode.workspace.asRelativePath(uri)} failed: ${errorMessage(e)}`, { notify: true, cause: e instanceof SourceError ? undefined : e });
    return undefined;
  }
  const targets = found.targets;
  let target: SuspectTarget | undefined;
  if (typeof options.pick === 'number') target = targets[options.pick];
  else if (typeof options.pick === 'string') target = targets.find((t) => t.label.includes(options.pick as string) || t.frames.some((f) => f.function?.includes(options.pick as string)));
  else if (targets.length === 1) target = targets[0];
  else {
    const what = found.source === 'trace' ? 'Which span? (slowest and failing first)' : found.source === 'profile' ? 'Which hot function? (most self time first)' : 'Which cluster?';
    const picked = await vscode.window.showQuickPick(
      targets.map((t) => ({ label: t.label, description: t.frames[0] ? `${t.frames[0].file.split('/').pop()}${t.frames[0].line !== undefined ? `:${t.frames[0].line}` : ''}` : '', detail: t.release ? `release ${t.release}` : undefined, target: t })),
      { placeHolder: what, matchOnDescription: true },
    );
    target = picked?.target;
  }
  if (!target) return undefined;
  const incidentId = around?.id ?? context.incidentId;
  return { target, ...(incidentId ? { incidentId } : {}), ...(incident ? { incident } : {}) };
}

/** Evidence of the active incident that suspects can be ranked for, then one target of it. */
async function fromIncident(deps: ChangesDeps, options: ShowSuspectsOptions): Promise<Resolved | undefined> {
  const id = deps.activeIncident.id;
  const incident = await incidentOf(deps, id);
  const store = deps.repository.store();
  const items = (incident?.evidence ?? []).filter((e) => SOURCE_KINDS.has(e.kind));
  type Item = vscode.QuickPickItem & { item?: EvidenceItem; browse?: boolean };
  const picks: Item[] = [
    ...items.map((item) => ({ label: `$(${item.kind === 'errors' ? 'error' : item.kind === 'trace' ? 'watch' : 'flame'}) ${item.path.split('/').pop()}`, description: item.kind, detail: item.note, item })),
    { label: '$(folder-opened) Open a profile, trace or saved error cluster…', browse: true },
  ];
  const picked = items.length === 0 && !id ? picks[picks.length - 1] : await vscode.window.showQuickPick(picks, { placeHolder: id ? `Suspect commits for which evidence of ${id}?` : 'Suspect commits for which file?', matchOnDetail: true });
  if (!picked) return undefined;
  if (picked.item && store && id) {
    const uri = deps.repository.uri(`${store.root}/${id}/${picked.item.path}`);
    if (uri) return fromFile(deps, uri, options, { kind: picked.item.kind, incidentId: id });
  }
  const files = await vscode.window.showOpenDialog({ title: 'Suspect commits for a profile, a trace or a saved error cluster', canSelectMany: false, ...(deps.repository.folder ? { defaultUri: deps.repository.folder.uri } : {}) });
  return files?.[0] ? fromFile(deps, files[0], options, id ? { incidentId: id } : {}) : undefined;
}

async function resolveTarget(deps: ChangesDeps, arg: unknown, options: ShowSuspectsOptions): Promise<Resolved | undefined> {
  const active = deps.activeIncident.id;
  if (isTarget(arg)) return { target: arg, ...(active ? { incidentId: active } : {}) };
  if (arg instanceof vscode.Uri) return fromFile(deps, arg, options, active ? { incidentId: active } : {});
  if (isCluster(arg)) return { target: targetFromCluster(arg), ...(active ? { incidentId: active } : {}) };
  if (arg && typeof arg === 'object') {
    const o = arg as { kind?: unknown; cluster?: unknown; releases?: unknown; entry?: { id?: unknown }; item?: EvidenceItem };
    // A cluster node of the Errors view: the shape is enough (the tree is another feature's), with the
    // releases of the loaded logs when it carries them, to tell where a regression came back.
    if (isCluster(o.cluster)) {
      const releases = Array.isArray(o.releases) ? (o.releases as LogRelease[]) : undefined;
      return { target: targetFromCluster(o.cluster, releases ? { releases } : undefined), ...(active ? { incidentId: active } : {}) };
    }
    // An evidence item of the Incidents view.
    if (o.kind === 'evidence' && typeof o.entry?.id === 'string' && o.item && typeof o.item.path === 'string') {
      const store = deps.repository.store();
      const uri = store ? deps.repository.uri(`${store.root}/${o.entry.id}/${o.item.path}`) : undefined;
      if (uri) return fromFile(deps, uri, options, { kind: o.item.kind, incidentId: o.entry.id });
    }
  }
  return fromIncident(deps, options);
}

/**
 * Suspect Commits: ranks the commits that most plausibly introduced an error cluster (Errors view), a hot
 * function (a profile), a slow span (a trace) or a leak (a memory profile), and shows them in the Suspect
 * Commits view. Arguments: a cluster node or cluster, a file Uri (the flame graph's and waterfall's editor
 * title), an evidence node, a target; then `{pick, revision}`. Returns the ranking.
 */
export const showSuspectCommits: Command<ChangesDeps> = {
  id: 'incidentWorkbench.showSuspectCommits',
  async run(deps, arg?: unknown, rawOptions?: unknown): Promise<SuspectReport | undefined> {
    const options = (rawOptions && typeof rawOptions === 'object' ? rawOptions : {}) as ShowSuspectsOptions;
    if (!vscode.workspace.isTrusted) return (await workspaceRepository(deps.log)) && undefined;
    const resolved = await resolveTarget(deps, arg, options);
    if (!resolved) return undefined;
    const { target } = resolved;
    const workspace = await workspaceRepository(
      deps.log,
      target.frames.map((f) => f.file),
    );
    if (!workspace) return undefined;
    const incidentId = resolved.incidentId;
    const markers = deployMarkers((resolved.incident ?? (await incidentOf(deps, incidentId)))?.events ?? []);
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Suspect commits for ${target.label.length > 60 ? `${target.label.slice(0, 59)}…` : target.label}`, cancellable: true },
      async (_progress, token) => {
        const ac = new AbortController();
        const sub = token.onCancellationRequested(() => ac.abort());
        try {
          return await rankSuspects(openRepository(workspace.root, ac.signal).repo, target, { deployMarkers: markers, ...(options.revision ? { revision: options.revision } : {}) });
        } catch (e) {
          if (e instanceof GitError && e.code === 'CANCELLED') return undefined;
          void reportError(deps.log, e instanceof GitError ? e.message : `Ranking suspect commits failed: ${errorMessage(e)}`, { notify: true, cause: e instanceof GitError ? undefined : e });
          return undefined;
        } finally {
          sub.dispose();
        }
      },
    );
    if (!report) return undefined;
    for (const n of report.notes) deps.log.info(`suspects for ${target.label}: ${n}`);
    const node = deps.suspects.add(report, workspace.root, incidentId);
    await vscode.commands.executeCommand('incidentWorkbench.suspects.focus');
    await deps.suspectsView.reveal(node, { select: true, focus: false, expand: true }).then(undefined, () => undefined);
    if (report.suspects.length === 0) void vscode.window.showWarningMessage(`No suspect commits for ${target.label}: ${report.notes.at(-1) ?? 'no commit touched its code.'}`);
    return report;
  },
};
