import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './helpers';

interface Manifest {
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    menus: Record<string, { command: string }[]>;
    viewsWelcome: { view: string; contents: string }[];
    views: Record<string, { id: string }[]>;
    jsonValidation: { url: string }[];
    configuration: { properties: Record<string, unknown> };
  };
}

const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Manifest;
const commandIds = new Set(manifest.contributes.commands.map((c) => c.command));
const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

test('every menu entry names a contributed command', () => {
  for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
    for (const e of entries) assert.ok(commandIds.has(e.command), `${menu} -> ${e.command}`);
  }
});

test('every command link in a welcome view names a contributed or built-in command', () => {
  for (const w of manifest.contributes.viewsWelcome) {
    for (const m of w.contents.matchAll(/\(command:([\w.]+)\)/g)) {
      assert.ok(commandIds.has(m[1]!) || m[1]!.startsWith('workbench.'), `${w.view} -> ${m[1]}`);
    }
  }
});

test('welcome views exist for both views', () => {
  const views = Object.values(manifest.contributes.views).flat().map((v) => v.id);
  for (const v of views) assert.ok(manifest.contributes.viewsWelcome.some((w) => w.view === v), v);
});

test('the command category is Incident Workbench and every command is in the palette list', () => {
  const palette = new Set(manifest.contributes.menus.commandPalette!.map((e) => e.command));
  for (const c of manifest.contributes.commands) {
    assert.equal(c.category, 'Incident Workbench', c.command);
    assert.ok(palette.has(c.command), c.command);
  }
});

test('no command is listed twice in the palette, and no custom editor has overlapping selectors', () => {
  const palette = manifest.contributes.menus.commandPalette!.map((e) => e.command);
  assert.deepEqual(palette.filter((c, i) => palette.indexOf(c) !== i), []);
  // Two patterns of one editor matching the same file make VS Code ask the user to pick a default editor.
  for (const editor of (manifest.contributes as unknown as { customEditors?: { viewType: string; selector: unknown[] }[] }).customEditors ?? []) {
    assert.equal(editor.selector.length, 1, `${editor.viewType} should use one (brace) pattern`);
  }
});

test('jsonValidation schemas exist', () => {
  for (const j of manifest.contributes.jsonValidation) assert.ok(existsSync(path.join(repoRoot, j.url)), j.url);
});

test('the README documents every command and setting', () => {
  for (const c of manifest.contributes.commands) assert.ok(readme.includes(c.title), `README lacks command "${c.title}"`);
  for (const key of Object.keys(manifest.contributes.configuration.properties)) assert.ok(readme.includes(key), `README lacks setting ${key}`);
});

test('the command ids declared under src/host match package.json', () => {
  const dir = path.join(repoRoot, 'src/host');
  const declared = new Set<string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) for (const m of readFileSync(p, 'utf8').matchAll(/\bid:\s*'(incidentWorkbench\.\w+)'/g)) declared.add(m[1]!);
    }
  };
  walk(dir);
  assert.deepEqual([...declared].sort(), [...commandIds].sort());
});
