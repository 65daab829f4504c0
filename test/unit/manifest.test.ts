import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { main } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/output';
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
const read = (rel: string): string => (existsSync(path.join(repoRoot, rel)) ? readFileSync(path.join(repoRoot, rel), 'utf8') : '');

interface CommandDescriptions {
  sections: { title: string; commands: Record<string, string> }[];
}
const descriptions = JSON.parse(read('docs/command-descriptions.json')) as CommandDescriptions;

/** scripts/gen-docs.mjs, the generator `npm run docs` runs; its rendering is pure, so it runs here in-process. */
interface GenDocs {
  renderDocs(input: { manifest: unknown; descriptions: unknown; cliHelp: unknown }): Record<string, string>;
  collectCliHelp(run: (argv: string[]) => Promise<string>): Promise<unknown>;
}
async function generatedDocs(): Promise<Record<string, string>> {
  const gen = (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'gen-docs.mjs')).href)) as GenDocs;
  // The CLI's help as `node dist/cli.js ...` prints it, from the sources (dist/ may be stale or absent).
  const runCli = async (argv: string[]): Promise<string> => {
    const out: string[] = [];
    const io: CliIO = { out: (l) => out.push(l), err: () => undefined, cwd: repoRoot };
    const code = await main(argv, io);
    assert.equal(code, 0, `iwb ${argv.join(' ')} exits 0`);
    return `${out.join('\n')}\n`;
  };
  return gen.renderDocs({ manifest, descriptions, cliHelp: await gen.collectCliHelp(runCli) });
}

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

test('docs/commands.md names every command title and docs/settings.md every setting key', () => {
  const commandsDoc = read('docs/commands.md');
  const settingsDoc = read('docs/settings.md');
  for (const c of manifest.contributes.commands) assert.ok(commandsDoc.includes(`### ${c.title}\n`), `docs/commands.md lacks command "${c.title}": run npm run docs`);
  for (const key of Object.keys(manifest.contributes.configuration.properties)) assert.ok(settingsDoc.includes(`## ${key}\n`), `docs/settings.md lacks setting ${key}: run npm run docs`);
});

test('every command has a description in docs/command-descriptions.json, and every description a command', () => {
  const described = descriptions.sections.flatMap((s) => Object.keys(s.commands));
  assert.deepEqual(described.filter((id, i) => described.indexOf(id) !== i), [], 'a command described twice');
  for (const id of commandIds) assert.ok(described.includes(id), `${id} has no description: add one to docs/command-descriptions.json, then npm run docs`);
  for (const id of described) assert.ok(commandIds.has(id), `docs/command-descriptions.json describes ${id}, which package.json does not contribute`);
});

test('the generated docs (commands, settings, CLI) are what npm run docs writes now', async () => {
  for (const [rel, text] of Object.entries(await generatedDocs())) {
    const committed = read(rel);
    if (committed === text) continue;
    const a = committed.split('\n');
    const b = text.split('\n');
    const line = a.findIndex((l, i) => l !== b[i]);
    assert.fail(`${rel} is out of date: run npm run docs (line ${line + 1}: ${JSON.stringify(a[line] ?? '')} should be ${JSON.stringify(b[line] ?? '')})`);
  }
});

test('links in README.md and docs/*.md point to files and headings that exist; README pictures live under docs/', async () => {
  const { anchor } = (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'gen-docs.mjs')).href)) as { anchor(heading: string): string };
  const prose = (rel: string) => read(rel).replace(/```[\s\S]*?```/g, '');
  const headings = (rel: string) => new Set([...prose(rel).matchAll(/^#+ (.+)$/gm)].map((m) => anchor(m[1]!)));
  const docs = readdirSync(path.join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);
  let pictures = 0;
  for (const rel of ['README.md', ...docs]) {
    for (const m of prose(rel).matchAll(/(!?)\[[^\]]*\]\(([^)\s]+)\)/g)) {
      const link = m[2]!;
      if (/^[a-z]+:/.test(link)) continue;
      const [file, hash] = link.split('#') as [string, string | undefined];
      const target = file ? path.posix.join(path.posix.dirname(rel), file) : rel;
      assert.ok(existsSync(path.join(repoRoot, target)), `${rel} links to ${link}: ${target} does not exist`);
      if (hash && target.endsWith('.md')) assert.ok(headings(target).has(hash), `${rel} links to ${link}: no such heading in ${target}`);
      if (m[1] === '!' && rel === 'README.md') {
        pictures++;
        assert.ok(target.startsWith('docs/'), `README picture ${target} is not under docs/`);
      }
    }
  }
  assert.ok(pictures > 0, 'the README shows a screenshot');
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
