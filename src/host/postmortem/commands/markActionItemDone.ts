import * as vscode from 'vscode';
import { parseObject } from '../../../core/postmortem/check';
import { postmortemFile } from '../../../core/store/layout';
import { PostmortemEditorProvider } from '../postmortemEditor';
import type { ActionItemsNode } from '../actionItemsTree';
import type { Command } from '../../shared/command';
import type { PostmortemDeps } from '../deps';
import { reportError } from '../../shared/reportError';

/**
 * Sets an action item's status to DONE through the post-mortem's TextDocument (so an open form or text editor
 * sees it and undo works), then saves it. Args: an Action Items node, or `(incidentId, index)`.
 */
export const markActionItemDone: Command<PostmortemDeps> = {
  id: 'incidentWorkbench.markActionItemDone',
  async run(deps, target?: unknown, indexArg?: unknown): Promise<boolean> {
    let incidentId: string | undefined;
    let index: number | undefined;
    // What the item said when it was listed: the file may have changed since, and the index with it.
    let description: string | undefined;
    if (target && typeof target === 'object' && (target as ActionItemsNode).kind === 'item') {
      incidentId = (target as Extract<ActionItemsNode, { kind: 'item' }>).open.incidentId;
      index = (target as Extract<ActionItemsNode, { kind: 'item' }>).open.index;
      description = (target as Extract<ActionItemsNode, { kind: 'item' }>).open.item.description;
    } else if (typeof target === 'string' && typeof indexArg === 'number') {
      incidentId = target;
      index = indexArg;
    } else {
      const items = (await deps.actionItemsTree.compute()).filter((n): n is Extract<ActionItemsNode, { kind: 'item' }> => n.kind === 'item');
      if (items.length === 0) {
        void vscode.window.showInformationMessage('There are no open action items.');
        return false;
      }
      const picked = await vscode.window.showQuickPick(
        items.map((n) => ({ label: n.open.item.description, description: `${n.open.incidentId} · ${n.open.item.owner ?? 'no owner'}`, n })),
        { title: 'Mark Action Item Done' },
      );
      if (!picked) return false;
      incidentId = picked.n.open.incidentId;
      index = picked.n.open.index;
      description = picked.n.open.item.description;
    }
    const uri = deps.repository.uri(postmortemFile(incidentId));
    if (!uri) return false;
    const document = await vscode.workspace.openTextDocument(uri);
    if (description !== undefined) {
      const items = parseObject(document.getText())?.actionItems;
      const list = Array.isArray(items) ? (items as { description?: unknown }[]) : [];
      if (list[index]?.description !== description) {
        const found = list.map((a, i) => (a?.description === description ? i : -1)).filter((i) => i >= 0);
        if (found.length !== 1) {
          void reportError(deps.log, `The action item "${description}" is no longer where it was in ${vscode.workspace.asRelativePath(uri)}; nothing was changed.`, { notify: true, severity: 'warning' });
          deps.actionItemsTree.refresh();
          return false;
        }
        index = found[0]!;
      }
    }
    const ok = await PostmortemEditorProvider.applyIntent(document, { type: 'set', path: ['actionItems', index, 'status'], value: 'DONE' });
    if (!ok) {
      void reportError(deps.log, `${vscode.workspace.asRelativePath(uri)} is not valid JSON; the action item was not changed.`, { notify: true });
      return false;
    }
    // A save can fail (the file changed on disk meanwhile, a read-only file): the change stays in the open
    // document, and the user is told rather than shown an item marked done that is not on disk.
    if (!(await document.save())) {
      void reportError(deps.log, `${vscode.workspace.asRelativePath(uri)} could not be saved; the action item is marked done in the open editor only. Save it there (or compare it with the file on disk).`, { notify: true, severity: 'warning' });
      deps.repository.invalidate();
      return false;
    }
    deps.repository.invalidate();
    return true;
  },
};
