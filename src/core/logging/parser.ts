/**
 * The Python parser: tree-sitter (web-tree-sitter + tree-sitter-python, both WebAssembly, no native build).
 * Nothing here reads files: the caller hands over the two .wasm files as bytes (the extension reads them
 * from dist/wasm/ through workspace.fs, the CLI from next to dist/cli.js, the unit tests from node_modules),
 * so the same code runs everywhere and nothing is loaded until the first Python file is linted.
 *
 * web-tree-sitter keeps one WebAssembly instance per process; `Parser.init` runs once and later calls share
 * it. Trees live in WebAssembly memory and must be deleted (`withTree` does that).
 */
import type { Language as TsLanguage, Node, Parser as TsParser, Tree } from 'web-tree-sitter';

export type { Node, Tree };

export interface WasmSources {
  /** web-tree-sitter's runtime, `tree-sitter.wasm`. */
  runtime: Uint8Array;
  /** The grammar, `tree-sitter-python.wasm`. */
  python: Uint8Array;
}

export interface PythonParser {
  /** Parses `text` and hands the tree to `use`; the tree is freed afterwards, also when `use` throws. */
  withTree<T>(text: string, use: (tree: Tree) => T): T;
}

let runtime: Promise<typeof import('web-tree-sitter')> | undefined;

/**
 * After a WebAssembly abort (out of memory on a hostile file) the runtime instance is dead and every later
 * parse fails the same way; the next `createPythonParser` then starts a fresh one.
 */
export function resetPythonRuntime(): void {
  runtime = undefined;
}

/** Whether an error is the WebAssembly runtime aborting (it cannot parse anything after that). */
export function isRuntimeAbort(e: unknown): boolean {
  return e instanceof Error && /Aborted\(/.test(e.message);
}

/**
 * Loads the runtime (once per process) and the Python grammar. `load` is called only the first time; a
 * failure is not cached, so a later call can retry (e.g. after the user rebuilt the extension).
 */
export async function createPythonParser(load: () => Promise<WasmSources>): Promise<PythonParser> {
  const sources = await load();
  if (!runtime) {
    // A dynamic import keeps web-tree-sitter (160 KB of JavaScript) off the extension's activation path.
    runtime = import('web-tree-sitter').then(async (ts) => {
      // An abort is thrown as a RuntimeError and reported per file; Emscripten's own "Aborted()" line on
      // stderr would be noise in a CLI's output.
      await ts.Parser.init({ wasmBinary: sources.runtime, printErr: () => undefined });
      return ts;
    });
    runtime.catch(() => (runtime = undefined));
  }
  const ts = await runtime;
  const language: TsLanguage = await ts.Language.load(sources.python);
  const parser: TsParser = new ts.Parser();
  parser.setLanguage(language);
  return {
    withTree<T>(text: string, use: (tree: Tree) => T): T {
      const tree = parser.parse(text);
      if (!tree) throw new Error('tree-sitter returned no tree');
      try {
        return use(tree);
      } finally {
        tree.delete();
      }
    },
  };
}
