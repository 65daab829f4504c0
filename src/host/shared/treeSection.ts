import type * as vscode from 'vscode';

/**
 * A branch one feature adds to another feature's tree (the logging linter's "Logging health" under the
 * incidents). The tree knows the branch only by this shape, so neither feature imports the other.
 */
export interface TreeSection<Node> {
  readonly onDidChange: vscode.Event<void>;
  roots(): Node[];
  children(node: Node): Node[];
  parent(node: Node): Node | undefined;
  treeItem(node: Node): vscode.TreeItem;
}
