import { createReadStream, promises as fs } from 'node:fs';
import { createInterface } from 'node:readline';
import * as vscode from 'vscode';
import { analyzeStacks, type StackAnalysis } from '../../core/stacks/analyze';
import { StackParseError, type DumpSeries } from '../../core/stacks/model';
import { StackDumpScanner, parseStackDumps } from '../../core/stacks/parse';
import { errorMessage } from '../../core/util/errors';
import { loadSources } from './sources';

const MAX_JSON_BYTES = 256 * 1024 * 1024;

/** Dumps of any size: JSON read whole (py-spy's are small), text scanned line by line (a log of GBs). */
export async function readDumps(uri: vscode.Uri): Promise<DumpSeries> {
  if (uri.scheme !== 'file') return parseStackDumps(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
  const handle = await fs.open(uri.fsPath, 'r');
  let head: string;
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buf, 0, 4096, 0);
    if (buf.subarray(0, bytesRead).includes(0)) throw new StackParseError('binary data, not a stack dump (py-spy dump output, faulthandler output or a log holding it)');
    head = buf.subarray(0, bytesRead).toString('utf8').replace(/^[\uFEFF\s]+/, '');
  } finally {
    await handle.close();
  }
  if (head === '') throw new StackParseError('the file is empty');
  if (head[0] === '[' || head[0] === '{') {
    const { size } = await fs.stat(uri.fsPath);
    if (size > MAX_JSON_BYTES) throw new StackParseError('a JSON file over 256 MB is not py-spy dump output');
    return parseStackDumps(await fs.readFile(uri.fsPath, 'utf8'));
  }
  const scanner = new StackDumpScanner();
  const lines = createInterface({ input: createReadStream(uri.fsPath, { encoding: 'utf8', highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const line of lines) scanner.push(line.length > 65536 ? line.slice(0, 65536) : line);
  const series = scanner.finish();
  if (series.dumps.length === 0) throw new StackParseError('no stack dump found: expected py-spy dump output, faulthandler blocks ("Thread 0x… (most recent call first):") or "# Thread: name(id)" blocks');
  return series;
}

/** A stack dump file opened in the editor: read and analysed once, re-read on request. */
export class StackDocument implements vscode.CustomDocument {
  private constructor(
    readonly uri: vscode.Uri,
    readonly series: DumpSeries | undefined,
    readonly analysis: StackAnalysis | undefined,
    readonly error: string | undefined,
    readonly version: string,
  ) {}

  static async load(uri: vscode.Uri): Promise<StackDocument> {
    const version = `${uri.toString()}#${Date.now()}`;
    try {
      const series = await readDumps(uri);
      const files = series.dumps.flatMap((d) => d.threads.flatMap((t) => t.frames.map((f) => f.file)));
      const analysis = analyzeStacks(series, await loadSources(files));
      return new StackDocument(uri, series, analysis, undefined, version);
    } catch (e) {
      const why = e instanceof StackParseError ? e.message : `cannot be read: ${errorMessage(e)}`;
      return new StackDocument(uri, undefined, undefined, `${vscode.workspace.asRelativePath(uri)}: ${why}`, version);
    }
  }

  /** Whether the page may ask to open `file`: only files the dumps name. */
  hasFile(file: string): boolean {
    return !!this.series?.dumps.some((d) => d.threads.some((t) => t.frames.some((f) => f.file === file)));
  }

  dispose(): void {}
}
