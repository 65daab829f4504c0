import { promises as fsPromises } from 'node:fs';
import * as vscode from 'vscode';
import { StoreError } from '../../core/store/errors';
import type { EntryType, FileStat, StoreFileSystem } from '../../core/store/fileSystem';

function typeOf(t: vscode.FileType): EntryType {
  if (t & vscode.FileType.Directory) return 'directory';
  if (t & vscode.FileType.File) return 'file';
  return 'other';
}

/**
 * The store's file system over `workspace.fs`, rooted at a workspace folder. Going through workspace.fs
 * (not Node's fs) keeps remote, WSL and container workspaces working and lets editors see the writes.
 */
export class WorkspaceFileSystem implements StoreFileSystem {
  constructor(readonly root: vscode.Uri) {}

  uri(path: string): vscode.Uri {
    return path === '' || path === '.' ? this.root : vscode.Uri.joinPath(this.root, ...path.split('/'));
  }

  async stat(path: string): Promise<FileStat | undefined> {
    try {
      const s = await vscode.workspace.fs.stat(this.uri(path));
      return { type: typeOf(s.type), size: s.size, mtime: s.mtime };
    } catch (e) {
      if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return undefined;
      throw e;
    }
  }

  async readFile(path: string): Promise<Uint8Array> {
    return vscode.workspace.fs.readFile(this.uri(path));
  }

  async writeFile(path: string, data: Uint8Array): Promise<void> {
    await vscode.workspace.fs.writeFile(this.uri(path), data);
  }

  async rename(from: string, to: string, options: { overwrite: boolean }): Promise<void> {
    const source = this.uri(from);
    const target = this.uri(to);
    if (options.overwrite && source.scheme === 'file' && target.scheme === 'file') {
      // workspace.fs.rename with overwrite deletes the target first, so a reader (another feature, the CLI)
      // can find no file at all for a moment; rename(2) replaces it atomically.
      await fsPromises.rename(source.fsPath, target.fsPath);
      return;
    }
    await vscode.workspace.fs.rename(source, target, options);
  }

  async delete(path: string): Promise<void> {
    await vscode.workspace.fs.delete(this.uri(path), { useTrash: false });
  }

  async readDirectory(path: string): Promise<[string, EntryType][]> {
    const entries = await vscode.workspace.fs.readDirectory(this.uri(path));
    return entries.map(([name, type]) => [name, typeOf(type)]);
  }

  async createDirectory(path: string): Promise<void> {
    await vscode.workspace.fs.createDirectory(this.uri(path));
  }

  async createExclusive(path: string, data: Uint8Array): Promise<boolean> {
    const target = this.uri(path);
    if (target.scheme === 'file') {
      // O_EXCL: the CLI and other windows take the same lock through the same system call.
      try {
        await fsPromises.writeFile(target.fsPath, data, { flag: 'wx' });
        return true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw e;
      }
    }
    // Other file systems have no exclusive create in the API: check, then write (a narrow race).
    if (await this.stat(path)) return false;
    await vscode.workspace.fs.writeFile(target, data);
    return true;
  }

  async symlink(target: string, path: string): Promise<void> {
    const link = this.uri(path);
    if (link.scheme !== 'file') throw new Error(`cannot link files on ${link.scheme}: copy them instead`);
    try {
      await fsPromises.symlink(target, link.fsPath);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new StoreError('CONFLICT', `${path} already exists`, path);
      throw e;
    }
  }

  location(path: string): string {
    return this.uri(path).toString();
  }
}
