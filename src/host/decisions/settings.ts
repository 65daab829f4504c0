import * as vscode from 'vscode';
import { parseThresholds } from '../../core/rollback/parse';
import type { Thresholds } from '../../core/rollback/types';

/** The decisions features' settings, read when used (never at activation). */
export function decisionSettings(scope?: vscode.Uri) {
  const c = vscode.workspace.getConfiguration('incidentWorkbench', scope);
  const list = (key: string): string[] => {
    const v = c.get<unknown>(key);
    if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
    if (typeof v === 'string' && v.trim()) return v.trim().split(/\s+/);
    return [];
  };
  return {
    prometheusUrl: (c.get<string>('prometheusUrl') ?? '').trim() || undefined,
    rollbackCommand: list('rollback.command'),
    thresholds(): { thresholds: Thresholds; problems: string[] } {
      return parseThresholds(c.get<unknown>('rollback.thresholds'));
    },
    predictCommand: list('model.predictCommand'),
    predictEndpoint: (c.get<string>('model.predictEndpoint') ?? '').trim() || undefined,
  };
}

/** Resolves a path from a command argument or setting against the first workspace folder. */
export function resolveUri(value: unknown): vscode.Uri | undefined {
  if (value instanceof vscode.Uri) return value;
  if (typeof value !== 'string' || !value) return undefined;
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(value)) return vscode.Uri.parse(value);
  if (value.startsWith('/')) return vscode.Uri.file(value);
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, value) : undefined;
}

const MAX_BYTES = 100 * 1024 * 1024;

/** Reads a UTF-8 text file through workspace.fs with a size limit; errors are messages, not stacks. */
export async function readText(uri: vscode.Uri, maxBytes = MAX_BYTES): Promise<string> {
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch {
    throw new Error(`${vscode.workspace.asRelativePath(uri)} does not exist`);
  }
  if (stat.size > maxBytes) throw new Error(`${vscode.workspace.asRelativePath(uri)} is ${(stat.size / 1024 / 1024).toFixed(0)} MB, over the ${maxBytes / 1024 / 1024} MB limit`);
  const bytes = await vscode.workspace.fs.readFile(uri);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${vscode.workspace.asRelativePath(uri)} is not UTF-8 text`);
  }
}
