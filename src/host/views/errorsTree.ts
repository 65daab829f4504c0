import * as vscode from 'vscode';

/**
 * Error clusters from production logs. Until logs are loaded there is nothing to show, and VS Code then
 * renders the view's welcome content from package.json (viewsWelcome), which tells the user what to do.
 */
export class ErrorsTreeProvider implements vscode.TreeDataProvider<never> {
  getChildren(): never[] {
    return [];
  }

  getTreeItem(element: never): vscode.TreeItem {
    return element;
  }
}
