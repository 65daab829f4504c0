import * as vscode from 'vscode';
import type { MemoryCapture } from '../../core/memory/model';
import { sniffMemoryFile } from '../../core/memory/sniff';
import { errorMessage } from '../../core/util/errors';
import { readFileHead } from '../../node/memoryReader';
import type { FlameData } from '../../protocol/flamegraph';
import { encodeMemoryData, prepareCapture, type PreparedCapture, type ReadCapture } from '../../presenters/memory';
import type { PathResolver } from '../shared/pathResolver';
import type { MemoryReading } from './memoryReading';

/** What a capture needs to be read: the reader (Python, memray) and the path resolver for "my code". */
export interface CaptureReader {
  reading: MemoryReading;
  resolver: PathResolver;
}

/**
 * A memory capture opened in the memory editor: read once on the host (through memray or Python for
 * those formats, so only in a trusted workspace), its columns and snapshot parts prepared then, handed to
 * the page whole.
 */
export class MemoryDocument implements vscode.CustomDocument, ReadCapture {
  private constructor(
    readonly uri: vscode.Uri,
    readonly version: string,
    readonly capture: MemoryCapture | undefined,
    readonly data: FlameData | undefined,
    readonly error: string | undefined,
    readonly cwd: string | undefined,
    readonly prepared?: PreparedCapture,
  ) {}

  static async load(uri: vscode.Uri, host: CaptureReader, cwd?: string): Promise<MemoryDocument> {
    const version = `${uri.toString()}#${Date.now()}`;
    const fail = (error: string) => new MemoryDocument(uri, version, undefined, undefined, error, cwd);
    const name = vscode.workspace.asRelativePath(uri);
    if (uri.scheme !== 'file') return fail(`${name}: memory captures are read from the local file system.`);
    if (!vscode.workspace.isTrusted) {
      const head = await readFileHead(uri.fsPath, 4096).catch(() => new Uint8Array());
      const kind = sniffMemoryFile(head).kind;
      if (kind === 'memray' || kind === 'tracemalloc') {
        return fail(`${name}: reading a ${kind === 'memray' ? 'memray capture runs memray' : 'tracemalloc snapshot runs Python'}, a program; this workspace is not trusted. Trust it (Manage Workspace Trust) and open the file again.`);
      }
    }
    try {
      const r = await host.reading.read(uri, { time: true });
      if ('error' in r) return fail(r.error);
      const capture = r.capture;
      const files = [...new Set(capture.frames.map((f) => f.file).filter((f) => f !== ''))];
      const mine = new Map<string, boolean>();
      await Promise.all(files.map(async (f) => mine.set(f, await host.resolver.isMine(f, cwd))));
      return new MemoryDocument(uri, version, capture, encodeMemoryData(capture, (f) => mine.get(f) ?? false), undefined, cwd, prepareCapture(capture));
    } catch (e) {
      return fail(`${name} cannot be read: ${errorMessage(e)}`);
    }
  }

  /** Whether `file` is a frame file of this capture (the page may only ask to open those). */
  hasFile(file: string): boolean {
    return !!this.capture?.frames.some((f) => f.file === file);
  }

  dispose(): void {}
}
