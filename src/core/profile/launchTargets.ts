/**
 * What to run when the user profiles from where they are: a launch.json Python configuration, the active
 * file, or the pytest test under the cursor. Pure: the host reads launch.json, the file and the folder.
 */

export interface LaunchTarget {
  /** Shown in pickers and the task name. */
  name: string;
  /** Arguments for the Python interpreter: the script and its args, or `-m module` and its args. */
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** A file of KEY=value lines to read into env (launch.json `envFile`), resolved like cwd. */
  envFile?: string;
  /** launch.json `python`: the interpreter this configuration asks for. */
  python?: string;
}

export type LaunchResult = { ok: true; target: LaunchTarget } | { ok: false; name: string; reason: string };

export interface Variables {
  workspaceFolder: string;
  /** The active file, for ${file} and friends; undefined when none. */
  file?: string;
  env: Record<string, string | undefined>;
}

const PYTHON_TYPES = new Set(['python', 'debugpy']);

/** ${workspaceFolder}, ${file}, ${fileDirname}, ${env:NAME}, ${userHome}; anything else is left as written. */
export function substitute(value: string, vars: Variables): string {
  return value.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    if (name === 'workspaceFolder' || name === 'workspaceRoot') return vars.workspaceFolder;
    if (name.startsWith('env:')) return vars.env[name.slice(4)] ?? '';
    if (name === 'userHome') return vars.env.HOME ?? vars.env.USERPROFILE ?? whole;
    if (vars.file !== undefined) {
      const slash = Math.max(vars.file.lastIndexOf('/'), vars.file.lastIndexOf('\\'));
      if (name === 'file') return vars.file;
      if (name === 'fileDirname') return vars.file.slice(0, Math.max(0, slash));
      if (name === 'fileBasename') return vars.file.slice(slash + 1);
    }
    return whole;
  });
}

function strings(x: unknown): string[] | undefined {
  return Array.isArray(x) && x.every((a) => typeof a === 'string') ? (x as string[]) : undefined;
}

/** launch.json `args`: an array, or one string the debugger splits on whitespace. */
function argList(x: unknown): string[] | undefined {
  if (x === undefined) return [];
  if (typeof x === 'string') return x.split(/\s+/).filter(Boolean);
  return strings(x);
}

/**
 * The launch.json configurations that can run under a profiler: Python "launch" configurations with a
 * `program` or a `module`. Attach configurations, other languages and broken entries come back with the
 * reason, so the picker can say why a configuration is missing.
 */
export function pythonLaunchTargets(configurations: unknown, vars: Variables): LaunchResult[] {
  if (!Array.isArray(configurations)) return [];
  const out: LaunchResult[] = [];
  for (const c of configurations) {
    if (typeof c !== 'object' || c === null) continue;
    const x = c as Record<string, unknown>;
    const name = typeof x.name === 'string' ? x.name : '(unnamed)';
    if (typeof x.type !== 'string' || !PYTHON_TYPES.has(x.type)) continue;
    if (x.request !== 'launch') {
      out.push({ ok: false, name, reason: 'attaches to a running process (use Profile Python Process… for that)' });
      continue;
    }
    const args = argList(x.args);
    if (!args) {
      out.push({ ok: false, name, reason: '"args" is neither a list of strings nor a string' });
      continue;
    }
    const sub = (s: string) => substitute(s, vars);
    let head: string[];
    if (typeof x.program === 'string' && x.program !== '') head = [sub(x.program)];
    else if (typeof x.module === 'string' && x.module !== '') head = ['-m', sub(x.module)];
    else {
      out.push({ ok: false, name, reason: 'has neither "program" nor "module"' });
      continue;
    }
    const env: Record<string, string> = {};
    if (typeof x.env === 'object' && x.env !== null) for (const [k, v] of Object.entries(x.env)) if (typeof v === 'string') env[k] = sub(v);
    const target: LaunchTarget = { name, args: [...head, ...args.map(sub)], cwd: typeof x.cwd === 'string' ? sub(x.cwd) : vars.workspaceFolder };
    if (Object.keys(env).length > 0) target.env = env;
    if (typeof x.envFile === 'string') target.envFile = sub(x.envFile);
    if (typeof x.python === 'string') target.python = sub(x.python);
    out.push({ ok: true, target });
  }
  return out;
}

/** KEY=value lines (a .env file): comments and blank lines skipped, quotes around a value removed. */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2]!;
    if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.endsWith(v[0])) v = v.slice(1, -1);
    env[m[1]!] = v;
  }
  return env;
}

/**
 * How to run a file: inside a package (its folder has __init__.py) as `-m pkg.mod` from the folder above the
 * package, so its relative imports work (`python service/server.py` fails on `from . import x`); else as a
 * script. `dirs` are the file's folders from the workspace folder down, each with whether it has __init__.py.
 */
export function runFile(relPath: string, packageDirs: (dir: string) => boolean): { args: string[]; cwdRel: string } {
  const parts = relPath.split(/[\\/]/).filter(Boolean);
  const file = parts.pop() ?? '';
  let top = parts.length;
  while (top > 0 && packageDirs(parts.slice(0, top).join('/'))) top--;
  if (top === parts.length || !/\.py$/.test(file) || !parts.slice(top).every((p) => /^[A-Za-z_]\w*$/.test(p))) return { args: [relPath.split(/[\\/]/).join('/')], cwdRel: '' };
  const module = [...parts.slice(top), file.replace(/\.py$/, '')];
  if (module[module.length - 1] === '__main__') module.pop();
  return { args: ['-m', module.join('.')], cwdRel: parts.slice(0, top).join('/') };
}

/**
 * The pytest node id of the test around `line` (0-based) in a test file's text: `def test_*` (or
 * `async def`) and its enclosing `class Test*`, by indentation. Undefined when the cursor is in no test.
 */
export function pytestNodeAt(relPath: string, text: string, line: number): string | undefined {
  const lines = text.split(/\r?\n/);
  let test: { name: string; indent: number } | undefined;
  let i = Math.min(line, lines.length - 1);
  // The shallowest other def passed on the way up: a test only encloses the cursor if it is shallower.
  let otherDef = Infinity;
  for (; i >= 0; i--) {
    const m = /^(\s*)(?:async\s+)?def\s+(test\w*)\s*\(/.exec(lines[i]!);
    if (m) {
      test = { name: m[2]!, indent: m[1]!.length };
      if (otherDef <= test.indent) return undefined;
      break;
    }
    const d = /^(\s*)(?:async\s+)?def\s/.exec(lines[i]!);
    if (d) otherDef = Math.min(otherDef, d[1]!.length);
    const c = /^(\s*)class\s+\w+/.exec(lines[i]!);
    // Above a class or a non-test def at the left margin: the cursor is not in a test.
    if (c && i !== line) return undefined;
    if (/^def\s|^async\s+def\s/.test(lines[i]!) && i !== line) return undefined;
  }
  if (!test) return undefined;
  const chain: string[] = [test.name];
  let indent = test.indent;
  for (let j = i - 1; j >= 0 && indent > 0; j--) {
    const m = /^(\s*)class\s+(\w+)/.exec(lines[j]!);
    if (m && m[1]!.length < indent) {
      if (!m[2]!.startsWith('Test')) return undefined;
      chain.unshift(m[2]!);
      indent = m[1]!.length;
    } else if (/^\S/.test(lines[j]!) && !/^[#@)]/.test(lines[j]!)) break;
  }
  return [relPath.split(/[\\/]/).join('/'), ...chain].join('::');
}
