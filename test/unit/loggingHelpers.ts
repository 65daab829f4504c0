import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createPythonParser, type PythonParser } from '../../src/core/logging/parser';
import { repoRoot } from './helpers';

let parser: Promise<PythonParser> | undefined;

/** The real tree-sitter parser, with the .wasm files straight from node_modules. */
export function pythonParser(): Promise<PythonParser> {
  parser ??= createPythonParser(async () => ({
    runtime: readFileSync(path.join(repoRoot, 'node_modules/web-tree-sitter/tree-sitter.wasm')),
    python: readFileSync(path.join(repoRoot, 'node_modules/tree-sitter-python/tree-sitter-python.wasm')),
  }));
  return parser;
}

export const fixturesDir = path.join(repoRoot, 'test/fixtures/logging');
