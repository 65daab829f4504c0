import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
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

/** Every module specifier a file imports or requires (static, dynamic, type-only). */
function specifiers(file: string): string[] {
  const text = readFileSync(path.join(repoRoot, file), 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm)) {
    found.push((m[1] ?? m[2] ?? m[3] ?? m[4])!);
  }
  return found;
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

test('src/core never imports vscode (the model stays testable without an editor)', () => {
  const offenders = files('src/core').filter((f) => specifiers(f).includes('vscode'));
  assert.deepEqual(offenders, []);
});

test('src/core does not reach into host, cli or webview code', () => {
  const offenders = files('src/core').flatMap((f) => specifiers(f).filter((s) => /\/(host|cli)\/|webview\//.test(s)).map((s) => `${f} -> ${s}`));
  assert.deepEqual(offenders, []);
});

test('webview code imports no Node modules and no vscode', () => {
  const offenders = files('webview').flatMap((f) => specifiers(f).filter((s) => NODE_BUILTINS.has(s) || s === 'vscode').map((s) => `${f} -> ${s}`));
  assert.deepEqual(offenders, []);
});

test('src/protocol imports nothing but other protocol files', () => {
  const offenders = files('src/protocol').flatMap((f) => specifiers(f).filter((s) => !s.startsWith('./')).map((s) => `${f} -> ${s}`));
  assert.deepEqual(offenders, []);
});

test('only src/host imports vscode', () => {
  const offenders = [...files('src/core'), ...files('src/cli'), ...files('src/protocol'), ...files('webview')].filter((f) => specifiers(f).includes('vscode'));
  assert.deepEqual(offenders, []);
});

test('the checker itself sees imports (guards against a regex that matches nothing)', () => {
  assert.ok(specifiers('src/host/extension.ts').includes('vscode'));
  assert.ok(specifiers('src/host/identity.ts').includes('node:child_process'));
});
