/**
 * The few file operations the store needs, on POSIX-style paths relative to the workspace folder.
 * The extension implements it over `workspace.fs`, the CLI and the unit tests over Node's fs; keeping
 * the interface this small is what lets the store's rules be tested without an editor.
 */
export type EntryType = 'file' | 'directory' | 'other';

export interface FileStat {
  type: EntryType;
  size: number;
  mtime: number;
}

export interface StoreFileSystem {
  stat(path: string): Promise<FileStat | undefined>;
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: Uint8Array): Promise<void>;
  /** Must fail when `to` exists and `overwrite` is false. */
  rename(from: string, to: string, options: { overwrite: boolean }): Promise<void>;
  delete(path: string): Promise<void>;
  readDirectory(path: string): Promise<[name: string, type: EntryType][]>;
  createDirectory(path: string): Promise<void>;
  /**
   * Creates a file only if nothing is at `path`, atomically (O_EXCL): true when created, false when it
   * existed. The incident writer's cross-process lock rests on this.
   */
  createExclusive(path: string, data: Uint8Array): Promise<boolean>;
  /** Makes `path` a symbolic link to the absolute `target`; fails when `path` exists. Optional: local disks only. */
  symlink?(target: string, path: string): Promise<void>;
  /** A key naming the file's real location (an absolute path or URI), so writers in one process share a queue. */
  location?(path: string): string;
}

export function joinPath(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/').replace(/\/{2,}/g, '/');
}
