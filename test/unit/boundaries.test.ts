import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { builtinModules } from 'node:module';
import { repoRoot } from './helpers';

function files(dir: string): string[] {
  const abs = path.join(repoRoot, dir);
  return readdirSync(abs).flatMap((name) => {
    const p = path.join(abs, name);
    return statSync(p).isDirectory() ? files(path.join(dir, name)) : name.endsWith('.ts') ? [path.join(dir, name)] : [];
  });
}

/** Every module a file imports or requires (static, dynamic, type-only), and whether only its types. */
function imports(file: string): { spec: string; typeOnly: boolean }[] {
  const text = readFileSync(path.join(repoRoot, file), 'utf8');
  const found: { spec: string; typeOnly: boolean }[] = [];
  for (const m of text.matchAll(/(?:import|export)\s([^'"]*?)from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm)) {
    // Only `import type …` / `export type …` count as type-only: they vanish from every build, always.
    found.push({ spec: (m[2] ?? m[3] ?? m[4] ?? m[5])!, typeOnly: m[1] !== undefined && /^type\s/.test(m[1]) });
  }
  return found;
}

function specifiers(file: string): string[] {
  return imports(file).map((i) => i.spec);
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

test('src/core never imports vscode (the model stays testable without an editor)', () => {
  const offenders = files('src/core').filter((f) => specifiers(f).includes('vscode'));
  assert.deepEqual(offenders, []);
});

test('src/core does not reach into host, cli, node, protocol, presenters or webview code', () => {
  const offenders = files('src/core').flatMap((f) => specifiers(f).filter((s) => /\/(host|cli|node|protocol|presenters)(\/|$)|webview\//.test(s)).map((s) => `${f} -> ${s}`));
  assert.deepEqual(offenders, []);
});

test('src/core starts no processes: child_process is for src/node, src/host and src/cli', () => {
  const offenders = files('src/core').flatMap((f) => specifiers(f).filter((s) => s.replace(/^node:/, '') === 'child_process').map((s) => `${f} -> ${s}`));
  assert.deepEqual(offenders, []);
});

test('host and cli do not import each other; src/node (shared by both) imports neither', () => {
  const offenders = [
    ...files('src/host').flatMap((f) => specifiers(f).filter((s) => /\/cli\//.test(s)).map((s) => `${f} -> ${s}`)),
    ...files('src/cli').flatMap((f) => specifiers(f).filter((s) => /\/host\//.test(s)).map((s) => `${f} -> ${s}`)),
    ...files('src/node').flatMap((f) => specifiers(f).filter((s) => /\/(host|cli)\/|webview\//.test(s)).map((s) => `${f} -> ${s}`)),
  ];
  assert.deepEqual(offenders, []);
});

test('webview code imports no Node modules, no vscode and no host, cli or node code', () => {
  const offenders = files('webview').flatMap((f) => specifiers(f).filter((s) => NODE_BUILTINS.has(s) || s === 'vscode' || /\/src\/(host|cli|node)\//.test(s)).map((s) => `${f} -> ${s}`));
  assert.deepEqual(offenders, []);
});

test('every folder under webview/ but shared/ is an app (esbuild bundles its index.ts); shared code lives in shared/', () => {
  const folders = readdirSync(path.join(repoRoot, 'webview'), { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'shared');
  assert.deepEqual(folders.filter((d) => !existsSync(path.join(repoRoot, 'webview', d.name, 'index.ts'))).map((d) => d.name), []);
});

/** Why `file`'s import breaks the protocol's rule, or undefined when it keeps it. */
function protocolOffence(file: string, i: { spec: string; typeOnly: boolean }): string | undefined {
  if (i.spec.startsWith('./')) return undefined;
  const t = target(file, i.spec);
  // Types of core name the data once; a value of core would put core's code into every page's bundle.
  if (t?.startsWith('src/core/')) return i.typeOnly ? undefined : `${file} -> ${i.spec} (a value of core: use \`import type\`)`;
  return `${file} -> ${i.spec}`;
}

test('src/protocol imports other protocol files, and only types from src/core', () => {
  const offenders = files('src/protocol').flatMap((f) => imports(f).flatMap((i) => protocolOffence(f, i) ?? []));
  assert.deepEqual(offenders, []);
});

test('the protocol rule fails on values of core and on anything else', () => {
  const f = 'src/protocol/x.ts';
  assert.equal(protocolOffence(f, { spec: '../core/abtest/analyze', typeOnly: true }), undefined);
  assert.equal(protocolOffence(f, { spec: './common', typeOnly: false }), undefined);
  assert.ok(protocolOffence(f, { spec: '../core/abtest/analyze', typeOnly: false }));
  assert.ok(protocolOffence(f, { spec: '../host/shared/workbench', typeOnly: true }));
  assert.ok(protocolOffence(f, { spec: '../presenters/abtest', typeOnly: true }));
  assert.ok(protocolOffence(f, { spec: 'vscode', typeOnly: true }));
  // The parser tells the two kinds apart (a value import of core in any syntax is a value import).
  assert.deepEqual(imports('src/protocol/abtest.ts').filter((i) => i.spec.startsWith('../core/')).map((i) => i.typeOnly), [true, true]);
  assert.deepEqual(imports('src/presenters/rollback.ts').find((i) => i.spec === '../core/rollback/decide'), { spec: '../core/rollback/decide', typeOnly: false });
});

test('src/presenters import core, protocol, other presenters and schemas only (no vscode, host, Node or packages)', () => {
  const offenders = files('src/presenters').flatMap((f) =>
    specifiers(f)
      .filter((s) => {
        const t = target(f, s);
        return !t || !(/^src\/(core|protocol|presenters)\//.test(t) || /^schemas\/[^/]+\.json$/.test(t));
      })
      .map((s) => `${f} -> ${s}`),
  );
  assert.deepEqual(offenders, []);
});

test('only src/host imports vscode', () => {
  const offenders = [...files('src/core'), ...files('src/cli'), ...files('src/node'), ...files('src/protocol'), ...files('src/presenters'), ...files('webview')].filter((f) => specifiers(f).includes('vscode'));
  assert.deepEqual(offenders, []);
});

test('the checker itself sees imports (guards against a regex that matches nothing)', () => {
  assert.ok(specifiers('src/host/extension.ts').includes('vscode'));
  assert.ok(specifiers('src/host/shared/identity.ts').includes('node:child_process'));
  assert.ok(specifiers('src/node/commandPredictor.ts').includes('node:child_process'));
  assert.equal(target('src/host/errors/register.ts', './commands/loadLogs'), 'src/host/errors/commands/loadLogs');
});

/** The repo path (without extension) a relative specifier of `file` names, or undefined for packages. */
function target(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return path.join(path.dirname(file), spec).replace(/\.(ts|js|mjs)$/, '');
}

test('a host feature folder imports only itself, host/shared, core and protocol', () => {
  const feature = (f: string) => /^src\/host\/([^/]+)\//.exec(f)?.[1];
  const offenders = files('src/host').flatMap((f) => {
    const own = feature(f);
    if (!own) return []; // extension.ts wires the features together
    return specifiers(f)
      .map((s) => target(f, s))
      .filter((t): t is string => t !== undefined && t.startsWith('src/host/'))
      .filter((t) => {
        const other = feature(`${t}/`) ?? feature(t);
        if (t === 'src/host/extension' || other === undefined) return true;
        // shared is for every feature; it imports none of them
        return own === 'shared' ? other !== 'shared' : other !== own && other !== 'shared';
      })
      .map((t) => `${f} -> ${t}`);
  });
  assert.deepEqual(offenders, []);
});

test('src and webview have no import loops (type-only imports count)', () => {
  const all = [...files('src'), ...files('webview')];
  const known = new Set(all.map((f) => f.replace(/\.ts$/, '')));
  const edges = new Map<string, string[]>();
  for (const f of all) {
    const from = f.replace(/\.ts$/, '');
    edges.set(from, specifiers(f).map((s) => target(f, s)).flatMap((t) => (t === undefined ? [] : known.has(t) ? [t] : known.has(`${t}/index`) ? [`${t}/index`] : [])));
  }
  // Tarjan's strongly connected components: any component of two or more files is a loop.
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const loops: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) loops.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  assert.deepEqual(loops, []);
});

test('test-only commands (incidentWorkbench._…) are registered only in ExtensionMode.Test', () => {
  const offenders = files('src/host')
    .flatMap((f) => {
      const text = readFileSync(path.join(repoRoot, f), 'utf8');
      const guard = text.search(/[!=]==\s*vscode\.ExtensionMode\.Test\)/);
      return [...text.matchAll(/registerCommand\(\s*'(incidentWorkbench\._\w+)'/g)].filter((m) => guard < 0 || m.index! < guard).map((m) => `${f}: ${m[1]}`);
    });
  assert.deepEqual(offenders, []);
  assert.ok(files('src/host').some((f) => /registerCommand\(\s*'incidentWorkbench\._/.test(readFileSync(path.join(repoRoot, f), 'utf8'))), 'the check sees test-only commands');
});
