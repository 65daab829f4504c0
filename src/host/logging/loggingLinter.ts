import * as vscode from 'vscode';
import { lintPython, type FileFacts, type Finding } from '../../core/logging/lint';
import { createPythonParser, type PythonParser } from '../../core/logging/parser';
import { decodePython, projectFindings } from '../../core/logging/project';
import type { RuleId, Severity } from '../../core/logging/rules';
import { loggingSettings, type LoggingSettings } from './settings';
import { errorMessage } from '../../core/util/errors';
import { reportError } from '../shared/reportError';

export const LOGGING_DIAGNOSTIC_SOURCE = 'Incident Workbench logging';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

const DEFAULT_EXCLUDE = ['**/.git/**', '**/node_modules/**', '**/.venv/**', '**/venv/**', '**/env/**', '**/site-packages/**', '**/__pycache__/**', '**/.tox/**', '**/.nox/**', '**/build/**', '**/dist/**', '**/.vscode-host/**', '**/.ipynb_checkpoints/**'];
const MAX_FILE_BYTES = 16 * 1024 * 1024;
const FACTS_SCAN_LIMIT = 1000;

interface FileState {
  uri: vscode.Uri;
  path: string;
  /** The document version the findings belong to; undefined for findings from disk (workspace scan). */
  version: number | undefined;
  findings: Finding[];
}

/** Per-file summary for the Incidents view's "Logging health" node. */
export interface FileHealth {
  uri: vscode.Uri;
  path: string;
  errors: number;
  warnings: number;
  other: number;
  total: number;
  byRule: Partial<Record<RuleId, number>>;
  /** The first finding, to open the file at. */
  first: { line: number; column: number; rule: RuleId; message: string };
}

export interface LoggingHealthSummary {
  files: FileHealth[];
  totals: { files: number; findings: number; errors: number; warnings: number; other: number };
  /** When the last workspace scan finished (ISO), if any. */
  scannedAt?: string;
}

export interface ScanResult {
  files: number;
  findings: number;
  errors: number;
  skipped: { path: string; reason: string }[];
  cancelled: boolean;
  ms: number;
}

export function isLintable(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'python' && ['file', 'untitled', 'vscode-notebook-cell', 'vscode-userdata'].includes(doc.uri.scheme);
}

/**
 * Logging diagnostics for Python files: as the user types (debounced), on open, and for the whole workspace on
 * request; the `unstructured-logger` hint once per project. The parser (WebAssembly) loads on the first
 * Python file, never during activation.
 */
