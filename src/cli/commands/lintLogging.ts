import { existsSync, promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { lintPython, type Finding } from '../../core/logging/lint';
import { createPythonParser, isRuntimeAbort, resetPythonRuntime, type PythonParser } from '../../core/logging/parser';
import { errorMessage } from '../../core/util/errors';
import { decodePython, lintNotebook, projectFindings, type FileFactsEntry } from '../../core/logging/project';
import { parseRuleSeverities, type RuleSeverities } from '../../core/logging/rules';
import { UsageError, rejectUnknown, type ParsedArgs } from '../args';
import type { CommandHelp } from '../help';
import { EXIT, type CliIO } from '../output';

export const lintLoggingHelp: CommandHelp = {
  summary: 'Check the logging of Python files and notebooks (a CI gate)',
  usage: `iwb lint-logging PATH... [--json] [--rules RULE=SEVERITY,...]
  Checks the logging of Python files (.py, and the code cells of .ipynb notebooks) under each PATH with
  tree-sitter: print-logging, exception-without-traceback, swallowed-exception, eager-formatting,
  missing-context, sensitive-data, unstructured-logger. Virtual environments, site-packages,
  node_modules, build and dist folders are skipped. Prints file:line:column: severity rule: message,
  or with --json [{file, line, column, rule, message, severity}] (notebooks add "cell"). Files that cannot
  be linted (binary, undeclared non-UTF-8) are named on stderr with the reason. --rules sets severities
  (error, warning, information, hint, off), e.g. --rules print-logging=off,eager-formatting=error.
  Exit 0: no finding at error severity. 1: some. 2: a PATH does not exist, or every file was skipped.`,
};

const SKIP_DIRS = new Set(['.git', '.hg', 'node_modules', '__pycache__', '.venv', 'venv', 'env', '.env', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache', 'site-packages', 'build', 'dist', '.incidents', '.vscode-host', '.ipynb_checkpoints']);
const MAX_BYTES = 16 * 1024 * 1024;

/** The two .wasm files: next to dist/cli.js (dist/wasm/), or in node_modules when run from sources/out. */
export function wasmPaths(from = __dirname): { runtime: string; python: string } {
  for (let dir = from; ; dir = nodePath.dirname(dir)) {
    const dist = { runtime: nodePath.join(dir, 'wasm', 'tree-sitter.wasm'), python: nodePath.join(dir, 'wasm', 'tree-sitter-python.wasm') };
    if (existsSync(dist.runtime) && existsSync(dist.python)) return dist;
    const modules = {
      runtime: nodePath.join(dir, 'node_modules', 'web-tree-sitter', 'tree-sitter.wasm'),
      python: nodePath.join(dir, 'node_modules', 'tree-sitter-python', 'tree-sitter-python.wasm'),
    };
    if (existsSync(modules.runtime) && existsSync(modules.python)) return modules;
    if (nodePath.dirname(dir) === dir) throw new Error('tree-sitter.wasm and tree-sitter-python.wasm were not found next to iwb (dist/wasm/); rebuild with npm run build');
  }
}

let parserPromise: Promise<PythonParser> | undefined;
export function cliParser(): Promise<PythonParser> {
  parserPromise ??= createPythonParser(async () => {
    const p = wasmPaths();
    return { runtime: await fs.readFile(p.runtime), python: await fs.readFile(p.python) };
  });
  return parserPromise;
}

async function collect(root: string, display: string, out: { abs: string; display: string; rel: string }[]): Promise<void> {
  const stat = await fs.stat(root);
  if (stat.isFile()) {
    out.push({ abs: root, display, rel: nodePath.basename(root) });
    return;
  }
  const walk = async (dir: string, rel: string): Promise<void> => {
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && !SKIP_DIRS.has(e.name) && !e.name.endsWith('.egg-info')) await walk(nodePath.join(dir, e.name), childRel);
      else if (e.isFile() && /\.(py|ipynb)$/.test(e.name)) out.push({ abs: nodePath.join(dir, e.name), display: nodePath.join(display, childRel), rel: childRel });
    }
  };
  await walk(root, '');
}

export interface CliFinding {
  file: string;
  line: number;
  column: number;
  rule: string;
  message: string;
  severity: string;
  cell?: number;
}

export async function lintLoggingCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  rejectUnknown(args, ['json', 'rules']);
  const json = args.flags.has('json');
  if (args.positionals.length === 0) throw new UsageError('lint-logging needs at least one PATH (a .py file, a notebook or a folder)');
  let severities: RuleSeverities = {};
  const rules = args.flags.get('rules');
  if (rules !== undefined) {
    if (rules === true) throw new UsageError('--rules needs a value like print-logging=off');
    const parsed = parseRuleSeverities(rules);
    if (parsed.errors.length) throw new UsageError(`--rules: ${parsed.errors.join('; ')}`);
    severities = parsed.severities;
  }
  const files: { abs: string; display: string; rel: string }[] = [];
  for (const p of args.positionals) {
    const abs = nodePath.resolve(io.cwd, p);
    if (!existsSync(abs)) {
      const message = `${p} does not exist`;
      if (json) io.out(JSON.stringify({ error: message }));
      else io.err(`iwb lint-logging: ${message}`);
      return EXIT.usage;
    }
    await collect(abs, p, files);
  }
  let parser = await cliParser();
  const findings: CliFinding[] = [];
  const facts: (FileFactsEntry & { display: string })[] = [];
  let skipped = 0;
  const add = (display: string, f: Finding, cell?: number) =>
    findings.push({ file: display, line: f.line, column: f.column, rule: f.rule, message: f.message, severity: f.severity, ...(cell === undefined ? {} : { cell }) });
  for (const file of files) {
    const skip = (reason: string) => {
      skipped++;
      io.err(`${file.display}: skipped: ${reason}`);
    };
    let bytes: Buffer;
    try {
      const stat = await fs.stat(file.abs);
      if (stat.size > MAX_BYTES) {
        skip(`${(stat.size / 1048576).toFixed(1)} MB, over the ${MAX_BYTES / 1048576} MB limit`);
        continue;
      }
      bytes = await fs.readFile(file.abs);
    } catch (e) {
      skip(`cannot be read (${(e as NodeJS.ErrnoException).code ?? errorMessage(e)})`);
      continue;
    }
    const decoded = decodePython(bytes);
    if ('skipped' in decoded) {
      skip(decoded.skipped);
      continue;
    }
    // One file the parser cannot take (a WebAssembly abort) is skipped with the reason; the others'
    // findings are kept and a fresh parser takes the next file.
    try {
      if (file.abs.endsWith('.ipynb')) {
        const nb = lintNotebook(parser, decoded.text, { severities, path: file.rel });
        if ('skipped' in nb) skip(nb.skipped);
        else {
          for (const f of nb.findings) add(file.display, f, f.cell);
          for (const x of nb.facts) facts.push({ path: file.rel, display: file.display, facts: x });
        }
        continue;
      }
      const result = lintPython(parser, decoded.text, { severities, path: file.rel });
      if (result.skipped) {
        skip(result.skipped);
        continue;
      }
      for (const f of result.findings) add(file.display, f);
      facts.push({ path: file.rel, display: file.display, facts: result.facts });
      if (result.syntaxErrors > 0 && !json) io.err(`${file.display}: ${result.syntaxErrors} syntax error${result.syntaxErrors === 1 ? '' : 's'}; checked the parts that parse`);
    } catch (e) {
      skip(`the Python parser failed on it (${errorMessage(e)})`);
      if (isRuntimeAbort(e)) {
        resetPythonRuntime();
        parserPromise = undefined;
        parser = await cliParser();
      }
    }
  }
  for (const { path, finding } of projectFindings(facts.map((f) => ({ path: f.display, facts: f.facts })), severities)) add(path, finding);
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  if (json) io.out(JSON.stringify(findings, null, 2));
  else {
    for (const f of findings) io.out(`${f.file}:${f.line}:${f.column}: ${f.severity} ${f.rule}: ${f.message}${f.cell === undefined ? '' : ` (cell ${f.cell + 1})`}`);
    const errors = findings.filter((f) => f.severity === 'error').length;
    io.err(`${files.length - skipped} file${files.length - skipped === 1 ? '' : 's'} checked${skipped ? `, ${skipped} skipped` : ''}: ${findings.length} finding${findings.length === 1 ? '' : 's'}, ${errors} at error severity`);
  }
  // Nothing could be checked (every file skipped): that is unreadable input, not a clean bill.
  if (files.length > 0 && skipped === files.length) return EXIT.usage;
  return findings.some((f) => f.severity === 'error') ? EXIT.findings : EXIT.ok;
}
