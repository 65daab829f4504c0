import * as vscode from 'vscode';

/**
 * How the features run their programs (py-spy record, py-spy dump, memray): a task of their own type whose
 * CustomExecution opens the feature's pseudoterminal, shown in a dedicated panel without stealing focus.
 */
export function programTask<D extends vscode.TaskDefinition>(
  def: D,
  scope: vscode.TaskScope | vscode.WorkspaceFolder,
  what: { name: string; source: string; detail: string },
  terminal: (resolved: D) => vscode.Pseudoterminal,
): vscode.Task {
  const task = new vscode.Task(def, scope, what.name, what.source, new vscode.CustomExecution(async (resolved) => terminal(resolved as D)));
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Silent, panel: vscode.TaskPanelKind.Dedicated, clear: true };
  task.detail = what.detail;
  return task;
}

/** Lets tasks.json use a task type: VS Code hands each task of `type` back to `create`; none is offered unasked. */
export function registerProgramTaskType<D extends vscode.TaskDefinition>(type: string, create: (def: D, scope: vscode.TaskScope | vscode.WorkspaceFolder) => vscode.Task): vscode.Disposable {
  return vscode.tasks.registerTaskProvider(type, {
    provideTasks: () => [],
    resolveTask: (task) => (task.definition.type === type ? create(task.definition as D, task.scope ?? vscode.TaskScope.Workspace) : undefined),
  });
}
