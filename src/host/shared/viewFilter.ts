import * as vscode from 'vscode';

/** A view's text filter (the Errors and Patterns trees). */
export interface FilteredView {
  readonly filter: string;
  setFilter(text: string): void;
}

/**
 * Sets a view's filter from a command argument (scripts and tests pass the text) or, without one, from an
 * input box that starts from the current filter. False when the box was dismissed: the filter stays.
 */
export async function askFilter(view: FilteredView, arg: unknown, box: Omit<vscode.InputBoxOptions, 'value'>): Promise<boolean> {
  const text = typeof arg === 'string' ? arg : await vscode.window.showInputBox({ ...box, value: view.filter });
  if (text === undefined) return false;
  view.setFilter(text);
  return true;
}
