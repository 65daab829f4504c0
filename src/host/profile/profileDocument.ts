import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import * as vscode from 'vscode';
import { isIdleFrame } from '../../core/profile/idle';
import { ProfileParseError, type Profile } from '../../core/profile/model';
import { parseProfile } from '../../core/profile/parse';
import { analyzeTorchTrace, type TorchOps } from '../../core/profile/torchOps';
import { byteChunks, peekBytes, textChunks } from '../../core/profile/input';
import type { FlameData } from '../../protocol/flamegraph';
import { describeProfile, encodeFlameData, type ReadProfile } from '../../presenters/flamegraph';
import type { PathResolver } from '../shared/pathResolver';
import { errorMessage } from '../../core/util/errors';

/** The file's bytes, decompressed when it is gzip (torch's tensorboard handler writes .pt.trace.json.gz). */
async function gunzipped(source: AsyncIterable<Uint8Array | string> | Uint8Array): Promise<AsyncIterable<Uint8Array>> {
  const { head, all } = await peekBytes(byteChunks(source));
  if (head[0] !== 0x1f || head[1] !== 0x8b) return all;
  const gunzip = createGunzip();
  void (async () => {
    try {
      for await (const c of all) if (!gunzip.write(c)) await new Promise((r) => gunzip.once('drain', r));
      gunzip.end();
    } catch (e) {
      gunzip.destroy(e as Error);
    }
  })();
  return gunzip as AsyncIterable<Uint8Array>;
}

/**
 * A profile file opened in the flamegraph editor: parsed once on the host, handed to the page whole. The
 * editor opens it with `open`, which returns at once and reads in the background, so VS Code creates the
 * panel and loads the page while the file is parsed; `loaded` settles when the fields below are final.
 */
export class ProfileDocument implements vscode.CustomDocument, ReadProfile {
  profile: Profile | undefined;
  error: string | undefined;
  data: FlameData | undefined;
  description = '';
  ops?: TorchOps;
  readonly version: string;
  /** Settles (never rejects) when the file is read, or found unreadable (`error`). */
  readonly loaded: Promise<void>;
  /** Whether `loaded` has settled. */
  isLoaded = false;

  private constructor(
    readonly uri: vscode.Uri,
    readonly cwd: string | undefined,
    resolver: PathResolver,
  ) {
    this.version = `${uri.toString()}#${Date.now()}`;
    this.loaded = this.read(resolver).catch((e: unknown) => {
      this.profile = undefined;
      this.data = undefined;
      this.error = `${vscode.workspace.asRelativePath(uri)} cannot be read: ${errorMessage(e)}`;
    }).finally(() => {
      this.isLoaded = true;
    });
  }

  /** Starts reading `uri`; the document's fields are filled in when `loaded` settles. */
  static open(uri: vscode.Uri, resolver: PathResolver, cwd?: string): ProfileDocument {
    return new ProfileDocument(uri, cwd, resolver);
  }

  /** Reads `uri` whole before returning its document. */
  static async load(uri: vscode.Uri, resolver: PathResolver, cwd?: string): Promise<ProfileDocument> {
    const doc = ProfileDocument.open(uri, resolver, cwd);
    await doc.loaded;
    return doc;
  }

  private async read(resolver: PathResolver): Promise<void> {
    const { uri, cwd } = this;
    let profile: Profile | undefined;
    try {
      // Streamed from disk: a 600 MB trace never becomes one string.
      const source = uri.scheme === 'file' ? createReadStream(uri.fsPath, { highWaterMark: 1 << 20 }) : await vscode.workspace.fs.readFile(uri);
      profile = await parseProfile(source);
    } catch (e) {
      if (e instanceof ProfileParseError) {
        this.error = `${vscode.workspace.asRelativePath(uri)}: ${e.message}`;
        if (e.partial) {
          profile = e.partial;
          this.error = undefined;
          profile.warnings.unshift(`Only part of the file could be read: ${e.message}`);
        }
      } else this.error = `${vscode.workspace.asRelativePath(uri)} cannot be read: ${errorMessage(e)}`;
    }
    if (!profile) return;
    const files = [...new Set(profile.frames.map((f) => f.file).filter((f) => f !== ''))];
    const mine = new Map<string, boolean>();
    await Promise.all(files.map(async (f) => mine.set(f, await resolver.isMine(f, cwd))));
    const data = encodeFlameData(profile, (file) => mine.get(file) ?? false, isIdleFrame);
    if (profile.format === 'torch-chrometrace') {
      // A second pass over the file: the op table needs the correlation ids the flame graph does not keep.
      try {
        this.ops = await analyzeTorchTrace(textChunks(await gunzipped(uri.scheme === 'file' ? createReadStream(uri.fsPath, { highWaterMark: 1 << 20 }) : await vscode.workspace.fs.readFile(uri))));
      } catch (e) {
        profile.warnings.push(`The op table could not be read: ${errorMessage(e)}`);
      }
    }
    this.description = describeProfile(profile, cwd);
    this.data = data;
    this.profile = profile;
  }

  /** Whether `file` is a frame file of this profile (the page may only ask to open those). */
  hasFile(file: string): boolean {
    return !!this.profile?.frames.some((f) => f.file === file);
  }

  dispose(): void {}
}
