import * as vscode from 'vscode';
import { errorMessage } from '../../core/util/errors';
import { reportError } from './reportError';

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

/**
 * The pseudoterminal a program task runs in: its output, Ctrl+C or `q` (and closing the terminal) to stop,
 * an internal error reported and ending the task, and one result per run fired on `runs` (the commands
 * wait for theirs). A feature's terminal says how to run and how to stop.
 */
export abstract class ProgramTerminal<R> implements vscode.Pseudoterminal {
  protected readonly write = new vscode.EventEmitter<string>();
  private readonly done = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.write.event;
  readonly onDidClose = this.done.event;
  protected finished = false;

  constructor(
    protected readonly log: vscode.LogOutputChannel,
    /** The task type, for the log. */
    private readonly taskType: string,
    private readonly runs: vscode.EventEmitter<R>,
  ) {}

  /** Runs the program to its end; calls `finish` once. */
  protected abstract run(): Promise<void>;
  /** The result of a run that ended in an internal error. */
  protected abstract internalError(message: string): R;
  /** Stops early, keeping what was captured. */
  abstract stop(): void;

  open(): void {
    void this.run().catch((e: unknown) => {
      void reportError(this.log, `${this.taskType} task: internal error: ${errorMessage(e)}`, { notify: false, cause: e });
      this.line(`\x1b[31mInternal error: ${errorMessage(e)}\x1b[0m`);
      this.finish(this.internalError(errorMessage(e)), 1);
    });
  }

  close(): void {
    this.stop();
  }

  handleInput(data: string): void {
    if (data === '\x03' || data === 'q') this.stop();
  }

  protected line(text: string): void {
    this.write.fire(`${text.replace(/\r?\n/g, '\r\n')}\r\n`);
  }

  protected finish(result: R, code: number): void {
    if (this.finished) return;
    this.finished = true;
    this.runs.fire(result);
    this.done.fire(code);
  }
}
