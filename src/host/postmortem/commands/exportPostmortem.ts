import * as vscode from 'vscode';
import { checkPostmortemText } from '../../../core/postmortem/check';
import { renderMarkdown } from '../../../core/postmortem/markdown';
import type { PostMortemEvidence } from '../../../core/postmortem/types';
import { postmortemFile } from '../../../core/store/layout';
import { incidentIdOf } from '../postmortemEditor';
import type { Command } from '../../shared/command';
import type { PostmortemDeps } from '../deps';
import { targetIncident } from '../../shared/sessionStep';
import { errorMessage } from '../../../core/util/errors';
import { reportError } from '../../shared/reportError';

/**
 * Writes `postmortem.md` next to `postmortem.json` (the open document's text when it is open, unsaved edits
 * included). Evidence of the incident is linked by its path relative to that folder. Target: the post-mortem
 * URI (editor title, form) or an incident id/tree node. An existing postmortem.md that differs is replaced
 * only after the user agrees (or with `{ overwrite: true }`). Returns `{ uri, markdown }`.
 */
export const exportPostmortem: Command<PostmortemDeps> = {
  id: 'incidentWorkbench.exportPostmortem',
  async run(deps, target?: unknown, options?: unknown): Promise<{ uri: string; markdown: string } | undefined> {
    let source: vscode.Uri | undefined;
    if (target instanceof vscode.Uri) source = target;
    else {
      const active = vscode.window.tabGroups.activeTabGroup.activeTab?.input as { uri?: vscode.Uri } | undefined;
      if (target === undefined && active?.uri && incidentIdOf(active.uri)) source = active.uri;
      else {
        const id = await targetIncident(deps, target, 'Export the post-mortem of which incident?');
        if (!id) return undefined;
        source = deps.repository.uri(postmortemFile(id));
      }
    }
    if (!source) return undefined;
    const id = incidentIdOf(source);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === source.toString());
    let text: string;
    try {
      text = open ? open.getText() : new TextDecoder('utf-8', { fatal: true }).decode(await vscode.workspace.fs.readFile(source));
    } catch (e) {
      const message = `There is no readable post-mortem at ${vscode.workspace.asRelativePath(source)} (${errorMessage(e)}). Open the post-mortem first to create it.`;
      void reportError(deps.log, message, { notify: true, cause: e });
      return undefined;
    }
    const check = checkPostmortemText(text);
    if (!check.value) {
      const p = check.schemaProblems[0];
      void reportError(deps.log, `${vscode.workspace.asRelativePath(source)} is not valid JSON${p ? ` (${p.line}:${p.column}: ${p.message})` : ''}; nothing was exported.`, { notify: true });
      return undefined;
    }
    const pm = { ...check.value };
    if (id) {
      const entry = await deps.repository.store()?.read(id).catch(() => undefined);
      const extra = entry?.state === 'valid' ? (entry.value?.evidence ?? []) : [];
      const known = new Set((Array.isArray(pm.evidence) ? pm.evidence : []).map((e) => e?.path));
      const merged: PostMortemEvidence[] = [...(Array.isArray(pm.evidence) ? pm.evidence : [])];
      for (const e of extra) if (!known.has(e.path)) merged.push({ kind: e.kind, path: e.path, ...(e.note ? { note: e.note } : {}) });
      if (merged.length) pm.evidence = merged;
    }
    const markdown = renderMarkdown(pm);
    const out = vscode.Uri.joinPath(source, '..', 'postmortem.md');
    const flags = options && typeof options === 'object' ? (options as { quiet?: unknown; overwrite?: unknown }) : {};
    // postmortem.md may hold edits made by hand: replacing it is the user's decision (`overwrite: true` is
    // for scripted callers).
    const existing = await vscode.workspace.fs.readFile(out).then(
      (b) => new TextDecoder().decode(b),
      () => undefined,
    );
    if (existing !== undefined && existing !== markdown && flags.overwrite !== true) {
      const replace = 'Replace';
      const choice = await vscode.window.showWarningMessage(
        `${vscode.workspace.asRelativePath(out)} already exists and differs from this post-mortem. Replace it?`,
        { modal: true, detail: 'Edits made to the Markdown by hand are lost; postmortem.json stays the source of the report.' },
        replace,
      );
      if (choice !== replace) return undefined;
    }
    try {
      await vscode.workspace.fs.writeFile(out, new TextEncoder().encode(markdown));
    } catch (e) {
      void reportError(deps.log, `Could not write ${vscode.workspace.asRelativePath(out)}: ${errorMessage(e)}`, { notify: true, cause: e });
      return undefined;
    }
    deps.log.info(`Exported ${vscode.workspace.asRelativePath(out)}${check.lint.length ? ` (${check.lint.length} blameless-lint warnings)` : ''}`);
    const quiet = flags.quiet === true;
    if (!quiet) {
      void vscode.window
        .showInformationMessage(`Exported ${vscode.workspace.asRelativePath(out)}${check.lint.length ? `; ${check.lint.length} blameless-lint warning(s) remain` : ''}.`, 'Open Preview', 'Open')
        .then((choice) => {
          if (choice === 'Open Preview') void vscode.commands.executeCommand('markdown.showPreview', out);
          else if (choice === 'Open') void vscode.window.showTextDocument(out);
        });
    }
    return { uri: out.toString(), markdown };
  },
};
