import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { StoreError } from '../core/store/errors';
import type { EntryType, FileStat, StoreFileSystem } from '../core/store/fileSystem';

function typeOf(s: { isFile(): boolean; isDirectory(): boolean }): EntryType {
  return s.isFile() ? 'file' : s.isDirectory() ? 'directory' : 'other';
}

/** The store's file system over Node's fs, rooted at a directory (the CLI's and the unit tests' view). */
export class NodeFileSystem implements StoreFileSystem {
  constructor(private readonly base: string) {}

  private abs(path: string): string {
    return nodePath.resolve(this.base, path);
  }

  async stat(path: string): Promise<FileStat | undefined> {
    try {
      const s = await fs.stat(this.abs(path));
      return { type: typeOf(s), size: s.size, mtime: s.mtimeMs };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw e;
    }
  }

  async readFile(path: string): Promise<Uint8Array> {
    return fs.readFile(this.abs(path));
  }

  async writeFile(path: string, data: Uint8Array): Promise<void> {
    await fs.writeFile(this.abs(path), data);
  }

  async rename(from: string, to: string, options: { overwrite: boolean }): Promise<void> {
    if (!options.overwrite) {
      // link() fails on an existing target, which rename() would silently replace.
      await fs.link(this.abs(from), this.abs(to));
      await fs.unlink(this.abs(from));
      return;
    }
    await fs.rename(this.abs(from), this.abs(to));
  }

  async delete(path: string): Promise<void> {
    await fs.rm(this.abs(path), { force: true });
  }

  async readDirectory(path: string): Promise<[string, EntryType][]> {
    const entries = await fs.readdir(this.abs(path), { withFileTypes: true });
    return entries.map((e) => [e.name, typeOf(e)]);
  }

  async createDirectory(path: string): Promise<void> {
    await fs.mkdir(this.abs(path), { recursive: true });
  }

  async createExclusive(path: string, data: Uint8Array): Promise<boolean> {
    try {
      await fs.writeFile(this.abs(path), data, { flag: 'wx' });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
  }

  async symlink(target: string, path: string): Promise<void> {
    try {
      await fs.symlink(target, this.abs(path));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new StoreError('CONFLICT', `${path} already exists`, path);
      throw e;
    }
  }

  location(path: string): string {
    return this.abs(path);
  }
}
