import * as path from 'node:path';
import * as vscode from 'vscode';
import { CallSiteIndex, indexLogCalls, type LogCallSite } from '../../core/patterns/callSites';
import { createPythonParser, type PythonParser } from '../../core/logging/parser';
import { decodePython } from '../../core/logging/project';
import { errorMessage } from '../../core/util/errors';

const EXCLUDE = '{**/.git/**,**/node_modules/**,**/.venv/**,**/venv/**,**/site-packages/**,**/__pycache__/**,**/.tox/**,**/build/**,**/dist/**,**/.vscode-host/**,**/.incidents/**}';
const MAX_FILES = 5000;
const MAX_BYTES = 4 * 1024 * 1024;

/** Workspace-relative (`/`-separated), with the folder's name first only when there are several folders. */
function relativeName(uri: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) return uri.fsPath;
  const rel = path.posix.relative(folder.uri.path, uri.path);
  return (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? `${folder.name}/${rel}` : rel;
}

export interface WorkspaceCallSite extends LogCallSite {
  uri: vscode.Uri;
}

/**
 * The workspace's Python logging calls, indexed with the logging linter's parser (tree-sitter, loaded on
 * first use from dist/wasm/). Built when patterns are first matched to code and rebuilt when a Python file
 * is saved, created, changed or deleted; the index is small (one entry per logging call).
 */
export class WorkspaceCallSites implements vscode.Disposable {
  private parserPromise: Promise<PythonParser> | undefined;
  private building: Promise<CallSiteIndex> | undefined;
  private readonly uris = new Map<string, vscode.Uri>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  skipped: { file: string; reason: string }[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const invalidate = () => {
      if (!this.building) return;
      this.building = undefined;
      this.changed.fire();
    };
    // Files written, created or deleted outside an editor (a checkout, a script) change the index too.
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.py');
    this.disposables.push(
      watcher,
      watcher.onDidCreate(invalidate),
      watcher.onDidDelete(invalidate),
      watcher.onDidChange(invalidate),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (d.languageId === 'python') invalidate();
      }),
    );
  }

  private parser(): Promise<PythonParser> {
    this.parserPromise ??= createPythonParser(async () => {
      const read = (name: string) => vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.extensionUri, 'dist', 'wasm', name));
      const [runtime, python] = await Promise.all([read('tree-sitter.wasm'), read('tree-sitter-python.wasm')]);
      return { runtime, python };
    });
    this.parserPromise.catch(() => (this.parserPromise = undefined));
    return this.parserPromise;
  }

  index(): Promise<CallSiteIndex> {
    this.building ??= this.build();
    return this.building;
  }

  uriOf(site: LogCallSite): vscode.Uri | undefined {
    return this.uris.get(site.file);
  }

  private async build(): Promise<CallSiteIndex> {
    const sites: LogCallSite[] = [];
    this.skipped = [];
    let parser: PythonParser;
    try {
      parser = await this.parser();
    } catch (e) {
      this.log.error(`Patterns: the Python parser could not be loaded (${errorMessage(e)}); logging calls are not matched. Rebuild the extension (npm run build) so dist/wasm/ exists.`);
      return new CallSiteIndex(sites);
    }
    const files = await vscode.workspace.findFiles('**/*.py', EXCLUDE, MAX_FILES);
    files.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
    for (const uri of files) {
      const rel = relativeName(uri);
      try {
        const bytes = await vscode.workspace.fs.readFile(uri);
        if (bytes.length > MAX_BYTES) {
          this.skipped.push({ file: rel, reason: 'larger than 4 MB' });
          continue;
        }
        const decoded = decodePython(bytes);
        if ('skipped' in decoded) {
          this.skipped.push({ file: rel, reason: decoded.skipped });
          continue;
        }
        this.uris.set(rel, uri);
        sites.push(...indexLogCalls(parser, decoded.text, rel));
      } catch (e) {
        this.skipped.push({ file: rel, reason: errorMessage(e) });
      }
    }
    this.log.info(`Patterns: ${sites.length} logging calls indexed in ${files.length} Python files${this.skipped.length ? ` (${this.skipped.length} skipped)` : ''}`);
    return new CallSiteIndex(sites);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