export class LoggingLinter implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('incidentWorkbench.logging');
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires (debounced) when findings change: the Logging health node listens. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.collection, this.changed];
  private readonly state = new Map<string, FileState>();
  private readonly facts = new Map<string, { path: string; facts: FileFacts; uri: vscode.Uri }>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly pending = new Set<Promise<unknown>>();
  private parserPromise: Promise<PythonParser> | undefined;
  private projectKey: string | undefined;
  private factsScan: Promise<void> | undefined;
  private changeTimer: ReturnType<typeof setTimeout> | undefined;
  private scannedAt: string | undefined;
  private settings: LoggingSettings;
  /** Milliseconds from the last document change to its diagnostics, for bench/logging. */
  lastLatencyMs: number | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.settings = loggingSettings();
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.schedule(e.document, this.settings.debounceMs, performance.now());
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        // Untitled buffers and notebook cells go away with their document; files keep their last findings.
        if (d.uri.scheme !== 'file') this.forget(d.uri);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('incidentWorkbench.logging') || e.affectsConfiguration('incidentWorkbench.redaction.fieldNames')) {
          this.settings = loggingSettings();
          if (!this.settings.enabled) this.clear();
          for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
        }
      }),
    );
    // Documents open before activation: checked once the host is idle, not inside activate().
    const initial = setTimeout(() => vscode.workspace.textDocuments.forEach((d) => this.schedule(d, 0)), 0);
    this.disposables.push({ dispose: () => clearTimeout(initial) });
  }

  /** The tree-sitter parser, loaded on first use. */
  parser(): Promise<PythonParser> {
    return this.getParser();
  }

  private getParser(): Promise<PythonParser> {
    this.parserPromise ??= createPythonParser(async () => {
      const read = (name: string) => vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.extensionUri, 'dist', 'wasm', name));
      const [runtime, python] = await Promise.all([read('tree-sitter.wasm'), read('tree-sitter-python.wasm')]);
      return { runtime, python };
    }).catch((e: unknown) => {
      this.parserPromise = undefined;
      void reportError(this.log, `Logging linter: the Python parser could not be loaded (${errorMessage(e)}). Rebuild the extension (npm run build) so dist/wasm/ exists.`, { notify: false, cause: e });
      throw e;
    });
    return this.parserPromise;
  }

  private schedule(doc: vscode.TextDocument, delay: number, changedAt?: number): void {
    if (!this.settings.enabled || !isLintable(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.track(this.lintDocument(doc).then(() => {
          if (changedAt !== undefined) this.lastLatencyMs = performance.now() - changedAt;
        }));
      }, delay),
    );
  }

  private track(p: Promise<unknown>): void {
    const done = p.catch((e: unknown) => reportError(this.log, `Logging linter: ${errorMessage(e)}`, { notify: false, cause: e })).finally(() => this.pending.delete(done));
    this.pending.add(done);
  }

  /** Resolves when no lint is scheduled or running (tests, benchmarks). */
  async whenIdle(): Promise<void> {
    for (;;) {
      if (this.timers.size === 0 && this.pending.size === 0) return;
      await Promise.all([...this.pending]);
      if (this.timers.size) await new Promise((r) => setTimeout(r, 20));
    }
  }

  private pathOf(uri: vscode.Uri): string {
    return uri.scheme === 'file' ? vscode.workspace.asRelativePath(uri, false) : uri.path;
  }

  /** Lints an open document now and publishes its diagnostics. */
  async lintDocument(doc: vscode.TextDocument): Promise<Finding[]> {
    if (!isLintable(doc)) return [];
    const parser = await this.getParser();
    if (doc.isClosed && doc.uri.scheme !== 'file') return [];
    const version = doc.version;
    const text = doc.getText();
    const path = this.pathOf(doc.uri);
    const result = lintPython(parser, text, this.options(path, doc.uri.scheme === 'vscode-notebook-cell'));
    if (doc.version !== version) return result.findings; // typed over meanwhile: the next run publishes
    this.state.set(doc.uri.toString(), { uri: doc.uri, path, version, findings: result.findings });
    if (doc.uri.scheme === 'file') this.facts.set(doc.uri.toString(), { path, facts: result.facts, uri: doc.uri });
    this.publish(doc.uri);
    this.updateProject();
    void this.ensureProjectFacts();
    return result.findings;
  }

  private options(path: string, notebook: boolean) {
    const s = this.settings;
    return {
      path,
      notebook,
      severities: s.severities,
      sensitiveNames: s.sensitiveNames,
      ...(s.contextFields ? { contextFields: s.contextFields } : {}),
      project: { contextVarContext: [...this.facts.values()].some((f) => f.facts.contextVarContext) },
    };
  }

  /** The findings of an open document, when they belong to its current text (code actions rely on offsets). */
  findingsFor(doc: vscode.TextDocument): Finding[] | undefined {
    const s = this.state.get(doc.uri.toString());
    if (!s || s.version !== doc.version) return undefined;
    const project = this.projectFinding();
    return project && project.uri.toString() === doc.uri.toString() ? [...s.findings, project.finding] : s.findings;
  }

  private projectFinding(): { uri: vscode.Uri; finding: Finding } | undefined {
    const entries = [...this.facts.values()];
    const found = projectFindings(entries.map((e) => ({ path: e.path, facts: e.facts })), this.settings.severities)[0];
    if (!found) return undefined;
    const entry = entries.find((e) => e.path === found.path);
    return entry ? { uri: entry.uri, finding: found.finding } : undefined;
  }

  private updateProject(): void {
    const p = this.projectFinding();
    const key = p ? `${p.uri.toString()}#${p.finding.start}` : undefined;
    if (key === this.projectKey) return;
    const before = this.projectKey?.split('#')[0];
    this.projectKey = key;
    if (before) this.publish(vscode.Uri.parse(before));
    if (p) this.publish(p.uri);
  }

  private publish(uri: vscode.Uri): void {
    const key = uri.toString();
    const s = this.state.get(key);
    const findings = [...(s?.findings ?? [])];
    const p = this.projectKey?.split('#')[0] === key ? this.projectFinding() : undefined;
    if (p) findings.push(p.finding);
    this.collection.set(uri, findings.map(toDiagnostic));
    if (p && !s) this.state.set(key, { uri, path: this.pathOf(uri), version: undefined, findings: [] });
    this.fireChanged();
  }

  private fireChanged(): void {
    clearTimeout(this.changeTimer);
    this.changeTimer = setTimeout(() => this.changed.fire(), 100);
  }

  private forget(uri: vscode.Uri): void {
    this.state.delete(uri.toString());
    this.collection.delete(uri);
    this.fireChanged();
  }

  private clear(): void {
    this.state.clear();
    this.collection.clear();
    this.fireChanged();
  }

  private excludeGlob(): string {
    return `{${[...DEFAULT_EXCLUDE, ...this.settings.exclude].join(',')}}`;
  }

  /**
   * Facts of the files not opened yet (a JSON formatter or a request-id contextvar in another module), in the
   * background after the first lint, so project-level answers do not depend on which files happen to be open.
   */
  private ensureProjectFacts(): Promise<void> {
    this.factsScan ??= (async () => {
      const parser = await this.getParser();
      const uris = await vscode.workspace.findFiles('**/*.py', this.excludeGlob(), FACTS_SCAN_LIMIT);
      for (const uri of uris) {
        if (this.facts.has(uri.toString())) continue;
        const text = await this.readText(uri);
        if (typeof text !== 'string') continue;
        this.facts.set(uri.toString(), { path: this.pathOf(uri), facts: lintPython(parser, text, { path: this.pathOf(uri) }).facts, uri });
        await new Promise((r) => setImmediate(r));
      }
      this.updateProject();
    })().catch((e: unknown) => {
      void reportError(this.log, `Logging linter: project scan stopped: ${errorMessage(e)}`, { notify: false, severity: 'warning', cause: e });
    });
    return this.factsScan;
  }

  private async readText(uri: vscode.Uri): Promise<string | { skipped: string }> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return open.getText();
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_FILE_BYTES) return { skipped: `${(stat.size / 1048576).toFixed(1)} MB, over the ${MAX_FILE_BYTES / 1048576} MB limit` };
      const decoded = decodePython(await vscode.workspace.fs.readFile(uri));
      return 'skipped' in decoded ? { skipped: decoded.skipped } : decoded.text;
    } catch (e) {
      return { skipped: errorMessage(e) };
    }
  }

  /** Lints every Python file of the workspace (progress, cancel); findings go to the Problems panel. */
  async scanWorkspace(progress?: vscode.Progress<{ message?: string; increment?: number }>, token?: vscode.CancellationToken): Promise<ScanResult> {
    const started = performance.now();
    const parser = await this.getParser();
    const uris = await vscode.workspace.findFiles('**/*.{py,ipynb}', this.excludeGlob(), undefined, token);
    uris.sort((a, b) => a.path.localeCompare(b.path));
    const result: ScanResult = { files: 0, findings: 0, errors: 0, skipped: [], cancelled: false, ms: 0 };
    for (const [i, uri] of uris.entries()) {
      if (token?.isCancellationRequested) {
        result.cancelled = true;
        break;
      }
      const path = this.pathOf(uri);
      progress?.report({ message: `${i + 1}/${uris.length} ${path}`, increment: 100 / uris.length });
      if (uri.path.endsWith('.ipynb')) {
        result.skipped.push({ path, reason: 'notebook: its code cells are checked as you edit them in the notebook editor' });
        continue;
      }
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      let findings: Finding[];
      if (open) findings = await this.lintDocument(open);
      else {
        const text = await this.readText(uri);
        if (typeof text !== 'string') {
          result.skipped.push({ path, reason: text.skipped });
          continue;
        }
        const r = lintPython(parser, text, this.options(path, false));
        findings = r.findings;
        this.state.set(uri.toString(), { uri, path, version: undefined, findings });
        this.facts.set(uri.toString(), { path, facts: r.facts, uri });
        this.publish(uri);
      }
      result.files++;
      result.findings += findings.length;
      result.errors += findings.filter((f) => f.severity === 'error').length;
      if (i % 20 === 19) await new Promise((r) => setImmediate(r));
    }
    this.updateProject();
    const p = this.projectFinding();
    if (p) result.findings++;
    this.scannedAt = new Date().toISOString();
    result.ms = performance.now() - started;
    for (const s of result.skipped) this.log.info(`Logging scan: skipped ${s.path}: ${s.reason}`);
    this.fireChanged();
    return result;
  }

  summary(): LoggingHealthSummary {
    const files: FileHealth[] = [];
    for (const [key, s] of this.state) {
      const p = this.projectKey?.split('#')[0] === key ? this.projectFinding() : undefined;
      const findings = p ? [...s.findings, p.finding] : s.findings;
      if (findings.length === 0) continue;
      const byRule: Partial<Record<RuleId, number>> = {};
      for (const f of findings) byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
      const errors = findings.filter((f) => f.severity === 'error').length;
      const warnings = findings.filter((f) => f.severity === 'warning').length;
      const first = [...findings].sort((a, b) => a.start - b.start)[0]!;
      files.push({ uri: s.uri, path: s.path, errors, warnings, other: findings.length - errors - warnings, total: findings.length, byRule, first: { line: first.line, column: first.column, rule: first.rule, message: first.message } });
    }
    files.sort((a, b) => b.errors - a.errors || b.total - a.total || a.path.localeCompare(b.path));
    const sum = (k: 'total' | 'errors' | 'warnings' | 'other') => files.reduce((n, f) => n + f[k], 0);
    return {
      files,
      totals: { files: files.length, findings: sum('total'), errors: sum('errors'), warnings: sum('warnings'), other: sum('other') },
      ...(this.scannedAt ? { scannedAt: this.scannedAt } : {}),
    };
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    clearTimeout(this.changeTimer);
    this.disposables.forEach((d) => d.dispose());
  }
}

function toDiagnostic(f: Finding): vscode.Diagnostic {
  const range = new vscode.Range(f.line - 1, f.column - 1, f.endLine - 1, f.endColumn - 1);
  const d = new vscode.Diagnostic(range, f.message, SEVERITY[f.severity]);
  d.source = LOGGING_DIAGNOSTIC_SOURCE;
  d.code = f.rule;
  return d;
}
